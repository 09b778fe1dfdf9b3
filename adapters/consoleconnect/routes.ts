import type { Route, Routes } from '../../src/provider.js';

/**
 * Every call the adapter makes to Console Connect, in one place. Marks say where each comes from:
 * [seed] the vendor's published Support Tickets reference, [public] its other public docs,
 * [assumed] not published (see docs/providers.md).
 */
const tickets = '/v2/support-tickets';
const one = (id: string): string => `${tickets}/${encodeURIComponent(id)}`;

export const routes = {
  /** Create a ticket: `{name, description, issueType}` → the ticket. */
  create: (): Route => ({ method: 'POST', path: tickets }), // [seed]
  /** `?status=open|closed&page&pageSize` → a bare array of tickets. */
  list: (): Route => ({ method: 'GET', path: tickets }), // [seed]
  /** One ticket with its notes. */
  get: (id: string): Route => ({ method: 'GET', path: one(id) }), // [seed]
  /** Add a note: `{noteText}` → the whole ticket. */
  addNote: (id: string): Route => ({ method: 'POST', path: `${one(id)}/addNote` }), // [seed]
} as const satisfies Routes;

// Not used: `GET /v2/support-tickets/services` [seed] (the service picker is not offered in chat).
