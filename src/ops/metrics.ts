import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutboxStats } from '../delivery/outbox.js';
import type { DeliveryResult, Telemetry } from './telemetry.js';

/** Where the scrape-time gauges read from; set once the bridge exists. */
export interface MetricSources {
  outboxStats(): Promise<OutboxStats>;
}

/** `2xx`, `4xx`, `5xx` …, or `none` when no answer came back. */
export function statusClass(status: number | undefined): string {
  return status === undefined ? 'none' : `${Math.floor(status / 100)}xx`;
}

/**
 * The process's Prometheus metrics, on a registry of its own (never prom-client's global one, so
 * two bridges in one test process do not share counters). Counters and histograms are fed by
 * `Telemetry` calls; outbox depth and age are read from the store when scraped, so they are true
 * for every replica's work, not just this process's.
 */
export class Metrics implements Telemetry {
  readonly registry = new Registry();
  private sources: MetricSources | undefined;
  private readonly providerCalls: Counter<'vendor' | 'status_class'>;
  private readonly deliveries: Counter<'kind' | 'result'>;
  private readonly pollSeconds: Histogram;
  private readonly lagSeconds: Histogram;
  private readonly watched: Gauge;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'ticket_bridge_' });
    this.providerCalls = new Counter({
      name: 'ticket_bridge_provider_calls_total',
      help: 'HTTP calls to the support provider, by vendor and status class (none: no answer)',
      labelNames: ['vendor', 'status_class'],
      registers,
    });
    this.deliveries = new Counter({
      name: 'ticket_bridge_deliveries_total',
      help: 'Outbox delivery attempts, by job kind and result (delivered, retried, failed)',
      labelNames: ['kind', 'result'],
      registers,
    });
    this.pollSeconds = new Histogram({
      name: 'ticket_bridge_poll_cycle_seconds',
      help: 'Duration of one poll cycle of the relay',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.lagSeconds = new Histogram({
      name: 'ticket_bridge_relay_lag_seconds',
      help: 'From an agent comment seen by the relay to its post in the chat thread',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    });
    this.watched = new Gauge({
      name: 'ticket_bridge_tickets_watched',
      help: 'Tickets the relay followed in its last poll cycle (open, and closed within FOLLOW_UP_DAYS)',
      registers,
    });
    // One read of the store per scrape serves both outbox gauges.
    let pending: Promise<OutboxStats | undefined> | undefined;
    const stats = (): Promise<OutboxStats | undefined> => {
      pending ??= (this.sources?.outboxStats() ?? Promise.resolve(undefined)).finally(() => setImmediate(() => (pending = undefined)));
      return pending;
    };
    new Gauge({
      name: 'ticket_bridge_outbox_depth',
      help: 'Jobs waiting in the outbox, by direction (chat: to the thread, provider: to the vendor)',
      labelNames: ['direction'],
      registers,
      async collect() {
        // Absent rather than stale when the store does not answer this scrape.
        this.reset();
        const s = await stats().catch(() => undefined);
        if (s) for (const [direction, { depth }] of Object.entries(s)) this.set({ direction }, depth);
      },
    });
    new Gauge({
      name: 'ticket_bridge_outbox_oldest_age_seconds',
      help: 'Age of the oldest waiting outbox job, by direction (0 when none waits)',
      labelNames: ['direction'],
      registers,
      async collect() {
        this.reset();
        const s = await stats().catch(() => undefined);
        if (s) for (const [direction, { oldestAgeMs }] of Object.entries(s)) this.set({ direction }, oldestAgeMs / 1000);
      },
    });
  }

  /** Where the outbox gauges read from, once the bridge is built. */
  watch(sources: MetricSources): void {
    this.sources = sources;
  }

  providerCall(vendor: string, status: number | undefined): void {
    this.providerCalls.inc({ vendor, status_class: statusClass(status) });
  }

  delivery(kind: string, result: DeliveryResult): void {
    this.deliveries.inc({ kind, result });
  }

  pollCycle(seconds: number, watched: number): void {
    this.pollSeconds.observe(seconds);
    this.watched.set(watched);
  }

  relayLag(seconds: number): void {
    this.lagSeconds.observe(seconds);
  }

  /** The text a Prometheus scrape reads. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
