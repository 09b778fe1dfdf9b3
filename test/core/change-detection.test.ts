import { afterEach, describe, expect, it } from 'vitest';
import { createProvider as createConsoleconnect } from '../../adapters/consoleconnect/index.js';
import { createProvider as createF5xc } from '../../adapters/f5xc/index.js';
import { createProvider as createVerifik } from '../../adapters/verifik/index.js';
import { Bridge } from '../../src/bridge.js';
import type { TicketSnapshot } from '../../src/domain.js';
import { silentLogger } from '../../src/logger.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { compareDigests } from '../../src/provider-kit/digest-walk.js';
import type { ProviderFactory } from '../../src/provider.js';
import { openStore } from '../../src/store/index.js';
import { startConsoleconnectFake } from '../../fakes/providers/consoleconnect.js';
import { startF5xcFake } from '../../fakes/providers/f5xc.js';
import type { FakeProviderServer } from '../../fakes/providers/types.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { ada } from '../adapters/rig.js';

const vendors: [string, () => Promise<FakeProviderServer>, ProviderFactory][] = [
  ['consoleconnect', startConsoleconnectFake, createConsoleconnect],
  ['f5xc', startF5xcFake, createF5xc],
  ['verifik', startVerifikFake, createVerifik],
];

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('list-based change detection', () => {
  it.each(vendors)('%s: one list call per idle cycle, then a GET of only the ticket that changed', async (_id, start, factory) => {
    const fake = await start();
    const kv = await openStore('sqlite://:memory:');
    const http = createHttpClient(silentLogger);
    const provider = factory({ http, logger: silentLogger, kv, env: fake.env });
    const bridge = new Bridge({ provider, kv, logger: silentLogger, pollIntervalMs: 1_000 });
    closers.push(() => fake.close(), () => kv.close(), () => http.close(), () => bridge.stop());
    const input = Object.fromEntries(provider.fields.map((f) => [f.name, f.options?.[0]?.value ?? `${f.name} of a bench ticket`]));
    const snapshots: TicketSnapshot[] = [];
    for (let i = 0; i < 5; i++) snapshots.push(await provider.createTicket({ subject: `Ticket ${i}`, description: 'It broke.', ...input } as never, ada));
    for (const [i, s] of snapshots.entries()) await bridge.service.link(s, `mem:t${i}`, ada);

    const cycle = async () => {
      const from = fake.requests.length;
      await bridge.relay.pollOnce();
      return fake.requests.slice(from).map((r) => `${r.method} ${r.path}`);
    };
    expect((await cycle()).filter((c) => c.startsWith('GET')).length).toBe(6); // first run: list + every linked ticket
    const idle = await cycle();
    expect(idle).toHaveLength(1);
    expect(idle[0]).not.toContain(snapshots[0]!.ticket.id);

    const target = snapshots[3]!.ticket.id;
    fake.addAgentComment(target, 'We are on it.', 'Grace Hopper');
    const busy = await cycle();
    expect(busy).toHaveLength(2);
    expect(busy[1]).toContain(encodeURIComponent(target));
    expect(await bridge.links.seen(target)).toHaveProperty('size', (await provider.getTicket(target)).comments.length);
    expect(await cycle()).toHaveLength(1);
  });

  it('re-reads a ticket once when it leaves the list, and every time its item says too little', () => {
    const first = compareDigests(undefined, ['a', 'b', 'c'], [
      { id: 'a', digest: '1' },
      { id: 'b', digest: '1' },
      { id: 'c', digest: undefined },
    ]);
    expect(first.ticketIds).toEqual(['a', 'b', 'c']);
    const second = compareDigests(first.cursor, ['a', 'b', 'c'], [
      { id: 'a', digest: '1' },
      { id: 'c', digest: undefined },
    ]);
    expect(second.ticketIds).toEqual(['b', 'c']);
    const third = compareDigests(second.cursor, ['a', 'b', 'c'], [
      { id: 'a', digest: '2' },
      { id: 'c', digest: undefined },
    ]);
    expect(third.ticketIds).toEqual(['a', 'c']);
  });
});
