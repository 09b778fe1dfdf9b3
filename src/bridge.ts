import { ChatSinks } from './chat.js';
import { createDeliver, failureNotice } from './delivery/deliver.js';
import { checksOutcome, StoredDelivery, type Delivery } from './delivery/jobs.js';
import { BlobStore } from './files.js';
import type { FrontEnd } from './frontend.js';
import { LinkStore } from './links.js';
import type { Logger } from './logger.js';
import type { Outbox, OutboxJob, OutboxOptions } from './delivery/outbox.js';
import { BullOutbox } from './delivery/bullmq-outbox.js';
import { KeyvOutbox } from './delivery/keyv-outbox.js';
import { ProviderAccess } from './ops/provider-access.js';
import { noTelemetry, type Telemetry } from './ops/telemetry.js';
import type { TicketProvider } from './provider.js';
import { Openings } from './openings.js';
import { OpeningReconciler } from './reconcile-openings.js';
import { Relay } from './relay/relay.js';
import { TicketService } from './service.js';
import type { KeyValueStore } from './store/index.js';

interface BridgeOptions {
  provider: TicketProvider;
  kv: KeyValueStore;
  logger: Logger;
  pollIntervalMs: number;
  /** Longest gap between checks of a quiet ticket (providers that cannot list changes); default 10 min. */
  pollQuietMaxMs?: number;
  /** The relay's clock in ms; Date.now unless a test or the bench sets it. */
  now?: () => number;
  /** Back-off of outbox retries; tests shorten it. */
  outboxRetry?: { baseMs: number; maxMs: number };
  outboxIdleMs?: number;
  /**
   * How long a process that died keeps its poller lease and its outbox work locked before another
   * takes over (renewed at a third of it while alive). Default 30 s outbox, 15 s poller; tests shorten it.
   */
  leaseMs?: number;
  /** On a Redis store the outbox runs on BullMQ unless this says `keyv`. */
  outboxBackend?: 'keyv' | 'bullmq';
  /** Tickets the poller reads at once (providers without an "updated since" listing). */
  pollConcurrency?: number;
  /** How long the relay still follows a closed or resolved ticket (FOLLOW_UP_DAYS); default 14 days. */
  followUpDays?: number;
  /** Where counters and timings go (the /metrics registry); nowhere by default. */
  telemetry?: Telemetry;
  /** Unfinished openings: how often they are looked for, and how long a create may still land (tests shorten both). */
  openings?: { intervalMs?: number; graceMs?: number };
  /** The largest file taken from chat (MAX_ATTACHMENT_MB); default 10. */
  maxAttachmentMb?: number;
}

const DEFAULT_MAX_ATTACHMENT_MB = 10;

/** The core, assembled: service, relay, outbox and the sinks front-ends register. */
export class Bridge {
  readonly links: LinkStore;
  readonly outbox: Outbox<Delivery>;
  readonly relay: Relay;
  readonly service: TicketService;
  /** Whether the provider accepts the credentials, as last checked (readiness reads it). */
  readonly access: ProviderAccess;
  readonly sinks = new ChatSinks();
  readonly openings: OpeningReconciler;
  private readonly frontEnds: FrontEnd[] = [];

  constructor(readonly options: BridgeOptions) {
    const { provider, kv, logger, telemetry = noTelemetry } = options;
    this.access = new ProviderAccess(provider, logger);
    this.links = new LinkStore(kv, provider.id);
    const blobs = new BlobStore(kv);
    const outboxOptions: OutboxOptions<Delivery> = {
      kv,
      logger,
      schema: StoredDelivery,
      deliver: createDeliver({ provider, kv, links: this.links, sinks: this.sinks, blobs, logger }),
      checksOutcome,
      ...(options.outboxRetry ? { retry: options.outboxRetry } : {}),
      ...(options.outboxIdleMs ? { idleMs: options.outboxIdleMs } : {}),
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      onFailed: (job: OutboxJob<Delivery>, error: unknown) => failureNotice(this.outbox, provider)(job, error),
      onAttempt: (job, result) => {
        telemetry.delivery(job.kind, result);
        // A job's seq is its enqueue time in µs: for a post, when the relay saw the agent's comment.
        if (job.kind === 'post' && result === 'delivered') telemetry.relayLag(Math.max(0, Date.now() - job.seq / 1000) / 1000);
      },
    };
    const onBull = kv.kind === 'redis' && options.outboxBackend !== 'keyv';
    this.outbox = onBull ? new BullOutbox(outboxOptions) : new KeyvOutbox(outboxOptions);
    this.relay = new Relay({
      provider,
      links: this.links,
      outbox: this.outbox,
      kv,
      logger,
      intervalMs: options.pollIntervalMs,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      ...(options.pollConcurrency ? { concurrency: options.pollConcurrency } : {}),
      ...(options.followUpDays !== undefined ? { followUpMs: options.followUpDays * 24 * 3_600_000 } : {}),
      ...(options.pollQuietMaxMs ? { quietMaxMs: options.pollQuietMaxMs } : {}),
      ...(options.now ? { now: options.now } : {}),
      access: this.access,
      telemetry,
    });
    const openings = new Openings(kv, provider.id);
    const maxFileBytes = (options.maxAttachmentMb ?? DEFAULT_MAX_ATTACHMENT_MB) * 1024 * 1024;
    this.service = new TicketService({
      provider,
      links: this.links,
      outbox: this.outbox,
      relay: this.relay,
      openings,
      blobs,
      maxFileBytes,
      ...(options.followUpDays !== undefined ? { followUpMs: options.followUpDays * 24 * 3_600_000 } : {}),
    });
    this.openings = new OpeningReconciler({ provider, openings, service: this.service, sinks: this.sinks, kv, logger, ...options.openings });
  }

  attach(frontEnd: FrontEnd): void {
    this.frontEnds.push(frontEnd);
    this.sinks.register(frontEnd.sink);
  }

  start(): void {
    this.outbox.start();
    this.relay.start();
    this.openings.start();
  }

  /**
   * Graceful stop: front-ends stop taking input first, then the relay and the outbox finish what
   * they hold (queued jobs stay queued for the next start), then the poller lease is released.
   */
  async stop(): Promise<void> {
    // One front-end that fails to stop must not keep the rest of the bridge running.
    const { logger } = this.options;
    await Promise.all(this.frontEnds.map((f) => f.stop().catch((error: unknown) => logger.warn('front-end did not stop cleanly', { frontEnd: f.name, error }))));
    await this.openings.stop();
    await this.relay.stop();
    await this.outbox.stop();
  }
}
