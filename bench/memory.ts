import { bundleChild, startChild } from './children.js';
import { round } from './stats.js';

export const MEMORY_TICKETS = 10_000;

export interface MemoryResult {
  tickets: number;
  /** RSS after GC with the bridge running, every ticket linked and read once by the relay. */
  rss_mb: number;
  /** (rss_mb − empty_rss_mb) / tickets, in KB. */
  kb_per_ticket: number;
  /** RSS right after the full poll cycle, before GC. */
  peak_rss_mb: number;
  /** RSS of the same process before any ticket existed (runtime, libraries, empty store). */
  empty_rss_mb: number;
  heap_used_mb: number;
  full_cycle_ms: number;
  gc: boolean;
}

/**
 * Resident memory of the bridge with 10,000 linked open tickets (local desk, SQLite file store),
 * in a child process started with --expose-gc so the figure is after collection.
 */
export async function benchMemory(log: (line: string) => void): Promise<MemoryResult> {
  const bundled = await bundleChild('./memory-child.ts');
  const child = startChild('./memory-child.ts', [String(MEMORY_TICKETS)], { nodeArgs: ['--expose-gc'], bundled });
  try {
    const m = await child.next<{
      tickets: number;
      cycle_ms: number;
      empty_rss_mb: number;
      peak_rss_mb: number;
      rss_mb: number;
      heap_used_mb: number;
      gc: boolean;
    }>(180_000);
    const result: MemoryResult = {
      tickets: m.tickets,
      rss_mb: round(m.rss_mb, 1),
      kb_per_ticket: round(((m.rss_mb - m.empty_rss_mb) * 1024) / m.tickets, 2),
      peak_rss_mb: round(m.peak_rss_mb, 1),
      empty_rss_mb: round(m.empty_rss_mb, 1),
      heap_used_mb: round(m.heap_used_mb, 1),
      full_cycle_ms: m.cycle_ms,
      gc: m.gc,
    };
    log(`memory: ${result.rss_mb} MB RSS after GC with ${result.tickets} tickets (peak ${result.peak_rss_mb} MB)`);
    return result;
  } finally {
    await child.stop();
  }
}
