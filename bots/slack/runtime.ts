import type { RespondFn, types, webApi } from '@slack/bolt';
import type { ChatContext, Reply } from '../../handlers/types.js';
import type { Logger } from '../../src/logger.js';
import type { Actor, TicketService } from '../../src/service.js';
import type { KeyValueStore } from '../../src/store/index.js';
import type { Background } from './background.js';
import { replyBlocks } from './blocks.js';
import { escapeText } from './mrkdwn.js';
import type { People } from './people.js';
import type { SlackSettings } from './settings.js';
import type { SlackSink } from './sink.js';

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
}

const TROUBLE: Reply = { ok: false, ephemeral: true, text: 'Something went wrong on our side. Please try again.' };

/**
 * Runs a listener's work after its ack without holding up the response to Slack (which waits
 * for the listener to return). An unexpected failure is logged and the person is told plainly.
 */
export function afterAck(rt: SlackRuntime, what: string, to: Audience, work: () => Promise<void>): void {
  rt.background.run(what, work, () => tell(rt, to, TROUBLE));
}

/** The neutral context of a handler: who acts, and where a new ticket's card goes. */
export function chatContext(rt: SlackRuntime, actor: Actor, channel: string): ChatContext {
  return { actor, logger: rt.logger, startThread: (card) => rt.sink.postCard(rt.settings.ticketChannel ?? channel, card) };
}

/** Where to answer one person privately. */
export interface Audience {
  client: webApi.WebClient;
  channel: string;
  user: string;
  threadTs?: string;
  /** The interaction's response_url, when it has one: works even where the bot is not a member. */
  respond?: RespondFn;
}

/**
 * Answers only the person who acted: through response_url when there is one, else an ephemeral
 * message, else a direct message (a channel the bot cannot post to must not swallow the answer).
 */
export async function tell(rt: SlackRuntime, to: Audience, reply: Reply, extra: types.KnownBlock[] = []): Promise<void> {
  const text = escapeText(reply.text);
  const blocks = [...replyBlocks(reply), ...extra];
  if (to.respond) {
    try {
      await to.respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
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
