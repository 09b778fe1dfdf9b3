import { providers } from '../adapters/registry.js';
import { startConsole } from '../bots/console/index.js';
import { Bridge } from './bridge.js';
import { loadCoreConfig, secretsIn, type CoreConfig } from './config.js';
import { loadDotEnv } from './env-file.js';
import { ConfigError } from './errors.js';
import type { FrontEnd, FrontEndDeps } from './frontend.js';
import { createLimiters, type Limiters } from './limits.js';
import { createHttpClient, type HttpClient } from './provider-kit/http.js';
import { createLogger, redact } from './logger.js';
import { startOps, type Ops } from './ops/index.js';
import type { Env } from './settings.js';
import { createShutdown, stopOnSignals } from './shutdown.js';
import { openStore, type KeyValueStore } from './store/index.js';

/**
 * The one place that knows every part: reads the settings, opens the store, picks the provider
 * from the registry, starts the configured front-ends, and stops it all gracefully on a signal
 * (or when the store is lost) through one shutdown that exits within 10 s.
 */
async function main(env: Env): Promise<void> {
  const startedAt = performance.now();
  const config = loadCoreConfig(env);
  const logger = createLogger({ level: config.LOG_LEVEL, secrets: secretsIn(env) });
  const chat = chatFrontEnds(env, config.CONSOLE);
  // Logged, not fatal: one failed background task must not take every conversation down with it.
  process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));

  // Signals are heard from here on, so a stop during start-up also ends within the deadline.
  const running: { bridge?: Bridge; kv?: KeyValueStore; http?: HttpClient; limiters?: Limiters; ops?: Ops; storeLost?: boolean } = {};
  const shutdown = createShutdown({
    logger,
    stopAll: async () => {
      running.ops?.stopping();
      // With the store lost, giving the lease back fails by design: it expires instead.
      await running.bridge?.stop().catch((error: unknown) => {
        if (!running.storeLost) throw error;
      });
      await Promise.allSettled([running.kv?.close(), running.http?.close(), running.limiters?.close(), running.ops?.close()]);
    },
  });
  stopOnSignals(shutdown);

  // Before the store: a bot still reaching its store answers /healthz, and /readyz says why not ready.
  const ops = await startOps(config, logger);
  running.ops = ops;

  const kv = await openStore(config.STORE_URL, {
    timeoutMs: config.STORE_TIMEOUT_MS,
    connectTimeoutMs: config.STORE_CONNECT_TIMEOUT_MS,
    logger,
    onLost: (error) => {
      running.storeLost = true;
      logger.error('store lost; taking no more work', { error: error.message });
      void shutdown('store lost', 1);
    },
  });
  running.kv = kv;
  ops.storeOpened(kv);
  const http = createHttpClient(logger, undefined, ops.telemetry);
  running.http = http;
  const limiters = await createLimiters(kv);
  running.limiters = limiters;
  const provider = (await providers[config.TICKET_PROVIDER]())({ http, logger, kv, env, limiters });
  const bridge = new Bridge({
    provider,
    kv,
    logger,
    pollIntervalMs: config.POLL_INTERVAL_MS,
    pollQuietMaxMs: config.POLL_QUIET_MAX_MS,
    followUpDays: config.FOLLOW_UP_DAYS,
    telemetry: ops.telemetry,
    maxAttachmentMb: config.MAX_ATTACHMENT_MB,
  });
  ops.watch({ outboxStats: () => bridge.outbox.stats() });
  ops.providerBuilt(bridge.access);
  await bridge.access.checkAtStart(ACCESS_CHECK_MS);
  const deps: FrontEndDeps = { service: bridge.service, kv, logger, env, limiters, defaultLocale: config.DEFAULT_LOCALE };
  // Front-ends build their forms (and Discord its command choices) from the vendor's own lists.
  await bridge.service.openFields();

  const frontEnds: FrontEnd[] = [];
  for (const start of chat) frontEnds.push(await start(deps));
  if (config.CONSOLE === 'on' || (config.CONSOLE === 'auto' && chat.length === 0)) frontEnds.push(startConsole(deps));
  for (const frontEnd of frontEnds) {
    bridge.attach(frontEnd);
    ops.frontEndStarted(frontEnd);
  }
  bridge.start();
  running.bridge = bridge;
  ops.started();

  const names = frontEnds.map((f) => f.name).join(', ');
  const readyMs = Math.round(performance.now() - startedAt);
  const health = ops.server ? { healthPort: ops.server.port } : {};
  logger.info('ready', { provider: provider.id, store: kv.kind, frontEnds: names, startupMs: readyMs, ...health });
  if (frontEnds.some((f) => f.name === 'console')) {
    process.stdout.write(`ticket-bridge ready: ${provider.displayName}, ${kv.kind} store, ${names}. Type /ticket help.\n`);
  }
}

/** How long start-up waits for the provider's credential check before going on without its answer. */
const ACCESS_CHECK_MS = 10_000;

/** Slack and Discord start when their tokens are set; their modules load only then. */
function chatFrontEnds(env: Env, consoleMode: CoreConfig['CONSOLE']): ((deps: FrontEndDeps) => Promise<FrontEnd>)[] {
  const starters: ((deps: FrontEndDeps) => Promise<FrontEnd>)[] = [];
  if (env['SLACK_BOT_TOKEN']) starters.push(async (deps) => (await import('../bots/slack/index.js')).startSlack(deps));
  if (env['DISCORD_TOKEN']) starters.push(async (deps) => (await import('../bots/discord/index.js')).startDiscord(deps));
  if (starters.length === 0 && consoleMode === 'off') {
    throw new ConfigError('CONSOLE', 'off leaves no front-end: set SLACK_BOT_TOKEN or DISCORD_TOKEN, or CONSOLE=auto');
  }
  return starters;
}

loadDotEnv();
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
