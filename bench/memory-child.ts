// The memory benchmark's process: the bridge on a SQLite file store with 10,000 linked open
// tickets on the local desk. Prints one JSON line of measurements, then exits.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProvider as createLocalProvider } from '../adapters/local/index.js';
import { Bridge } from '../src/bridge.js';
import { createHttpClient } from '../src/provider-kit/http.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/index.js';
import { openInput, REQUESTER } from './fixtures.js';

const TICKETS = Number(process.argv[2] ?? 10_000);
const SEED_CONCURRENCY = 32;

function rssMb(): number {
  return process.memoryUsage().rss / 2 ** 20;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}

async function main(): Promise<void> {
  // On tmpfs where there is one: the store is the same SQLite file, seeding 10,000 tickets just
  // does not wait on the disk. RSS does not count tmpfs pages.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'tb-bench-memory-'));
  try {
    const kv = await openStore(`sqlite://${join(dir, 'tickets.sqlite')}`);
    const http = createHttpClient(silentLogger);
    const provider = createLocalProvider({ http, logger: silentLogger, kv, env: {} });
    const bridge = new Bridge({ provider, kv, logger: silentLogger, pollIntervalMs: 1_000 });
    collect();
    const emptyRss = rssMb();

    let next = 0;
    await Promise.all(
      Array.from({ length: SEED_CONCURRENCY }, async () => {
        for (let i = next++; i < TICKETS; i = next++) {
          const snapshot = await provider.createTicket(openInput(provider, i), REQUESTER);
          await bridge.service.link(snapshot, `mem:bench:${i}`, REQUESTER);
        }
      }),
    );
    const linked = (await bridge.links.openTickets()).length;

    // One full poll cycle reads every linked ticket: the relay's largest working set.
    const cycleStarted = performance.now();
    const checked = await bridge.relay.pollOnce();
    const cycleMs = performance.now() - cycleStarted;
    const peakRss = rssMb();
    bridge.start(); // and the bridge as it runs: relay loop and outbox
    await new Promise((r) => setTimeout(r, 3_000));
    collect();
    const memory = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({
        tickets: linked,
        checked,
        cycle_ms: Math.round(cycleMs),
        empty_rss_mb: emptyRss,
        peak_rss_mb: peakRss,
        rss_mb: memory.rss / 2 ** 20,
        heap_used_mb: memory.heapUsed / 2 ** 20,
        gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
      })}\n`,
    );
    await bridge.stop();
    await kv.close();
    await http.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`memory child failed: ${String(error)}\n`);
  process.exit(1);
});
