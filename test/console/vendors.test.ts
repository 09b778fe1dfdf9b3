import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startConsoleconnectFake } from '../../fakes/providers/consoleconnect.js';
import { startF5xcFake } from '../../fakes/providers/f5xc.js';
import { startSelectelFake } from '../../fakes/providers/selectel.js';
import { startSpacebringFake } from '../../fakes/providers/spacebring.js';
import type { FakeProviderServer } from '../../fakes/providers/types.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { waitFor } from '../support/harness.js';
import { startProcess } from '../support/bot-process.js';

const vendors: [string, () => Promise<FakeProviderServer>][] = [
  ['f5xc', () => startF5xcFake()],
  ['selectel', startSelectelFake],
  ['consoleconnect', () => startConsoleconnectFake()],
  ['spacebring', startSpacebringFake],
  ['verifik', startVerifikFake],
];

const dir = mkdtempSync(join(tmpdir(), 'tb-vendors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The operator's offline trial: `TICKET_PROVIDER=<name> <NAME>_BASE_URL=…` and the terminal,
// against the vendor's strict fake, the whole story from open to close.
describe.each(vendors)('npm start with TICKET_PROVIDER=%s against its fake', (name, startFake) => {
  it('opens, replies, relays the agent and the status once, and closes or says it cannot', { timeout: 90_000 }, async () => {
    const fake = await startFake();
    const bot = startProcess('src/main.ts', {
      ...fake.env,
      TICKET_PROVIDER: name,
      STORE_URL: `sqlite://${join(dir, `${name}.sqlite`)}`,
      POLL_INTERVAL_MS: '300',
      LOG_LEVEL: 'warn',
    });
    try {
      await bot.line(/^ticket-bridge ready: /, 0, 30_000);
      bot.send('/ticket open subject="VPN drops every hour" description="Since Monday the tunnel to eu-west drops every hour."');
      const id = /^Ticket #(\S+) opened with /.exec(await bot.line(/^Ticket #\S+ opened with /, 0, 15_000))![1]!;

      bot.send(`/ticket reply ${id} Any news on this?`);
      await bot.line(/^Sent to /);
      await waitFor(() => fake.comments(id).some((c) => c.byCustomer && c.text.includes('Any news on this?')), 'the reply at the vendor', 10_000);

      fake.addAgentComment(id, 'We are looking into it', 'Grace');
      await bot.line(new RegExp(`^\\[#${id}\\] .*We are looking into it$`), 0, 15_000);
      fake.setStatus(id, 'waiting');
      await bot.line(new RegExp(`^\\[#${id}\\] status: `), 0, 15_000);

      const from = bot.stdout.length;
      bot.send(`/ticket close ${id}`);
      const answer = await bot.line(/closed|cannot close/i, from, 15_000);
      expect(answer).not.toMatch(/went wrong/);

      await new Promise((r) => setTimeout(r, 1_000)); // a few more poll cycles
      const relayed = bot.stdout.filter((l) => l.startsWith(`[#${id}]`));
      expect(relayed.filter((l) => l.includes('We are looking into it'))).toHaveLength(1);
      expect(relayed.filter((l) => l.includes('Any news on this?'))).toHaveLength(0);
      const secrets = Object.values(fake.env).filter((v) => !v.startsWith('http') && v.length > 8);
      expect(secrets.length).toBeGreaterThan(0);
      for (const secret of secrets) expect(bot.stderr.join('\n')).not.toContain(secret);
    } finally {
      await bot.stop();
      await fake.close();
    }
  });
});

// The categories are the vendor's: one Selectel lists but SELECTEL_CATEGORY does not name files.
describe('npm start with TICKET_PROVIDER=selectel', () => {
  it('opens a ticket under a category that GET /categories lists and the setting does not name', { timeout: 90_000 }, async () => {
    const fake = await startSelectelFake();
    expect(fake.env['SELECTEL_CATEGORY']).toBe('technical_question');
    const bot = startProcess('src/main.ts', {
      ...fake.env,
      TICKET_PROVIDER: 'selectel',
      STORE_URL: `sqlite://${join(dir, 'selectel-categories.sqlite')}`,
      LOG_LEVEL: 'warn',
    });
    try {
      await bot.line(/^ticket-bridge ready: /, 0, 30_000);
      bot.send('/ticket open subject="Invoice charged twice" description="November invoice twice on the card." category=billing');
      const id = /^Ticket #(\S+) opened with /.exec(await bot.line(/^Ticket #\S+ opened with |categor/i, 0, 15_000))![1]!;
      expect(fake.ticket(id)).toMatchObject({ categories: ['billing'] });
      const from = bot.stdout.length;
      bot.send('/ticket open subject="Disk" description="Disk full" category=hardware');
      expect(await bot.line(/categor/i, from, 15_000)).toMatch(/technical_question, billing, network/);
    } finally {
      await bot.stop();
      await fake.close();
    }
  });
});
