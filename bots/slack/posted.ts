import type { webApi } from '@slack/bolt';
import { slackCall } from './delivery-errors.js';
import type { SlackThread } from './thread-ref.js';

/**
 * The bot's own messages found again by their metadata, for a retry after a crash or a lost
 * answer: the parts of a relayed post in its thread, a card in its channel. Every post and card
 * carries its idempotency key under these event types.
 */
export const POST_EVENT_TYPE = 'ticket_bridge_post';
export const CARD_EVENT_TYPE = 'ticket_bridge_card';

/** Pages of 200 messages read before giving up the search. */
const PAGES = 10;
/** How far back a retried card looks for its first attempt, before that attempt's time: clocks differ. */
const CARD_LOOKBACK_S = 60;

/** Parts of the post `key` already in the thread: part number → the message's ts. */
export async function partsPosted(client: webApi.WebClient, thread: SlackThread, key: string): Promise<Map<number, string>> {
  const parts = new Map<number, string>();
  await eachPage((cursor) => slackCall('conversations.replies', () => client.conversations.replies({ ...thread, include_all_metadata: true, limit: 200, ...cursor })), (messages) => {
    for (const m of messages) {
      const meta = m.metadata as { event_type?: string; event_payload?: { key?: unknown; part?: unknown } } | undefined;
      if (meta?.event_type === POST_EVENT_TYPE && meta.event_payload?.key === key && m.ts) parts.set(Number(meta.event_payload.part ?? 0), m.ts);
    }
    return false;
  });
  return parts;
}

/** The ts of the card posted for `key` in `channel` since an attempt at `since` (Unix seconds), if Slack has it. */
export async function cardPosted(client: webApi.WebClient, channel: string, key: string, since: number): Promise<string | undefined> {
  let ts: string | undefined;
  const oldest = String(since - CARD_LOOKBACK_S);
  await eachPage((cursor) => slackCall('conversations.history', () => client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200, ...cursor })), (messages) => {
    ts = messages.find((m) => m.metadata?.event_type === CARD_EVENT_TYPE && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key)?.ts;
    return ts !== undefined;
  });
  return ts;
}

interface Page<M> {
  messages?: M[];
  response_metadata?: { next_cursor?: string };
}

/** Reads up to PAGES pages, each handed to `take` until it says it has found what it looks for. */
async function eachPage<M>(read: (cursor: { cursor?: string }) => Promise<Page<M>>, take: (messages: M[]) => boolean): Promise<void> {
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const result = await read(cursor ? { cursor } : {});
    if (take(result.messages ?? [])) return;
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return;
  }
}
