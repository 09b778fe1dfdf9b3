import { Client, GatewayIntentBits, Partials, type RateLimitData } from 'discord.js';
import { makeRequest } from './multipart.js';
import type { DiscordSettings } from './settings.js';

/** Mentions parse nothing: no relayed text, name or subject can ping anyone. */
export const NO_MENTIONS = { parse: [] as never[] } as const;

/**
 * Message posts and edits into channels reject on a rate limit instead of waiting, so the outbox
 * can reschedule them with Retry-After; every other call (interaction replies, thread set-up) waits
 * as discord.js does by default.
 */
export function rejectsOnRateLimit(data: RateLimitData): boolean {
  return (data.method === 'POST' || data.method === 'PATCH') && /^\/channels\/:id\/messages(\/:id)?$/.test(data.route);
}

/**
 * The discord.js client: guild, guild-message and message-content intents (thread replies need the
 * text), direct messages (a ticket whose card fell back to a DM is followed there), reactions (🎫
 * offers a ticket), partials so a message, DM or reaction the cache has not seen still arrives, and
 * no mentions by default. `rest.api` is the configured base; the gateway URL is read from its /gateway/bot.
 */
export function createClient(settings: DiscordSettings, restOverrides: { retries?: number; timeout?: number } = {}): Client {
  return new Client({
    intents: [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessages,
      GatewayIntentBits.MessageContent,
      GatewayIntentBits.DirectMessages,
      GatewayIntentBits.GuildMessageReactions,
    ],
    partials: [Partials.Channel, Partials.Message, Partials.Reaction, Partials.User],
    allowedMentions: { parse: [], repliedUser: false },
    rest: { api: settings.apiUrl, rejectOnRateLimit: rejectsOnRateLimit, makeRequest, ...restOverrides },
  });
}
