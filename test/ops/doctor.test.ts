import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayIntentBits } from 'discord.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDS, startFakeDiscord } from '../../fakes/discord/index.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { MANIFEST_BOT_SCOPES, SLACK_DEFAULTS, startFakeSlack } from '../../fakes/slack/index.js';
import { runScript } from '../support/bot-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const store = { STORE_URL: `sqlite://${join(dir, 'tickets.sqlite')}` };
const doctor = (env: Record<string, string>) => runScript('scripts/doctor.ts', env);

describe('npm run doctor', { timeout: 60_000 }, () => {
  it('passes the default configuration, skipping the front-ends that are not configured', async () => {
    const { code, stdout } = await doctor(store);
    expect(stdout).toEqual([
      '✓ configuration: every setting reads',
      `✓ store: ${store.STORE_URL} does not exist yet; the bot creates it on its first start`,
      '✓ provider local: the local desk keeps its tickets in the store: no credentials to check',
      '- slack: not configured (SLACK_BOT_TOKEN unset), skipped',
      '- discord: not configured (DISCORD_TOKEN unset), skipped',
      'All checks passed.',
    ]);
    expect(code).toBe(0);
  });

  it('lists every configuration problem at once, not one per run', async () => {
    const { code, stdout } = await doctor({ ...store, POLL_INTERVAL_MS: '0x10', HEALTH_PORT: 'eighty', TICKET_PROVIDER: 'verifik', VERIFIK_BASE_URL: 'ftp://x' });
    const problems = stdout.filter((l) => l.startsWith('✗ configuration: ')).map((l) => l.split(':')[1]!.trim());
    expect(problems.sort()).toEqual(['HEALTH_PORT', 'POLL_INTERVAL_MS', 'VERIFIK_BASE_URL', 'VERIFIK_TOKEN']);
    expect(code).not.toBe(0);
  });

  it('names VERIFIK_TOKEN when Verifik answers 401, without printing the token, and passes with the right one', async () => {
    const fake = await startVerifikFake();
    try {
      const wrong = 'eyJhbGciOiJIUzI1NiJ9.wrong-token-for-the-doctor.sig';
      const refused = await doctor({ ...store, ...fake.env, TICKET_PROVIDER: 'verifik', VERIFIK_TOKEN: wrong });
      expect(refused.stdout).toContain('✗ provider verifik: VERIFIK_TOKEN: Verifik refused it (HTTP 401); set credentials the vendor accepts');
      expect(refused.code).not.toBe(0);
      expect([...refused.stdout, ...refused.stderr].join('\n')).not.toContain(wrong);

      const accepted = await doctor({ ...store, ...fake.env, TICKET_PROVIDER: 'verifik' });
      expect(accepted.stdout).toContain('✓ provider verifik: Verifik accepts VERIFIK_TOKEN');
      expect(accepted.code).toBe(0);
    } finally {
      await fake.close();
    }
  });

  it('checks Slack’s token and names a scope manifest.yml asks for that the app was not granted', async () => {
    const slackEnv = (url: string) => ({ ...store, SLACK_BOT_TOKEN: SLACK_DEFAULTS.botToken, SLACK_SIGNING_SECRET: 'abcdef0123456789', SLACK_API_URL: url });
    const full = await startFakeSlack();
    const short = await startFakeSlack({ scopes: MANIFEST_BOT_SCOPES.filter((s) => s !== 'usergroups:read') });
    try {
      const good = await doctor(slackEnv(full.url));
      expect(good.stdout).toContain(`✓ slack: Slack granted every scope manifest.yml asks for (${MANIFEST_BOT_SCOPES.length} granted)`);
      expect(good.code).toBe(0);

      const missing = await doctor(slackEnv(short.url));
      expect(missing.stdout.find((l) => l.startsWith('✗ slack:'))).toBe(
        '✗ slack: SLACK_BOT_TOKEN lacks scopes usergroups:read: add them under OAuth & Permissions (or update the app from manifest.yml) and reinstall it',
      );
      expect(missing.code).not.toBe(0);

      const refused = await doctor({ ...slackEnv(full.url), SLACK_BOT_TOKEN: 'xoxb-not-this-one' });
      expect(refused.stdout.find((l) => l.startsWith('✗ slack:'))).toMatch(/^✗ slack: SLACK_BOT_TOKEN: Slack refused it \(invalid_auth\)/);
    } finally {
      await full.close();
      await short.close();
    }
  });

  it('checks Discord’s token, the Message Content intent and the ticket channel', async () => {
    const allowed = await startFakeDiscord();
    const denied = await startFakeDiscord({ denyIntents: [GatewayIntentBits.MessageContent] });
    const discordEnv = (fake: typeof allowed, channel: string) => ({
      ...store,
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_TICKET_CHANNEL: channel,
    });
    try {
      const good = await doctor(discordEnv(allowed, DEFAULT_IDS.ticketsChannelId));
      expect(good.stdout.filter((l) => l.startsWith('✓ discord:'))).toHaveLength(3);
      expect(good.code).toBe(0);

      const bad = await doctor(discordEnv(denied, '123456789012345678'));
      expect(bad.stdout.filter((l) => l.startsWith('✗ discord:'))).toEqual([
        '✗ discord: DISCORD_TOKEN: its application may not use the Message Content intent; enable it in the Developer Portal (Bot → Privileged Gateway Intents)',
        '✗ discord: DISCORD_TICKET_CHANNEL: no such channel; copy the channel id (Developer Mode → Copy Channel ID)',
      ]);
      expect(bad.code).not.toBe(0);
    } finally {
      await allowed.close();
      await denied.close();
    }
  });
});
