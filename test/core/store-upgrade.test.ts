import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalDesk } from '../../adapters/local/desk.js';
import { createProvider } from '../../adapters/local/index.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { silentLogger } from '../../src/logger.js';
import type { TicketProvider } from '../../src/provider.js';
import type { KeyValueStore } from '../../src/store/index.js';
import { dropRedisPrefix, startHarness, uniqueRedisUrl, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';
import { loadIntoRedis, loadIntoSqlite, readOldStore } from '../support/old-store.js';

const old = readOldStore('store-76a1b58');
const ada = { key: 'mem:ada', name: 'Ada' };

/** The local desk with the "updated since" listing the old store was written with; records the cursors it is asked from. */
function provider(cursors: (string | undefined)[]) {
  return (kv: KeyValueStore): TicketProvider => {
    const local = createProvider({ http: createHttpClient(silentLogger), logger: silentLogger, kv, env: {} });
    return {
      ...local,
      async listUpdatedSince(cursor, open) {
        cursors.push(cursor);
        return { ticketIds: [...open], cursor: `walk-new-${cursors.length}` };
      },
    };
  };
}

const backends = [
  {
    name: 'SQLite (keyv outbox)',
    async open(): Promise<{ url: string; drop: () => Promise<void> }> {
      const dir = mkdtempSync(join(tmpdir(), 'tb-upgrade-'));
      const path = join(dir, 'tickets.sqlite');
      await loadIntoSqlite(old, path);
      return { url: `sqlite://${path}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'Redis (BullMQ outbox)',
    async open(): Promise<{ url: string; drop: () => Promise<void> }> {
      const target = uniqueRedisUrl('upgrade');
      await loadIntoRedis(old, target.prefix);
      return { url: target.url, drop: () => dropRedisPrefix(target.prefix) };
    },
  },
];

describe.each(backends)(`a store written by ${old.writtenBy}, on $name`, (backend) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function upgrade(): Promise<{ h: Harness; sink: MemorySink; cursors: (string | undefined)[]; desk: LocalDesk }> {
    const store = await backend.open();
    cleanups.push(store.drop);
    const cursors: (string | undefined)[] = [];
    const h = await startHarness({ storeUrl: store.url, provider: provider(cursors) });
    cleanups.push(h.close);
    const sink = new MemorySink();
    h.bridge.attach(sink);
    h.bridge.start();
    return { h, sink, cursors, desk: new LocalDesk(h.kv) };
  }

  const texts = async (desk: LocalDesk, ticketId: string, origin: 'agent' | 'customer') =>
    (await desk.comments(ticketId)).filter((c) => c.origin === origin).map((c) => c.text.split('\n')[0]);

  it('delivers every queued job once, repeats nothing delivered, and relays no comment already seen', async () => {
    const { h, sink, cursors, desk } = await upgrade();
    const outbox = h.bridge.outbox;
    await waitFor(async () => (await outbox.forTicket('1')).pending.length === 0 && (await outbox.forTicket('2')).pending.length === 0, 'the queued jobs', 15_000);
    await new Promise((r) => setTimeout(r, 500)); // a few more poll cycles and outbox passes

    const queuedAgentComment = (await desk.comments('1')).find((c) => c.text === 'Queued agent comment')!;
    expect(sink.posts.map((p) => p.key).sort()).toEqual(['failed:comment:ev-failed-2:1', `post:local:1:${queuedAgentComment.id}`, 'status:local:1:1']);
    expect(sink.posts.find((p) => p.key === 'status:local:1:1')?.message).toEqual({ kind: 'status', ticketId: '1', status: 'waiting', vendorStatus: 'waiting for you' });
    expect(sink.posts.find((p) => p.key.startsWith('failed:'))).toMatchObject({ thread: 'mem:2', message: { kind: 'delivery_failed', jobKey: 'comment:ev-failed-2' } });
    expect(sink.comments()).toEqual(['Queued agent comment']);
    expect(sink.cards.map((c) => [c.thread, c.card.status])).toEqual([['mem:1', 'waiting']]);

    // The reply whose call timed out after the desk took it is not written again; the one never tried is written once.
    expect(await texts(desk, '1', 'customer')).toEqual(['It drops every hour', 'This LANDED before the timeout', 'Queued reply']);
    expect((await outbox.get('comment:ev-landed'))?.state).toBe('done');
    expect(await texts(desk, '2', 'customer')).toEqual([]);

    // Links, the cursor and the dedupe marks of the old release are the ones read.
    expect(cursors[0]).toBe('walk-2');
    expect((await h.service.listMine(ada)).map((l) => [l.ticketId, l.thread, l.card])).toEqual([
      ['2', 'mem:2', 'mem:card2'],
      ['1', 'mem:1', 'mem:card1'],
    ]);
    expect((await h.service.linkByThread('mem:2'))?.ticketId).toBe('2');
    for (const eventKey of ['ev-delivered', 'ev-queued', 'ev-landed']) {
      expect((await h.service.reply({ thread: 'mem:1', text: 'again', author: ada, eventKey }))?.queued).toBe(false);
    }
  });

  it('keeps the replies that failed for good listed and retryable, and Retry delivers them once', async () => {
    const { h, sink, desk } = await upgrade();
    const outbox = h.bridge.outbox;
    expect((await outbox.forTicket('1')).failed.map((j) => [j.key, j.kind, j.lastError])).toEqual([
      ['comment:ev-failed', 'comment', expect.stringContaining('Comment refused')],
    ]);
    expect((await outbox.forTicket('2')).failed.map((j) => j.key)).toEqual(['comment:ev-failed-2']);
    const status = await h.service.status('1', { requester: ada, isStaff: false });
    expect(status.failed.map((j) => j.key)).toEqual(['comment:ev-failed']);

    expect(await h.service.retryDelivery('comment:ev-failed', { requester: ada, isStaff: false })).toBe(true);
    await waitFor(async () => (await texts(desk, '1', 'customer')).includes('REJECT this one'), 'the retried reply', 15_000);
    await waitFor(async () => (await outbox.forTicket('1')).pending.length === 0, 'the rest of the lane', 15_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await texts(desk, '1', 'customer')).filter((t) => t === 'REJECT this one')).toHaveLength(1);
    expect((await outbox.forTicket('1')).failed).toEqual([]);
    // Its notice went out before the upgrade; delivering it now tells nobody again.
    expect(sink.posts.filter((p) => p.key === 'failed:comment:ev-failed:1')).toEqual([]);
  });
});
