import type { Logger } from '../../src/logger.js';
import type { UpdatedTickets } from '../../src/provider.js';

/**
 * The high-water-mark walk over a list sorted by update time, newest first. The cursor is
 * `<ISO time>|<ids stamped at that time>`: remembering the ids at the mark lets a ticket updated
 * in the same second as the mark count as new without re-reporting the ones already seen.
 */
export interface StampedTicket {
  id: string;
  updatedAt: string | undefined;
}

export interface ListPage<T> {
  items: StampedTicket[];
  /** The token of the following page; undefined on the last one. */
  next: T | undefined;
}

export interface WalkOptions<T> {
  cursor: string | undefined;
  knownOpen: readonly string[];
  first: T;
  fetchPage: (token: T) => Promise<ListPage<T>>;
  maxPages: number;
  logger?: Logger;
}

interface Mark {
  at: number;
  ids: Set<string>;
}

const EPOCH: Mark = { at: 0, ids: new Set() };

export function encodeCursor(mark: Mark): string {
  return `${new Date(mark.at).toISOString()}|${[...mark.ids].sort().join(',')}`;
}

export function decodeCursor(cursor: string): Mark | undefined {
  const [stamp = '', ids = ''] = cursor.split('|');
  const at = Date.parse(stamp);
  return Number.isNaN(at) ? undefined : { at, ids: new Set(ids.split(',').filter(Boolean)) };
}

export async function walkUpdated<T>(options: WalkOptions<T>): Promise<UpdatedTickets> {
  const mark = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  if (!mark) {
    // First run (or a cursor we cannot read): follow what the bot knows, remember the top.
    const page = await options.fetchPage(options.first);
    const high = page.items.reduce(raise, { at: EPOCH.at, ids: new Set<string>() });
    return { ticketIds: [...new Set(options.knownOpen)], cursor: encodeCursor(high) };
  }

  const changed = new Set<string>();
  let high: Mark = { at: mark.at, ids: new Set(mark.ids) };
  let token: T | undefined = options.first;
  for (let pages = 0; token !== undefined; pages++) {
    if (pages === options.maxPages) {
      // Too much changed to walk cheaply; the tickets the bot follows are what matters.
      options.logger?.warn('update walk cut short; re-checking followed tickets', { pages });
      for (const id of options.knownOpen) changed.add(id);
      break;
    }
    const page: ListPage<T> = await options.fetchPage(token);
    let passedMark = false;
    for (const item of page.items) {
      const at = Date.parse(item.updatedAt ?? '');
      // No readable time: report it (cheap) rather than risk missing a change.
      if (Number.isNaN(at) || at > mark.at || (at === mark.at && !mark.ids.has(item.id))) changed.add(item.id);
      if (at < mark.at) passedMark = true;
      high = raise(high, item);
    }
    // Stop at the mark only when the page is really sorted; a vendor ignoring the order gets walked.
    if (passedMark && newestFirst(page.items)) break;
    if (passedMark) options.logger?.warn('ticket list not sorted by update time; walking on');
    token = page.next;
  }
  return { ticketIds: [...changed], cursor: encodeCursor(high) };
}

function raise(high: Mark, item: StampedTicket): Mark {
  const at = Date.parse(item.updatedAt ?? '');
  if (Number.isNaN(at) || at < high.at) return high;
  if (at > high.at) return { at, ids: new Set([item.id]) };
  high.ids.add(item.id);
  return high;
}

function newestFirst(items: readonly StampedTicket[]): boolean {
  const times = items.map((i) => Date.parse(i.updatedAt ?? '')).filter((t) => !Number.isNaN(t));
  return times.every((t, i) => i === 0 || t <= times[i - 1]!);
}
