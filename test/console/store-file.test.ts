import { existsSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startProcess } from '../support/bot-process.js';

const root = mkdtempSync(join(tmpdir(), 'tb-store-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the bot’s SQLite file', { timeout: 60_000 }, () => {
  it('deleted while the bot runs: the bot stops taking work with one line instead of answering "Sent…" into the void', async () => {
    const data = join(root, 'data');
    const path = join(data, 'tickets.sqlite');
    const bot = startProcess('src/main.ts', { STORE_URL: `sqlite://${path}`, POLL_INTERVAL_MS: '300', LOG_LEVEL: 'warn' });
    await bot.line(/^ticket-bridge ready/, 0, 30_000);
    bot.send('/ticket open subject="Printer on fire" description="Smoke from tray 2"');
    await bot.line(/^Ticket #1 opened/);
    // Owner-only from the first start: the file holds ticket text and names.
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);

    for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) unlinkSync(file);
    const from = bot.stdout.length;
    bot.send('/ticket reply 1 Any news?');

    const ended = await Promise.race([bot.exited, new Promise((r) => setTimeout(() => r('still running after 10 s'), 10_000))]);
    if (ended === 'still running after 10 s') await bot.stop('SIGKILL');
    expect(bot.stdout.slice(from).filter((l) => l.startsWith('Sent'))).toEqual([]);
    expect(ended).toBe(1);
    const lost = bot.stderr.filter((l) => l.includes('store lost'));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toContain(`the store file ${path} was deleted while the bot ran`);
  });
});
