import { ConfigError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { guardStore, type GuardedStore } from './guarded.js';
import { describeStore, StoreHealth, withDeadline } from './health.js';
import type { StoreOptions } from './kv.js';

export type { KeyValueStore, StoreOptions } from './kv.js';
export type { GuardedStore } from './guarded.js';
export { StoreHealth, describeStore } from './health.js';

export const DEFAULT_STORE_URL = 'sqlite://./data/tickets.sqlite';
export const DEFAULT_STORE_TIMEOUT_MS = 5_000;
export const DEFAULT_STORE_CONNECT_TIMEOUT_MS = 30_000;

export interface OpenStoreOptions extends StoreOptions {
  /** Deadline of every store call (STORE_TIMEOUT_MS). */
  timeoutMs?: number;
  /** How long the first connection to Redis may take (STORE_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** Where outages and recoveries are logged, one line each. */
  logger?: Logger;
}

/**
 * Opens the store named by STORE_URL: `sqlite://<path>` (folder made 0700 if missing) or `redis://…`;
 * `redis://host:port?prefix=name` keeps several deployments (or tests) apart on one Redis.
 * Every call of the returned store fails as StoreUnavailable, Redis calls after a deadline (SQLite
 * answers within the call, bounded by its busy timeout); a store that
 * cannot be opened at all is a ConfigError naming STORE_URL. While Redis is not there yet the
 * first failed attempt is logged at once and the connection is retried for `connectTimeoutMs`.
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<GuardedStore> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
  const health = new StoreHealth({ logger: options.logger ?? silentLogger, timeoutMs, store: describeStore(url) });
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { openRedisStore } = await import('./redis.js');
    const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_STORE_CONNECT_TIMEOUT_MS;
    return guardStore(await openRedisStore(url, { health, connectTimeoutMs }), health);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  try {
    const sqlite = await withDeadline('open', options.connectTimeoutMs ?? DEFAULT_STORE_CONNECT_TIMEOUT_MS, () => openSqliteStore(url, options));
    return guardStore(sqlite, health);
  } catch (error) {
    // A folder that cannot be made, a file that cannot be opened or is not a database.
    throw new ConfigError('STORE_URL', `cannot use ${url}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
