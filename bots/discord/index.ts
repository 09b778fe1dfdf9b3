import { DiscordAPIError, Events, GatewayCloseCodes, HTTPError, Status, type Client } from 'discord.js';
import { translator } from '../../handlers/i18n.js';
import { ConfigError, innermostMessage } from '../../src/errors.js';
import type { FrontEnd, FrontEndDeps } from '../../src/frontend.js';
import type { Logger } from '../../src/logger.js';
import { createClient } from './client.js';
import type { DiscordContext } from './context.js';
import { interactionListener } from './interactions.js';
import { reactionListener } from './reactions.js';
import { discordSettings, type DiscordSettings } from './settings.js';
import { DiscordSink } from './sink.js';
import { threadMessageListeners } from './thread-messages.js';

interface DiscordOptions {
  /** REST tuning, e.g. `{ retries: 0 }` in tests so a dead fake fails fast. */
  rest?: { retries?: number; timeout?: number };
  /** How long to wait for READY before giving up. */
  readyTimeoutMs?: number;
}

/**
 * Starts the Discord front-end: reads DISCORD_* from deps.env (ConfigError names a bad one), logs
 * in, and resolves once the gateway is ready. Its sink posts into `discord:<threadId>` threads.
 */
export async function startDiscord(deps: FrontEndDeps, options: DiscordOptions = {}): Promise<FrontEnd> {
  const settings = discordSettings(deps.env);
  const client = createClient(settings, options.rest);
  const ctx: DiscordContext = { client, service: deps.service, kv: deps.kv, logger: deps.logger, settings, defaultLocale: deps.defaultLocale };
  const sink = new DiscordSink(client.rest, { opening: { kv: deps.kv, logger: deps.logger }, limiters: deps.limiters, t: translator(deps.defaultLocale), kv: deps.kv });
  client.on(Events.InteractionCreate, interactionListener(ctx));
  const threadMessages = threadMessageListeners(ctx);
  client.on(Events.MessageCreate, threadMessages.created);
  client.on(Events.MessageUpdate, threadMessages.updated);
  client.on(Events.MessageDelete, threadMessages.deleted);
  client.on(Events.MessageReactionAdd, reactionListener(ctx));
  client.on(Events.Error, (error) => deps.logger.error('discord: client error', { error }));
  client.on(Events.ShardResume, (shard, replayed) => deps.logger.info('discord: gateway resumed', { shard, replayed }));
  client.on(Events.ShardDisconnect, (event, shard) => deps.logger.error('discord: gateway closed for good', { shard, code: event.code }));

  await ready(client, settings, deps.logger, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  if (client.application?.id && client.application.id !== settings.applicationId) {
    deps.logger.warn('discord: DISCORD_APPLICATION_ID differs from the token’s application; commands may be missing', {
      configured: settings.applicationId,
      actual: client.application.id,
    });
  }
  deps.logger.info('discord: ready', { user: client.user?.tag, guilds: client.guilds.cache.size });

  let stopped = false;
  return {
    name: 'discord',
    sink,
    // Per shard: the manager's own status stays Ready once reached, through any later reconnect.
    connected: () => client.isReady() && client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
    async stop() {
      if (stopped) return;
      stopped = true;
      await client.destroy();
    },
  };
}

/** Start-up's deadline for Discord: REST answering /gateway/bot, then the gateway's READY. */
const READY_TIMEOUT_MS = 30_000;

/** Logs in and waits for READY; a refusal that retrying cannot fix becomes one clear line. */
async function ready(client: Client, settings: DiscordSettings, logger: Logger, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const outcome = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    client.on(Events.ShardDisconnect, (event) => {
      const refusal = refusalOf(event.code);
      if (refusal) reject(refusal);
    });
    const seconds = Math.round(timeoutMs / 1000);
    timer = setTimeout(() => reject(new ConfigError('DISCORD_API_URL', `Discord at ${settings.apiUrl} was not ready within ${seconds} s`)), timeoutMs);
  });
  try {
    await Promise.all([client.login(settings.token).then(() => undefined), outcome]);
  } catch (error) {
    await client.destroy().catch(() => undefined);
    const refusal = error instanceof ConfigError ? error : loginRefusal(error, settings.apiUrl);
    logger.debug('discord: start-up failed', { error: refusal });
    throw refusal;
  } finally {
    clearTimeout(timer);
  }
}

function refusalOf(code: number): ConfigError | undefined {
  switch (code) {
    case GatewayCloseCodes.DisallowedIntents:
      return new ConfigError(
        'DISCORD_TOKEN',
        "its application may not use the Message Content intent; enable it in the Developer Portal (Bot → Privileged Gateway Intents → Message Content Intent)",
      );
    case GatewayCloseCodes.AuthenticationFailed:
      return new ConfigError('DISCORD_TOKEN', 'Discord refused the token; copy a fresh one from the Developer Portal (Bot → Reset Token)');
    case GatewayCloseCodes.InvalidIntents:
      return new ConfigError('DISCORD_TOKEN', 'Discord refused the requested gateway intents');
    default:
      return undefined;
  }
}

function loginRefusal(error: unknown, apiUrl: string): ConfigError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'TokenInvalid') {
    return new ConfigError('DISCORD_TOKEN', 'Discord refused the token; copy a fresh one from the Developer Portal (Bot → Reset Token)');
  }
  // Login asks one thing, GET /gateway/bot, and a bad token is TokenInvalid above. Anything else (no
  // answer, a 5xx, a proxy's 404) says the address is not a Discord API that answers.
  const reason = error instanceof DiscordAPIError || error instanceof HTTPError ? `HTTP ${error.status} to ${error.method} ${error.url.replace(apiUrl, '')}` : innermostMessage(error);
  return new ConfigError('DISCORD_API_URL', `no usable answer from ${apiUrl} (${reason})`);
}

