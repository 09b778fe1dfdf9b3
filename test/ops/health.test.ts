import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { waitFor } from '../support/harness.js';
import { runScriptWithin, startProcess, type BotProcess } from '../support/bot-process.js';
import { launch } from '../support/npm-process.js';
import { freePort, startOwnRedis } from '../support/own-redis.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-health-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The port the bot says it serves health on (HEALTH_PORT=0 picks a free one). */
async function healthPort(bot: BotProcess): Promise<number> {
  const line = await waitFor(() => bot.stderr.find((l) => l.includes('"health endpoints listening"')), `the health line; stderr: ${bot.stderr.join(' | ')}`, 30_000);
  return (JSON.parse(line) as { port: number }).port;
}

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, text: await response.text() };
}

/** The value of one sample line of the Prometheus text, e.g. `name{label="x"}`; undefined when absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split('\n').find((l) => l.startsWith(series + ' '));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('HEALTH_PORT on the real bot process', { timeout: 90_000 }, () => {
  it('serves /healthz, /readyz and /metrics, and the metrics carry the story of a relayed reply', async () => {
    const fake = await startVerifikFake();
    const bot = startProcess('src/main.ts', {
      ...fake.env,
      TICKET_PROVIDER: 'verifik',
      STORE_URL: `sqlite://${join(dir, 'story.sqlite')}`,
      POLL_INTERVAL_MS: '300',
      LOG_LEVEL: 'info',
      HEALTH_PORT: '0',
    });
    try {
      const port = await healthPort(bot);
      await bot.line(/^ticket-bridge ready: /, 0, 30_000);
      expect(await get(port, '/healthz')).toEqual({ status: 200, text: '{"status":"alive"}\n' });
      expect(await get(port, '/readyz')).toEqual({ status: 200, text: '{"status":"ready"}\n' });
      expect((await get(port, '/nope')).status).toBe(404);
      // The image's HEALTHCHECK script, against the real thing.
      const check = launch('node', ['scripts/healthcheck.mjs'], { env: { HEALTH_PORT: String(port) } });
      expect(await check.exited).toBe(0);

      bot.send('/ticket open subject="VPN drops every hour" description="Since Monday the tunnel drops every hour."');
      const id = /^Ticket #(\S+) opened with /.exec(await bot.line(/^Ticket #\S+ opened with /, 0, 15_000))![1]!;
      fake.addAgentComment(id, 'We are looking into it', 'Grace');
      await bot.line(new RegExp(`^\\[#${id}\\] .*We are looking into it$`), 0, 15_000);

      const { status, text } = await get(port, '/metrics');
      expect(status).toBe(200);
      expect(sample(text, 'ticket_bridge_provider_calls_total{vendor="verifik",status_class="2xx"}')).toBeGreaterThanOrEqual(3);
      expect(sample(text, 'ticket_bridge_deliveries_total{kind="post",result="delivered"}')).toBe(1);
      expect(sample(text, 'ticket_bridge_relay_lag_seconds_count')).toBe(1);
      expect(sample(text, 'ticket_bridge_relay_lag_seconds_sum')).toBeGreaterThan(0);
      expect(sample(text, 'ticket_bridge_poll_cycle_seconds_count')).toBeGreaterThan(0);
      expect(sample(text, 'ticket_bridge_tickets_watched')).toBe(1);
      for (const direction of ['chat', 'provider']) {
        expect(sample(text, `ticket_bridge_outbox_depth{direction="${direction}"}`)).toBe(0);
        expect(sample(text, `ticket_bridge_outbox_oldest_age_seconds{direction="${direction}"}`)).toBe(0);
      }
      // A secret never reaches a scrape either.
      for (const secret of Object.values(fake.env).filter((v) => !v.startsWith('http') && v.length > 8)) expect(text).not.toContain(secret);
    } finally {
      // Not its exit code: under load tsx (which runs the TypeScript here) may kill its child when
      // the signal hand-off takes over 30 ms; the clean stop is tested on the bundle (npm-start.test.ts).
      await bot.stop();
      await fake.close();
    }
  });

  it('answers alive but not ready, naming the store, while the store does not answer', async () => {
    const closed = await freePort();
    const bot = startProcess('src/main.ts', {
      STORE_URL: `redis://127.0.0.1:${closed}`,
      STORE_CONNECT_TIMEOUT_MS: '60000',
      LOG_LEVEL: 'info',
      HEALTH_PORT: '0',
    });
    try {
      const port = await healthPort(bot);
      expect((await get(port, '/healthz')).status).toBe(200);
      const ready = await get(port, '/readyz');
      expect(ready.status).toBe(503);
      const body = JSON.parse(ready.text) as { status: string; down: Record<string, string> };
      expect(body.status).toBe('not ready');
      expect(body.down['store']).toContain(`redis://127.0.0.1:${closed}`);
      expect(body.down['store']).toContain('STORE_URL');
    } finally {
      await bot.stop();
    }
  });

  it('turns not ready when Redis goes away while running, and ready again when it is back', async () => {
    const redis = await startOwnRedis();
    const bot = startProcess('src/main.ts', { STORE_URL: redis.url, STORE_TIMEOUT_MS: '500', POLL_INTERVAL_MS: '300', LOG_LEVEL: 'info', HEALTH_PORT: '0' });
    try {
      const port = await healthPort(bot);
      await bot.line(/^ticket-bridge ready: /, 0, 30_000);
      expect((await get(port, '/readyz')).status).toBe(200);
      await redis.stop();
      const down = await waitFor(async () => {
        const r = await get(port, '/readyz');
        return r.status === 503 ? r : undefined;
      }, '/readyz 503', 10_000);
      expect((JSON.parse(down.text) as { down: Record<string, string> }).down).toEqual({ store: `unreachable: ${redis.url} (STORE_URL) does not answer` });
      expect((await get(port, '/healthz')).status).toBe(200); // alive all the same: nothing a restart would fix
      await redis.start();
      await waitFor(async () => (await get(port, '/readyz')).status === 200, '/readyz 200 again', 15_000);
    } finally {
      await bot.stop();
      await redis.close();
    }
  });

  it('refuses a HEALTH_PORT that is not a port, with one line naming it (exit 2)', async () => {
    const { code, stderr } = await runScriptWithin('src/main.ts', { STORE_URL: `sqlite://${join(dir, 'bad.sqlite')}`, HEALTH_PORT: '80a' }, 30_000);
    expect(code).toBe(2);
    expect(stderr).toEqual(['ticket-bridge: HEALTH_PORT: expects a port number from 0 to 65535']);
  });
});
