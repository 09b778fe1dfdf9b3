import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript, startProcess } from '../support/bot-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-follow-up-'));
const env = { STORE_URL: `sqlite://${join(dir, 'tickets.sqlite')}`, POLL_INTERVAL_MS: '200', LOG_LEVEL: 'warn' };
const desk = (...args: string[]) => runScript('adapters/local/desk-cli.ts', env, args);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// After close the ticket is still followed (FOLLOW_UP_DAYS, default 14): support's late answer
// and a reopen at the desk reach the terminal once each, and the person can reopen with a reason.
describe('a closed ticket, run as `npm start` on the local desk', () => {
  it('relays a late answer and a reopen at the desk once, and reopens from the console with the reason given', { timeout: 90_000 }, async () => {
    const bot = startProcess('src/main.ts', env);
    try {
      await bot.line(/^ticket-bridge ready: /, 0, 30_000);
      bot.send('/ticket open subject="Printer on fire" description="Flames on floor 2"');
      await bot.line(/^Ticket #1 opened with Local desk\.$/);

      expect((await desk('close', '1')).code).toBe(0);
      await bot.line(/^\[#1\] status: closed$/);

      expect((await desk('reply', '1', 'One more thing: the toner was recalled')).code).toBe(0);
      await bot.line(/^\[#1\] Support: One more thing: the toner was recalled$/, 0, 10_000);

      expect((await desk('status', '1', 'open')).code).toBe(0);
      await bot.line(/^\[#1\] status: open$/, 0, 10_000);

      let from = bot.stdout.length;
      bot.send('/ticket close 1');
      await bot.line(/^Ticket #1 is now closed\.$/, from);
      from = bot.stdout.length;
      bot.send('/ticket reopen 1 It caught fire again this morning');
      await bot.line(/reopened|is now open/i, from);
      const show = await desk('show', '1');
      expect(show.stdout.join('\n')).toMatch(/It caught fire again this morning\s+— ada \(via chat\)/);
      expect(show.stdout.join('\n')).not.toContain('Reopened from chat.');

      await new Promise((r) => setTimeout(r, 2_000)); // more poll cycles, at the quiet cadence too
      expect(bot.stdout.filter((l) => l.includes('the toner was recalled'))).toHaveLength(1);
      expect(bot.stdout.filter((l) => l === '[#1] status: open')).toHaveLength(1);
    } finally {
      expect(await bot.stop('SIGTERM')).toBe(0);
    }
  });
});
