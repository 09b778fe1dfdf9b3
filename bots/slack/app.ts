import { slackFileHosts } from './files.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi, type Logger as BoltLogger } from '@slack/bolt';
import { ConfigError } from '../../src/errors.js';
import type { FrontEndDeps } from '../../src/frontend.js';
import type { Logger } from '../../src/logger.js';
import { registerActions } from './actions.js';
import { Background } from './background.js';
import { FormOpener } from './form-opener.js';
import { registerCommands } from './commands.js';
import { CheckedHttpReceiver } from './http-receiver.js';
import { registerMessages } from './messages.js';
import { SlackHome } from './home.js';
import { registerModals } from './modals.js';
import { registerReactions } from './reactions.js';
import { SlackRoutes } from './routes.js';
import { StillHandling } from './still-handling.js';
import { PendingAcks } from './pending-acks.js';
import { People } from './people.js';
import type { SlackRuntime } from './runtime.js';
import type { SlackSettings } from './settings.js';
import { SlackSink } from './sink.js';
import { ProcessBeforeAckReceiver } from './socket-receiver.js';
import type { SlackIdentity } from './startup.js';
import { StaffDirectory } from './staff.js';

export interface SlackAppOptions {
  /** Spacing of thread posts per channel (default 1 s, Slack's pace). */
  perChannelMs?: number;
  /** How long an event's mark holds off Slack's redeliveries while it is handled (default 45 s). */
  eventMarkMs?: number;
  /** The bot's ids from a start-up auth.test; given, Bolt does not call auth.test again. */
  identity?: SlackIdentity;
  /** The deadline of each call to Slack (default 10 s). */
  callTimeoutMs?: number;
}

/**
 * How long an event's mark keeps Slack's redeliveries off while it is handled: past a usual
 * handling (one file download may take 30 s). Short on purpose: a mark that could not be given
 * back when the store failed stops only Slack's first retry, which comes at once, not those at 1
 * and 5 minutes. A reply already queued is recognised by its outbox key before any of this, and a
 * handling that outlasts the mark still makes one comment, for the same reason.
 */
const EVENT_MARK_MS = 45_000;

/**
 * Slack answers a Web API call in well under a second; past this the call is given up (a post
 * then counts as failed-maybe-done: the outbox tries again and finds it by its metadata).
 */
const CALL_TIMEOUT_MS = 10_000;

/** Where the Web API is when SLACK_API_URL is not set (the Web API client's own default). */
const SLACK_API_URL = 'https://slack.com/api/';

// Interactive calls retry briefly: a person is waiting, and the outbox retries what must not be lost.
const INTERACTIVE_RETRIES = { retries: 2, factor: 2, minTimeout: 250, maxTimeout: 1_000 };

/** Bolt's logger interface on top of the service's logger (which scrubs secrets). */
function boltLogger(logger: Logger): BoltLogger {
  const line = (parts: unknown[]): string => parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
  return {
    debug: (...m: unknown[]) => logger.debug(`slack: ${line(m)}`),
    info: (...m: unknown[]) => logger.info(`slack: ${line(m)}`),
    warn: (...m: unknown[]) => logger.warn(`slack: ${line(m)}`),
    error: (...m: unknown[]) => logger.error(`slack: ${line(m)}`),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}

interface SlackApp {
  app: App;
  sink: SlackSink;
  /** Work the listeners run after their ack; wait for it when stopping. */
  background: Background;
  /** The thread forms open on; close it once the background work is done. */
  forms: FormOpener;
  /** Starts the transport; resolves with the HTTP port in HTTP mode. */
  start(): Promise<number | undefined>;
  /** Socket Mode: the socket is open; HTTP: the listener is up. */
  connected(): boolean;
}

/** The Bolt app for the configured transport, with every listener registered. */
export function createSlackApp(settings: SlackSettings, deps: FrontEndDeps, options: SlackAppOptions = {}): SlackApp {
  const logger = boltLogger(deps.logger);
  // One deadline for both of Slack's clients: the Web API's (its own `timeout` option would cover
  // only it) and Bolt's for response_url, which has none.
  const api = { fetch: fetchWithin(options.callTimeoutMs ?? CALL_TIMEOUT_MS), ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}) };
  const common = {
    token: settings.botToken,
    logger,
    clientOptions: { ...api, retryConfig: INTERACTIVE_RETRIES },
    ignoreSelf: true,
    // No listener keeps conversation state; Bolt's default store would look each event's
    // conversation up (and build a "not found" Error) in front of every ack.
    convoStore: false as const,
    ...(options.identity ? { botId: options.identity.botId, botUserId: options.identity.botUserId } : {}),
  };
  const { transport } = settings;
  // Slack is answered only when the listeners return: a thread reply is acked once its outbox job
  // is durable. Every other listener acks first and leaves its slow work to rt.background.
  const pending = new PendingAcks();
  let socket: ProcessBeforeAckReceiver | undefined;
  let server: Server | undefined;
  const app =
    transport.kind === 'socket'
      ? new App({
          ...common,
          socketMode: true,
          receiver: (socket = new ProcessBeforeAckReceiver(
            { appToken: transport.appToken, logger, installerOptions: { clientOptions: { ...api, retryConfig: INTERACTIVE_RETRIES } } },
            deps.logger,
            pending,
          )),
        })
      : new App({
          ...common,
          receiver: new CheckedHttpReceiver({ signingSecret: transport.signingSecret, endpoints: '/slack/events', processBeforeResponse: true, logger }, deps.logger, pending),
        });

  // The sink's own client: rate limits come back as errors so the outbox, not the client, waits.
  const sinkClient = new webApi.WebClient(settings.botToken, { ...api, logger, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  const sink = new SlackSink({
    client: sinkClient,
    kv: deps.kv,
    logger: deps.logger,
    fileHosts: slackFileHosts(settings),
    ...(options.perChannelMs ? { perChannelMs: options.perChannelMs } : {}),
    ...(deps.limiters ? { limiters: deps.limiters } : {}),
    ...(options.identity ? { botUserId: options.identity.botUserId } : {}),
    ...(deps.defaultLocale ? { locale: deps.defaultLocale } : {}),
    onChange: (thread) => home.refresh(thread),
  });
  const staff = new StaffDirectory(app.client, settings.staffUsergroup, deps.logger);
  const background = new Background(deps.logger, pending);
  const forms = new FormOpener(settings.apiUrl ?? SLACK_API_URL, settings.botToken, options.callTimeoutMs ?? CALL_TIMEOUT_MS);
  const rt: SlackRuntime = {
    settings,
    service: deps.service,
    kv: deps.kv,
    logger: deps.logger,
    sink,
    people: new People(app.client, staff, deps.logger, deps.defaultLocale ?? 'en'),
    background,
    forms,
    eventMarkMs: options.eventMarkMs ?? EVENT_MARK_MS,
  };

  const home = new SlackHome(rt, app.client);
  const routes = new SlackRoutes();
  home.register(routes);
  registerCommands(routes, rt);
  registerModals(routes, rt);
  registerActions(routes, rt);
  registerMessages(routes, rt);
  registerReactions(routes, rt);
  app.use(routes.middleware);
  app.error(async (error) => {
    if (error instanceof StillHandling) deps.logger.info(`slack: ${error.message}`);
    else deps.logger.error('slack listener failed', { error: error.message, code: error.code });
    // Rethrown so the receiver does not acknowledge: HTTP answers 500, Socket Mode sends no ack,
    // and Slack delivers the event again.
    throw error;
  });

  return {
    app,
    sink,
    background,
    forms,
    async start() {
      if (transport.kind === 'socket') {
        await app.start();
        return undefined;
      }
      server = (await app.start(transport.port).catch((error: unknown) => {
        throw listenRefusal(error, transport.port);
      })) as Server;
      return (server.address() as AddressInfo).port;
    },
    connected: () => (socket ? socket.connected : server?.listening === true),
  };
}

/** fetch with a deadline on every call; a signal the caller gives still works as well. */
function fetchWithin(ms: number): typeof fetch {
  return (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline });
  };
}

/** A port that cannot be listened on is the operator's to fix: one line naming PORT. */
function listenRefusal(error: unknown, port: number): unknown {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'EADDRINUSE') return new ConfigError('PORT', `port ${port} is already in use; stop what holds it or pick another PORT`);
  if (code === 'EACCES') return new ConfigError('PORT', `port ${port} may not be opened by this user; pick one above 1023`);
  return error;
}
