import { ChatSinks } from './chat.js';
import { deliveryFailureNotice, registerDeliveries } from './deliveries.js';
import type { FrontEnd } from './frontend.js';
import { LinkStore } from './links.js';
import type { Logger } from './logger.js';
import { Outbox } from './outbox.js';
import type { TicketProvider } from './provider.js';
import { Relay } from './relay.js';
import { TicketService } from './service.js';
import type { KeyValueStore } from './store.js';

export interface BridgeOptions {
  provider: TicketProvider;
  kv: KeyValueStore;
  logger: Logger;
  pollIntervalMs: number;
  /** Back-off of outbox retries; tests shorten it. */
  outboxRetry?: { baseMs: number; maxMs: number };
  outboxIdleMs?: number;
}

/** The core, assembled: service, relay, outbox and the sinks front-ends register. */
export class Bridge {
  readonly links: LinkStore;
  readonly outbox: Outbox;
  readonly relay: Relay;
  readonly service: TicketService;
  readonly sinks = new ChatSinks();
  private readonly frontEnds: FrontEnd[] = [];

  constructor(readonly options: BridgeOptions) {
    const { provider, kv, logger } = options;
    this.links = new LinkStore(kv, provider.id);
    this.outbox = new Outbox({
      kv,
      logger,
      ...(options.outboxRetry ? { retry: options.outboxRetry } : {}),
      ...(options.outboxIdleMs ? { idleMs: options.outboxIdleMs } : {}),
      onFailed: (job, error) => deliveryFailureNotice(this.outbox, provider)(job, error),
    });
    this.relay = new Relay({ provider, links: this.links, outbox: this.outbox, kv, logger, intervalMs: options.pollIntervalMs });
    this.service = new TicketService({ provider, links: this.links, outbox: this.outbox, relay: this.relay });
    registerDeliveries({ outbox: this.outbox, provider, links: this.links, sinks: this.sinks, logger });
  }

  attach(frontEnd: FrontEnd): void {
    this.frontEnds.push(frontEnd);
    this.sinks.register(frontEnd.sink);
  }

  start(): void {
    this.outbox.start();
    this.relay.start();
  }

  /**
   * Graceful stop: front-ends stop taking input first, then the relay and the outbox finish what
   * they hold (queued jobs stay queued for the next start), then the poller lease is released.
   */
  async stop(): Promise<void> {
    await Promise.all(this.frontEnds.map((f) => f.stop().catch(() => undefined)));
    await this.relay.stop();
    await this.outbox.stop();
  }
}
