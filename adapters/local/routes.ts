import type { Routes } from '../../src/provider.js';

/**
 * The local desk calls no vendor: its tickets and comments live in the bot's own store, under the
 * keys `desk.ts` names. The empty table keeps the folder's exports the same as every adapter's.
 */
export const routes = {} as const satisfies Routes;
