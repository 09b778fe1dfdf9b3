import { z } from 'zod';
import type { UpdatedTickets } from '../provider.js';
import { parseJson } from './adapter-kit.js';

/**
 * Change detection for vendors that list tickets but cannot filter or sort them by update time:
 * one (paged) list call per cycle, and a digest per followed ticket of what the list shows
 * (update time, comment count, status). Only tickets whose digest moved are re-read. The digests
 * of the followed tickets are the cursor, so they live in the store, not in the process.
 */

/** A ticket of the list as the walk cares: its id and the digest of what the list says of it. */
export interface ListedTicket {
  id: string;
  /** Text that changes when the ticket does; undefined when the item says too little to tell. */
  digest: string | undefined;
}

const Cursor = z.object({ digests: z.record(z.string(), z.string()) });

/** Where a followed ticket is missing from the list (closed, deleted, filtered out). */
const ABSENT = '-';

/**
 * Compares the list with the digests in `cursor`. A followed ticket is re-read when it is new to
 * the cursor (first run, newly linked), when its digest moved, when the list no longer shows it
 * (once), or when its list item says too little (every time: a missed comment is worse than a GET).
 */
export function compareDigests(cursor: string | undefined, knownOpen: readonly string[], listed: readonly ListedTicket[]): UpdatedTickets {
  const before = Cursor.safeParse(cursor === undefined ? undefined : parseJson(cursor));
  const old = before.success ? before.data.digests : {};
  const now = new Map(listed.map((t) => [t.id, t.digest]));
  const digests: Record<string, string> = {};
  const changed: string[] = [];
  for (const id of new Set(knownOpen)) {
    const digest = now.has(id) ? now.get(id) : ABSENT;
    if (digest === undefined || old[id] !== digest) changed.push(id);
    if (digest !== undefined) digests[id] = digest;
  }
  return { ticketIds: changed, cursor: JSON.stringify({ digests }) };
}

/**
 * Reads every page of a list: `fetchPage(n)` for n = 1, 2, … until a page says it is the last,
 * at most `maxPages` (a runaway list is cut rather than walked forever; what it missed reads as absent).
 */
export async function allPages<T>(fetchPage: (page: number) => Promise<{ items: T[]; last: boolean }>, maxPages: number): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= maxPages; page++) {
    const answer = await fetchPage(page);
    items.push(...answer.items);
    if (answer.last) break;
  }
  return items;
}
