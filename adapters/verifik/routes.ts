import type { Route, Routes } from '../../src/provider.js';

/**
 * Every call the adapter makes to Verifik, in one place. Marks say where each comes from:
 * [seed] the vendor's "Create a Support Ticket" page, [public] its other public pages, [assumed]
 * not published for /v2 (see docs/providers.md). Verifik's pages disagree with each other (one
 * variant has no /v2); the adapter follows the seed.
 */
const tickets = '/v2/support-tickets';
const one = (id: string): string => `${tickets}/${encodeURIComponent(id)}`;

export const routes = {
  /** `{title, description, priority, category}` → `{success, data: ticket}`. */
  create: (): Route => ({ method: 'POST', path: tickets }), // [seed]
  /** `?page&limit` → `{success, data[], pagination}`: change detection reads it whole each cycle. */
  list: (): Route => ({ method: 'GET', path: tickets }), // [public]
  /** → `{success, data: ticket}` with its threads. */
  get: (id: string): Route => ({ method: 'GET', path: one(id) }), // [public]
  /** `{message}` → `{success, data: thread}`: the other variant's route, put under /v2. */
  reply: (id: string): Route => ({ method: 'POST', path: `${one(id)}/thread` }), // [assumed]
  /** `{status: "closed" | "open"}`: close and reopen. */
  update: (id: string): Route => ({ method: 'PUT', path: one(id) }), // [assumed]
} as const satisfies Routes;
