import type { types, webApi } from '@slack/bolt';
import { plainFailure } from '../../handlers/errors.js';
import { translator, type Translate } from '../../handlers/i18n.js';
import type { ThreadRef, TicketLink } from '../../src/domain.js';
import type { Actor } from '../../src/service.js';
import { ACTION, statusWords } from './blocks.js';
import { escapeText } from './mrkdwn.js';
import type { SlackRoutes } from './routes.js';
import type { SlackRuntime } from './runtime.js';
import { decodeThreadRef } from './thread-ref.js';

type Block = types.KnownBlock;

const MINE_SHOWN = 10;
const STAFF_SHOWN = 20;
// Slack's limits: 100 blocks in a view, 3,000 characters in a section.
const MAX_BLOCKS = 100;

/**
 * App Home: "My tickets" with status, the last agent answer, a button to the thread and any failed
 * delivery with its Retry; staff also see everyone's open tickets. Published when the person opens
 * the tab and again whenever one of their tickets changes (the sink says so).
 */
export class SlackHome {
  /**
   * Publishes under way, by person. A change that comes meanwhile asks for one more publish after
   * it (the one under way may have read the tickets before the change), not one per change: a
   * burst of answers on one person's tickets would otherwise read all their tickets and look up
   * ten permalinks once per answer.
   */
  private readonly publishing = new Map<string, { again: boolean }>();

  constructor(
    private readonly rt: SlackRuntime,
    private readonly client: webApi.WebClient,
  ) {}

  register(routes: SlackRoutes): void {
    routes.event('app_home_opened', async ({ event, context, body }) => {
      if (event.tab !== 'home') return;
      const teamId = context.teamId ?? body.team_id;
      // Acked at once; the look-ups and the publish run after.
      this.rt.background.run('App Home', () => this.publishLatest(teamId, event.user));
    });
  }

  /** Publishes the Home of the requester of the ticket whose thread changed, if they are a Slack user. */
  refresh(thread: ThreadRef): void {
    this.rt.background.run('App Home refresh', async () => {
      const link = await this.rt.service.linkByThread(thread);
      const who = /^slack:([^:]+):([^:]+)$/.exec(link?.requester.key ?? '');
      if (who) await this.publishLatest(who[1]!, who[2]!);
    });
  }

  /** Publishes, or has the publish under way for the person run once more when it is done. */
  private async publishLatest(teamId: string, userId: string): Promise<void> {
    const key = `${teamId}:${userId}`;
    const running = this.publishing.get(key);
    if (running) {
      running.again = true;
      return;
    }
    const state = { again: false };
    this.publishing.set(key, state);
    try {
      await this.publish(teamId, userId);
    } finally {
      this.publishing.delete(key);
      if (state.again) this.rt.background.run('App Home refresh', () => this.publishLatest(teamId, userId));
    }
  }

  private async publish(teamId: string, userId: string): Promise<void> {
    const { rt } = this;
    const [actor, locale] = await Promise.all([rt.people.actor(teamId, userId), rt.people.locale(userId)]);
    const t = translator(locale);
    const mine = await rt.service.listMine(actor.requester, 'recent');
    const blocks: Block[] = [{ type: 'header', block_id: 'home_title', text: { type: 'plain_text', text: t('home.title') } }];
    if (mine.length === 0) blocks.push(section('home_empty', t('home.empty')));
    for (const link of mine.slice(0, MINE_SHOWN)) blocks.push(...(await this.ticketBlocks(link, actor, t)));
    if (mine.length > MINE_SHOWN) blocks.push(context('home_more', t('home.more', { count: mine.length - MINE_SHOWN })));
    if (actor.isStaff) blocks.push(...(await this.staffBlocks(t)));
    await this.client.views.publish({ user_id: userId, view: { type: 'home', blocks: blocks.slice(0, MAX_BLOCKS) } });
  }

  private async ticketBlocks(link: TicketLink, actor: Actor, t: Translate): Promise<Block[]> {
    const { rt } = this;
    const id = link.ticketId;
    const [answer, url, view] = await Promise.all([rt.sink.lastAnswer(link.thread), this.permalink(link.thread), rt.service.status(id, actor).catch(() => undefined)]);
    const title = `*#${escapeText(id)} ${escapeText(link.subject)}*\n${escapeText(statusWords(link.status, link.vendorStatus, t))}`;
    const head: Block = {
      ...section(`ticket_${id}`, title),
      ...(url ? { accessory: { type: 'button', action_id: `home_thread_${id}`, text: plain(t('home.openThread')), url } } : {}),
    } as Block;
    const said = answer ? t('home.lastAnswer', { author: escapeText(answer.author), text: escapeText(answer.text) }) : t('home.noAnswer');
    const blocks: Block[] = [head, context(`answer_${id}`, said)];
    for (const [i, job] of (view?.failed ?? []).slice(0, 3).entries()) {
      blocks.push({
        ...section(`failed_${id}_${i}`, `:warning: ${escapeText(plainFailure(job.cause, rt.service.providerName, t))}`),
        accessory: { type: 'button', action_id: ACTION.retry, text: plain(t('button.retry')), value: job.key.slice(0, 2000) },
      } as Block);
    }
    blocks.push({ type: 'divider' });
    return blocks;
  }

  private async staffBlocks(t: Translate): Promise<Block[]> {
    const open = await this.rt.service.listOpen();
    const lines = open.slice(0, STAFF_SHOWN).map((l) => `#${escapeText(l.ticketId)} ${escapeText(l.subject)} — ${escapeText(l.requester.name)} (${escapeText(statusWords(l.status, l.vendorStatus, t))})`);
    if (open.length > STAFF_SHOWN) lines.push(t('home.more', { count: open.length - STAFF_SHOWN }));
    return [
      { type: 'header', block_id: 'staff_title', text: plain(t('home.staffTitle')) },
      section('staff_open', lines.length ? lines.join('\n').slice(0, 3000) : t('home.staffEmpty')),
    ];
  }

  /** A link to the ticket's thread; none when Slack gives none (the Home still shows the ticket). */
  private async permalink(thread: ThreadRef): Promise<string | undefined> {
    const slack = decodeThreadRef(thread);
    if (!slack) return undefined;
    try {
      const { permalink } = await this.client.chat.getPermalink({ channel: slack.channel, message_ts: slack.ts });
      return permalink;
    } catch (error) {
      this.rt.logger.warn('permalink not available for App Home', { thread, error });
      return undefined;
    }
  }
}

function plain(text: string): types.PlainTextElement {
  return { type: 'plain_text', text: text.slice(0, 75) || ' ', emoji: false };
}

function section(blockId: string, text: string): types.SectionBlock {
  return { type: 'section', block_id: blockId, text: { type: 'mrkdwn', text: text.slice(0, 3000), verbatim: true } };
}

function context(blockId: string, text: string): types.ContextBlock {
  return { type: 'context', block_id: blockId, elements: [{ type: 'mrkdwn', text: text.slice(0, 3000), verbatim: true }] };
}
