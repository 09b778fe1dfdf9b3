import { runReplicas } from '../fakes/replicas/run.js';
import { SPACEBRING_LIMIT_PER_S } from './relay.js';
import { round } from './stats.js';

export interface ScaleResult {
  replicas: number;
  tickets: number;
  /** Sent each way: thread replies to the vendor, agent comments to chat. */
  messages_each_way: number;
  provider_calls: number;
  provider_calls_max_1s: number;
  provider_limit_per_s: number;
  provider_429: number;
  lost: number;
  duplicated: number;
  drain_s: number;
}

const REPLICAS = 3;
const TICKETS = Number(process.env.SCALE_TICKETS ?? 50);
const PER_TICKET = 10;

/**
 * Three bot processes on one Redis against Spacebring's fake, which answers 429 above 10 requests
 * in any second: a burst of 500 thread replies (10 on each of 50 tickets, spread over the
 * replicas) and 500 agent comments at once. Deliveries run on every replica, polling on the one
 * holding the lease; the vendor limit is held in Redis for all of them.
 */
export async function benchScale(log: (line: string) => void): Promise<ScaleResult> {
  const report = await runReplicas({
    provider: 'spacebring',
    store: 'redis',
    processes: REPLICAS,
    tickets: TICKETS,
    messagesPerTicket: PER_TICKET,
    kills: 0,
    faultRate: 0,
    gapMs: [0, 0],
    drainTimeoutMs: 300_000,
    progress: (line) => log(`scale: ${line}`),
  });
  const { toProvider, toChat, providerCalls } = report;
  const result: ScaleResult = {
    replicas: REPLICAS,
    tickets: TICKETS,
    messages_each_way: TICKETS * PER_TICKET,
    provider_calls: providerCalls.total,
    provider_calls_max_1s: providerCalls.max1s,
    provider_limit_per_s: SPACEBRING_LIMIT_PER_S,
    provider_429: providerCalls.rateLimited,
    lost: toProvider.lost + toChat.lost,
    duplicated: toProvider.duplicated + toChat.duplicated,
    drain_s: round(report.drainMs / 1000, 1),
  };
  log(`scale: ${REPLICAS} replicas, ${result.provider_calls} calls, max ${result.provider_calls_max_1s} in 1 s, ${result.provider_429} × 429, lost ${result.lost}, duplicated ${result.duplicated}, drained in ${result.drain_s} s`);
  return result;
}
