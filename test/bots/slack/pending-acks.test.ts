import { afterEach, describe, expect, it, vi } from 'vitest';
import { PendingAcks } from '../../../bots/slack/pending-acks.js';

describe('PendingAcks', () => {
  afterEach(() => vi.useRealTimers());

  it('holds after-ack work until every request in hand is answered', async () => {
    const acks = new PendingAcks();
    const first = acks.begin();
    const second = acks.begin();
    let ran = false;
    const work = acks.settled(1_000).then(() => (ran = true));
    first();
    first(); // a second call for the same request changes nothing
    await Promise.resolve();
    expect(ran).toBe(false);
    second();
    await work;
    expect(ran).toBe(true);
  });

  it('lets work through at once when nothing is pending', async () => {
    let ran = false;
    await new PendingAcks().settled(1_000).then(() => (ran = true));
    expect(ran).toBe(true);
  });

  it('stops holding work after the longest wait while requests keep coming', async () => {
    vi.useFakeTimers();
    const acks = new PendingAcks();
    acks.begin();
    let ran = false;
    const work = acks.settled(1_000).then(() => (ran = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(ran).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await work;
    expect(ran).toBe(true);
  });
});
