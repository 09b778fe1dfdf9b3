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
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const result = await slackCall('conversations.replies', () => client.conversations.replies({ ...thread, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }));
    for (const m of result.messages ?? []) {
      const meta = m.metadata as { event_type?: string; event_payload?: { key?: unknown; part?: unknown } } | undefined;
      if (meta?.event_type === POST_EVENT_TYPE && meta.event_payload?.key === key && m.ts) parts.set(Number(meta.event_payload.part ?? 0), m.ts);
    }
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!result.has_more || !cursor) break;
  }
  return parts;
}

/** The ts of the card posted for `key` in `channel` since an attempt at `since` (Unix seconds), if Slack has it. */
export async function cardPosted(client: webApi.WebClient, channel: string, key: string, since: number): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < PAGES; page++) {
    const result = await slackCall('conversations.history', () =>
      client.conversations.history({ channel, oldest: String(since - CARD_LOOKBACK_S), include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }),
    );
    const card = result.messages?.find((m) => m.metadata?.event_type === CARD_EVENT_TYPE && (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key);
    if (card?.ts) return card.ts;
    cursor = result.response_metadata?.next_cursor || undefined;
    if (!cursor) return undefined;
  }
  return undefined;
}
