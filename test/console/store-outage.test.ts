import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitWithin, runScript, startProcess, type BotProcess } from '../support/bot-process.js';
import { waitFor } from '../support/harness.js';
import { freePort, startOwnRedis, type OwnRedis } from '../support/own-redis.js';

const STORE_DOWN = 'The ticket store is unreachable; nothing was sent. Please try again in a minute.';
const STARTUP_MS = 30_000;

describe('start-up with the store unreachable', { timeout: 60_000 }, () => {
  it('prints one line naming STORE_URL at once, keeps trying for STORE_CONNECT_TIMEOUT_MS, then exits 2', async () => {
    const port = await freePort();
    const bot = startProcess('src/main.ts', { STORE_URL: `redis://127.0.0.1:${port}`, STORE_CONNECT_TIMEOUT_MS: '4000' });
    try {
      await waitFor(() => bot.stderr.some((l) => l.includes('STORE_URL')), 'a line naming STORE_URL', STARTUP_MS);
      expect(bot.child.exitCode).toBeNull(); // still trying
      const code = await exitWithin(bot, 15_000);
      expect(code).toBe(2);
      expect(bot.stderr).toHaveLength(2);
      expect(JSON.parse(bot.stderr[0]!)).toMatchObject({ level: 'warn', msg: 'store unreachable', setting: 'STORE_URL', store: `redis://127.0.0.1:${port}` });
      expect(bot.stderr[1]).toBe(`ticket-bridge: STORE_URL: no answer from the Redis store at redis://127.0.0.1:${port} within 4 s`);
      expect(bot.stdout).toEqual([]);
    } finally {
      await bot.stop('SIGKILL');
    }
  });
});

describe('the bot on Redis while Redis stops and starts again (a redis-server of the test’s own)', { timeout: 120_000 }, () => {
  let redis: OwnRedis;
  let bot: BotProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    redis = await startOwnRedis();
    env = { STORE_URL: `${redis.url}?prefix=console-outage`, POLL_INTERVAL_MS: '500', STORE_TIMEOUT_MS: '5000' };
    bot = startProcess('src/main.ts', env);
    await bot.line(/^ticket-bridge ready: Local desk, redis store, console/, 0, STARTUP_MS);
    bot.send('/ticket open subject="Printer on fire" description="Smoke from tray 2"');
    await bot.line(/^Ticket #1 opened with Local desk\.$/);
  }, STARTUP_MS + 30_000);
  afterAll(async () => {
    await bot.stop('SIGKILL');
    await redis.close();
  }, 30_000);

  it('answers commands in plain words at once, logs one line per change, and loses nothing', async () => {
    const stderrBefore = bot.stderr.length;
    await redis.stop();

    let from = bot.stdout.length;
    const asked = Date.now();
    bot.send('/ticket list');
    expect(await bot.line(/unreachable/, from)).toBe(STORE_DOWN);
    expect(Date.now() - asked).toBeLessThan(3_000); // not the 5 s deadline: at once

    from = bot.stdout.length;
    bot.send('/ticket reply 1 Any news?');
    expect(await bot.line(/unreachable/, from)).toBe(STORE_DOWN);

    // The desk CLI answers too, within the store deadline.
    const desk = await runScript('adapters/local/desk-cli.ts', env, ['list']);
    expect(desk.code).not.toBe(0);
    expect(desk.stderr.join('\n')).toMatch(/STORE_URL|store is unreachable/);

    // Several seconds of reconnecting: still one line for the outage, and no stack traces.
    await new Promise((r) => setTimeout(r, 3_000));
    const during = bot.stderr.slice(stderrBefore);
    expect(during.filter((l) => l.includes('"store unreachable"'))).toHaveLength(1);
    expect(during.join('\n')).not.toMatch(/ECONNREFUSED[\s\S]*\n\s+at |^\s+at /m);
    expect(during.length).toBeLessThanOrEqual(3);

    await redis.start();
    await waitFor(() => bot.stderr.some((l) => l.includes('"store reachable again"')), 'the recovery line', 15_000);
    expect(bot.stderr.filter((l) => l.includes('"store reachable again"'))).toHaveLength(1);

    // The client may drop once more while Redis finishes starting; a person told to try again does.
    const listed = await waitFor(async () => {
      const at = bot.stdout.length;
      bot.send('/ticket list');
      const answer = await bot.line(/^#1 |unreachable/, at);
      return answer.startsWith('#1 ') ? answer : (await new Promise((r) => setTimeout(r, 500)), undefined);
    }, 'the list once the store is back', 10_000);
    expect(listed).toBe('#1 Printer on fire (open)');

    from = bot.stdout.length;
    bot.send('/ticket reply 1 Back again?');
    await bot.line(/^Sent to Local desk on #1\.$/, from);
    const show = await waitFor(async () => {
      const r = await runScript('adapters/local/desk-cli.ts', env, ['show', '1']);
      return r.stdout.join('\n').includes('Back again?') ? r : undefined;
    }, 'the reply at the desk', 15_000);
    expect(show.stdout.join('\n')).toMatch(/ada \(customer\): Back again\?/);
  });

  it('exits within 10 s of SIGTERM while Redis hangs', async () => {
    redis.freeze();
    try {
      const asked = Date.now();
      bot.child.kill('SIGTERM');
      const code = await exitWithin(bot, 10_000);
      expect(code).not.toBeUndefined();
      expect(Date.now() - asked).toBeLessThan(10_000);
    } finally {
      redis.thaw();
    }
  });
});
