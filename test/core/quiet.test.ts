import { describe, expect, it } from 'vitest';
import { ACTIVE_WINDOW_MS, isDue, quietGapMs, readMark } from '../../src/relay/quiet.js';

const INTERVAL = 15_000;
const MAX = 600_000;

describe('quiet back-off (providers that cannot list changes)', () => {
  it('checks every cycle while active, then doubles the gap from two intervals up to the maximum', () => {
    expect(quietGapMs(0, INTERVAL, MAX)).toBe(0);
    expect(quietGapMs(ACTIVE_WINDOW_MS - 1, INTERVAL, MAX)).toBe(0);
    const gaps: number[] = [];
    // Walk the schedule as the relay does: each check happens one gap after the previous one.
    for (let quiet = ACTIVE_WINDOW_MS; gaps.length < 8; ) {
      const gap = quietGapMs(quiet, INTERVAL, MAX);
      gaps.push(gap);
      quiet += gap;
    }
    expect(gaps).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 600_000, 600_000, 600_000]);
  });

  it('never waits longer than the maximum, and spreads quiet tickets over the gap', () => {
    const now = 10 * 3_600_000;
    const mark = { activeAt: 0, checkedAt: now - MAX };
    const ids = Array.from({ length: 1_000 }, (_, i) => String(i + 1));
    expect(ids.every((id) => isDue(mark, now, INTERVAL, MAX, id))).toBe(true);
    // A quarter of the way into the last quarter of the gap, about a quarter of them are due.
    const early = ids.filter((id) => isDue({ activeAt: 0, checkedAt: now - 0.8 * MAX }, now, INTERVAL, MAX, id)).length;
    expect(early).toBeGreaterThan(100);
    expect(early).toBeLessThan(400);
    expect(ids.some((id) => isDue({ activeAt: 0, checkedAt: now - 0.7 * MAX }, now, INTERVAL, MAX, id))).toBe(false);
  });

  it('makes a touched ticket due at once', () => {
    const now = 5 * 3_600_000;
    expect(isDue({ activeAt: now, checkedAt: 0 }, now, INTERVAL, MAX, '7')).toBe(true);
    expect(isDue({ activeAt: now, checkedAt: now }, now + INTERVAL, INTERVAL, MAX, '7')).toBe(true);
  });
});

describe('relay on the local desk (nothing lists changes)', () => {
  it('stops reading a quiet ticket every cycle, reads it within the maximum gap, and at once after a chat reply', async () => {
    const { createProvider } = await import('../../adapters/local/index.js');
    const { Bridge } = await import('../../src/bridge.js');
    const { silentLogger } = await import('../../src/logger.js');
    const { createHttpClient } = await import('../../src/provider-kit/http.js');
    const { openStore } = await import('../../src/store/index.js');
    const kv = await openStore('sqlite://:memory:');
    const http = createHttpClient(silentLogger);
    let clock = Date.now();
    let reads = 0;
    const local = createProvider({ http, logger: silentLogger, kv, env: {} });
    const provider = { ...local, getTicket: (id: string) => (reads++, local.getTicket(id)) };
    const bridge = new Bridge({ provider, kv, logger: silentLogger, pollIntervalMs: INTERVAL, pollQuietMaxMs: MAX, now: () => clock });
    try {
      const ada = { key: 'slack:T1:U1', name: 'Ada' };
      const snapshot = await provider.createTicket({ subject: 'Printer', description: 'On fire.' }, ada);
      const link = await bridge.service.link(snapshot, 'mem:t1', ada);
      const cycle = async () => {
        const before = reads;
        await bridge.relay.pollOnce();
        clock += INTERVAL;
        return reads - before;
      };
      // Active (just linked): every cycle for the 10-minute window.
      let active = 0;
      for (let i = 0; i < ACTIVE_WINDOW_MS / INTERVAL; i++) active += await cycle();
      expect(active).toBe(ACTIVE_WINDOW_MS / INTERVAL);
      // Quiet for hours: about one read per maximum gap, never a gap longer than it.
      const readsAt: number[] = [];
      for (let i = 0; i < (3 * 3_600_000) / INTERVAL; i++) if ((await cycle()) > 0) readsAt.push(clock);
      const gaps = readsAt.slice(1).map((t, i) => t - readsAt[i]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(MAX + INTERVAL);
      expect(gaps.slice(-3).every((g) => g >= 0.75 * MAX)).toBe(true);
      // A chat reply makes it due in the next cycle.
      await bridge.service.reply({ thread: link.thread, text: 'Any news?', author: ada, eventKey: 'e1' });
      expect(await cycle()).toBe(1);
      expect(await cycle()).toBe(1);
    } finally {
      await bridge.stop();
      await kv.close();
      await http.close();
    }
  });

  it('reads a stored mark, and takes none or one that does not fit as no mark (the ticket is due)', () => {
    expect(readMark({ activeAt: 1, checkedAt: 2 })).toEqual({ activeAt: 1, checkedAt: 2 });
    expect(readMark(undefined)).toBeUndefined();
    expect(readMark({ activeAt: 'yesterday', checkedAt: 2 })).toBeUndefined();
  });
});
