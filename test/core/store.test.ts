import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease } from '../../src/store/lease.js';
import { openStore, type KeyValueStore } from '../../src/store/index.js';
import { dropRedisPrefix, REDIS_URL, uniqueRedisUrl } from '../support/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Backend {
  name: 'sqlite' | 'redis';
  open(): Promise<KeyValueStore>;
  cleanup(): Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), 'tb-store-'));
const redisTarget = uniqueRedisUrl('store');
const backends: Backend[] = [
  { name: 'sqlite', open: () => openStore(`sqlite://${join(dir, 'store.sqlite')}`), cleanup: async () => rmSync(dir, { recursive: true, force: true }) },
  { name: 'redis', open: () => openStore(redisTarget.url), cleanup: () => dropRedisPrefix(redisTarget.prefix) },
];

describe.each(backends)('KeyValueStore on $name', (backend) => {
  let kv: KeyValueStore;
  let other: KeyValueStore; // a second connection, as a second process would have
  beforeAll(async () => {
    kv = await backend.open();
    other = await backend.open();
  });
  afterAll(async () => {
    await kv.close();
    await other.close();
    await backend.cleanup();
  });

  it('reports its kind and url', () => {
    expect(kv.kind).toBe(backend.name);
    expect(kv.url).toBeDefined();
  });

  it('gets, sets and deletes values, visible to another connection', async () => {
    expect(await kv.get('v:missing')).toBeUndefined();
    await kv.set('v:obj', { a: 1, b: ['x'] });
    expect(await other.get('v:obj')).toEqual({ a: 1, b: ['x'] });
    await kv.set('v:obj', 2);
    expect(await kv.get('v:obj')).toBe(2);
    await other.delete('v:obj');
    expect(await kv.get('v:obj')).toBeUndefined();
  });

  it('expires a value after its ttl', async () => {
    await kv.set('v:ttl', 'soon gone', 150);
    expect(await kv.get('v:ttl')).toBe('soon gone');
    await sleep(300);
    expect(await kv.get('v:ttl')).toBeUndefined();
  });

  it('setIfAbsent lets exactly one of many concurrent callers win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? kv : other).setIfAbsent('once:a', `w${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await kv.setIfAbsent('once:a', 'late')).toBe(false);
  });

  it('setIfAbsent with a ttl frees the key when it expires', async () => {
    expect(await kv.setIfAbsent('once:ttl', 'x', 100)).toBe(true);
    expect(await other.setIfAbsent('once:ttl', 'y', 100)).toBe(false);
    await sleep(200);
    expect(await other.setIfAbsent('once:ttl', 'y', 100)).toBe(true);
  });

  it('claim: one owner at a time, renewable by its holder, taken over after the ttl', async () => {
    expect(await kv.claim('lease:a', 'p1', 200)).toBe(true);
    expect(await other.claim('lease:a', 'p2', 200)).toBe(false);
    expect(await kv.claim('lease:a', 'p1', 200)).toBe(true); // renewal
    await sleep(120);
    expect(await kv.claim('lease:a', 'p1', 200)).toBe(true); // renewed again: still p1's at 240 ms
    await sleep(120);
    expect(await other.claim('lease:a', 'p2', 200)).toBe(false);
    await sleep(250); // p1 died: no more renewals
    expect(await other.claim('lease:a', 'p2', 200)).toBe(true);
    expect(await kv.claim('lease:a', 'p1', 200)).toBe(false);
  });

  it('claim races: exactly one of many concurrent claimers holds a free lease', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? kv : other).claim('lease:race', `p${i}`, 5_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('release only deletes the lease of its owner', async () => {
    expect(await kv.claim('lease:b', 'p1', 5_000)).toBe(true);
    await other.release('lease:b', 'p2'); // not the holder: no effect
    expect(await other.claim('lease:b', 'p2', 5_000)).toBe(false);
    await kv.release('lease:b', 'p1');
    expect(await other.claim('lease:b', 'p2', 5_000)).toBe(true);
  });

  it('sets: add answers whether the member is new, remove and members', async () => {
    expect(await kv.add('s1', 'a')).toBe(true);
    expect(await other.add('s1', 'a')).toBe(false);
    expect(await kv.add('s1', 'b')).toBe(true);
    expect((await other.members('s1')).sort()).toEqual(['a', 'b']);
    await other.remove('s1', 'a');
    await kv.remove('s1', 'missing');
    expect(await kv.members('s1')).toEqual(['b']);
    expect(await kv.members('s-empty')).toEqual([]);
  });

  it('a Lease renews itself while held and is taken over when its holder stops', async () => {
    const a = new Lease(kv, 'lease:renewed', 150, 'holder-a');
    const b = new Lease(other, 'lease:renewed', 150, 'holder-b');
    expect(await a.acquire()).toBe(true);
    await sleep(400); // longer than the ttl: only the renewals keep it
    expect(await b.acquire()).toBe(false);
    await a.release();
    expect(await b.acquire()).toBe(true);
    await b.release();
  });
});

describe('Redis lease keys', () => {
  it('are plain SET NX PX keys holding a random owner, with a TTL, and vanish on release', async () => {
    const target = uniqueRedisUrl('lease');
    const kv = await openStore(target.url);
    const redis = new Redis(REDIS_URL);
    try {
      const lease = new Lease(kv, 'poller:test', 5_000);
      expect(await lease.acquire()).toBe(true);
      const key = `${target.prefix}:lease:poller:test`;
      expect(await redis.get(key)).toBe(lease.owner);
      expect(lease.owner).toMatch(/^[0-9a-f-]{36}$/);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(4_000);
      expect(ttl).toBeLessThanOrEqual(5_000);
      await lease.release();
      expect(await redis.exists(key)).toBe(0);
    } finally {
      redis.disconnect();
      await kv.close();
      await dropRedisPrefix(target.prefix);
    }
  });
});
