import { randomUUID } from 'node:crypto';
import { DELETED_TEXT, editedText, replyToTicket } from '../../handlers/reply.js';
import type { Answer } from '../../handlers/types.js';
import { StoreUnavailable } from '../../src/errors.js';
import { messageFiles } from './files.js';
import { slackToPlain } from './mrkdwn.js';
import type { EventArgs, SlackRoutes } from './routes.js';
import { afterAck, tell, type SlackRuntime, wordsFor } from './runtime.js';
import { StillHandling } from './still-handling.js';
import { threadRef } from './thread-ref.js';

// Slack delivers an unacknowledged event up to three more times (retry 1, 2, 3).
const SLACK_LAST_RETRY = 3;
// People's messages (edits and deletions are read off message_changed / message_deleted); everything else (bot_message, joins…) is not a reply.
const PERSON_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share']);

interface MessageLike {
  channel: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  text?: string;
  subtype?: string;
  bot_id?: string;
  /** Present on `file_share` messages. */
  files?: unknown[];
  edited?: { ts: string };
  /** `message_changed`: the message as it is now; `message_changed` / `message_deleted`: as it was. */
  message?: MessageLike;
  previous_message?: MessageLike;
  deleted_ts?: string;
}

/** What a person did in a thread, as it goes to the ticket: who, where, what, and the key of this one act. */
interface ThreadAct {
  user: string;
  threadTs: string;
  text: string;
  files: unknown[];
  eventKey: string;
}

/**
 * A person's new message, edit or deletion in a thread, or undefined for anything else (bots,
 * joins, an unfurl that changes nothing the person wrote, thread parents). An edit is keyed by its
 * edit time, so each edit is one follow-up comment however often Slack delivers it.
 */
function actOf(m: MessageLike, botUserId: string | undefined): ThreadAct | undefined {
  const person = (x: MessageLike | undefined): x is MessageLike & { user: string; thread_ts: string } =>
    Boolean(x && x.user && !x.bot_id && x.user !== botUserId && x.thread_ts && x.thread_ts !== x.ts);
  if (m.subtype === 'message_changed') {
    const now = m.message;
    if (!person(now) || !now.edited || now.text === m.previous_message?.text) return undefined;
    const text = slackToPlain(now.text ?? '').trim();
    return { user: now.user, threadTs: now.thread_ts, text: editedText(text), files: [], eventKey: `${m.channel}:${now.ts}:edited:${now.edited.ts}` };
  }
  if (m.subtype === 'message_deleted') {
    const was = m.previous_message;
    if (!person(was)) return undefined;
    return { user: was.user, threadTs: was.thread_ts, text: DELETED_TEXT, files: [], eventKey: `${m.channel}:${m.deleted_ts ?? was.ts}:deleted` };
  }
  if (!PERSON_SUBTYPES.has(m.subtype) || !person(m)) return undefined;
  const text = slackToPlain(m.text ?? '').trim();
  if (!text && !m.files?.length) return undefined;
  return { user: m.user, threadTs: m.thread_ts, text, files: m.files ?? [], eventKey: `${m.channel}:${m.ts}` };
}

/**
 * A person's reply in a ticket's thread becomes a comment, through the outbox. The listener
 * returns, and so Slack is acknowledged, only once the comment job is durable (HTTP:
 * processBeforeResponse; Socket Mode: the receiver holds the envelope's ack the same way); if the
 * job could not be written the listener throws, Slack gets no ack and delivers the event again.
 * Redeliveries make no second comment: the event id is marked while it is handled (a redelivery
 * meanwhile is acked only if the comment is queued), and the outbox key is the message's channel
 * and ts.
 */
export function registerMessages(routes: SlackRoutes, rt: SlackRuntime): void {
  routes.event('message', async ({ event, body, context, client }) => {
    const m = event as unknown as MessageLike;
    try {
      await onMessage(rt, m, body, context, client);
    } catch (error) {
      // The store is down: Slack's redelivery tries again, and after its last one the person hears it.
      const act = actOf(m, context.botUserId);
      if (!(error instanceof StoreUnavailable) || (context.retryNum ?? 0) < SLACK_LAST_RETRY || !act) throw error;
      const to = { client, channel: m.channel, user: act.user, threadTs: act.threadTs };
      afterAck(rt, 'telling that the store is down', to, () => tell(rt, to, { ok: false, text: wordsFor(rt, to.user)('error.storeDown') }));
    }
  });
}

type MessageArgs = EventArgs<'message'>;

async function onMessage(rt: SlackRuntime, m: MessageLike, body: MessageArgs['body'], context: MessageArgs['context'], client: MessageArgs['client']): Promise<void> {
  const act = actOf(m, context.botUserId);
  if (!act) return;
  const thread = threadRef({ channel: m.channel, ts: act.threadTs });
  if (!(await rt.service.linkByThread(thread))) return;

  // Taken before (a redelivery after the first was answered): nothing to fetch or say again.
  if (await rt.service.replyTaken(act.eventKey)) {
    rt.logger.debug('event delivered again; already handled', { event: body.event_id, retry: context.retryNum });
    return;
  }
  // A lease rather than a set-once mark: it can be given back when the reply was not queued.
  const mark = `slack:event:${body.event_id}`;
  const owner = randomUUID();
  if (!(await rt.kv.claim(mark, owner, rt.eventMarkMs))) {
    // Being handled now, or its handler failed and could not give the mark back: not acked, so
    // Slack delivers it again once the mark has run out.
    throw new StillHandling();
  }
  let reply: Answer | undefined;
  try {
    const author = await rt.people.requester(context.teamId ?? body.team_id, act.user);
    const files = await messageFiles(rt, client, act.files);
    reply = await replyToTicket(rt.service, { thread, text: act.text, author, eventKey: act.eventKey, files }, rt.logger, rt.people.knownLocale(act.user));
  } catch (error) {
    // Not handled after all: let Slack's next redelivery try again.
    await rt.kv.release(mark, owner);
    throw error;
  }
  if (reply?.later || reply?.notice) {
    const saved = reply;
    const to = { client, channel: m.channel, user: act.user, threadTs: act.threadTs };
    afterAck(rt, 'telling how a reply was taken', to, () => tell(rt, to, saved));
    return;
  }
  if (!reply || reply.ok) return;
  // Not queued (the store failed): Slack delivers the event again unless this was its last try.
  await rt.kv.release(mark, owner);
  if ((context.retryNum ?? 0) < SLACK_LAST_RETRY) throw new Error(`thread reply not queued; left for Slack to deliver again: ${reply.text}`);
  const notQueued = reply;
  const to = { client, channel: m.channel, user: act.user, threadTs: act.threadTs };
  afterAck(rt, 'telling that a reply was not sent', to, () => tell(rt, to, notQueued));
}
