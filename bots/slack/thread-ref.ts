import type { ThreadRef } from '../../src/domain.js';

/** A Slack conversation: the channel and the ts of the message that starts the thread. */
export interface SlackThread {
  channel: string;
  ts: string;
}

/** `slack:<channel>:<ts>`, the ThreadRef (and card ref) the core stores for a Slack thread. */
export function threadRef(thread: SlackThread): ThreadRef {
  return `slack:${thread.channel}:${thread.ts}`;
}

/** The Slack thread a ref names, or undefined when the ref is not a Slack thread's. */
export function decodeThreadRef(ref: ThreadRef): SlackThread | undefined {
  const match = /^slack:([A-Z0-9]+):(\d+\.\d+)$/.exec(ref);
  return match ? { channel: match[1]!, ts: match[2]! } : undefined;
}

export function parseThreadRef(ref: ThreadRef): SlackThread {
  const thread = decodeThreadRef(ref);
  if (!thread) throw new Error(`not a Slack thread: ${ref}`);
  return thread;
}

/** Where a new ticket's card goes: a channel, and the requester to fall back to by DM. */
export interface SlackPlace {
  channel: string;
  user: string;
}

/** `slack-place:<channel>:<user>`, the place ref a Slack handler context carries. */
export function placeRef(place: SlackPlace): string {
  return `slack-place:${place.channel}:${place.user}`;
}

export function decodePlace(ref: string): SlackPlace | undefined {
  const match = /^slack-place:([A-Z0-9]+):([A-Z0-9]+)$/.exec(ref);
  return match ? { channel: match[1]!, user: match[2]! } : undefined;
}
