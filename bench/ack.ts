import { Pool } from 'undici';
import { encodeForm, slackSignature, slashCommand } from '../fakes/slack/index.js';
import { productionNodeArgs, startChild, type Child } from './children.js';
import { percentile, round } from './stats.js';

/** The signing secret the benchmark's apps are configured with (shared with ack-child.ts). */
export const ACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const CONCURRENCY = 200;
/** Measured rounds per app process; each round is one burst of CONCURRENCY commands. */
const ROUNDS = 40;
const WARM_UP_ROUNDS = 2;

type AppName = 'full' | 'bare' | 'bare_again';
const APPS: readonly AppName[] = ['full', 'bare', 'bare_again'];

interface Stat {
  p50_ms: number;
  p99_ms: number;
  errors: number;
}

export interface AckResult {
  concurrency: number;
  rounds: number;
  samples: number;
  full: Stat;
  /** Both bare app processes' samples together: the baseline. */
  bare: Stat;
  p50_ms: number;
  p99_ms: number;
  p99_ratio: number;
  /**
   * p99 of one bare app process over the other's: the bench's own noise. Both run the same code,
   * so any distance of this from 1 is the machine's, and a p99_ratio within it of 1.2 is not
   * decided by this run.
   */
  p99_ratio_bare_to_bare: number;
  /** views.open calls the fake answered ok, out of all it received (one per full-stack command). */
  modals_opened: number;
  modal_calls: number;
}

/**
 * Ack latency of `/ticket` under 200 concurrent signed slash commands: the whole stack (Bolt's
 * HTTP receiver → the bridge's handler → ack, then views.open at the fake Slack) against a bare
 * Bolt app that only acks. Each app runs alone in a child process, the fake Slack in another.
 * The bare app runs twice, in two processes, so that the run measures its own noise (one bare
 * against the other) beside the ratio. Rounds rotate the order of the three apps, so that
 * machine noise falls on each alike.
 */
export async function benchAck(log: (line: string) => void): Promise<AckResult> {
  const slack = startChild('./ack-child.ts', ['slack']);
  const children: Child[] = [slack];
  try {
    const { url, responseUrl } = await slack.next<{ url: string; responseUrl: string }>();
    // Every app with the Node flags of `npm start`: the same runtime, only the listeners differ.
    const nodeArgs = productionNodeArgs();
    const apps = APPS.map((name) => startChild('./ack-child.ts', [name === 'full' ? 'full' : 'bare', url], { nodeArgs }));
    children.push(...apps);
    const targets = Object.fromEntries(await Promise.all(APPS.map(async (name, i) => [name, await target(apps[i]!, responseUrl)] as const))) as Record<AppName, Target>;
    const samples: Record<AppName, number[]> = { full: [], bare: [], bare_again: [] };
    const errors: Record<AppName, number> = { full: 0, bare: 0, bare_again: 0 };
    let expectedViews = 0;

    const round = async (name: AppName, keep: boolean) => {
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

    for (let i = 0; i < WARM_UP_ROUNDS; i++) for (const name of APPS) await round(name, false); // JIT, connections, first store writes
    for (let i = 0; i < ROUNDS; i++) {
      // Each app goes first, second and third about equally often (exactly so over every 6 rounds).
      const order = APPS.map((_, k) => APPS[(i + k) % APPS.length]!);
      if (Math.floor(i / APPS.length) % 2 === 1) order.reverse();
      for (const name of order) await round(name, true);
    }
    slack.send('views');
    const { views, calls } = await slack.next<{ views: number; calls: number }>();
    await Promise.all(Object.values(targets).map((t) => t.close()));

    const bare = [...samples.bare, ...samples.bare_again];
    const stat = (values: number[], failed: number): Stat => ({ p50_ms: round2(percentile(values, 50)), p99_ms: round2(percentile(values, 99)), errors: failed });
    const result: AckResult = {
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      samples: samples.full.length,
      full: stat(samples.full, errors.full),
      bare: stat(bare, errors.bare + errors.bare_again),
      p50_ms: round2(percentile(samples.full, 50)),
      p99_ms: round2(percentile(samples.full, 99)),
      p99_ratio: round2(percentile(samples.full, 99) / percentile(bare, 99)),
      p99_ratio_bare_to_bare: round2(percentile(samples.bare_again, 99) / percentile(samples.bare, 99)),
      modals_opened: views,
      modal_calls: calls,
    };
    log(`ack: full p50 ${result.full.p50_ms} ms p99 ${result.full.p99_ms} ms; bare p50 ${result.bare.p50_ms} ms p99 ${result.bare.p99_ms} ms; ratio ${result.p99_ratio}, bare to bare ${result.p99_ratio_bare_to_bare}`);
    return result;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

function round2(value: number): number {
  return round(value, 2);
}

interface Target {
  /** One burst of CONCURRENCY commands at once; latencies in ms of those answered 200. */
  round(): Promise<{ latencies: number[]; errors: number }>;
  close(): Promise<void>;
}

async function target(child: Child, responseUrl: string): Promise<Target> {
  const { port } = await child.next<{ port: number }>();
  const origin = `http://127.0.0.1:${port}`;
  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  return {
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
