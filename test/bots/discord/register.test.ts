import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord, type Json } from '../../../fakes/discord/index.js';

const run = promisify(execFile);

/** Runs `npm run discord:register`'s script with only the given environment (plus PATH). */
async function register(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node_modules/.bin/tsx', ['scripts/discord-register.ts'], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run discord:register', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await startFakeDiscord();
  });
  afterEach(async () => {
    await fake.close();
  });
  const env = () => ({ DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl });

  it('registers /ticket and the message command in one server when DISCORD_GUILD_ID is set', async () => {
    const result = await register({ ...env(), DISCORD_GUILD_ID: fake.guildId });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Registered \/ticket, "Open ticket from message" .* in server \d+/);
    const commands = fake.state.guildCommands.get(fake.guildId) ?? [];
    expect(commands.map((c) => [c['name'], c['type']])).toEqual([['ticket', 1], ['Open ticket from message', 3]]);
    const subs = ((commands[0]?.['options'] ?? []) as Json[]).map((o) => o['name']);
    expect(subs).toEqual(['open', 'status', 'list', 'reply', 'close', 'reopen', 'rate', 'retry', 'help']);
    expect(fake.state.globalCommands).toHaveLength(0);
  }, 40_000);

  it('registers globally without DISCORD_GUILD_ID, and stops with one line when a setting is missing', async () => {
    const result = await register(env());
    expect(result.stdout).toMatch(/globally/);
    expect(fake.state.globalCommands).toHaveLength(2);
    const missing = await register({ DISCORD_API_URL: fake.apiUrl });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toMatch(/^DISCORD_TOKEN: required[^\n]*$/);
  }, 40_000);
});
