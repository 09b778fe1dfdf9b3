import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { ProviderError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { LinkStore } from '../../src/links.js';
import { ProviderAccess } from '../../src/ops/provider-access.js';
import type { TicketProvider } from '../../src/provider.js';
import { Relay } from '../../src/relay/relay.js';
import { KeyvOutbox } from '../../src/delivery/keyv-outbox.js';
import { StoredDelivery, checksOutcome, type Delivery } from '../../src/delivery/jobs.js';
import { openStore } from '../../src/store/index.js';
import { waitFor } from '../support/harness.js';
import { runScriptWithin, startProcess } from '../support/bot-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function recorder() {
  const lines: { level: string; msg: string }[] = [];
  const log = (level: string) => (msg: string) => void lines.push({ level, msg });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  return { lines, logger };
}

const refused = () => new ProviderError({ kind: 'auth', provider: 'verifik', method: 'GET', path: '/v2/support-tickets', status: 401 });

describe('refused credentials at run time', () => {
  it('turn readiness off, back off exponentially up to the cap, and are logged once per change', async () => {
    const kv = await openStore(`sqlite://${join(dir, 'relay.sqlite')}`);
    const { lines, logger } = recorder();
    const calls: number[] = [];
    let accept = false;
    const provider = {
      id: 'verifik',
      displayName: 'Verifik',
      fields: [],
      validateOpen: () => ({}),
      createTicket: () => Promise.reject(new Error('unused')),
      getTicket: () => Promise.reject(new Error('unused')),
      addComment: () => Promise.reject(new Error('unused')),
      listUpdatedSince: async () => {
        calls.push(Date.now());
        if (!accept) throw refused();
        return { ticketIds: [], cursor: 'c' };
      },
      access: {
        variable: 'VERIFIK_TOKEN',
        check: async () => {
          calls.push(Date.now());
          if (!accept) throw refused();
        },
      },
    } satisfies TicketProvider;
    const access = new ProviderAccess(provider, logger);
    access.fail(new Error('pretend start-up could not check')); // as after a start-up check without an answer
    const links = new LinkStore(kv, 'verifik');
    const outbox = new KeyvOutbox<Delivery>({ kv, logger, schema: StoredDelivery, deliver: async () => undefined, checksOutcome });
    const relay = new Relay({ provider, links, outbox, kv, logger, intervalMs: 20, refusedMaxMs: 300, access });
    relay.start();
    try {
      await waitFor(() => access.state === 'refused', 'the refusal', 2_000);
      expect(access.problem).toContain('VERIFIK_TOKEN');
      await new Promise((r) => setTimeout(r, 2_000));
      // At 20 ms a cycle, 2 s holds about 100 cycles; backing off toward 300 ms leaves far fewer.
      expect(calls.length).toBeLessThan(20);
      const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(300 + 100); // the cap (plus timer slack)
      expect(gaps.at(-1)!).toBeGreaterThanOrEqual(150); // at the cap: full jitter keeps at least half
      expect(lines.filter((l) => l.msg.startsWith('provider refused the credentials'))).toHaveLength(1);

      accept = true;
      await waitFor(() => access.state === 'accepted', 'the recovery', 2_000);
      expect(access.problem).toBeUndefined();
      expect(lines.filter((l) => l.msg === 'provider credentials accepted')).toHaveLength(1);
      expect(lines.filter((l) => l.msg.startsWith('provider refused the credentials'))).toHaveLength(1);
    } finally {
      await relay.stop();
      await kv.close();
    }
  });
});

describe('provider credentials on the real bot process', { timeout: 90_000 }, () => {
  it('a token the vendor refuses stops start-up with one line naming VERIFIK_TOKEN (exit 2)', async () => {
    const fake = await startVerifikFake();
    try {
      const env = { ...fake.env, VERIFIK_TOKEN: 'eyJ.wrong.token', TICKET_PROVIDER: 'verifik', STORE_URL: `sqlite://${join(dir, 'refused.sqlite')}` };
      const { code, stdout, stderr } = await runScriptWithin('src/main.ts', env, 40_000);
      expect(code).toBe(2);
      expect(stderr).toEqual([
        'ticket-bridge: VERIFIK_TOKEN: Verifik refused it (HTTP 401); set credentials the vendor accepts (npm run doctor checks them)',
      ]);
      expect(stdout.join('\n')).not.toContain('ready');
    } finally {
      await fake.close();
    }
  });

  it('a refusal while running makes /readyz 503 naming the variable, once in the log, until the vendor accepts again', async () => {
    const fake = await startVerifikFake();
    const bot = startProcess('src/main.ts', {
      ...fake.env,
      TICKET_PROVIDER: 'verifik',
      STORE_URL: `sqlite://${join(dir, 'runtime.sqlite')}`,
      POLL_INTERVAL_MS: '200',
      LOG_LEVEL: 'info',
      HEALTH_PORT: '0',
    });
    try {
      await bot.line(/^ticket-bridge ready: /, 0, 30_000);
      const port = (JSON.parse(bot.stderr.find((l) => l.includes('"health endpoints listening"'))!) as { port: number }).port;
      const readyz = async () => {
        const response = await fetch(`http://127.0.0.1:${port}/readyz`);
        return { status: response.status, body: (await response.json()) as { down?: Record<string, string> } };
      };
      expect((await readyz()).status).toBe(200);

      // The token is revoked for the next three calls (the poll, then two checks), then works again.
      fake.failNext(3, { status: 401, body: { error: 'Unauthorized', message: 'UNAUTHORIZED' } });
      const down = await waitFor(async () => {
        const r = await readyz();
        return r.status === 503 ? r : undefined;
      }, '/readyz 503', 5_000);
      expect(down.body.down?.['provider']).toContain('VERIFIK_TOKEN');
      await waitFor(async () => (await readyz()).status === 200, '/readyz 200 again', 10_000);
      const said = (msg: string) => bot.stderr.filter((l) => l.includes(`"msg":"${msg}`)).length;
      expect(said('provider refused the credentials')).toBe(1);
      expect(said('provider credentials accepted')).toBe(2); // at start-up, and on the recovery
    } finally {
      await bot.stop();
      await fake.close();
    }
  });
});
