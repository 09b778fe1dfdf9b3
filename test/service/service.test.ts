import { afterEach, describe, expect, it } from 'vitest';
import { createProvider as createLocalProvider } from '../../adapters/local/index.js';
import type { Requester } from '../../src/domain.js';
import { FieldErrors, ForbiddenError, NotSupportedError } from '../../src/errors.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { silentLogger } from '../../src/logger.js';
import type { TicketProvider } from '../../src/provider.js';
import type { KeyValueStore } from '../../src/store/index.js';
import type { Actor } from '../../src/service.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const bob: Requester = { key: 'mem:bob', name: 'Bob' };
const asAda: Actor = { requester: ada, isStaff: false };
const asBob: Actor = { requester: bob, isStaff: false };
const asStaff: Actor = { requester: { key: 'mem:sam', name: 'Sam' }, isStaff: true };

/** The local desk, for tests that take a capability away from it. */
const localOn = (kv: KeyValueStore) => createLocalProvider({ kv, env: {}, logger: silentLogger, http: createHttpClient(silentLogger) });

describe('TicketService', () => {
  let h: Harness;
  let sink: MemorySink;

  async function start(provider?: (p: TicketProvider) => TicketProvider) {
    h = await startHarness(provider ? { provider: (kv) => provider(localOn(kv)) } : {});
    sink = new MemorySink();
    h.bridge.attach(sink);
    h.bridge.start();
  }
  afterEach(() => h.close());

  async function openFor(who: Requester, subject = 'VPN drops') {
    const snapshot = await h.service.open({ subject, description: 'Every hour', priority: 'high' }, who);
    return h.service.link(snapshot, `mem:${snapshot.ticket.id}`, who);
  }

  it('opens a ticket and links it to its thread, with the card the front-ends render', async () => {
    await start();
    const link = await openFor(ada);
    expect(link).toMatchObject({ ticketId: '1', thread: 'mem:1', status: 'open', priority: 'high', requester: ada });
    expect(await h.service.linkByThread('mem:1')).toMatchObject({ ticketId: '1' });
    expect(h.service.card(link)).toMatchObject({ ticketId: '1', subject: 'VPN drops', provider: 'Local desk', requester: 'Ada', actions: ['close', 'rate'] });
  });

  it('names every bad field before calling the provider', async () => {
    await start();
    const error = await h.service.open({ subject: ' ', priority: 'asap', category: 'pets' }, ada).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldErrors);
    expect((error as FieldErrors).fields).toEqual({
      subject: 'required: a short summary',
      description: 'required: what happened',
      priority: 'expects one of: low, normal, high, urgent',
    });
    const vendor = await h.service.open({ subject: 's', description: 'd', category: 'pets' }, ada).catch((e: unknown) => e);
    expect((vendor as FieldErrors).fields).toEqual({ category: 'expects one of: general, billing, technical, account' });
  });

  it('queues a thread reply once per platform event, with the author named', async () => {
    await start();
    const link = await openFor(ada);
    const first = await h.service.reply({ thread: link.thread, text: 'Still down', author: ada, eventKey: 'evt-1' });
    const again = await h.service.reply({ thread: link.thread, text: 'Still down', author: ada, eventKey: 'evt-1' });
    expect([first?.queued, again?.queued]).toEqual([true, false]);
    await waitFor(async () => (await h.desk.comments('1')).length === 1, 'the comment at the desk');
    await new Promise((r) => setTimeout(r, 200));
    expect((await h.desk.comments('1')).map((c) => c.text)).toEqual(['Still down\n\n— Ada (via chat)']);
    expect(await h.service.reply({ thread: 'mem:nope', text: 'hello', author: ada, eventKey: 'evt-2' })).toBeUndefined();
    // By ticket id (not in its thread), only the requester or staff may write.
    await expect(h.service.reply({ ticketId: '1', text: 'me too', author: bob, eventKey: 'evt-3' })).rejects.toBeInstanceOf(ForbiddenError);
    expect(await h.service.reply({ ticketId: '1', text: 'on it', author: bob, isStaff: true, eventKey: 'evt-4' })).toMatchObject({ queued: true });
  });

  it('lists only the requester’s own tickets', async () => {
    await start();
    await openFor(ada, 'Mine');
    await openFor(bob, 'Bob’s');
    expect((await h.service.listMine(ada)).map((l) => l.subject)).toEqual(['Mine']);
  });

  it('lets the requester or staff close, reopen and rate; nobody else, and nobody else sees the ticket', async () => {
    await start();
    await openFor(ada);
    await expect(h.service.close('1', asBob)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(h.service.status('1', asBob)).rejects.toThrow('No ticket #1 that you can see.');
    await expect(h.service.rate('1', { score: 5 }, asBob)).rejects.toBeInstanceOf(ForbiddenError);

    expect((await h.service.close('1', asAda)).status).toBe('closed');
    expect((await h.service.reopen('1', 'It is back', asStaff)).status).toBe('open');
    await h.service.rate('1', { score: '4', comment: 'quick' }, asAda);
    await expect(h.service.rate('1', { score: 7 }, asAda)).rejects.toBeInstanceOf(FieldErrors);

    // Each status change is posted in the thread once, saying who did it.
    await waitFor(() => sink.posts.filter((p) => p.message.kind === 'status').length === 2, 'status posts');
    expect(sink.posts.flatMap((p) => (p.message.kind === 'status' ? [[p.message.status, p.message.by]] : []))).toEqual([
      ['closed', 'Ada'],
      ['open', 'Sam'],
    ]);
  });

  it('says plainly what the provider cannot do', async () => {
    await start((local) => {
      const { closeTicket: _close, ...rest } = local;
      return { ...rest, displayName: 'Acme', unsupported: { close: "Acme's API cannot close tickets; ask support in the thread." } };
    });
    await openFor(ada);
    const error = await h.service.close('1', asAda).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotSupportedError);
    expect((error as Error).message).toBe("Acme's API cannot close tickets; ask support in the thread.");
  });
});
