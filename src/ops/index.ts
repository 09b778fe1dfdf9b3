import type { CoreConfig } from '../config.js';
import type { FrontEnd } from '../frontend.js';
import type { Logger } from '../logger.js';
import { describeStore, type KeyValueStore } from '../store/index.js';
import { startHealthServer, type HealthServer } from './health-server.js';
import type { Metrics, MetricSources } from './metrics.js';
import type { ProviderAccess } from './provider-access.js';
import { Readiness } from './readiness.js';
import { noTelemetry, type Telemetry } from './telemetry.js';

/** The operator's side of the process: metrics, readiness, and the port that serves them (when HEALTH_PORT is set). */
export interface Ops {
  /** Where the core reports what it does: the Prometheus metrics, or nothing while no port serves them. */
  readonly telemetry: Telemetry;
  /** Where the scrape-time gauges (outbox depth and age) read from, once the bridge exists. */
  watch(sources: MetricSources): void;
  readonly readiness: Readiness;
  readonly server: HealthServer | undefined;
  /** The store is open: readiness pings it from now on. */
  storeOpened(kv: KeyValueStore): void;
  /** The provider's credential state counts for readiness from now on. */
  providerBuilt(access: ProviderAccess): void;
  frontEndStarted(frontEnd: FrontEnd): void;
  /** Start-up is over: the `starting` part leaves readiness. */
  started(): void;
  /** Not ready from now on (a stop is under way). */
  stopping(): void;
  close(): Promise<void>;
}

/** A key never written: reading it is the cheapest call that proves the store answers. */
const PING_KEY = 'ops:ping';

export async function startOps(config: Pick<CoreConfig, 'HEALTH_PORT' | 'HEALTH_HOST' | 'STORE_URL'>, logger: Logger): Promise<Ops> {
  const readiness = new Readiness();
  readiness.set('startup', () => 'starting');
  readiness.set('store', () => `not open yet: connecting to ${describeStore(config.STORE_URL)} (STORE_URL)`);
  let metrics: Metrics | undefined;
  let server: HealthServer | undefined;
  if (config.HEALTH_PORT !== undefined) {
    // prom-client (with the event-loop and GC observers of its default metrics) only when something can scrape it.
    metrics = new (await import('./metrics.js')).Metrics();
    server = await startHealthServer({ port: config.HEALTH_PORT, host: config.HEALTH_HOST, readiness, metrics, logger });
    logger.info('health endpoints listening', { port: server.port, host: config.HEALTH_HOST, paths: '/healthz /readyz /metrics' });
  }
  return {
    telemetry: metrics ?? noTelemetry,
    watch: (sources) => metrics?.watch(sources),
    readiness,
    server,
    storeOpened(kv) {
      readiness.set('store', async () => {
        try {
          await kv.get(PING_KEY);
          return undefined;
        } catch {
          // The cause is in the log (once per outage, from the store's health); no URL with a password here.
          return `unreachable: ${describeStore(kv.url)} (STORE_URL) does not answer`;
        }
      });
    },
    providerBuilt(access) {
      readiness.set('provider', () => access.problem);
    },
    frontEndStarted(frontEnd) {
      const { connected } = frontEnd;
      if (connected) readiness.set(frontEnd.name, () => (connected.call(frontEnd) ? undefined : 'not connected to its platform'));
    },
    started: () => readiness.delete('startup'),
    stopping: () => readiness.set('stopping', () => 'stopping'),
    close: async () => server?.close(),
  };
}
