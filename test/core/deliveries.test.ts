import { afterEach, describe, expect, it } from 'vitest';
import { createProvider as createVerifikProvider } from '../../adapters/verifik/index.js';
import { retryDelivery } from '../../handlers/retry.js';
import { ticketStatus } from '../../handlers/status.js';
import type { ChatContext } from '../../handlers/types.js';
import type { Requester } from '../../src/domain.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { silentLogger } from '../../src/logger.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import type { FakeProviderServer } from '../../fakes/providers/types.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const ctx: ChatContext = { actor: { requester: ada, isStaff: false }, logger: silentLogger, place: 'mem:x' };
const THREAD = /\/thread$/;

describe('chat → provider deliveries (Verifik fake)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(): Promise<{ h: Harness; fake: FakeProviderServer; sink: MemorySink; ticketId: string; thread: string }> {
    const fake = await startVerifikFake();
    // A deadline a busy machine's set-up calls meet, well under the slow answer below.
    const http = createHttpClient(silentLogger, { timeoutMs: 1_000, retry: { retries: 0, baseMs: 10, maxMs: 50, maxRetryAfterMs: 1_000 } });
    const h = await startHarness({ provider: (kv) => createVerifikProvider({ http, logger: silentLogger, kv, env: fake.env }) });
    const sink = new MemorySink();
    h.bridge.attach(sink);
    h.bridge.start();
    cleanups.push(fake.close, () => http.close(), h.close);
    const snapshot = await h.service.open({ subject: 'Export fails', description: 'Since Monday' }, ada);
    const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
    return { h, fake, sink, ticketId: link.ticketId, thread: link.thread };
  }

  const customerComments = (fake: FakeProviderServer, id: string) => fake.comments(id).filter((c) => c.byCustomer).slice(1);

  it('checks the provider after a timeout and does not write a slow success twice', async () => {
    const { h, fake, ticketId, thread } = await setup();
    fake.failNext(1, { status: 504, delayMs: 1_500, afterHandling: true }, THREAD);
    await h.service.reply({ thread, text: 'Still failing', author: ada, eventKey: 'ev-1' });
    await waitFor(async () => (await h.bridge.outbox.get('comment:ev-1'))?.state === 'done', 'delivery', 8_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(customerComments(fake, ticketId).map((c) => c.text)).toEqual([expect.stringMatching(/^Still failing/)]);
    const posts = fake.requests.filter((r) => r.method === 'POST' && THREAD.test(r.path));
    expect(posts).toHaveLength(1);
    const job = await h.bridge.outbox.get('comment:ev-1');
    expect(job?.attempts).toBe(2); // the timed-out call, then the check that found it
  });

  it('writes again after a 503 when the provider did not act, once', async () => {
    const { h, fake, ticketId, thread } = await setup();
    fake.failNext(2, { status: 503, body: { error: 'down', message: 'UNAVAILABLE' } }, THREAD);
    await h.service.reply({ thread, text: 'Second try', author: ada, eventKey: 'ev-2' });
    await waitFor(() => customerComments(fake, ticketId).length === 1, 'comment', 8_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(customerComments(fake, ticketId)).toHaveLength(1);
  });

  it('shows pending deliveries in /ticket status while the provider is down', async () => {
    const { h, fake, thread, ticketId } = await setup();
    fake.failNext(1_000, { status: 503, body: { error: 'down', message: 'UNAVAILABLE' } }, THREAD);
    await h.service.reply({ thread, text: 'Queued meanwhile', author: ada, eventKey: 'ev-3' });
    await waitFor(async () => ((await h.bridge.outbox.get('comment:ev-3'))?.attempts ?? 0) > 0, 'a failed attempt');
    const reply = await ticketStatus(h.service, ctx, ticketId);
    expect(reply.text).toContain('1 message(s) waiting to be delivered.');
    expect(reply.text).toContain('is not answering; your message is saved and will be sent when it is back.');
    expect(reply.text).not.toMatch(/503|UNAVAILABLE/);
    expect(reply.deliveries).toEqual({ pending: 1, failed: [] });
  });

  it('marks a rejected reply failed, tells the thread, lists it in /ticket status, and Retry delivers it', async () => {
    const { h, fake, sink, ticketId, thread } = await setup();
    fake.failNext(1, { status: 400, body: { error: 'Message is required', message: 'MESSAGE_REQUIRED' } }, THREAD);
    await h.service.reply({ thread, text: 'Rejected once', author: ada, eventKey: 'ev-4' });
    const notice = await waitFor(() => sink.posts.find((p) => p.message.kind === 'delivery_failed'), 'delivery_failed notice', 8_000);
    expect(notice.thread).toBe(thread);
    expect(notice.message).toMatchObject({ kind: 'delivery_failed', ticketId, jobKey: 'comment:ev-4', excerpt: expect.stringContaining('Rejected once') });

    const status = await ticketStatus(h.service, ctx, ticketId);
    expect(status.text).toMatch(/Not delivered: .*Message is required/);
    expect(status.text).not.toMatch(/\b400\b|POST|\/tickets|invalid/);
    expect(notice.message).toMatchObject({ provider: expect.any(String), cause: { kind: 'invalid', vendorMessage: expect.stringContaining('Message is required') } });
    expect(status.deliveries?.pending).toBe(0);
    expect(status.deliveries?.failed).toEqual([{ key: 'comment:ev-4', excerpt: expect.stringContaining('Rejected once'), reason: expect.stringContaining('Message is required') }]);

    const retried = await retryDelivery(h.service, ctx, 'comment:ev-4');
    expect(retried).toMatchObject({ ok: true, text: 'Trying again.' });
    await waitFor(() => customerComments(fake, ticketId).length === 1, 'retried comment', 8_000);
    expect((await ticketStatus(h.service, ctx, ticketId)).deliveries).toEqual({ pending: 0, failed: [] });
    expect(sink.posts.filter((p) => p.message.kind === 'delivery_failed')).toHaveLength(1);
  });
});
