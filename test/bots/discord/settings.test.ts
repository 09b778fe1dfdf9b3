import { describe, expect, it } from 'vitest';
import { discordSettings } from '../../../bots/discord/settings.js';
import { ConfigError } from '../../../src/errors.js';

const base = { DISCORD_TOKEN: 'secret-token-value', DISCORD_APPLICATION_ID: '1191168914227200001' };

describe('Discord settings', () => {
  it('needs a token and an application id, naming the missing one without echoing secrets', () => {
    expect(() => discordSettings({})).toThrow(ConfigError);
    expect(() => discordSettings({})).toThrow(/^DISCORD_TOKEN: required/);
    expect(() => discordSettings({ DISCORD_TOKEN: 'secret-token-value' })).toThrow(/^DISCORD_APPLICATION_ID: /);
    const bad = (() => {
      try {
        discordSettings({ ...base, DISCORD_TICKET_CHANNEL: 'tickets' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(bad?.message).toMatch(/^DISCORD_TICKET_CHANNEL: expects/);
    expect(bad?.message).not.toContain('secret-token-value');
  });

  it('defaults the REST base to discord.com and accepts an override with or without /v10', () => {
    expect(discordSettings(base).apiUrl).toBe('https://discord.com/api');
    expect(discordSettings({ ...base, DISCORD_API_URL: 'http://127.0.0.1:5555/api/v10/' }).apiUrl).toBe('http://127.0.0.1:5555/api');
    expect(() => discordSettings({ ...base, DISCORD_API_URL: 'ftp://x' })).toThrow(/^DISCORD_API_URL: /);
  });
});
