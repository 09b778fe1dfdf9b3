import { startSlack } from '../bots/slack/index.js';
import { SETTLE_MS } from '../src/provider-kit/update-walk.js';
import { silentLogger } from '../src/logger.js';
import { SLACK_DEFAULTS, startFakeSlack } from '../fakes/slack/index.js';
import { benchBridge, linkAll, seedVendorTickets, vendorProvider } from './fixtures.js';
import { seedFake } from './poll.js';
import { percentile, round } from './stats.js';

export const RELAY_POLL_INTERVAL_MS = 1_000;
export const RELAY_OPEN_TICKETS = 10_000;
const SAMPLES = 40;
const CHANNELS = ['C0BENCH0001', 'C0BENCH0002', 'C0BENCH0003', 'C0BENCH0004'];
/** Spacebring answers 429 above this [public]; the adapter paces itself under it. */
export const SPACEBRING_LIMIT_PER_S = 10;

export interface RelayResult {
  provider: string;
  open_tickets: number;
  poll_interval_ms: number;
  samples: number;
  delivered: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  provider_calls_per_s: number;
  provider_calls_max_1s: number;
  provider_limit_per_s: number;
}

/**
 * Agent comment at the fake Spacebring → relayed post in the ticket's Slack thread at the fake
 * Slack, with every seeded ticket (10,000) linked and open and POLL_INTERVAL_MS = 1 s. The whole
 * bridge runs: relay (from a stored cursor), outbox, and the real Slack front-end's sink with
 * its per-channel pacing; cards are spread over four channels. Comments arrive on random tickets
 * at random moments (0.4–1 s apart), so they fall anywhere in the poll cycle.
 */
export async function benchRelay(log: (line: string) => void): Promise<RelayResult> {
  const seeded = await seedFake('spacebring', RELAY_OPEN_TICKETS);
  const { fake } = seeded;
  log(`relay: ${RELAY_OPEN_TICKETS} tickets at the fake Spacebring`);
  const slackFake = await startFakeSlack({ channels: CHANNELS.map((id) => ({ id, name: id.toLowerCase() })) });
  const rig = await benchBridge((deps) => vendorProvider('spacebring', fake, deps), RELAY_POLL_INTERVAL_MS);
  const { bridge, kv } = rig;
  const threads = seeded.snapshots.map((s, i) => {
    const card = slackFake.addMessage({ channel: CHANNELS[i % CHANNELS.length]!, text: `Ticket ${s.ticket.id}`, user: SLACK_DEFAULTS.botUserId });
    return `slack:${card.channel}:${card.ts}`;
  });
  await linkAll(bridge, seeded.snapshots, (i) => threads[i]!);
  const provider = bridge.options.provider;
  // The relay starts from a settled cursor, as a bot running for a while has. Seeding opened
  // hundreds of tickets in each second, more than the walk's ten pages hold: one more ticket a
  // second later makes the newest second a quiet one, as it is at a vendor in real use.
  await new Promise((r) => setTimeout(r, 1_100));
  await seedVendorTickets('spacebring', fake, 1);
  const first = await provider.listUpdatedSince!(undefined, []);
  await new Promise((r) => setTimeout(r, SETTLE_MS + 100));
  await bridge.links.setCursor((await provider.listUpdatedSince!(first.cursor, [])).cursor);

  const env = { SLACK_BOT_TOKEN: SLACK_DEFAULTS.botToken, SLACK_API_URL: slackFake.url, SLACK_SIGNING_SECRET: 'benchsigningsecret0001', PORT: '0' };
  const slack = await startSlack({ service: bridge.service, kv, logger: silentLogger, env });
  bridge.attach(slack);

  // The fake records every request, a refused one too, as its limit counts them.
  const counts: { at: number; calls: number }[] = [];
  const sampler = setInterval(() => counts.push({ at: performance.now(), calls: fake.requests.length }), 50);
  const callsBefore = fake.requests.length;
  const started = performance.now();
  bridge.start();

  const latencies: number[] = [];
  const waits: Promise<void>[] = [];
  try {
    for (let i = 0; i < SAMPLES; i++) {
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 600));
      const index = Math.floor(Math.random() * seeded.ticketIds.length);
      const ticketId = seeded.ticketIds[index]!;
      const t0 = Date.now(); // the fake Slack stamps calls with Date.now()
      const commentId = fake.addAgentComment(ticketId, `Agent answer ${i}`, 'Grace Support');
      const key = `post:spacebring:${ticketId}:${String(commentId)}`;
      waits.push(
        slackFake
          .waitFor('chat.postMessage', (call) => call.status === 200 && postKey(call.args['metadata']) === key, 15_000)
          .then(
            (call) => void latencies.push(call.at - t0),
            () => undefined,
          ),
      );
    }
    await Promise.all(waits);
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const calls = fake.requests.length - callsBefore;
  await slack.stop();
  await rig.close();
  await slackFake.close();
  await fake.close();

  const result: RelayResult = {
    provider: 'spacebring',
    open_tickets: seeded.ticketIds.length,
    poll_interval_ms: RELAY_POLL_INTERVAL_MS,
    samples: SAMPLES,
    delivered: latencies.length,
    p50_ms: round(percentile(latencies, 50), 0),
    p95_ms: round(percentile(latencies, 95), 0),
    max_ms: round(Math.max(...latencies), 0),
    provider_calls_per_s: round(calls / seconds),
    provider_calls_max_1s: maxInWindow(counts, 1_000),
    provider_limit_per_s: SPACEBRING_LIMIT_PER_S,
  };
  log(`relay spacebring: p50 ${result.p50_ms} ms, p95 ${result.p95_ms} ms, ${result.provider_calls_per_s} calls/s (max ${result.provider_calls_max_1s} in 1 s)`);
  return result;
}

function postKey(metadata: unknown): string | undefined {
  const payload = (metadata as { event_payload?: { key?: unknown } } | undefined)?.event_payload;
  return typeof payload?.key === 'string' ? payload.key : undefined;
}

/** The most requests seen within any window of `ms`, from cumulative counts sampled over time. */
function maxInWindow(counts: readonly { at: number; calls: number }[], ms: number): number {
  let max = 0;
  let from = 0;
  for (let to = 0; to < counts.length; to++) {
    while (counts[to]!.at - counts[from]!.at > ms) from++;
    max = Math.max(max, counts[to]!.calls - counts[from]!.calls);
  }
  return max;
}
