import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/domain.js';
import type { Actor } from '../../src/service.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const actor: Actor = { requester: ada, isStaff: false };

async function openLinked(h: Harness, subject = 'VPN drops') {
  const snapshot = await h.service.open({ subject, description: 'Every hour' }, ada);
  return h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
}

describe('relay', () => {
  const open: Harness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });

  async function harness(storeUrl?: string) {
    const h = await startHarness(storeUrl ? { storeUrl } : {});
    const sink = new MemorySink();
    h.bridge.attach(sink);
    h.bridge.start();
    open.push(h);
    return { h, sink };
  }

  it('relays an agent comment once, and never echoes the requester’s own reply', async () => {
    const { h, sink } = await harness();
    const link = await openLinked(h);
    await h.service.reply({ thread: link.thread, text: 'Any news?', author: ada, eventKey: 'e1' });
    await waitFor(async () => (await h.desk.comments(link.ticketId)).length === 1, 'customer comment at the desk');
    await h.desk.reply(link.ticketId, 'Looking into it');
    await waitFor(() => sink.comments().length === 1, 'relayed comment');
    await new Promise((r) => setTimeout(r, 400)); // a few more poll cycles
    expect(sink.comments()).toEqual(['Looking into it']);
    expect(sink.posts[0]?.thread).toBe(link.thread);
  });

  it('turns a redelivered chat event into one comment', async () => {
    const { h } = await harness();
    const link = await openLinked(h);
    const first = await h.service.reply({ thread: link.thread, text: 'hello', author: ada, eventKey: 'same' });
    const again = await h.service.reply({ thread: link.thread, text: 'hello', author: ada, eventKey: 'same' });
    expect([first?.queued, again?.queued]).toEqual([true, false]);
    await waitFor(async () => (await h.desk.comments(link.ticketId)).length === 1, 'comment');
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.desk.comments(link.ticketId)).toHaveLength(1);
  });

  it('posts a status change and updates the card', async () => {
    const { h, sink } = await harness();
    const link = await openLinked(h);
    await h.desk.setStatus(link.ticketId, 'resolved');
    await waitFor(() => sink.posts.some((p) => p.message.kind === 'status'), 'status post');
    await waitFor(() => sink.cards.some((c) => c.card.status === 'resolved'), 'card update');
    expect((await h.service.status(link.ticketId, actor)).link.status).toBe('resolved');
  });

  it('follows a closed ticket for the follow-up window from its close, and forgets it after', async () => {
    const { h } = await harness();
    const link = await openLinked(h);
    const day = 24 * 3_600_000;
    await h.desk.setStatus(link.ticketId, 'closed');
    await waitFor(async () => !(await h.bridge.links.openTickets()).includes(link.ticketId), 'no longer open');
    const closedAt = Date.parse((await h.bridge.links.get(link.ticketId))!.closedAt!);
    expect(await h.bridge.links.followed(closedAt + 13 * day, 14 * day)).toContain(link.ticketId);

    await h.desk.setStatus(link.ticketId, 'open');
    await waitFor(async () => (await h.bridge.links.openTickets()).includes(link.ticketId), 'reopen seen');
    expect((await h.bridge.links.get(link.ticketId))?.closedAt).toBeUndefined();

    await h.desk.setStatus(link.ticketId, 'resolved');
    await waitFor(async () => !(await h.bridge.links.openTickets()).includes(link.ticketId), 'resolved');
    await h.bridge.relay.stop();
    const resolvedAt = Date.parse((await h.bridge.links.get(link.ticketId))!.closedAt!);
    expect(await h.bridge.links.followed(resolvedAt + 15 * day, 14 * day)).not.toContain(link.ticketId);
    // Dropped for good: even a clock turned back does not bring it back.
    expect(await h.bridge.links.followed(resolvedAt, 14 * day)).not.toContain(link.ticketId);
  });

  it('keeps link, cursor and delivery log across a restart: nothing relayed twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-'));
    const url = `sqlite://${join(dir, 'tickets.sqlite')}`;
    const first = await harness(url);
    const link = await openLinked(first.h);
    await first.h.desk.reply(link.ticketId, 'before restart');
    await waitFor(() => first.sink.comments().length === 1, 'first relay');
    await first.h.close();
    open.splice(open.indexOf(first.h), 1);

    const second = await harness(url);
    await second.h.desk.reply(link.ticketId, 'after restart');
    await waitFor(() => second.sink.comments().length === 1, 'second relay');
    await new Promise((r) => setTimeout(r, 300));
    expect(second.sink.comments()).toEqual(['after restart']);
  });

  it('keeps a post in the outbox while the chat platform is down, then delivers it once', async () => {
    const { h, sink } = await harness();
    const link = await openLinked(h);
    sink.failures = 3;
    await h.desk.reply(link.ticketId, 'patience');
    await waitFor(() => sink.comments().length === 1, 'delivery after failures', 8_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.comments()).toEqual(['patience']);
  });

  it('lets only the requester or staff act on a ticket', async () => {
    const { h } = await harness();
    const link = await openLinked(h);
    const mallory: Actor = { requester: { key: 'mem:mallory', name: 'Mallory' }, isStaff: false };
    await expect(h.service.close(link.ticketId, mallory)).rejects.toThrow(/No ticket/);
    const staff: Actor = { requester: { key: 'mem:sam', name: 'Sam' }, isStaff: true };
    expect((await h.service.close(link.ticketId, staff)).status).toBe('closed');
  });
});

describe('relay on Redis, several processes', () => {
  it('lets exactly one process poll, hands over when the holder dies, and releases on stop', async () => {
    const { Redis } = await import('ioredis');
    const { BullOutbox } = await import('../../src/delivery/bullmq-outbox.js');
    const { dropRedisPrefix, REDIS_URL, uniqueRedisUrl } = await import('../support/harness.js');
    const target = uniqueRedisUrl('relay');
    const redis = new Redis(REDIS_URL);
    const key = `${target.prefix}:lease:poller:local`;
    const a = await startHarness({ storeUrl: target.url, leaseMs: 400 });
    const b = await startHarness({ storeUrl: target.url, leaseMs: 400 });
    try {
      expect(a.bridge.outbox).toBeInstanceOf(BullOutbox);
      await openLinked(a);
      expect(await a.bridge.relay.pollOnce()).toBe(1);
      expect(await b.bridge.relay.pollOnce()).toBe(0); // a holds the lease
      const owner = await redis.get(key);
      expect(owner).toMatch(/^[0-9a-f-]{36}$/);
      expect(await redis.pttl(key)).toBeLessThanOrEqual(400);
      await new Promise((r) => setTimeout(r, 600)); // a keeps renewing while alive
      expect(await b.bridge.relay.pollOnce()).toBe(0);
      expect(await redis.get(key)).toBe(owner);

      await a.kv.close(); // a dies: no more renewals
      await waitFor(async () => (await b.bridge.relay.pollOnce()) === 1, 'takeover by b', 3_000);
      expect(await redis.get(key)).not.toBe(owner);

      await b.bridge.stop(); // graceful: the lease goes with it
      expect(await redis.exists(key)).toBe(0);
    } finally {
      await a.bridge.stop().catch(() => undefined);
      await b.close();
      redis.disconnect();
      await dropRedisPrefix(target.prefix);
    }
  });
});

describe('pacing', () => {
  it('keeps a burst of replies inside the provider limit, in order per ticket, dropping none', async () => {
    const { createProvider: createLocalProvider } = await import('../../adapters/local/index.js');
    const { TokenBucket } = await import('../../src/pacing.js');
    const { createHttpClient } = await import('../../src/provider-kit/http.js');
    const { silentLogger } = await import('../../src/logger.js');
    const http = createHttpClient(silentLogger);
    const bucket = new TokenBucket(2, 200); // 10 calls a second, bursts of 2: as an adapter's limiter
    const calls: { at: number; ticketId: string; text: string }[] = [];
    const h = await startHarness({
      provider: (kv) => {
        const inner = createLocalProvider({ http, logger: silentLogger, kv, env: {} });
        return {
          ...inner,
          addComment: async (ticketId, comment) => {
            await bucket.take();
            calls.push({ at: Date.now(), ticketId, text: comment.text });
            return inner.addComment(ticketId, comment);
          },
        };
      },
    });
    try {
      h.bridge.attach(new MemorySink());
      const one = await openLinked(h, 'one');
      const two = await openLinked(h, 'two');
      for (let i = 0; i < 8; i++) {
        await h.service.reply({ thread: one.thread, text: `one #${i}`, author: ada, eventKey: `one-${i}` });
        await h.service.reply({ thread: two.thread, text: `two #${i}`, author: ada, eventKey: `two-${i}` });
      }
      h.bridge.start();
      await waitFor(() => calls.length === 16, 'all 16 comments', 10_000);
      const order = (id: string) => calls.filter((c) => c.ticketId === id).map((c) => Number(/#(\d+)/.exec(c.text)?.[1]));
      expect(order(one.ticketId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(order(two.ticketId)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      // Never more than the bucket allows: any three calls span at least one refill period.
      for (let i = 2; i < calls.length; i++) expect(calls[i]!.at - calls[i - 2]!.at).toBeGreaterThanOrEqual(90);
      expect(calls.at(-1)!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_300);
    } finally {
      await h.close();
      await http.close();
    }
  });
});
