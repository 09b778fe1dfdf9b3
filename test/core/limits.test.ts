import { afterEach, describe, expect, it } from 'vitest';
import { createLimiters, type Limiters, type RateLimit } from '../../src/limits.js';
import { TokenBucket } from '../../src/pacing.js';
import { openStore, type KeyValueStore } from '../../src/store/index.js';
import { dropRedisPrefix, uniqueRedisUrl } from '../support/harness.js';

const LIMIT: RateLimit = { name: 'vendor', inProcess: { capacity: 1, perMs: 100 }, shared: { points: 5, seconds: 1 } };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The most timestamps in any window of `windowMs` starting at one of them. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('rate limits', () => {
  it('hold across two replicas on one Redis: together they never pass the limit, and every call goes through', async () => {
    const target = uniqueRedisUrl('limits');
    const stores: KeyValueStore[] = [await openStore(target.url), await openStore(target.url)];
    const replicas: Limiters[] = await Promise.all(stores.map((kv) => createLimiters(kv)));
    cleanup.push(async () => {
      for (const l of replicas) await l.close();
      for (const kv of stores) await kv.close();
      await dropRedisPrefix(target.prefix);
    });
    const passed: number[] = [];
    const burst = (limiters: Limiters) =>
      Promise.all(Array.from({ length: 15 }, async () => {
        await limiters.pacer(LIMIT).take();
        passed.push(Date.now());
      }));
    const started = Date.now();
    await Promise.all(replicas.map(burst));
    expect(passed).toHaveLength(30);
    // 5 per fixed second, shared: at most 10 in any sliding second, so 30 calls need at least 2 s.
    expect(maxInWindow(passed, 1_000)).toBeLessThanOrEqual(10);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  });

  it('keeps separate keys apart (one channel does not hold up another)', async () => {
    const target = uniqueRedisUrl('limits-keys');
    const kv = await openStore(target.url);
    const limiters = await createLimiters(kv);
    cleanup.push(async () => {
      await limiters.close();
      await kv.close();
      await dropRedisPrefix(target.prefix);
    });
    const one = { ...LIMIT, shared: { points: 1, seconds: 5 } };
    await limiters.pacer(one, 'C1').take();
    const started = Date.now();
    await limiters.pacer(one, 'C2').take();
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('are token buckets in this process on SQLite', async () => {
    const kv = await openStore('sqlite://:memory:');
    const limiters = await createLimiters(kv);
    cleanup.push(async () => {
      await limiters.close();
      await kv.close();
    });
    const pacer = limiters.pacer(LIMIT, 'C1');
    expect(pacer).toBeInstanceOf(TokenBucket);
    expect(limiters.pacer(LIMIT, 'C1')).toBe(pacer);
    expect(limiters.pacer(LIMIT, 'C2')).not.toBe(pacer);
  });
});
