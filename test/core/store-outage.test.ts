import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalDesk } from '../../adapters/local/desk.js';
import { replyToTicket } from '../../handlers/reply.js';
import { listTickets } from '../../handlers/list.js';
import { StoreUnavailable } from '../../src/errors.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import { guardStore } from '../../src/store/guarded.js';
import { StoreHealth } from '../../src/store/health.js';
import { openStore, type GuardedStore, type KeyValueStore } from '../../src/store/index.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';
import { startOwnRedis, type OwnRedis } from '../support/own-redis.js';

const requester = { key: 'console:ada', name: 'ada' };

describe('a Redis store that goes away and comes back (a redis-server of the test’s own)', { timeout: 60_000 }, () => {
  let redis: OwnRedis;
  let kv: GuardedStore;
  const lines: string[] = [];
  const logged = (msg: string) => lines.filter((l) => (JSON.parse(l) as { msg: string }).msg === msg);

  beforeAll(async () => {
    redis = await startOwnRedis();
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    kv = await openStore(`${redis.url}?prefix=outage`, { timeoutMs: 1_000, logger });
  });
  afterAll(async () => {
    await kv.close().catch(() => undefined);
    await redis.close();
  });

  it('fails every call at once while Redis is stopped, logs the outage once, and loses nothing', async () => {
    await kv.set('ticket:1', { subject: 'Printer on fire' });
    await kv.add('tickets', '1');
    expect(kv.health.healthy()).toBe(true);

    await redis.stop();
    const started = Date.now();
    const failures = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? kv.get('ticket:1') : kv.members('tickets')).catch((e: unknown) => e)));
    expect(Date.now() - started).toBeLessThan(500); // not the deadline: at once
    for (const failure of failures) expect(failure).toBeInstanceOf(StoreUnavailable);
    expect(kv.health.healthy()).toBe(false);
    await new Promise((r) => setTimeout(r, 1_500)); // the client retries meanwhile
    expect(logged('store unreachable')).toHaveLength(1);
    expect(lines.join('\n')).not.toMatch(/\n\s+at /); // no stack traces

    await redis.start();
    await waitFor(() => kv.health.healthy(), 'the store to be reachable again', 10_000);
    expect(await kv.get('ticket:1')).toEqual({ subject: 'Printer on fire' });
    expect(await kv.members('tickets')).toEqual(['1']);
    expect(logged('store reachable again')).toHaveLength(1);
  });

  it('gives up on a call to a Redis that hangs after the deadline, then answers the rest at once', async () => {
    redis.freeze();
    try {
      const first = Date.now();
      await expect(kv.get('ticket:1')).rejects.toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - first).toBeGreaterThanOrEqual(900);
      expect(Date.now() - first).toBeLessThan(3_000);
      // One call at a time checks whether it is back; everyone else hears at once.
      const probe = kv.get('ticket:1').catch((e: unknown) => e);
      const next = Date.now();
      await expect(kv.get('ticket:1')).rejects.toBeInstanceOf(StoreUnavailable);
      expect(Date.now() - next).toBeLessThan(200);
      await probe;
    } finally {
      redis.thaw();
    }
    await waitFor(async () => (await kv.get('ticket:1').catch(() => undefined)) !== undefined, 'an answer after the thaw', 10_000);
  });
});

describe('a command while the store cannot be reached', () => {
  const down = { lanes: false, all: false };
  let h: Harness;
  /** The agent's side, on the store itself rather than through the failing one. */
  let desk: LocalDesk;
  const ctx = { actor: { requester, isStaff: false }, logger: silentLogger, place: 'console-place:ada' };

  /** The store with its calls failing while `down` says so: all of them, or only the lane writes (an outage mid-enqueue). */
  function flaky(kv: KeyValueStore): GuardedStore {
    const health = new StoreHealth({ logger: createLogger({ level: 'silent' }), timeoutMs: 1_000, store: 'test' });
    const check = (name: string) => {
      if (down.all || (down.lanes && name.startsWith('outbox:lane'))) throw new Error('connection refused');
    };
    return guardStore(
      {
        ...kv,
        get: async <T>(key: string) => (check(key), kv.get<T>(key)),
        set: async (key, value, ttlMs) => (check(key), kv.set(key, value, ttlMs)),
        members: async (set) => (check(set), kv.members(set)),
        add: async (set, member) => (check(set), kv.add(set, member)),
        setIfAbsent: async (key, value, ttlMs) => (check(key), kv.setIfAbsent(key, value, ttlMs)),
      },
      health,
    );
  }

  beforeEach(async () => {
    Object.assign(down, { lanes: false, all: false });
    const base = await openStore('sqlite://:memory:');
    desk = new LocalDesk(base);
    h = await startHarness({ kv: flaky(base) });
    const snapshot = await h.service.open({ subject: 'Printer on fire', description: 'Smoke' }, requester);
    await h.service.link(snapshot, 'console:1', requester);
    h.bridge.start();
  });
  afterEach(async () => {
    Object.assign(down, { lanes: false, all: false });
    await h.close();
  });

  it('answers /ticket list and a reply in plain words: nothing was sent', async () => {
    down.all = true;
    const words = 'The ticket store is unreachable; nothing was sent. Please try again in a minute.';
    expect(await listTickets(h.service, ctx)).toMatchObject({ ok: false, text: words });
    expect(await replyToTicket(h.service, { ticketId: '1', text: 'Any news?', author: requester, eventKey: 'console:t:1' }, silentLogger)).toMatchObject({ ok: false, text: words });
  });

  it('says a reply saved before the store failed will go out when it is back, and sends it then, once', async () => {
    down.lanes = true;
    const reply = await replyToTicket(h.service, { ticketId: '1', text: 'Any news?', author: requester, eventKey: 'console:t:2' }, silentLogger);
    expect(reply).toMatchObject({ ok: true, later: true, text: 'The ticket store is unreachable right now, but your message is saved: it will go out to Local desk when the store is back.' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await desk.comments('1')).some((c) => c.text.includes('Any news?'))).toBe(false);

    down.lanes = false;
    await waitFor(async () => (await desk.comments('1')).some((c) => c.text.includes('Any news?')), 'the saved reply to reach the desk');
    await new Promise((r) => setTimeout(r, 300));
    expect((await desk.comments('1')).filter((c) => c.text.includes('Any news?'))).toHaveLength(1);
  });
});
