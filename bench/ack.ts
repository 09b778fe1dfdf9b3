import { Pool } from 'undici';
import { encodeForm, slackSignature, slashCommand } from '../fakes/slack/index.js';
import { productionNodeArgs, startChild, type Child } from './children.js';
import { percentile, round } from './stats.js';

/** The signing secret the benchmark's apps are configured with (shared with ack-child.ts). */
export const ACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const CONCURRENCY = 200;
const ROUNDS = 10;

export interface AckResult {
  concurrency: number;
  rounds: number;
  samples: number;
  full: { p50_ms: number; p99_ms: number; errors: number };
  bare: { p50_ms: number; p99_ms: number; errors: number };
  p50_ms: number;
  p99_ms: number;
  p99_ratio: number;
  /** views.open calls the fake answered ok, out of all it received (one per full-stack command). */
  modals_opened: number;
  modal_calls: number;
}

/**
 * Ack latency of `/ticket` under 200 concurrent signed slash commands: the whole stack (Bolt's
 * HTTP receiver → the bridge's handler → ack, then views.open at the fake Slack) against a bare
 * Bolt app that only acks. Each app runs alone in a child process and the fake Slack in another;
 * rounds alternate full/bare (ABBA) so that machine noise falls on both.
 */
export async function benchAck(log: (line: string) => void): Promise<AckResult> {
  const slack = startChild('./ack-child.ts', ['slack']);
  const children: Child[] = [slack];
  try {
    const { url, responseUrl } = await slack.next<{ url: string; responseUrl: string }>();
    // Both apps with the Node flags of `npm start`: the same runtime, only the listeners differ.
    const nodeArgs = productionNodeArgs();
    const full = startChild('./ack-child.ts', ['full', url], { nodeArgs });
    const bare = startChild('./ack-child.ts', ['bare', url], { nodeArgs });
    children.push(full, bare);
    const targets = {
      full: await target(full, responseUrl),
      bare: await target(bare, responseUrl),
    };
    const samples = { full: [] as number[], bare: [] as number[] };
    const errors = { full: 0, bare: 0 };
    let expectedViews = 0;

    const round = async (name: 'full' | 'bare', keep: boolean) => {
      const result = await targets[name].round();
      if (name === 'full') {
        expectedViews += CONCURRENCY;
        await waitForViews(slack, expectedViews);
      }
      if (keep) {
        samples[name].push(...result.latencies);
        errors[name] += result.errors;
      }
      await new Promise((r) => setTimeout(r, 200));
    };

    await round('full', false); // warm-up: JIT, connections, first store writes
    await round('bare', false);
    for (let i = 0; i < ROUNDS; i++) {
      const order: ('full' | 'bare')[] = i % 2 === 0 ? ['full', 'bare'] : ['bare', 'full'];
      for (const name of order) await round(name, true);
    }
    slack.send('views');
    const { views, calls } = await slack.next<{ views: number; calls: number }>();
    await Promise.all(Object.values(targets).map((t) => t.close()));

    const stat = (name: 'full' | 'bare') => ({
      p50_ms: round2(percentile(samples[name], 50)),
      p99_ms: round2(percentile(samples[name], 99)),
      errors: errors[name],
    });
    const result: AckResult = {
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      samples: samples.full.length,
      full: stat('full'),
      bare: stat('bare'),
      p50_ms: round2(percentile(samples.full, 50)),
      p99_ms: round2(percentile(samples.full, 99)),
      p99_ratio: round2(percentile(samples.full, 99) / percentile(samples.bare, 99)),
      modals_opened: views,
      modal_calls: calls,
    };
    log(`ack: full p50 ${result.full.p50_ms} ms p99 ${result.full.p99_ms} ms; bare p50 ${result.bare.p50_ms} ms p99 ${result.bare.p99_ms} ms`);
    return result;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

function round2(value: number): number {
  return round(value, 2);
}

async function target(child: Child, responseUrl: string) {
  const { port } = await child.next<{ port: number }>();
  const origin = `http://127.0.0.1:${port}`;
  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  return {
    /** One burst of CONCURRENCY commands at once; latencies in ms of those answered 200. */
    async round(): Promise<{ latencies: number[]; errors: number }> {
      // Built (and signed) just before the burst, outside the timing: trigger ids expire in 3 s.
      const requests = Array.from({ length: CONCURRENCY }, () => {
        const body = encodeForm(slashCommand({ response_url: responseUrl, text: '' }));
        const timestamp = Math.floor(Date.now() / 1000);
        const headers = {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': slackSignature(ACK_SECRET, timestamp, body),
        };
        return { body, headers };
      });
      const outcomes = await Promise.all(
        requests.map(async ({ body, headers }) => {
          const started = performance.now();
          try {
            const res = await pool.request({ path: '/slack/events', method: 'POST', headers, body });
            await res.body.text();
            return res.statusCode === 200 ? performance.now() - started : undefined;
          } catch {
            return undefined;
          }
        }),
      );
      const latencies = outcomes.filter((v): v is number => v !== undefined);
      return { latencies, errors: outcomes.length - latencies.length };
    },
    close: () => pool.close(),
  };
}

/** Waits until the full app's modals are all opened, or their count stops moving (some failed). */
async function waitForViews(slack: Child, expected: number): Promise<void> {
  let last = -1;
  let stableSince = Date.now();
  for (;;) {
    slack.send('views');
    const { calls } = await slack.next<{ views: number; calls: number }>();
    if (calls >= expected) return;
    if (calls !== last) [last, stableSince] = [calls, Date.now()];
    else if (Date.now() - stableSince > 1_000) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}
