import { z } from 'zod';
import type { Logger } from '../../src/logger.js';
import type { UpdatedTickets } from '../../src/provider.js';

/** A ticket of the list, as far as the walk cares. */
export interface Stamped {
  id: string;
  updateDate?: string | null | undefined;
}

export interface Page {
  tickets: Stamped[];
  /** Undefined on the last page. */
  next: string | undefined;
}

export interface WalkOptions {
  cursor: string | undefined;
  knownOpen: readonly string[];
  /** A page of the list, newest change first; `token` is undefined for the first page. */
  fetchPage: (token: string | undefined) => Promise<Page>;
  maxPages: number;
  logger: Logger;
}

/**
 * The high-water mark: the newest update time seen, the tickets stamped with it, and whether a
 * poll has passed since it was set. Spacebring stamps to the second, so a ticket can change again
 * within the mark's second without its stamp moving; the first poll after a new mark therefore
 * re-reports the mark's tickets once ("unsettled"), by which time that second is over (polls are
 * at least a second apart). Idle polls after that cost the one list call.
 */
const Mark = z.object({ at: z.number(), ids: z.array(z.string()), settled: z.boolean() });
type Mark = z.infer<typeof Mark>;

export function encodeCursor(mark: Mark): string {
  return JSON.stringify({ ...mark, ids: [...new Set(mark.ids)].sort() });
}

export function decodeCursor(cursor: string | undefined): Mark | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed = Mark.safeParse(JSON.parse(cursor));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Walks the list newest first down to the mark; returns what changed and the next cursor. */
export async function walkUpdated(options: WalkOptions): Promise<UpdatedTickets> {
  const mark = decodeCursor(options.cursor);
  if (!mark) {
    // First run (or a cursor we cannot read): follow what the bot knows, remember the top.
    const page = await options.fetchPage(undefined);
    const top = page.tickets.reduce(raise, { at: 0, ids: [], settled: false });
    return { ticketIds: [...new Set(options.knownOpen)], cursor: encodeCursor(top) };
  }

  const changed = new Set<string>();
  let high: Mark = { ...mark, ids: [...mark.ids] };
  let token: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages === options.maxPages) {
      // Too much changed to walk cheaply; the tickets the bot follows are what matters.
      options.logger.warn('spacebring update walk cut short; re-checking followed tickets', { pages });
      for (const id of options.knownOpen) changed.add(id);
      break;
    }
    const page = await options.fetchPage(token);
    let passedMark = false;
    for (const item of page.tickets) {
      const at = Date.parse(item.updateDate ?? '');
      // No readable time: report it (one cheap read) rather than risk missing a change.
      const atMark = at === mark.at && (!mark.settled || !mark.ids.includes(item.id));
      if (Number.isNaN(at) || at > mark.at || atMark) changed.add(item.id);
      if (at < mark.at) passedMark = true;
      high = raise(high, item);
    }
    // Stop at the mark only when the page really is sorted; a list in another order is walked on.
    if (passedMark && newestFirst(page.tickets)) break;
    if (passedMark) options.logger.warn('spacebring ticket list not sorted by update time; walking on');
    if (page.next === undefined) break;
    token = page.next;
  }
  // No newer stamp this time: the mark's second is behind us, its tickets have been re-read.
  if (high.at === mark.at) high = { ...high, settled: true };
  return { ticketIds: [...changed], cursor: encodeCursor(high) };
}

function raise(high: Mark, item: Stamped): Mark {
  const at = Date.parse(item.updateDate ?? '');
  if (Number.isNaN(at) || at < high.at) return high;
  if (at > high.at) return { at, ids: [item.id], settled: false };
  return { ...high, ids: high.ids.includes(item.id) ? high.ids : [...high.ids, item.id] };
}

function newestFirst(items: readonly Stamped[]): boolean {
  const times = items.map((i) => Date.parse(i.updateDate ?? '')).filter((t) => !Number.isNaN(t));
  return times.every((t, i) => i === 0 || t <= times[i - 1]!);
}
