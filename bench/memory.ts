import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleChild, startChild } from './children.js';
import { round } from './stats.js';

export const MEMORY_TICKETS = 10_000;

export interface MemoryResult {
  tickets: number;
  /** RSS after GC of a bot running on 10,000 linked tickets, each read once by the relay. */
  rss_mb: number;
  /** (rss_mb − empty_rss_mb) / tickets, in KB. */
  kb_per_ticket: number;
  /** RSS right after the full poll cycle, before GC. */
  peak_rss_mb: number;
  /** RSS of the same bot on an empty store (runtime, libraries, bridge). */
  empty_rss_mb: number;
  heap_used_mb: number;
  full_cycle_ms: number;
  gc: boolean;
}

interface Measured {
  tickets: number;
  cycle_ms: number;
  peak_rss_mb: number;
  rss_mb: number;
  heap_used_mb: number;
  gc: boolean;
}

/**
 * Resident memory of the bridge (local desk, SQLite file store) with 10,000 linked open tickets
 * and with none, each in a fresh process started with --expose-gc so the figure is after
 * collection; the tickets are opened and linked beforehand by a third process.
 */
export async function benchMemory(log: (line: string) => void): Promise<MemoryResult> {
  const bundled = await bundleChild('./memory-child.ts');
  // On tmpfs where there is one: seeding does not wait on the disk, and RSS does not count tmpfs pages.
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const empty = mkdtempSync(join(root, 'tb-bench-memory-'));
  const full = mkdtempSync(join(root, 'tb-bench-memory-'));
  const run = async <T>(args: string[]): Promise<T> => {
    const child = startChild('./memory-child.ts', args, { nodeArgs: ['--expose-gc'], bundled });
    try {
      return await child.next<T>(600_000);
    } finally {
      await child.stop();
    }
  };
  try {
    await run(['seed', full, String(MEMORY_TICKETS)]);
    const none = await run<Measured>(['measure', empty]);
    const m = await run<Measured>(['measure', full]);
    const result: MemoryResult = {
      tickets: m.tickets,
      rss_mb: round(m.rss_mb, 1),
      kb_per_ticket: round(((m.rss_mb - none.rss_mb) * 1024) / m.tickets, 2),
      peak_rss_mb: round(m.peak_rss_mb, 1),
      empty_rss_mb: round(none.rss_mb, 1),
      heap_used_mb: round(m.heap_used_mb, 1),
      full_cycle_ms: m.cycle_ms,
      gc: m.gc,
    };
    log(`memory: ${result.rss_mb} MB RSS after GC with ${result.tickets} tickets, ${result.empty_rss_mb} MB with none (${result.kb_per_ticket} KB per ticket)`);
    return result;
  } finally {
    rmSync(empty, { recursive: true, force: true });
    rmSync(full, { recursive: true, force: true });
  }
}
