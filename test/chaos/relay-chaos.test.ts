import { describe, expect, it } from 'vitest';
import { runReplicas, type ReplicaRunOptions } from '../../fakes/replicas/run.js';

const base = { tickets: 50, messagesPerTicket: 20, kills: 3, faultRate: 0.12 } satisfies Partial<ReplicaRunOptions>;

describe('relay under chaos: 1,000 messages each way, random 5xx/429/timeouts, 3 SIGKILLs', () => {
  it.each([
    { store: 'sqlite' as const, processes: 1 },
    { store: 'redis' as const, processes: 2 },
  ])('loses and duplicates nothing on $store with $processes process(es)', async ({ store, processes }) => {
    const report = await runReplicas({ ...base, store, processes, ...(process.env.CHAOS_DEBUG ? { progress: (l: string) => console.log(l) } : {}) });
    for (const line of report.lines) console.log(line);
    console.log(
      `chaos ${store}: processes=${processes} kills=${report.kills} provider faults=${report.providerFaults} chat faults=${report.chatFaults} ` +
        `chat resends absorbed by idempotency key=${report.chatResends} status posts=${report.statusPosts.posted}/${report.statusPosts.expected}`,
    );
    expect(report.toProvider).toMatchObject({ sent: 1000, delivered: 1000, lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(report.toChat).toMatchObject({ sent: 1000, delivered: 1000, lost: 0, duplicated: 0, outOfOrder: 0 });
    expect(report.statusPosts).toEqual({ expected: 50, posted: 50, duplicated: 0 });
    expect(report.providerFaults).toBeGreaterThan(0);
    // Graceful stop: SIGTERM → Bridge.stop() → exit 0, poller lease released.
    expect(report.exitCodes.every((code) => code === 0)).toBe(true);
    expect(report.leaseLeft).toBe(false);
  }, 100_000);
});
