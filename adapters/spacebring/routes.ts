import { memoryLimiters, type Limiters, type Pacer, type RateLimit } from '../../src/limits.js';
import type { Route, Routes } from '../../src/provider.js';

/**
 * Every call the adapter makes to Spacebring, and every field it relies on that is not in the
 * seed, in one place. Marks: [seed] the vendor's "Create a ticket" page, [public] its other API
 * reference pages, [assumed] published nowhere we could find (see docs/providers.md). A vendor
 * confirmation is then a one-line change here.
 */
const tickets = '/support/tickets/v1';
const one = (id: string): string => `${tickets}/${encodeURIComponent(id)}`;

export const routes = {
  /** `{ticket: {locationRef, text, type, userRefRequester?}}` → 201 `{ticket, activities[]}`. */
  create: (): Route => ({ method: 'POST', path: tickets }), // [seed] (+ `type` [public])
  /** `?locationRef&limit&order&nextPageToken` → `{tickets[], nextPageToken}`. */
  list: (): Route => ({ method: 'GET', path: tickets }), // [public]
  /** → `{ticket, activities[]}`: the conversation comes inside the ticket. */
  get: (id: string): Route => ({ method: 'GET', path: one(id) }), // [public]
  /** `{activity: {ticketRef, text}}` → 201 `{activity}`; the ticket is named in the body. */
  comment: (): Route => ({ method: 'POST', path: `${tickets}/comment` }), // [public]
  /** `{ticket: {status}}` → `{activity, ticket}`: close and reopen. */
  status: (id: string): Route => ({ method: 'PUT', path: `${one(id)}/status` }), // [public]
} as const satisfies Routes;

export const wire = {
  /** Names the network with a bearer token; "required when using bearer token authentication" [seed]. */
  networkHeader: 'spacebring-network-id', // [public] (the seed describes it without its name)
  /** The list's sort for polling, newest change first. */
  newestFirst: 'updateDate:desc', // [public]
  /** Status a closed ticket is reopened to; the vendor documents no "reopen" as such. */
  reopenStatus: 'inProgress', // [assumed]
  closeStatus: 'closed', // [public]
  /**
   * Origin of an activity that names no actor (no `membership`, no `lemAI`): an API client wrote
   * it, the bot or another integration that may sit on either side, so it is held, never relayed.
   */
  actorlessOrigin: 'unknown', // [assumed]
  /**
   * Status of a ticket whose answer has no `status` (the seed's example has none) and no
   * `statusUpdated` activity to read it from: a ticket nobody has touched yet.
   */
  initialStatus: 'new', // [assumed]
} as const;

/** The list's `limit` is 1..100 [public]; one page is the whole idle cost of a poll. */
export const LIST_PAGE_SIZE = 50;
/** A walk longer than this falls back to re-reading the open tickets the bot follows. */
export const LIST_MAX_PAGES = 10;

/**
 * Spacebring answers 429 above 10 requests/s [public]; every call, read or write, takes a token.
 * In process: one token per 110 ms, no burst (a burst bucket of 10 could still put 19 calls in one
 * sliding second; the 10 ms margin absorbs network jitter between our clock and theirs). Shared
 * by replicas in Redis: 5 per fixed second, so any sliding second holds at most 10.
 */
export const SPACEBRING_LIMIT: RateLimit = { name: 'spacebring', inProcess: { capacity: 1, perMs: 110 }, shared: { points: 5, seconds: 1 } };

export function spacebringLimiter(limiters: Limiters = memoryLimiters()): () => Pacer {
  const pacer = limiters.pacer(SPACEBRING_LIMIT);
  return () => pacer;
}
