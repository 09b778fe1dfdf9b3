import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreConfig } from '../../src/config.js';
import { slackSettings } from '../../bots/slack/settings.js';
import { SLACK_DEFAULTS, startFakeSlack, type FakeSlack } from '../../fakes/slack/index.js';
import { runScriptWithin } from '../support/bot-process.js';
import { freePort } from '../support/own-redis.js';

describe('whole numbers in settings are decimal digits only', () => {
  it.each(['0x3e8', '0b1111101000', '0o1750', '1e3', '1_000', '1000.0', '+1000', '1,000', 'Infinity'])('POLL_INTERVAL_MS=%s is refused', (value) => {
    expect(() => loadCoreConfig({ POLL_INTERVAL_MS: value })).toThrow('POLL_INTERVAL_MS: expects a whole number from 100 to 3600000');
  });

  it('takes plain digits, and PORT the same way', () => {
    expect(loadCoreConfig({ POLL_INTERVAL_MS: '1000', STORE_TIMEOUT_MS: '250' })).toMatchObject({ POLL_INTERVAL_MS: 1000, STORE_TIMEOUT_MS: 250 });
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'abcdef0123456789' };
    expect(slackSettings({ ...slack, PORT: '8080' }).transport).toMatchObject({ port: 8080 });
    expect(() => slackSettings({ ...slack, PORT: '0x1f90' })).toThrow('PORT: expects a whole number from 0 to 65535');
  });
});

/**
 * Each setting that cannot work stops start-up with exit 2 and one line naming it: no raw error,
 * no stack, no "ready" followed by failures.
 */
describe('start-up refuses a setting that cannot work: one line naming it, exit 2', { timeout: 120_000 }, () => {
  let slack: FakeSlack;
  let held: Server;
  let heldPort: number;
  let closedPort: number;
  const dir = mkdtempSync(join(tmpdir(), 'tb-refusals-'));
  const aFile = join(dir, 'a-file');
  writeFileSync(aFile, 'not a folder');

  beforeAll(async () => {
    slack = await startFakeSlack();
    held = createServer();
    await new Promise<void>((resolve) => held.listen(0, resolve));
    heldPort = (held.address() as { port: number }).port;
    closedPort = await freePort();
  });
  afterAll(async () => {
    await slack.close();
    await new Promise((resolve) => held.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const slackHttp = () => ({ SLACK_BOT_TOKEN: SLACK_DEFAULTS.botToken, SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_API_URL: slack.url, PORT: '0' });
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['POLL_INTERVAL_MS in hex', () => ({ POLL_INTERVAL_MS: '0x3e8' }), /^ticket-bridge: POLL_INTERVAL_MS: expects a whole number from 100 to 3600000$/],
    ['STORE_URL under a file', () => ({ STORE_URL: `sqlite://${aFile}/tickets.sqlite` }), /^ticket-bridge: STORE_URL: cannot use sqlite:\/\/.+a-file\/tickets\.sqlite: /],
    ['CONSOLE=off with no chat front-end', () => ({ CONSOLE: 'off' }), /^ticket-bridge: CONSOLE: off leaves no front-end: set SLACK_BOT_TOKEN or DISCORD_TOKEN, or CONSOLE=auto$/],
    [
      'F5XC_CUSTOMER_EMAILS that is no address',
      () => ({ TICKET_PROVIDER: 'f5xc', F5XC_BASE_URL: 'https://acme.example', F5XC_API_TOKEN: 'f5-token-123', F5XC_CUSTOMER_EMAILS: 'ops@acme.example,not-an-email' }),
      /^ticket-bridge: F5XC_CUSTOMER_EMAILS: expects email addresses separated by commas, e\.g\. ops@example\.com$/,
    ],
    ['a PORT already in use', () => ({ ...slackHttp(), PORT: String(heldPort) }), /^ticket-bridge: PORT: port \d+ is already in use; stop what holds it or pick another PORT$/],
    ['a SLACK_BOT_TOKEN Slack refuses', () => ({ ...slackHttp(), SLACK_BOT_TOKEN: 'xoxb-revoked-0000' }), /^ticket-bridge: SLACK_BOT_TOKEN: Slack refused it \(invalid_auth\); /],
    ['an unreachable SLACK_API_URL', () => ({ ...slackHttp(), SLACK_API_URL: `http://127.0.0.1:${closedPort}/api/` }), /^ticket-bridge: SLACK_API_URL: no answer from http:\/\/127\.0\.0\.1:\d+\/api\/ /],
    [
      'an unreachable DISCORD_API_URL',
      () => ({ DISCORD_TOKEN: 'discord-token-1', DISCORD_APPLICATION_ID: '123456789012345678', DISCORD_API_URL: `http://127.0.0.1:${closedPort}/api` }),
      /^ticket-bridge: DISCORD_API_URL: no usable answer from http:\/\/127\.0\.0\.1:\d+\/api /,
    ],
  ];

  it.each(cases)('%s', async (_what, env, line) => {
    // Every start-up call has a deadline (Discord's is the longest, 30 s): a bot still running
    // after 90 s (a loaded machine starts tsx slowly) took the setting.
    const { code, stdout, stderr } = await runScriptWithin('src/main.ts', { STORE_URL: 'sqlite://:memory:', ...env() }, 90_000);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(line);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
  });
});
