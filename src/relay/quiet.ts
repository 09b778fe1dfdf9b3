import { z } from 'zod';

/**
 * When to check a ticket whose provider cannot list what changed. A ticket with chat or agent
 * activity in the last `ACTIVE_WINDOW_MS` is checked every cycle; after that the gap between
 * checks doubles from two intervals up to `maxMs`. The state lives in the store (one small record
 * per ticket, written by whichever replica saw the activity), not in a process map.
 */
export const ACTIVE_WINDOW_MS = 10 * 60_000;

/** The last activity (chat reply, agent comment, status change, link) and the last check, in ms. */
export const QuietMark = z.object({ activeAt: z.number(), checkedAt: z.number() });
export type QuietMark = z.infer<typeof QuietMark>;

/**
 * The mark in a stored value; undefined when there is none or it does not fit. Absent is the
 * common case in a first cycle over many tickets, so it is answered before zod, which would build
 * an error (issues, message) per ticket for nothing.
 */
export function readMark(stored: unknown): QuietMark | undefined {
  if (stored === undefined) return undefined;
  const mark = QuietMark.safeParse(stored);
  return mark.success ? mark.data : undefined;
}

export const quietKey = (provider: string, ticketId: string): string => `poll:quiet:${provider}:${ticketId}`;

/** The gap between checks for a ticket quiet for `quietForMs`: 0 (every cycle) while active. */
export function quietGapMs(quietForMs: number, intervalMs: number, maxMs: number): number {
  if (quietForMs < ACTIVE_WINDOW_MS) return 0;
  const beyond = quietForMs - ACTIVE_WINDOW_MS;
  let gap = 2 * intervalMs;
  while (gap < maxMs && gap <= beyond) gap *= 2;
  return Math.min(gap, maxMs);
}

/**
 * Whether a check is due. Each ticket waits between ¾ and all of its gap, by a phase taken from
 * its id: tickets linked together would otherwise fall quiet together and come due in one cycle.
 */
export function isDue(mark: QuietMark, now: number, intervalMs: number, maxMs: number, ticketId: string): boolean {
  const gap = quietGapMs(now - mark.activeAt, intervalMs, maxMs);
  return now - mark.checkedAt >= gap * (0.75 + 0.25 * phase(ticketId));
}

/** A stable fraction in [0, 1) from the ticket id (FNV-1a). */
function phase(ticketId: string): number {
  let hash = 2166136261;
  for (let i = 0; i < ticketId.length; i++) hash = Math.imul(hash ^ ticketId.charCodeAt(i), 16777619);
  return (hash >>> 0) / 2 ** 32;
}
