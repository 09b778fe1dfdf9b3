import type { TicketStatus } from '../../src/domain.js';
import type { Route, Routes } from '../../src/provider.js';

/**
 * Every call the adapter makes, and every vendor word it had to guess, in one place. The seed
 * names operations and parameters but no paths: the list and comment-list paths are [public], the
 * rest follow their pattern and are [assumed], so a confirmed path is a one-line change here.
 * Paths are relative to SELECTEL_BASE_URL, which already ends in /support.
 */
const ticket = (number: string): string => `/tickets/${encodeURIComponent(number)}`;

export const routes = {
  /** v1.2 create: every required field of the seed, answered with the v1.2 ticket shape. */
  createTicket: (): Route => ({ method: 'POST', path: '/tickets' }), // [assumed]
  /** `sort_by`, `sort_by_order`, `page`, `items_per_page` [seed] → `{items, items_per_page, page}`. */
  listTickets: (): Route => ({ method: 'GET', path: '/tickets' }), // [public]
  getTicket: (n: string): Route => ({ method: 'GET', path: ticket(n) }), // [assumed]
  listComments: (n: string): Route => ({ method: 'GET', path: `${ticket(n)}/comments` }), // [public]
  addComment: (n: string): Route => ({ method: 'POST', path: `${ticket(n)}/comments` }), // [assumed]
  /** Answers with the old ticket shape [seed]. */
  closeTicket: (n: string): Route => ({ method: 'POST', path: `${ticket(n)}/close` }), // [assumed]
  /** Answers with the old ticket shape [seed]. */
  reopenTicket: (n: string): Route => ({ method: 'POST', path: `${ticket(n)}/reopen` }), // [assumed]
  rateTicket: (n: string): Route => ({ method: 'POST', path: `${ticket(n)}/vote` }), // [assumed]
  /** "List categories": `sort_by`, `sort_by_order`, `is_only_active` [seed]; path [public]. */
  listCategories: (): Route => ({ method: 'GET', path: '/categories' }),
} as const satisfies Routes;

/** Which paced bucket a write draws from; reads have no published limit. */
export function pacedAs(method: string, path: string): 'tickets' | 'comments' | undefined {
  if (method !== 'POST') return undefined;
  if (path === routes.createTicket().path) return 'tickets';
  // Reopening writes a comment (its `body` becomes the reopening comment), so it counts as one.
  if (/^\/tickets\/[^/]+\/(comments|reopen)$/.test(path)) return 'comments';
  return undefined;
}

/**
 * Status keys. The seed shows only `in_progress` (v1.2 `status`, old `status_key`); the others
 * are [assumed] from the vendor's panel wording. An unknown key goes to the closest neutral status
 * (`toStatus` in map.ts) and is shown to people verbatim as the vendor status, so a wrong guess
 * stays visible.
 */
export const STATUS_KEYS: Readonly<Record<string, TicketStatus>> = {
  new: 'open', // [assumed]
  open: 'open', // [assumed]
  reopened: 'open', // [assumed]
  in_progress: 'in_progress', // [seed]
  await_client: 'waiting', // [assumed]
  resolved: 'resolved', // [assumed]
  closed: 'closed', // [assumed]
};

/** Tickets per list page while polling: one page is the whole idle cost of a cycle. */
export const LIST_PAGE_SIZE = 50;
/** A walk longer than this falls back to re-checking the open tickets the bot follows. */
export const LIST_MAX_PAGES = 10;
