import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import type { Outbox, OutboxJob, OutboxOptions } from '../../src/delivery/outbox.js';
import { BullOutbox } from '../../src/delivery/bullmq-outbox.js';
import { KeyvOutbox } from '../../src/delivery/keyv-outbox.js';
import { openStore, type KeyValueStore } from '../../src/store/index.js';
import { dropRedisPrefix, uniqueRedisUrl, waitFor } from '../support/harness.js';

const rateLimited = (ms: number) => new ProviderError({ kind: 'rate_limited', provider: 'p', method: 'POST', path: '/c', status: 429, retryAfterMs: ms });
const unavailable = () => new ProviderError({ kind: 'unavailable', provider: 'p', method: 'POST', path: '/c', status: 503 });
const invalid = () => new ProviderError({ kind: 'invalid', provider: 'p', method: 'POST', path: '/c', status: 400, vendorMessage: 'Message is required' });

interface Backend {
  name: string;
  /** Two outboxes on one store, as two processes would have. */
  open(count: number, options?: Partial<OutboxOptions>): Promise<Outbox[]>;
  cleanup(): Promise<void>;
}

function keyvBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'tb-outbox-'));
  const stores: KeyValueStore[] = [];
  const boxes: Outbox[] = [];
  return {
    name: 'keyv on SQLite',
    async open(count, options = {}) {
      for (let i = 0; i < count; i++) {
        const kv = await openStore(`sqlite://${join(dir, 'o.sqlite')}`);
        stores.push(kv);
        boxes.push(new KeyvOutbox({ kv, logger: silentLogger, retry: { baseMs: 20, maxMs: 100 }, idleMs: 20, leaseMs: 2_000, ...options }));
      }
      return boxes.slice(-count);
    },
    async cleanup() {
      await Promise.all(boxes.splice(0).map((b) => b.stop()));
      await Promise.all(stores.splice(0).map((s) => s.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function bullBackend(): Backend {
  const target = uniqueRedisUrl('outbox');
  const stores: KeyValueStore[] = [];
  const boxes: Outbox[] = [];
  return {
    name: 'BullMQ on Redis',
    async open(count, options = {}) {
      for (let i = 0; i < count; i++) {
        const kv = await openStore(target.url);
        stores.push(kv);
        boxes.push(new BullOutbox({ kv, logger: silentLogger, retry: { baseMs: 20, maxMs: 100 }, idleMs: 20, leaseMs: 2_000, ...options }));
      }
      return boxes.slice(-count);
    },
    async cleanup() {
      await Promise.all(boxes.splice(0).map((b) => b.stop()));
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await dropRedisPrefix(target.prefix);
    },
  };
}

const job = (key: string, lane = 'provider:p:T1') => ({ key, lane, kind: 'send', ticketId: lane.split(':')[2]!, payload: { key } });

describe.each([{ make: keyvBackend }, { make: bullBackend }])('outbox', ({ make }) => {
  let backend: Backend;
  afterEach(async () => backend.cleanup());

  it(`${make().name}: queues each key once, even when the platform sends the event again`, async () => {
    backend = make();
    const [box] = await backend.open(1);
    const runs: string[] = [];
    box!.handle('send', async (j) => void runs.push(j.key));
    expect(await box!.enqueue(job('a'))).toBe(true);
    expect(await box!.enqueue(job('a'))).toBe(false);
    box!.start();
    await waitFor(async () => (await box!.get('a'))?.state === 'done', 'delivery');
    expect(await box!.enqueue(job('a'))).toBe(false); // after delivery too
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual(['a']);
  });

  it(`${make().name}: keeps per-lane order with two workers while the first job is retried`, async () => {
    backend = make();
    const boxes = await backend.open(2);
    const delivered: string[] = [];
    let failuresLeft = 3;
    for (const box of boxes) {
      box.handle('send', async (j) => {
        if (j.key === 'T1-0' && failuresLeft-- > 0) throw failuresLeft % 2 ? unavailable() : rateLimited(50);
        await new Promise((r) => setTimeout(r, 5));
        delivered.push(j.key);
      });
    }
    for (let i = 0; i < 8; i++) {
      await boxes[i % 2]!.enqueue(job(`T1-${i}`, 'provider:p:T1'));
      await boxes[(i + 1) % 2]!.enqueue(job(`T2-${i}`, 'provider:p:T2'));
    }
    boxes.forEach((b) => b.start());
    await waitFor(() => delivered.length === 16, 'all deliveries', 15_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(delivered.filter((k) => k.startsWith('T1'))).toEqual(Array.from({ length: 8 }, (_, i) => `T1-${i}`));
    expect(delivered.filter((k) => k.startsWith('T2'))).toEqual(Array.from({ length: 8 }, (_, i) => `T2-${i}`));
    expect(new Set(delivered).size).toBe(16);
  });

  it(`${make().name}: waits out Retry-After before the next attempt`, async () => {
    backend = make();
    const [box] = await backend.open(1);
    const attempts: number[] = [];
    box!.handle('send', async () => {
      attempts.push(Date.now());
      if (attempts.length === 1) throw rateLimited(600);
    });
    await box!.enqueue(job('slow'));
    box!.start();
    await waitFor(() => attempts.length === 2, 'second attempt', 5_000);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(590);
  });

  it(`${make().name}: marks a 4xx failed for good, tells once, moves on, and retries on request`, async () => {
    backend = make();
    const failed: OutboxJob[] = [];
    const [box] = await backend.open(1, { onFailed: async (j) => void failed.push(j) });
    const delivered: string[] = [];
    let reject = true;
    box!.handle('send', async (j) => {
      if (j.key === 'bad' && reject) throw invalid();
      delivered.push(j.key);
    });
    await box!.enqueue(job('bad'));
    await box!.enqueue(job('next'));
    box!.start();
    await waitFor(() => delivered.includes('next'), 'the next job');
    expect(failed.map((j) => [j.key, j.state, j.lastError])).toEqual([['bad', 'failed', expect.stringContaining('Message is required')]]);
    const view = await box!.forTicket('T1');
    expect(view.failed.map((j) => j.key)).toEqual(['bad']);
    expect(view.pending).toEqual([]);
    reject = false;
    expect((await box!.retryFailed('bad'))?.state).toBe('pending');
    await waitFor(() => delivered.includes('bad'), 'the retried job');
    expect((await box!.forTicket('T1')).failed).toEqual([]);
    expect(failed).toHaveLength(1);
  });

  it(`${make().name}: keeps a job whose failure notice could not be queued, and tells once it can`, async () => {
    backend = make();
    const told: string[] = [];
    let noticeFailures = 1;
    const onFailed = async (j: OutboxJob) => {
      if (noticeFailures-- > 0) throw new Error('store unavailable');
      told.push(j.key);
    };
    const [box] = await backend.open(1, { onFailed });
    box!.handle('send', async () => {
      throw invalid();
    });
    await box!.enqueue(job('bad'));
    box!.start();
    await waitFor(async () => (await box!.get('bad'))?.state === 'failed', 'the job marked failed');
    expect(told).toEqual(['bad']);
    expect((await box!.get('bad'))?.attempts).toBe(2);
  });

  it(`${make().name}: a job in flight is stored outcome-unknown, so whoever takes it over after a crash checks first`, async () => {
    backend = make();
    const [first] = await backend.open(1);
    let release: () => void = () => undefined;
    first!.handle('send', () => new Promise<void>((r) => (release = r)), { checksOutcome: true });
    await first!.enqueue(job('hang'));
    first!.start();
    await waitFor(async () => (await first!.get('hang'))?.outcomeUnknown === true, 'the in-flight mark');
    // The record says the call may have happened; a new process reads it so.
    const [second] = await backend.open(1);
    expect((await second!.get('hang'))?.outcomeUnknown).toBe(true);
    release();
  });
});
