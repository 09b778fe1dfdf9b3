import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PendingAcks } from '../../../bots/slack/pending-acks.js';

describe('PendingAcks: after-ack work waits for the end of a burst', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  /** Starts work that waits at most `maxWaitMs`; `ran()` tells whether it has been let through. */
  function work(acks: PendingAcks, maxWaitMs = 1_000): () => boolean {
    let ran = false;
    void acks.settled(maxWaitMs).then(() => (ran = true));
    return () => ran;
  }

  /** `count` pieces of work waiting on a request, which is then answered; `done()` tells which have run. */
  function waitingOnOneRequest(acks: PendingAcks, count: number): () => boolean[] {
    const answered = acks.begin();
    const ran = Array.from({ length: count }, () => work(acks));
    answered();
    return () => ran.map((r) => r());
  }

  it('lets work through at once when no request came for a while', async () => {
    const acks = new PendingAcks();
    await vi.advanceTimersByTimeAsync(100);
    const ran = work(acks);
    await vi.advanceTimersByTimeAsync(0);
    expect(ran()).toBe(true);
  });

  it('holds work while a request waits for its answer', async () => {
    const acks = new PendingAcks();
    const first = acks.begin();
    const second = acks.begin();
    const ran = work(acks);
    await vi.advanceTimersByTimeAsync(200);
    first();
    first(); // a second call for the same request changes nothing
    await vi.advanceTimersByTimeAsync(50);
    expect(ran()).toBe(false);
    second();
    await vi.advanceTimersByTimeAsync(1);
    expect(ran()).toBe(true);
  });

  it('keeps holding while requests keep arriving, one at a time', async () => {
    const acks = new PendingAcks();
    acks.begin()();
    const ran = work(acks);
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(10);
      acks.begin()();
    }
    expect(ran()).toBe(false);
    await vi.advanceTimersByTimeAsync(30);
    expect(ran()).toBe(true);
  });

  it('stops holding work after the longest wait while requests keep coming', async () => {
    const acks = new PendingAcks();
    acks.begin();
    const ran = work(acks, 1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(ran()).toBe(false);
    await vi.advanceTimersByTimeAsync(2);
    expect(ran()).toBe(true);
  });

  it('lets waiting work through one piece per turn, and stops for a request that comes meanwhile', async () => {
    const acks = new PendingAcks();
    const done = waitingOnOneRequest(acks, 3);
    await vi.advanceTimersToNextTimerAsync(); // the quiet time is over
    await vi.advanceTimersToNextTimerAsync(); // the turn after it: the first piece goes
    expect(done()).toEqual([true, false, false]);
    const next = acks.begin(); // a request comes before the next turn
    await vi.advanceTimersToNextTimerAsync();
    expect(done()).toEqual([true, false, false]);
    next();
    await vi.advanceTimersByTimeAsync(15); // answered, but not quiet for long enough yet
    expect(done()).toEqual([true, false, false]);
    await vi.advanceTimersByTimeAsync(10);
    expect(done()).toEqual([true, true, true]);
  });

  it('stops for a request that comes and is answered between two pieces', async () => {
    const acks = new PendingAcks();
    const done = waitingOnOneRequest(acks, 2);
    await vi.advanceTimersToNextTimerAsync();
    await vi.advanceTimersToNextTimerAsync();
    expect(done()).toEqual([true, false]);
    acks.begin()(); // nothing is pending at the next turn, but something came
    await vi.advanceTimersToNextTimerAsync();
    expect(done()).toEqual([true, false]);
    await vi.advanceTimersByTimeAsync(25);
    expect(done()).toEqual([true, true]);
  });

  it('lets later work through after the work already waiting, not ahead of it', async () => {
    const acks = new PendingAcks();
    const answered = acks.begin();
    const order: string[] = [];
    for (const name of ['first', 'second']) void acks.settled(1_000).then(() => order.push(name));
    answered();
    await vi.advanceTimersToNextTimerAsync();
    await vi.advanceTimersToNextTimerAsync(); // 'first' goes; 'second' waits for the next turn
    void acks.settled(1_000).then(() => order.push('later'));
    await vi.advanceTimersByTimeAsync(5);
    expect(order).toEqual(['first', 'second', 'later']);
  });
});
