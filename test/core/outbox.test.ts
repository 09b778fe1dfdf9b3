import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
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

/** The jobs these tests queue: one kind, delivered by whatever each test passes as `deliver`. */
const SendJob = z.object({ kind: z.literal('send'), key: z.string(), lane: z.string(), ticketId: z.string(), payload: z.object({ key: z.string() }) });
type SendJob = z.infer<typeof SendJob>;
type Box = Outbox<SendJob>;
type Options = Partial<OutboxOptions<SendJob>>;

const defaults = (kv: KeyValueStore): OutboxOptions<SendJob> => ({
  kv,
  logger: silentLogger,
  schema: SendJob,
  deliver: async () => {
    throw new Error('this outbox was given nothing to deliver with');
  },
  checksOutcome: () => false,
  retry: { baseMs: 20, maxMs: 100 },
  idleMs: 20,
  leaseMs: 2_000,
});

interface Backend {
  name: string;
  /** Two outboxes on one store, as two processes would have. */
  open(count: number, options?: Options): Promise<Box[]>;
  cleanup(): Promise<void>;
}

function keyvBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'tb-outbox-'));
  const stores: KeyValueStore[] = [];
  const boxes: Box[] = [];
  return {
    name: 'keyv on SQLite',
    async open(count, options = {}) {
      for (let i = 0; i < count; i++) {
        const kv = await openStore(`sqlite://${join(dir, 'o.sqlite')}`);
        stores.push(kv);
        boxes.push(new KeyvOutbox({ ...defaults(kv), ...options }));
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
  const boxes: Box[] = [];
  return {
    name: 'BullMQ on Redis',
    async open(count, options = {}) {
      for (let i = 0; i < count; i++) {
        const kv = await openStore(target.url);
        stores.push(kv);
        boxes.push(new BullOutbox({ ...defaults(kv), ...options }));
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

const job = (key: string, lane = 'provider:p:T1'): SendJob => ({ key, lane, kind: 'send', ticketId: lane.split(':')[2]!, payload: { key } });

describe.each([{ make: keyvBackend }, { make: bullBackend }])('outbox', ({ make }) => {
  let backend: Backend;
  afterEach(async () => backend.cleanup());

  it(`${make().name}: queues each key once, even when the platform sends the event again`, async () => {
    backend = make();
    const runs: string[] = [];
    const [box] = await backend.open(1, { deliver: async (j) => void runs.push(j.key) });
    expect(await box!.enqueue(job('a'))).toBe(true);
    expect(await box!.enqueue(job('a'))).toBe(false);
    box!.start();
    await waitFor(async () => (await box!.get('a'))?.state === 'done', 'delivery');
    expect(await box!.enqueue(job('a'))).toBe(false); // after delivery too
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual(['a']);
  });

  it(`${make().name}: reports one of two simultaneous enqueues of a key as new (a double click)`, async () => {
    backend = make();
    const runs: string[] = [];
    const [box] = await backend.open(1, { deliver: async (j) => void runs.push(j.key) });
    expect((await Promise.all([box!.enqueue(job('b')), box!.enqueue(job('b'))])).sort()).toEqual([false, true]);
    box!.start();
    await waitFor(async () => (await box!.get('b'))?.state === 'done', 'delivery');
    await new Promise((r) => setTimeout(r, 200));
    expect(runs).toEqual(['b']);
  });

  it(`${make().name}: counts waiting jobs per direction and the oldest one's age, and drops to zero once delivered`, async () => {
    backend = make();
    let open = false;
    const outcomes: string[] = [];
    const [box] = await backend.open(1, {
      deliver: async () => {
        if (!open) throw unavailable();
      },
      onAttempt: (j, result) => void outcomes.push(`${j.key}:${result}`),
    });
    expect(await box!.stats()).toEqual({ chat: { depth: 0, oldestAgeMs: 0 }, provider: { depth: 0, oldestAgeMs: 0 } });
    await box!.enqueue(job('p1', 'provider:p:T1'));
    await box!.enqueue(job('p2', 'provider:p:T1'));
    await box!.enqueue(job('c1', 'chat:p:T2'));
    await new Promise((r) => setTimeout(r, 120));
    const waiting = await box!.stats();
    expect(waiting.provider.depth).toBe(2);
    expect(waiting.chat.depth).toBe(1);
    expect(waiting.provider.oldestAgeMs).toBeGreaterThanOrEqual(100);
    expect(waiting.provider.oldestAgeMs).toBeLessThan(5_000);

    box!.start();
    await waitFor(() => outcomes.includes('p1:retried'), 'a retried attempt');
    open = true;
    await waitFor(async () => (await box!.stats()).provider.depth === 0 && (await box!.stats()).chat.depth === 0, 'the outbox drained', 10_000);
    expect(await box!.stats()).toEqual({ chat: { depth: 0, oldestAgeMs: 0 }, provider: { depth: 0, oldestAgeMs: 0 } });
    expect(outcomes.filter((o) => o.endsWith(':delivered')).sort()).toEqual(['c1:delivered', 'p1:delivered', 'p2:delivered']);
  });

  it(`${make().name}: keeps per-lane order with two workers while the first job is retried`, async () => {
    backend = make();
    const delivered: string[] = [];
    let failuresLeft = 3;
    const boxes = await backend.open(2, {
      deliver: async (j) => {
        if (j.key === 'T1-0' && failuresLeft-- > 0) throw failuresLeft % 2 ? unavailable() : rateLimited(50);
        await new Promise((r) => setTimeout(r, 5));
        delivered.push(j.key);
      },
    });
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
    const attempts: number[] = [];
    const [box] = await backend.open(1, {
      deliver: async () => {
        attempts.push(Date.now());
        if (attempts.length === 1) throw rateLimited(600);
      },
    });
    await box!.enqueue(job('slow'));
    box!.start();
    await waitFor(() => attempts.length === 2, 'second attempt', 5_000);
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(590);
  });

  it(`${make().name}: marks a 4xx failed for good, tells once, moves on, and retries on request`, async () => {
    backend = make();
    const failed: OutboxJob<SendJob>[] = [];
    const delivered: string[] = [];
    let reject = true;
    const [box] = await backend.open(1, {
      onFailed: async (j) => void failed.push(j),
      deliver: async (j) => {
        if (j.key === 'bad' && reject) throw invalid();
        delivered.push(j.key);
      },
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
    const onFailed = async (j: OutboxJob<SendJob>) => {
      if (noticeFailures-- > 0) throw new Error('store unavailable');
      told.push(j.key);
    };
    const deliver = async () => {
      throw invalid();
    };
    const [box] = await backend.open(1, { onFailed, deliver });
    await box!.enqueue(job('bad'));
    box!.start();
    await waitFor(async () => (await box!.get('bad'))?.state === 'failed', 'the job marked failed');
    expect(told).toEqual(['bad']);
    expect((await box!.get('bad'))?.attempts).toBe(2);
  });

  it(`${make().name}: a job in flight is stored outcome-unknown, so whoever takes it over after a crash checks first`, async () => {
    backend = make();
    let release: () => void = () => undefined;
    const [first] = await backend.open(1, { deliver: () => new Promise<void>((r) => (release = r)), checksOutcome: () => true });
    await first!.enqueue(job('hang'));
    first!.start();
    await waitFor(async () => (await first!.get('hang'))?.outcomeUnknown === true, 'the in-flight mark');
    // The record says the call may have happened; a new process reads it so.
    const [second] = await backend.open(1);
    expect((await second!.get('hang'))?.outcomeUnknown).toBe(true);
    release();
  });
});
