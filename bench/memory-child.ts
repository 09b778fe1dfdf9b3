// The memory benchmark's processes, each on a SQLite file store with the local desk:
//   seed <dir> <n>   opens n tickets at the desk and links them, then exits (prints {"tickets": n});
//   measure <dir>    starts the bridge on what is there, runs one full poll cycle (every linked
//                    ticket read) and three seconds of the running bridge, then prints RSS after GC.
// Seeding in a process of its own keeps its burst of allocations out of the figure: a bot reaches
// 10,000 tickets over months, not in one minute.
import { join } from 'node:path';
import { createProvider as createLocalProvider } from '../adapters/local/index.js';
import { Bridge } from '../src/bridge.js';
import { createHttpClient } from '../src/provider-kit/http.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/index.js';
import { openInput, REQUESTER } from './fixtures.js';

const [mode, dir = '', count = '0'] = process.argv.slice(2);
const SEED_CONCURRENCY = 32;

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}

/** Measures (or seeds), then closes the store before printing: the parent stops this process once it has the line. */
async function main(): Promise<void> {
  const line = await run();
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function run(): Promise<Record<string, unknown>> {
  const kv = await openStore(`sqlite://${join(dir, 'tickets.sqlite')}`);
  const http = createHttpClient(silentLogger);
  const provider = createLocalProvider({ http, logger: silentLogger, kv, env: {} });
  const bridge = new Bridge({ provider, kv, logger: silentLogger, pollIntervalMs: 1_000 });
  try {
    if (mode === 'seed') {
      let next = 0;
      const total = Number(count);
      await Promise.all(
        Array.from({ length: SEED_CONCURRENCY }, async () => {
          for (let i = next++; i < total; i = next++) {
            const snapshot = await provider.createTicket(openInput(provider, i), REQUESTER);
            await bridge.service.link(snapshot, `mem:bench:${i}`, REQUESTER);
          }
        }),
      );
      return { tickets: (await bridge.links.openTickets()).length };
    }
    const tickets = (await bridge.links.openTickets()).length;
    // One full poll cycle reads every linked ticket: the relay's largest working set.
    const cycleStarted = performance.now();
    await bridge.relay.pollOnce();
    const cycleMs = performance.now() - cycleStarted;
    const peakRss = process.memoryUsage().rss;
    bridge.start(); // and the bridge as it runs: relay loop and outbox
    await new Promise((r) => setTimeout(r, 3_000));
    collect();
    const memory = process.memoryUsage();
    return {
      tickets,
      cycle_ms: Math.round(cycleMs),
      peak_rss_mb: peakRss / 2 ** 20,
      rss_mb: memory.rss / 2 ** 20,
      heap_used_mb: memory.heapUsed / 2 ** 20,
      gc: typeof (globalThis as { gc?: unknown }).gc === 'function',
    };
  } finally {
    await bridge.stop();
    await kv.close();
    await http.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`memory child failed: ${String(error)}\n`);
  process.exit(1);
});
