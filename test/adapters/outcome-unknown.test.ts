import { afterEach, describe, expect, it } from 'vitest';
import { createProvider } from '../../adapters/verifik/index.js';
import type { Requester } from '../../src/domain.js';
import { silentLogger } from '../../src/logger.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import type { FakeProviderServer } from '../../fakes/providers/types.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const THREAD = /\/thread$/;

// A write whose 200 does not say what happened is neither delivered nor failed: the outbox checks
// the vendor, as after a timeout, and finds the comment there instead of writing it again.
describe('a reply answered with an odd success (Verifik fake, real outbox)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(): Promise<{ h: Harness; fake: FakeProviderServer; ticketId: string; thread: string }> {
    const fake = await startVerifikFake();
    const http = createHttpClient(silentLogger, { timeoutMs: 1_000, retry: { retries: 0, baseMs: 10, maxMs: 50, maxRetryAfterMs: 1_000 } });
    const h = await startHarness({ provider: (kv) => createProvider({ http, logger: silentLogger, kv, env: fake.env }) });
    h.bridge.start();
    cleanups.push(fake.close, () => http.close(), h.close);
    const snapshot = await h.service.open({ subject: 'Export fails', description: 'Since Monday' }, ada);
    const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
    return { h, fake, ticketId: link.ticketId, thread: link.thread };
  }

  for (const [name, body] of [
    ['a success whose data is not a thread', { success: true, data: { weird: 1 } }],
    ['an empty 200', undefined],
  ] as const) {
    it(`checks Verifik after ${name} and writes the comment once`, async () => {
      const { h, fake, ticketId, thread } = await setup();
      fake.oddSuccess(body, THREAD);
      await h.service.reply({ thread, text: 'Any news?', author: ada, eventKey: 'ev-odd' });
      await waitFor(async () => (await h.bridge.outbox.get('comment:ev-odd'))?.state === 'done', 'delivery', 8_000);
      const job = await h.bridge.outbox.get('comment:ev-odd');
      // The odd answer was not taken as delivery: a second attempt checked, and found it written.
      expect(job?.attempts).toBe(2);
      expect(fake.requests.filter((r) => r.method === 'POST' && THREAD.test(r.path))).toHaveLength(1);
      const replies = fake.comments(ticketId).filter((c) => c.byCustomer && c.text.startsWith('Any news?'));
      expect(replies).toHaveLength(1);
    });
  }
});
