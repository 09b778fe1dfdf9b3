import { z } from 'zod';
import type { Logger } from '../logger.js';
import { parseJson } from './adapter-kit.js';

/**
 * The high-water-mark walk for vendors that list tickets by update time, newest first. Adapters
 * bring their own paging (`fetchPage`) and their own cursor (a `Mark` in, a `Mark` out); the walk
 * decides what changed and where the new mark stands.
 */

/** A ticket of the list, as far as the walk cares: its id and its update time as the vendor wrote it. */
export interface StampedTicket {
  id: string;
  updatedAt: string | null | undefined;
}

/** One page of the list; `next` is the following page's token, undefined on the last page. */
export interface ListPage<T> {
  items: StampedTicket[];
  next: T | undefined;
}

export interface WalkOptions<T> {
  /** The mark of the previous walk, undefined on the first (or when the stored cursor was unreadable). */
  mark: Mark | undefined;
  knownOpen: readonly string[];
  /** The token of the first page (a page number 1, an absent page token). */
  first: T;
  /** A page of the list, newest change first. */
  fetchPage: (token: T) => Promise<ListPage<T>>;
  /** A walk longer than this falls back to the followed tickets. */
  maxPages: number;
  logger: Logger;
  /** Named in log lines. */
  provider: string;
  /** The local clock in ms; Date.now unless a test sets it. */
  now?: () => number;
}

/**
 * How long after we first see a mark its tickets are still re-read. When we observed stamp T the
 * vendor's clock already read at least T, so the vendor's second T ends at most 1 s of elapsed
 * time later, whatever our clock says the time is: only elapsed time on our own clock is compared,
 * never our clock against the vendor's. The extra 500 ms covers request latency and a write that
 * is stamped a moment before the list can show it.
 */
export const SETTLE_MS = 1_500;

/**
 * The high-water mark: the newest update time seen (`at`, ms), the tickets stamped with it, when
 * this process's clock first saw that time (`seenAt`, ms; undefined when the cursor it came from
 * did not say), and whether a re-read has happened after the settle window. Adapters store it in
 * their cursor and hand it back decoded; the walk never reads a cursor itself.
 */
export interface Mark {
  at: number;
  ids: string[];
  seenAt: number | undefined;
  settled: boolean;
}

/** What the walk found: the tickets to re-read, and the mark to store for the next walk. */
export interface WalkResult {
  ticketIds: string[];
  mark: Mark;
}

const Stored = z.object({ at: z.iso.datetime(), ids: z.array(z.string()), seenAt: z.number(), settled: z.boolean() });

/** A mark as cursor text: JSON `{at: ISO time, ids, seenAt: local ms, settled}`. */
export function encodeMark(mark: Mark): string {
  const ids = [...new Set(mark.ids)].sort();
  return JSON.stringify({ at: new Date(mark.at).toISOString(), ids, seenAt: mark.seenAt ?? 0, settled: mark.settled });
}

/** The mark `encodeMark` wrote; undefined for anything else (an adapter's older cursor, say). */
export function decodeMark(cursor: string | undefined): Mark | undefined {
  if (cursor === undefined || !cursor.startsWith('{')) return undefined;
  const stored = Stored.safeParse(parseJson(cursor));
  return stored.success ? { ...stored.data, at: Date.parse(stored.data.at) } : undefined;
}

/**
 * Walks the list newest first down to the mark; returns what changed and the next mark. Vendors
 * stamp to the second, so a ticket can change again within the mark's second without its stamp
 * moving: until a poll starts after `seenAt + SETTLE_MS`, every poll re-reports the mark's
 * tickets (the relay re-reads them and posts only what it has not seen). That late poll is the
 * last re-read; idle polls after it cost the one list call.
 */
export async function walkUpdated<T>(options: WalkOptions<T>): Promise<WalkResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const { mark } = options;
  if (!mark) {
    // First run (or a cursor the adapter could not read): follow what the bot knows, remember the top.
    const page = await options.fetchPage(options.first);
    const top = page.items.reduce(raise, { at: 0, ids: [] });
    return { ticketIds: [...new Set(options.knownOpen)], mark: { ...top, seenAt: now(), settled: false } };
  }

  const changed = new Set<string>();
  let high = { at: mark.at, ids: [...mark.ids] };
  let token = options.first;
  for (let pages = 0; ; pages++) {
    if (pages === options.maxPages) {
      // Too much changed to walk cheaply; the tickets the bot follows are what matters.
      options.logger.warn('update walk cut short; re-checking followed tickets', { provider: options.provider, pages });
      for (const id of options.knownOpen) changed.add(id);
      break;
    }
    const page = await options.fetchPage(token);
    let passedMark = false;
    for (const item of page.items) {
      const at = Date.parse(item.updatedAt ?? '');
      // No readable time: report it (one cheap read) rather than risk missing a change.
      if (Number.isNaN(at) || at > mark.at || (at === mark.at && !mark.ids.includes(item.id))) changed.add(item.id);
      if (at < mark.at) passedMark = true;
      high = raise(high, item);
    }
    // Stop at the mark only when the page really is sorted; a list in another order is walked on.
    if (passedMark && newestFirst(page.items)) break;
    if (passedMark) options.logger.warn('ticket list not sorted by update time; walking on', { provider: options.provider });
    if (page.next === undefined) break;
    token = page.next;
  }

  // The mark's tickets are re-read after what the list shows changed: those reads are paced under
  // the vendor's limit in this order, and a re-read rarely finds anything new.
  if (!mark.settled) for (const id of mark.ids) changed.add(id);
  if (high.at > mark.at) return { ticketIds: [...changed], mark: { ...high, seenAt: now(), settled: false } };
  // Same mark. A clock set back must not stretch the window: the real sighting was earlier still.
  const seenAt = mark.seenAt === undefined ? started : Math.min(mark.seenAt, started);
  // This walk's re-reads come after `started`; once that is past the window they were the last.
  const settled = mark.settled || mark.seenAt === undefined || started > mark.seenAt + SETTLE_MS;
  return { ticketIds: [...changed], mark: { ...high, seenAt, settled } };
}

function raise(high: Pick<Mark, 'at' | 'ids'>, item: StampedTicket): Pick<Mark, 'at' | 'ids'> {
  const at = Date.parse(item.updatedAt ?? '');
  if (Number.isNaN(at) || at < high.at) return high;
  if (at > high.at) return { at, ids: [item.id] };
  return high.ids.includes(item.id) ? high : { at, ids: [...high.ids, item.id] };
}

function newestFirst(items: readonly StampedTicket[]): boolean {
  const times = items.map((i) => Date.parse(i.updatedAt ?? '')).filter((t) => !Number.isNaN(t));
  return times.every((t, i) => i === 0 || t <= times[i - 1]!);
}
