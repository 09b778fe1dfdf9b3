import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { startProcess } from '../support/bot-process.js';
import { waitFor } from '../support/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-opening-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Measured before this change: a SIGKILL 1.5 s into a 4 s create left a vendor ticket nobody heard of.
describe('a bot killed while the vendor creates a ticket', () => {
  it('finds the ticket at the next start by its marker, links it and announces it once', { timeout: 90_000 }, async () => {
    const fake = await startVerifikFake();
    let slowed = false;
    // The first create takes 4 s; the vendor makes the ticket whatever became of the caller.
    fake.setChaos?.((req) => {
      if (slowed || req.method !== 'POST' || req.path !== '/v2/support-tickets') return undefined;
      slowed = true;
      return { status: 0, slow: true, delayMs: 4_000 };
    });
    const env = { ...fake.env, TICKET_PROVIDER: 'verifik', STORE_URL: `sqlite://${join(dir, 'tickets.sqlite')}`, POLL_INTERVAL_MS: '300', LOG_LEVEL: 'warn' };
    try {
      const first = startProcess('src/main.ts', env);
      await first.line(/^ticket-bridge ready: /, 0, 30_000);
      first.send('/ticket open subject="VPN drops every hour" description="Since Monday the tunnel drops."');
      await waitFor(() => fake.requests.some((r) => r.method === 'POST' && r.path === '/v2/support-tickets'), 'the create call');
      await new Promise((r) => setTimeout(r, 1_500));
      await first.stop('SIGKILL');
      expect(first.stdout.join('\n')).not.toMatch(/opened with/);

      const created = fake.requests.find((r) => r.method === 'POST' && r.path === '/v2/support-tickets')!;
      expect(String((created.body as { description: string }).description)).toMatch(/\n\nticket-bridge-ref: [0-9a-f]{20}\n/);

      const second = startProcess('src/main.ts', env);
      try {
        await second.line(/^ticket-bridge ready: /, 0, 30_000);
        // Announced once the vendor has it (the create lands 4 s after it was sent).
        const announced = await second.line(/^\[#support_ticket_\d+\] following: VPN drops every hour \[open\] with Verifik$/, 0, 30_000);
        const id = /^\[#(\S+)\]/.exec(announced)![1]!;
        expect(fake.ticket(id)).toBeDefined();
        const from = second.stdout.length;
        second.send('/ticket list');
        await second.line(new RegExp(`^#${id} VPN drops every hour \\(open\\)$`), from);

        // Relayed from now on, and announced only once however many passes run.
        fake.addAgentComment(id, 'Which client version?');
        await second.line(new RegExp(`^\\[#${id}\\] Verifik Support: Which client version\\?$`), 0, 15_000);
        await new Promise((r) => setTimeout(r, 6_000)); // another reconciliation pass
        expect(second.stdout.filter((l) => l.includes('following: VPN drops'))).toHaveLength(1);
        expect(fake.requests.filter((r) => r.method === 'POST' && r.path === '/v2/support-tickets')).toHaveLength(1);
      } finally {
        expect(await second.stop('SIGTERM')).toBe(0);
      }
    } finally {
      await fake.close();
    }
  });
});
