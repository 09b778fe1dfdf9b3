import { providers } from '../adapters/registry.js';
import { startConsole } from '../bots/console/index.js';
import { Bridge } from './bridge.js';
import { loadCoreConfig, secretsIn } from './config.js';
import { ConfigError } from './errors.js';
import type { FrontEnd, FrontEndDeps } from './frontend.js';
import { createLimiters } from './limits.js';
import { createHttpClient } from './provider-kit/http.js';
import { createLogger, redact } from './logger.js';
import type { Env } from './settings.js';
import { openStore } from './store/index.js';

/**
 * The one place that knows every part: reads the settings, opens the store, picks the provider
 * from the registry, starts the configured front-ends, and stops it all gracefully on a signal.
 */
async function main(env: Env): Promise<void> {
  const startedAt = performance.now();
  const config = loadCoreConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretsIn(env) });
  // Logged, not fatal: one failed background task must not take every conversation down with it.
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));
  const kv = await openStore(config.STORE_URL);
  const http = createHttpClient(logger);
  const limiters = await createLimiters(kv);
  const provider = (await providers[config.TICKET_PROVIDER]())({ http, logger, kv, env, limiters });
  const bridge = new Bridge({ provider, kv, logger, pollIntervalMs: config.POLL_INTERVAL_MS, pollQuietMaxMs: config.POLL_QUIET_MAX_MS });
  const deps: FrontEndDeps = { service: bridge.service, kv, logger, env, limiters };

  const frontEnds: FrontEnd[] = [];
  const chat = chatFrontEnds(env);
  for (const start of chat) frontEnds.push(await start(deps));
  if (config.CONSOLE === 'on' || (config.CONSOLE === 'auto' && chat.length === 0)) frontEnds.push(startConsole(deps));
  for (const frontEnd of frontEnds) bridge.attach(frontEnd);
  bridge.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1); // a second signal: the operator wants out now
    stopping = true;
    logger.info('stopping', { signal });
    await bridge.stop();
    await Promise.allSettled([kv.close(), http.close(), limiters.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT')).on('SIGTERM', () => void stop('SIGTERM'));

  const names = frontEnds.map((f) => f.name).join(', ');
  const readyMs = Math.round(performance.now() - startedAt);
  logger.info('ready', { provider: provider.id, store: kv.kind, frontEnds: names, startupMs: readyMs });
  if (frontEnds.some((f) => f.name === 'console')) {
    process.stdout.write(`ticket-bridge ready: ${provider.displayName}, ${kv.kind} store, ${names}. Type /ticket help.\n`);
  }
}

/** Slack and Discord start when their tokens are set; their modules load only then. */
function chatFrontEnds(env: Env): ((deps: FrontEndDeps) => Promise<FrontEnd>)[] {
  const starters: ((deps: FrontEndDeps) => Promise<FrontEnd>)[] = [];
  if (env['SLACK_BOT_TOKEN']) starters.push(async (deps) => (await import('../bots/slack/index.js')).startSlack(deps));
  if (env['DISCORD_TOKEN']) starters.push(async (deps) => (await import('../bots/discord/index.js')).startDiscord(deps));
  return starters;
}

main(process.env).catch((error: unknown) => {
  // A bad setting is the operator's to fix: one line naming it, no stack trace.
  if (error instanceof ConfigError) {
    process.stderr.write(`ticket-bridge: ${error.message}\n`);
    process.exit(2);
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`ticket-bridge: could not start: ${redact(message, secretsIn(process.env))}\n`);
  process.exit(1);
});
