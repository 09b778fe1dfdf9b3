// The memory benchmark's seeder: `<dir> <n>` opens n tickets at the local desk in a SQLite file
// store in dir and links them as opening from chat does, then prints {"tickets": n}. The bot is
// measured afterwards in a process of its own (bench/memory.ts), so this burst of allocations is
// not in the figure: a bot reaches 10,000 tickets over months, not in one minute.
import { join } from 'node:path';
import { createProvider as createLocalProvider } from '../adapters/local/index.js';
import { Bridge } from '../src/bridge.js';
import { createHttpClient } from '../src/provider-kit/http.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/index.js';
import { openInput, REQUESTER } from './fixtures.js';

const [dir = '', count = '0'] = process.argv.slice(2);
const SEED_CONCURRENCY = 32;

async function seed(): Promise<number> {
  const kv = await openStore(`sqlite://${join(dir, 'tickets.sqlite')}`);
  const http = createHttpClient(silentLogger);
  const provider = createLocalProvider({ http, logger: silentLogger, kv, env: {} });
  const bridge = new Bridge({ provider, kv, logger: silentLogger, pollIntervalMs: 15_000 });
  try {
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
    return (await bridge.links.openTickets()).length;
  } finally {
    await bridge.stop();
    await kv.close();
    await http.close();
  }
}

seed()
  .then((tickets) => process.stdout.write(`${JSON.stringify({ tickets })}\n`))
  .catch((error: unknown) => {
    process.stderr.write(`memory seeding failed: ${String(error)}\n`);
    process.exit(1);
  });
