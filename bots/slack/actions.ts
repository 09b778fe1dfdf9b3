import type { BlockButtonAction, RespondFn, webApi } from '@slack/bolt';
import { checkCommand } from '../../handlers/command.js';
import { dispatch, type CommandOrigin } from '../../handlers/dispatch.js';
import { translator } from '../../handlers/i18n.js';
import { draftFromMessage, openTicket } from '../../handlers/open-ticket.js';
import { draftAsComment } from '../../handlers/similar.js';
import { mayAct } from '../../handlers/permissions.js';
import { ratingForm } from '../../handlers/rate.js';
import { reopenForm } from '../../handlers/reopen.js';
import type { Reply } from '../../handlers/types.js';
import { ACTION } from './blocks.js';
import { loadDraft, savedDraft } from './modals.js';
import { slackToPlain } from './mrkdwn.js';
import type { SlackRoutes } from './routes.js';
import { afterAck, commandOrigin, show, tell, wordsFor, type Audience, type SlackRuntime, type SlackUser } from './runtime.js';

export const SHORTCUT_OPEN = 'open_ticket_from_message';
const SUBJECT_FROM_MESSAGE = 80;

/**
 * The card's buttons, the Retry button of a failed delivery, and the message shortcut: each acks
 * at once and does its work (permission checks, the provider) after the ack.
 */
export function registerActions(routes: SlackRoutes, rt: SlackRuntime): void {
  /** `run` answers the click; a form it asks for opens in the channel `formChannel` names (default: the click's). */
  type Run = (click: Click) => Promise<Reply | { reply: Reply; formChannel: string }>;
  const buttons = new Map<string, { run: Run; replace: boolean }>();
  const button = (actionId: string, run: Run, how: { replace?: boolean } = {}): void => void buttons.set(actionId, { run, replace: how.replace ?? false });
  routes.blockAction(async ({ ack, body, action, client, respond, context }) => {
    await ack();
    // Link buttons report clicks too; acked, nothing to do.
    const handler = buttons.get(action.action_id);
    if (!handler) return;
    const to = { ...audience(body, client, respond), ...(handler.replace ? { replaceOriginal: true } : {}) };
    const who: SlackUser = { teamId: context.teamId ?? body.team?.id ?? body.user.team_id ?? '', userId: body.user.id, userName: body.user.name, channel: to.channel };
    const click: Click = { value: action.value ?? '', user: body.user.id, to, origin: commandOrigin(rt, who, `${to.channel}:action:${body.trigger_id}`) };
    afterAck(rt, `button ${action.action_id}`, to, async () => {
      const ran = await handler.run(click);
      const [reply, formChannel] = 'reply' in ran ? [ran.reply, ran.formChannel] : [ran, to.channel];
      await show(rt, to, reply, { triggerId: body.trigger_id, channel: formChannel });
    });
  });

  // Close says at once that it is under way, then names the refusal ("Only the person who
  // opened…") before asking the provider; the card shows the outcome when it is redrawn. Reopen
  // asks why first, in a small modal, unless the person may not reopen it.
  button(ACTION.close, async ({ value, user, origin, to }: Click) => {
    const underWay = tell(rt, to, { ok: true, text: wordsFor(rt, user)('close.closing', { id: value }) });
    const reply = (await mayAct(rt.service, await origin.context(), value, 'close')) ?? (await dispatch(rt.service, { name: 'close', ticketId: value }, origin));
    await underWay;
    return reply;
  });
  button(ACTION.reopen, async ({ value, origin }) => reopenForm(rt.service, await origin.context(), value));
  button(ACTION.rate, async ({ value, origin }) => ratingForm(rt.service, await origin.context(), value));
  button(ACTION.retry, async ({ value, origin }) => dispatch(rt.service, { name: 'retry', jobKey: value }, origin));
  // A list's pages turn in place: the answer replaces the list the person clicked in.
  const turnPage = async ({ value, origin }: Click): Promise<Reply> => {
    const [page, which] = value.split(':');
    return dispatch(rt.service, checkCommand({ name: 'list', page, which }), origin);
  };
  button(ACTION.listPrevious, turnPage, { replace: true });
  button(ACTION.listNext, turnPage, { replace: true });
  // The similar-ticket prompt: the draft becomes one comment on the open ticket (once, however
  // often the button is pressed), or a new ticket after all.
  button(ACTION.addToSimilar, async ({ value, user, origin }) => {
    const [ticketId = '', draftId = ''] = value.split(':');
    const saved = await loadDraft(rt, draftId);
    if (!saved) return { ok: false, text: wordsFor(rt, user)('form.draftExpired') };
    return dispatch(rt.service, { name: 'reply', ticketId, text: draftAsComment(saved.draft) }, { ...origin, eventKey: `slack:similar:${draftId}` });
  });
  button(ACTION.openAnyway, async ({ value, user, origin, to }) => {
    const saved = await loadDraft(rt, value);
    if (!saved) return { ok: false, text: wordsFor(rt, user)('form.draftExpired') };
    // One ticket per draft, however often the button is pressed.
    if (!(await rt.kv.setIfAbsent(`slack:draft-opened:${value}`, '1', 7 * 24 * 3600_000))) return { ok: true, text: wordsFor(rt, user)('reply.already') };
    const ctx = await origin.context();
    await tell(rt, to, { ok: true, text: translator(ctx.locale)('open.opening', { provider: rt.service.providerName }) });
    return openTicket(rt.service, ctx, saved.draft, `slack:draft:${value}`);
  });
  button(ACTION.openAgain, async ({ value, user }) => savedDraft(rt, value, wordsFor(rt, user)));

  routes.messageShortcut(SHORTCUT_OPEN, async ({ ack, shortcut, client, respond }) => {
    await ack();
    const channel = shortcut.channel.id;
    const to = { client, channel, user: shortcut.user.id, ...(shortcut.response_url ? { respond } : {}) };
    // The form opens first, on the trigger's 3 s; the message's link is looked up after the form is sent.
    afterAck(rt, 'message shortcut', to, async () => {
      const draft = draftFromMessage(slackToPlain(shortcut.message.text ?? ''), { subjectMax: SUBJECT_FROM_MESSAGE });
      await show(rt, to, { form: 'open', draft }, { triggerId: shortcut.trigger_id, channel, source: { channel, ts: shortcut.message_ts } });
    });
  });
}

interface Click {
  /** The button's value: a ticket id, a delivery's key or a draft's id. */
  value: string;
  user: string;
  origin: CommandOrigin;
  /** Where the clicker is answered. */
  to: Audience;
}

function audience(body: BlockButtonAction, client: webApi.WebClient, respond: RespondFn): Audience {
  const threadTs = body.message?.thread_ts;
  return {
    client,
    channel: body.channel?.id ?? body.container.channel_id ?? body.user.id,
    user: body.user.id,
    ...(threadTs ? { threadTs } : {}),
    ...(body.response_url ? { respond } : {}),
  };
}
