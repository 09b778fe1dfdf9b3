import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScript, startProcess, type BotProcess } from '../support/bot-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-console-'));
const env = { STORE_URL: `sqlite://${join(dir, 'tickets.sqlite')}`, POLL_INTERVAL_MS: '500', LOG_LEVEL: 'warn' };
const desk = (...args: string[]) => runScript('adapters/local/desk-cli.ts', env, args);
const relayed = (bot: BotProcess, text: string) => bot.stdout.filter((l) => l.startsWith('[#') && l.includes(text));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each test starts the bot as `npm start` does; a fresh checkout's first start compiles with tsx.
const STARTUP_MS = 30_000;

describe('the console front-end, run as `npm start` with no accounts', { timeout: 60_000 }, () => {
  let bot: BotProcess;

  it('opens a ticket, relays the agent reply within 2 s exactly once and never echoes the requester', async () => {
    bot = startProcess('src/main.ts', env);
    await bot.line(/^ticket-bridge ready: Local desk, sqlite store, console/, 0, STARTUP_MS);

    bot.send('/ticket open subject="Printer on fire" description="Smoke from tray 2" priority=high category=technical');
    await bot.line(/^Ticket #1 opened with Local desk\.$/);
    expect(await bot.line(/^#1 /)).toBe('#1 Printer on fire [open, high priority] with Local desk, for ada');

    bot.send('/ticket reply 1 Any news? It is getting warm');
    await bot.line(/^Sent to Local desk on #1\.$/);

    const before = bot.stdout.length;
    expect((await desk('reply', '1', 'We are on our way')).code).toBe(0);
    // The promise: within 2 s of the agent's reply (POLL_INTERVAL_MS=500).
    await bot.line(/^\[#1\] Support: We are on our way$/, before, 2_000);

    // Two more poll cycles: still one line, and the requester's own words never came back.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(relayed(bot, 'We are on our way')).toHaveLength(1);
    expect(relayed(bot, 'getting warm')).toHaveLength(0);

    const show = await desk('show', '1');
    expect(show.stdout.join('\n')).toMatch(/ada \(customer\): Any news\? It is getting warm/);
    expect(show.stdout.join('\n')).toMatch(/Support \(agent\): We are on our way/);
  });

  it('answers bad input with one line naming the field, and keeps running', async () => {
    let from = bot.stdout.length;
    bot.send('/ticket open subject="Only a subject"');
    expect(await bot.line(/description/, from)).toBe('description: required: what happened');

    from = bot.stdout.length;
    bot.send('/ticket open subject="x" description="y" priority=asap');
    expect(await bot.line(/priority/, from)).toBe('priority: expects one of: low, normal, high, urgent');

    from = bot.stdout.length;
    bot.send('/ticket rate 1 9');
    expect(await bot.line(/score/, from)).toBe('score: expects a whole number from 1 to 5');

    from = bot.stdout.length;
    bot.send('/ticket frobnicate');
    expect(await bot.line(/^command: /, from)).toMatch(/expects one of open, reply/);

    from = bot.stdout.length;
    bot.send('/ticket list');
    expect(await bot.line(/^#1 /, from)).toBe('#1 Printer on fire (open)');
  });

  it('survives a restart: the ticket, its link and the cursor are kept and nothing is relayed twice', async () => {
    expect(await bot.stop('SIGTERM')).toBe(0);
    // While the bot is down, support answers and changes the status.
    await desk('reply', '1', 'Fire is out');
    await desk('status', '1', 'resolved');

    bot = startProcess('src/main.ts', env);
    await bot.line(/^ticket-bridge ready/, 0, STARTUP_MS);
    await bot.line(/^\[#1\] Support: Fire is out$/);
    await bot.line(/^\[#1\] status: resolved$/);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(relayed(bot, 'We are on our way')).toHaveLength(0);
    expect(relayed(bot, 'Fire is out')).toHaveLength(1);
    expect(bot.stdout.filter((l) => l.startsWith('[#1] status:'))).toHaveLength(1);

    const from = bot.stdout.length;
    bot.send('/ticket list');
    expect(await bot.line(/^#1 /, from)).toBe('#1 Printer on fire (resolved)');

    bot.send('/ticket close 1');
    await bot.line(/^Ticket #1 is now closed\.$/, from);
    expect(await bot.stop('SIGINT')).toBe(0);
    expect((await desk('show', '1')).stdout[1]).toMatch(/^status: closed/);
  });
});
