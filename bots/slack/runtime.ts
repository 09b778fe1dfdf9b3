import type { RespondFn, types, webApi } from '@slack/bolt';
import type { CommandOrigin } from '../../handlers/dispatch.js';
import { translator, type Translate } from '../../handlers/i18n.js';
import type { Answer, ChatContext, FormRequest, Reply } from '../../handlers/types.js';
import type { Logger } from '../../src/logger.js';
import type { TicketService } from '../../src/service.js';
import type { KeyValueStore } from '../../src/store/index.js';
import type { Background } from './background.js';
import type { FormOpener } from './form-opener.js';
import { replyBlocks } from './blocks.js';
import { escapeText } from './mrkdwn.js';
import type { People } from './people.js';
import type { SlackSettings } from './settings.js';
import type { SlackSink } from './sink.js';
import { placeRef } from './thread-ref.js';
import { openView, rateView, reopenView, type OpenOrigin } from './views.js';

/** What every listener of the Slack app shares, passed in rather than held in module state. */
export interface SlackRuntime {
  settings: SlackSettings;
  service: TicketService;
  kv: KeyValueStore;
  logger: Logger;
  sink: SlackSink;
  people: People;
  /** Where listeners run their slow work once they have acked. */
  background: Background;
  /** Opens modals, off the thread that answers Slack. */
  forms: FormOpener;
  /** How long an event's mark holds off Slack's redeliveries while it is handled. */
  eventMarkMs: number;
}

const FORM_FAILED = { open: 'form.failedOpen', rate: 'form.failedRate', reopen: 'form.failedReopen' } as const satisfies Record<FormRequest['form'], string>;

/** The words of the person `to` addresses: their language as far as it is known now (see People.knownLocale). */
export function wordsFor(rt: SlackRuntime, user: string): Translate {
  return translator(rt.people.knownLocale(user));
}

/**
 * Runs a listener's work after its ack without holding up the response to Slack (which waits
 * for the listener to return). An unexpected failure is logged and the person is told plainly.
 */
export function afterAck(rt: SlackRuntime, what: string, to: Audience, work: () => Promise<void>): void {
  rt.background.run(what, work, () => tell(rt, to, { ok: false, text: wordsFor(rt, to.user)('form.trouble') }));
}

/** Who acts in Slack: a user of a workspace, in a channel. */
export interface SlackUser {
  teamId: string;
  userId: string;
  userName?: string | undefined;
  /** Where the action happened; a new ticket's card goes here unless SLACK_TICKET_CHANNEL is set. */
  channel: string;
}

/** The neutral context of a handler: who acts (their name and staff membership looked up), and where a new ticket's card goes. */
export async function chatContext(rt: SlackRuntime, who: SlackUser): Promise<ChatContext> {
  const [actor, locale] = await Promise.all([rt.people.actor(who.teamId, who.userId, who.userName), rt.people.locale(who.userId)]);
  return { actor, logger: rt.logger, locale, place: placeRef({ channel: rt.settings.ticketChannel ?? who.channel, user: who.userId }) };
}

/** A command or button from `who`; the lookups behind the context run only if the command needs them (a form opens without). */
export function commandOrigin(rt: SlackRuntime, who: SlackUser, eventKey: string): CommandOrigin {
  let context: Promise<ChatContext> | undefined;
  return { forms: true, eventKey, locale: rt.people.knownLocale(who.userId), context: () => (context ??= chatContext(rt, who)) };
}

/** Where to answer one person privately. */
export interface Audience {
  client: webApi.WebClient;
  channel: string;
  user: string;
  threadTs?: string;
  /** The interaction's response_url, when it has one: works even where the bot is not a member. */
  respond?: RespondFn;
  /** Replace the message the person clicked in (a list's next page) rather than add one. */
  replaceOriginal?: boolean;
}

/**
 * Answers only the person who acted: through response_url when there is one, else an ephemeral
 * message, else a direct message (a channel the bot cannot post to must not swallow the answer).
 */
export async function tell(rt: SlackRuntime, to: Audience, reply: Answer, extra: types.KnownBlock[] = []): Promise<void> {
  const text = escapeText(reply.text);
  const blocks = [...replyBlocks(reply, wordsFor(rt, to.user)), ...extra];
  if (to.respond) {
    try {
      await to.respond({ response_type: 'ephemeral', replace_original: to.replaceOriginal ?? false, text, blocks });
      return;
    } catch (error) {
      rt.logger.warn('response_url failed; trying an ephemeral message', { error });
    }
  }
  try {
    await to.client.chat.postEphemeral({ channel: to.channel, user: to.user, text, blocks, ...(to.threadTs ? { thread_ts: to.threadTs } : {}) });
  } catch (error) {
    rt.logger.warn('ephemeral message failed; sending a direct message', { channel: to.channel, error });
    await to.client.chat.postMessage({ channel: to.user, text, blocks }).catch((e: unknown) => rt.logger.error('could not answer the user', { error: e }));
  }
}

/**
 * Shows a handler's reply: a form opens as a modal (on the interaction's trigger, which Slack
 * honours for 3 s; `channel` is where its answer goes), anything else is told to the person.
 */
export async function show(rt: SlackRuntime, to: Audience, reply: Reply, form: { triggerId: string; channel: string; source?: OpenOrigin['source'] }): Promise<void> {
  if (!('form' in reply)) return tell(rt, to, reply);
  const { fields, providerName } = rt.service;
  const locale = rt.people.knownLocale(to.user);
  const t = translator(locale);
  const view =
    reply.form === 'open'
      ? openView(fields, providerName, { channel: form.channel, ...(form.source ? { source: form.source } : {}) }, locale, reply.draft)
      : (reply.form === 'rate' ? rateView : reopenView)({ channel: form.channel, ticketId: reply.ticketId }, t);
  try {
    await rt.forms.open(form.triggerId, JSON.stringify(view));
  } catch (error) {
    rt.logger.warn('could not open a form', { form: reply.form, error });
    await tell(rt, to, { ok: false, text: t(FORM_FAILED[reply.form]) });
  }
}
