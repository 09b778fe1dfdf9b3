import type { KeyValueStore, StoreOptions } from './kv.js';

export type { KeyValueStore, StoreOptions } from './kv.js';

export const DEFAULT_STORE_URL = 'sqlite://./data/tickets.sqlite';

/**
 * Opens the store named by STORE_URL: `sqlite://<path>` (folder made 0700 if missing) or `redis://…`;
 * `redis://host:port?prefix=name` keeps several deployments (or tests) apart on one Redis.
 */
export async function openStore(url: string, options: StoreOptions = {}): Promise<KeyValueStore> {
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { openRedisStore } = await import('./redis.js');
    return openRedisStore(url);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(url, options);
}
