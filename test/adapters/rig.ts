import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Requester } from '../../src/domain.js';
import { createHttpClient, type HttpDefaults } from '../../src/provider-kit/http.js';
import { silentLogger } from '../../src/logger.js';
import type { ProviderDeps, ProviderFactory, TicketProvider } from '../../src/provider.js';
import { openStore, type KeyValueStore } from '../../src/store/index.js';
import type { FakeProviderServer, RecordedRequest } from '../../fakes/providers/types.js';

/** The chat user every adapter test opens tickets as. */
export const ada: Requester = { key: 'slack:T1:U1', name: 'Ada Lovelace' };

/** Short timeouts and back-off, so retry and timeout tests take milliseconds, not seconds. */
export const FAST = {
  timeoutMs: 1_000,
  retry: { retries: 2, baseMs: 10, maxMs: 50, maxRetryAfterMs: 5_000 },
} as const satisfies HttpDefaults;

/** What one test asks of `setup`: options for the fake, or another factory (other pacing, say). */
export interface SetupOptions<Options> {
  fake?: Options;
  factory?: ProviderFactory;
}

/**
 * Registers the suite's hooks (one HTTP client and one in-memory store for the suite; every fake
 * started by `setup` closed after each test) and returns the tools the adapter tests share.
 */
export function adapterRig<Fake extends FakeProviderServer, Options = never>(
  start: (options?: Options) => Promise<Fake>,
  factory: ProviderFactory,
) {
  const http = createHttpClient(silentLogger, FAST);
  let kv: KeyValueStore | undefined;
  let fakes: Fake[] = [];

  beforeAll(async () => {
    kv = await openStore('sqlite://:memory:');
  });
  afterEach(async () => {
    await Promise.all(fakes.map((f) => f.close()));
    fakes = [];
  });
  afterAll(async () => {
    await kv?.close();
    await http.close();
  });

  /** The suite's shared machinery with `env` as the adapter's settings. */
  function deps(env: ProviderDeps['env']): ProviderDeps {
    if (!kv) throw new Error('adapterRig: deps() is only available inside a test');
    return { http, logger: silentLogger, kv, env };
  }

  /** Starts a fake and a provider pointed at it; `env` is laid over the fake's own settings. */
  async function setup(
    env: Record<string, string> = {},
    options: SetupOptions<Options> = {},
  ): Promise<{ fake: Fake; provider: TicketProvider }> {
    const fake = await start(options.fake);
    fakes.push(fake);
    const provider = (options.factory ?? factory)(deps({ ...fake.env, ...env }));
    return { fake, provider };
  }

  /** The last request the fake received. */
  const last = (fake: FakeProviderServer): RecordedRequest => fake.requests[fake.requests.length - 1]!;

  return { http, deps, setup, last };
}

/**
 * What the relay does with a provider that lists by update time: re-read what the list reports,
 * relay agent comments it has not seen, advance the cursor.
 */
export function relayLike(provider: TicketProvider, followed: string[]) {
  const seen = new Set<string>();
  const relayed: string[] = [];
  let cursor: string | undefined;
  return {
    relayed,
    async poll() {
      const changed = await provider.listUpdatedSince!(cursor, followed);
      for (const id of changed.ticketIds.filter((t) => followed.includes(t))) {
        for (const c of (await provider.getTicket(id)).comments) {
          if (c.origin === 'agent' && !seen.has(c.id)) relayed.push(c.text);
          seen.add(c.id);
        }
      }
      cursor = changed.cursor;
    },
  };
}
