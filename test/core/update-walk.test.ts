import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { SETTLE_MS, decodeMark, encodeMark, walkUpdated, type ListPage, type Mark } from '../../src/provider-kit/update-walk.js';

const stamp = (s: number) => `2030-01-01T00:00:${String(s).padStart(2, '0')}Z`;
const second = (s: number) => Date.parse(stamp(s));
type Row = [id: string, s: number | undefined];

/**
 * A vendor list in memory: `set` replaces its pages (newest change first), `fetched` records each
 * page asked for, `warnings` what the walk logged, and `clock` is the local time the walk reads.
 */
function vendor(...list: Row[][]) {
  let pages = list;
  const fetched: number[] = [];
  const warnings: string[] = [];
  const clock = { ms: 1_000_000 };
  const logger: Logger = { debug: () => {}, info: () => {}, warn: (msg) => void warnings.push(msg), error: () => {} };
  const fetchPage = (page: number): Promise<ListPage<number>> => {
    fetched.push(page);
    const items = (pages[page] ?? []).map(([id, s]) => ({ id, updatedAt: s === undefined ? undefined : stamp(s) }));
    return Promise.resolve({ items, next: page + 1 < pages.length ? page + 1 : undefined });
  };
  const walkMark = (mark: Mark | undefined, maxPages = 10) =>
    walkUpdated({ mark, knownOpen: ['k'], first: 0, fetchPage, maxPages, logger, provider: 'test', now: () => clock.ms });
  /** A walk from a stored cursor to the next one, as an adapter runs it. */
  const walk = async (cursor: string | undefined, maxPages = 10) => {
    const { ticketIds, mark } = await walkMark(decodeMark(cursor), maxPages);
    return { ticketIds, cursor: encodeMark(mark) };
  };
  return {
    fetched,
    warnings,
    clock,
    walk,
    walkMark,
    set: (...next: Row[][]) => void (pages = next),
  };
}

/** A mark at second `s`, long settled. */
const settledAt = (s: number, ids: string[]) => encodeMark({ at: second(s), ids, seenAt: 0, settled: true });

describe('update walk', () => {
  it('reports a second change in the mark second, written after the poll that read the first', async () => {
    const desk = vendor([['a', 10], ['z', 5]]);
    const first = await desk.walk(settledAt(5, ['z']));
    expect(first.ticketIds).toEqual(['a']);
    // Support writes again on `a` within second 10: its stamp does not move.
    desk.clock.ms += 100;
    const second = await desk.walk(first.cursor);
    expect(second.ticketIds).toEqual(['a']);
  });

  it('lists what changed since the mark before the mark tickets it re-reads, so those reads go first under the limit', async () => {
    const desk = vendor([['a', 10], ['z', 5]]);
    const first = await desk.walk(settledAt(5, ['z']));
    desk.clock.ms += 100;
    desk.set([['b', 11], ['a', 10], ['z', 5]]);
    expect((await desk.walk(first.cursor)).ticketIds).toEqual(['b', 'a']);
  });

  it('re-reads the mark on every poll inside the window, once more after it, then idles on one page', async () => {
    const desk = vendor([['a', 10], ['z', 5]]);
    let cursor = (await desk.walk(settledAt(5, ['z']))).cursor;
    const seenAt = desk.clock.ms;
    for (let ms = 100; ms <= SETTLE_MS; ms += 100) {
      desk.clock.ms = seenAt + ms;
      const poll = await desk.walk(cursor);
      expect(poll.ticketIds).toEqual(['a']);
      cursor = poll.cursor;
    }
    desk.clock.ms = seenAt + SETTLE_MS + 1;
    const last = await desk.walk(cursor);
    expect(last.ticketIds).toEqual(['a']);
    expect(decodeMark(last.cursor)).toEqual({ at: second(10), ids: ['a'], seenAt, settled: true });
    desk.clock.ms += 100;
    desk.fetched.length = 0;
    const idle = await desk.walk(last.cursor);
    expect(idle.ticketIds).toEqual([]);
    expect(desk.fetched).toEqual([0]);
    expect(idle.cursor).toBe(last.cursor);
  });

  it('re-reads once when polls are further apart than the window, since the last read may have been inside it', async () => {
    const desk = vendor([['a', 10]]);
    const first = await desk.walk(settledAt(5, []));
    desk.clock.ms += 5_000;
    const next = await desk.walk(first.cursor);
    expect(next.ticketIds).toEqual(['a']);
    desk.clock.ms += 5_000;
    expect((await desk.walk(next.cursor)).ticketIds).toEqual([]);
  });

  it('starts the window again at a newer mark, and still re-reads the mark it leaves if that was unsettled', async () => {
    const desk = vendor([['a', 10]]);
    const atTen = await desk.walk(settledAt(5, []));
    desk.clock.ms += 200;
    desk.set([['b', 12], ['a', 10]]);
    const atTwelve = await desk.walk(atTen.cursor);
    expect(atTwelve.ticketIds.sort()).toEqual(['a', 'b']);
    expect(decodeMark(atTwelve.cursor)).toEqual({ at: second(12), ids: ['b'], seenAt: desk.clock.ms, settled: false });
    // Past the first mark's window but inside the new one's: only the new mark is re-read.
    desk.clock.ms += SETTLE_MS;
    expect((await desk.walk(atTwelve.cursor)).ticketIds).toEqual(['b']);
  });

  it('reports a ticket newly stamped in a settled mark second once, and not the ones already seen there', async () => {
    const desk = vendor([['b', 10], ['a', 10], ['c', 9]]);
    const result = await desk.walk(settledAt(10, ['a']));
    expect(result.ticketIds).toEqual(['b']);
    expect(decodeMark(result.cursor)).toMatchObject({ ids: ['a', 'b'], settled: true });
    expect((await desk.walk(result.cursor)).ticketIds).toEqual([]);
  });

  it('follows what the bot knows on a first run, and re-reads the top it remembered', async () => {
    const desk = vendor([['a', 10], ['b', 10], ['c', 3]]);
    const first = await desk.walk(undefined);
    expect(first.ticketIds).toEqual(['k']);
    expect(decodeMark(first.cursor)).toEqual({ at: second(10), ids: ['a', 'b'], seenAt: desk.clock.ms, settled: false });
    desk.clock.ms += 100;
    expect((await desk.walk(first.cursor)).ticketIds).toEqual(['a', 'b']);
    expect((await desk.walk('not a cursor')).ticketIds).toEqual(['k']);
  });

  it("re-reads once the mark of an adapter's older cursor, which does not say when it was first seen", async () => {
    const desk = vendor([['b', 10], ['a', 10], ['z', 2]]);
    const once = await desk.walkMark({ at: second(10), ids: ['a'], seenAt: undefined, settled: false });
    expect(once.ticketIds.sort()).toEqual(['a', 'b']);
    expect(once.mark).toEqual({ at: second(10), ids: ['a', 'b'], seenAt: desk.clock.ms, settled: true });
    expect((await desk.walk(encodeMark(once.mark))).ticketIds).toEqual([]);
  });

  it('reads only the cursor form it writes; anything else is a first run', () => {
    const mark = { at: second(10), ids: ['b', 'a', 'a'], seenAt: 5, settled: true };
    expect(decodeMark(encodeMark(mark))).toEqual({ ...mark, ids: ['a', 'b'] });
    expect(decodeMark(`${stamp(10)}|a,b`)).toBeUndefined();
    expect(decodeMark(JSON.stringify({ at: second(10), ids: ['a'], settled: true }))).toBeUndefined();
    expect(decodeMark(undefined)).toBeUndefined();
  });

  it('does not let a clock set back stretch the window past its length', async () => {
    const desk = vendor([['a', 10]]);
    const first = await desk.walk(settledAt(5, []));
    desk.clock.ms -= 60_000;
    const back = await desk.walk(first.cursor);
    expect(back.ticketIds).toEqual(['a']);
    expect(decodeMark(back.cursor)?.seenAt).toBe(desk.clock.ms);
    desk.clock.ms += SETTLE_MS + 1;
    expect(decodeMark((await desk.walk(back.cursor)).cursor)?.settled).toBe(true);
  });

  it('stops at the first sorted page that reaches below the mark', async () => {
    const desk = vendor([['e', 59], ['d', 55]], [['c', 52], ['a', 50], ['b', 40]], [['never', 10]]);
    const result = await desk.walk(settledAt(50, ['a']));
    expect(result.ticketIds).toEqual(['e', 'd', 'c']);
    expect(desk.fetched).toEqual([0, 1]);
    expect(decodeMark(result.cursor)).toMatchObject({ at: second(59), ids: ['e'], settled: false });
    expect(desk.warnings).toEqual([]);
  });

  it('walks on through a page that is not sorted, with a warning', async () => {
    const desk = vendor([['old', 1], ['new', 20]], [['later', 15]]);
    const result = await desk.walk(settledAt(10, []));
    expect(result.ticketIds).toEqual(['new', 'later']);
    expect(desk.fetched).toEqual([0, 1]);
    expect(desk.warnings).toEqual(['ticket list not sorted by update time; walking on']);
    expect(decodeMark(result.cursor)).toMatchObject({ at: second(20), ids: ['new'] });
  });

  it('falls back to the followed tickets past the page cap, with a warning', async () => {
    const desk = vendor([['x', 40]], [['y', 39]], [['z', 38]]);
    const result = await desk.walk(settledAt(1, []), 2);
    expect(desk.fetched).toEqual([0, 1]);
    expect(result.ticketIds.sort()).toEqual(['k', 'x', 'y']);
    expect(desk.warnings).toEqual(['update walk cut short; re-checking followed tickets']);
  });

  it('reports a ticket whose update time cannot be read, and keeps the mark', async () => {
    const desk = vendor([['a', 12], ['blank', undefined], ['b', 9]]);
    const result = await desk.walk(settledAt(10, []));
    expect(result.ticketIds).toEqual(['a', 'blank']);
    expect(decodeMark(result.cursor)).toMatchObject({ at: second(12), ids: ['a'] });
  });
});
