import { providers } from '../adapters/registry.js';
import { withPacing } from '../adapters/selectel/index.js';
import { Bridge } from '../src/bridge.js';
import type { OpenTicketInput, ProviderId, Requester, TicketSnapshot } from '../src/domain.js';
import type { Limiters } from '../src/limits.js';
import { createHttpClient, type HttpClient } from '../src/provider-kit/http.js';
import { silentLogger } from '../src/logger.js';
import type { TicketProvider } from '../src/provider.js';
import { openStore, type KeyValueStore } from '../src/store/index.js';
import { startConsoleconnectFake } from '../fakes/providers/consoleconnect.js';
import { startF5xcFake } from '../fakes/providers/f5xc.js';
import { startSelectelFake } from '../fakes/providers/selectel.js';
import { startSpacebringFake } from '../fakes/providers/spacebring.js';
import type { FakeProviderServer } from '../fakes/providers/types.js';
import { startVerifikFake } from '../fakes/providers/verifik.js';

/** The vendor adapters, each with the fake HTTP server it is tested against. */
export type VendorId = Exclude<ProviderId, 'local'>;
export const VENDORS = ['f5xc', 'consoleconnect', 'verifik', 'selectel', 'spacebring'] as const satisfies readonly VendorId[];

const FAKES: Record<VendorId, () => Promise<FakeProviderServer>> = {
  f5xc: () => startF5xcFake(),
  consoleconnect: () => startConsoleconnectFake(),
  verifik: () => startVerifikFake(),
  selectel: () => startSelectelFake(),
  spacebring: () => startSpacebringFake(),
};

export function startFake(id: VendorId): Promise<FakeProviderServer> {
  return FAKES[id]();
}

export const REQUESTER: Requester = { key: 'slack:T0000000001:U0000000001', name: 'Alice Bench', email: 'ada@example.com' };

/** The adapter as a deployment builds it (registry factory, documented pacing), pointed at `fake`. */
export async function vendorProvider(id: VendorId, fake: FakeProviderServer, deps: { http: HttpClient; kv: KeyValueStore }): Promise<TicketProvider> {
  return (await providers[id]())({ ...deps, logger: silentLogger, env: fake.env });
}

/** Pacers that never wait, for filling a fake whose own limit is lifted meanwhile. */
const UNPACED: Limiters = { pacer: () => ({ take: () => Promise.resolve() }), close: () => Promise.resolve() };

/**
 * An adapter only for filling a fake with tickets. Selectel's adapter paces creates at the
 * documented 2 per minute and Spacebring's at 10 requests/s, which would take hours for 10,000
 * tickets; the seeding instance lifts those limits (the caller lifts the fake's own).
 */
async function seedingProvider(id: VendorId, fake: FakeProviderServer, deps: { http: HttpClient; kv: KeyValueStore }): Promise<TicketProvider> {
  if (id === 'selectel') return withPacing({ tickets: 1_000_000, comments: 1_000_000 })({ ...deps, logger: silentLogger, env: fake.env });
  return (await providers[id]())({ ...deps, logger: silentLogger, env: fake.env, limiters: UNPACED });
}

/** A valid open form for `provider`: the first allowed value of every enumerated field. */
export function openInput(provider: TicketProvider, i: number): OpenTicketInput {
  const input: Record<string, string> = { subject: `Bench ticket ${i}`, description: `Seeded by the benchmark (${i}).` };
  for (const field of provider.fields) {
    if (field.name === 'subject' || field.name === 'description') continue;
    const first = field.options?.[0]?.value;
    if (first !== undefined) input[field.name] = first;
  }
  return input as OpenTicketInput;
}

/** Opens `count` tickets at the vendor's fake through its adapter, `concurrency` at a time. */
export async function seedVendorTickets(id: VendorId, fake: FakeProviderServer, count: number, concurrency = 16): Promise<TicketSnapshot[]> {
  const kv = await openStore('sqlite://:memory:');
  const http = createHttpClient(silentLogger);
  try {
    const provider = await seedingProvider(id, fake, { http, kv });
    fake.liftLimit?.(true);
    const out: TicketSnapshot[] = new Array(count);
    let next = 0;
    const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
      for (let i = next++; i < count; i = next++) out[i] = await provider.createTicket(openInput(provider, i), REQUESTER);
    });
    await Promise.all(workers);
    return out;
  } finally {
    fake.liftLimit?.(false);
    await http.close();
    await kv.close();
  }
}

/** A bridge on a fresh in-memory store, not started: the caller drives or starts it. */
export async function benchBridge(
  provider: (deps: { http: HttpClient; kv: KeyValueStore }) => Promise<TicketProvider>,
  pollIntervalMs: number,
  /** The relay's clock, when the bench steps time instead of waiting for it. */
  now?: () => number,
) {
  const kv = await openStore('sqlite://:memory:');
  const http = createHttpClient(silentLogger);
  const bridge = new Bridge({ provider: await provider({ http, kv }), kv, logger: silentLogger, pollIntervalMs, ...(now ? { now } : {}) });
  return {
    bridge,
    kv,
    async close() {
      await bridge.stop();
      await kv.close();
      await http.close();
    },
  };
}

/** Links every snapshot to a thread, as opening from chat does (what a ticket holds is marked seen). */
export async function linkAll(bridge: Bridge, snapshots: readonly TicketSnapshot[], thread: (i: number) => string): Promise<void> {
  for (const [i, snapshot] of snapshots.entries()) await bridge.service.link(snapshot, thread(i), REQUESTER);
}
