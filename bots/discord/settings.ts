import { z } from 'zod';
import { baseUrl, parseEnv, required, type Env } from '../../src/settings.js';

const snowflake = (what: string) => z.string().regex(/^\d{17,20}$/, `expects ${what} (a numeric Discord id, 17–20 digits)`);

const DiscordEnv = z.object({
  DISCORD_TOKEN: required('the bot token from the Developer Portal (Bot → Reset Token)'),
  DISCORD_APPLICATION_ID: required('the application id from the Developer Portal (General Information)').pipe(snowflake('the application id')),
  DISCORD_API_URL: baseUrl('https://discord.com/api'),
  DISCORD_TICKET_CHANNEL: snowflake('the id of the text or forum channel that holds ticket threads').optional(),
  DISCORD_STAFF_ROLE: snowflake('the id of the role whose members act on any ticket').optional(),
  DISCORD_GUILD_ID: snowflake('the id of the server to register commands in').optional(),
});

/** The Discord front-end's settings, validated from the environment. */
export interface DiscordSettings {
  token: string;
  applicationId: string;
  /** REST base without the version, e.g. `https://discord.com/api`; the gateway URL comes from its /gateway/bot. */
  apiUrl: string;
  ticketChannel: string | undefined;
  staffRole: string | undefined;
  guildId: string | undefined;
}

/** Reads DISCORD_* from `env`; a bad or missing one throws ConfigError naming it. */
export function discordSettings(env: Env): DiscordSettings {
  const parsed = parseEnv(DiscordEnv, env);
  return {
    token: parsed.DISCORD_TOKEN.replace(/^Bot\s+/i, ''),
    applicationId: parsed.DISCORD_APPLICATION_ID,
    apiUrl: parsed.DISCORD_API_URL.replace(/\/v\d+$/, ''),
    ticketChannel: parsed.DISCORD_TICKET_CHANNEL,
    staffRole: parsed.DISCORD_STAFF_ROLE,
    guildId: parsed.DISCORD_GUILD_ID,
  };
}
