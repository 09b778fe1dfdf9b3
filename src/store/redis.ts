import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import { ConfigError } from '../errors.js';
import { describeStore, type StoreHealth } from './health.js';
import type { KeyValueStore } from './kv.js';
import { parseRedisUrl, reconnectDelay } from './redis-url.js';

/** Compare-and-delete, so a lease holder that lost its lease cannot release the new holder's. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Take the lease if free (SET NX PX), or extend it if we already hold it. */
const CLAIM = `local cur = redis.call('get', KEYS[1])
if cur == false then return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0 end
if cur == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
return 0`;

export interface RedisStoreOptions {
  health: StoreHealth;
  /** How long the first connection may take before start-up gives up (ConfigError on STORE_URL). */
  connectTimeoutMs: number;
}

/** Commands waiting on a connection that stopped answering; past this they fail instead of piling up. */
const MAX_QUEUED_COMMANDS = 10_000;

/**
 * keyv on Redis for values; SET NX PX, Lua compare-and-set and native sets for the atomic rest.
 * The client never queues commands while disconnected (they fail at once, and the caller answers
 * "store unavailable"), reconnects by itself with capped back-off, and reports each state change
 * to `health` (which logs it once) instead of an error per retry.
 */
export async function openRedisStore(storeUrl: string, options: RedisStoreOptions): Promise<KeyValueStore> {
  const { url, prefix } = parseRedisUrl(storeUrl);
  const { health } = options;
  const key = (name: string): string => `${prefix}:${name}`;
  const client = createClient({
    url,
    disableOfflineQueue: true,
    commandsQueueMaxLength: MAX_QUEUED_COMMANDS,
    socket: {
      connectTimeout: Math.min(health.timeoutMs, 10_000),
      reconnectStrategy: reconnectDelay,
    },
  });
  client.on('error', (error: unknown) => health.markDown(error));
  client.on('ready', () => health.markUp());
  await connectWithin(client, storeUrl, options.connectTimeoutMs);
  // Both keyv layers would otherwise answer "not found" when Redis fails a read.
  const keyv = new Keyv({ store: new KeyvRedis(client, { throwOnErrors: true }), namespace: prefix, throwOnErrors: true });
  keyv.on('error', () => undefined); // thrown to the caller as well; health logs the outage once

  return {
    kind: 'redis',
    url: storeUrl,
    get: async <T>(name: string) => (await keyv.get(name)) as T | undefined,
    set: async (name, value, ttlMs) => {
      await keyv.set(name, value, ttlMs);
    },
    delete: async (name) => {
      await keyv.delete(name);
    },
    setIfAbsent: async (name, value, ttlMs) => {
      const options = ttlMs ? { NX: true, PX: ttlMs } : { NX: true };
      return (await client.set(key(`once:${name}`), value, options as { NX: true })) === 'OK';
    },
    claim: async (name, owner, ttlMs) =>
      Number(await client.eval(CLAIM, { keys: [key(`lease:${name}`)], arguments: [owner, String(ttlMs)] })) === 1,
    release: async (name, owner) => {
      await client.eval(RELEASE, { keys: [key(`lease:${name}`)], arguments: [owner] });
    },
    add: async (set, member) => (await client.sAdd(key(`set:${set}`), member)) === 1,
    remove: async (set, member) => {
      await client.sRem(key(`set:${set}`), member);
    },
    members: async (set) => client.sMembers(key(`set:${set}`)),
    close: async () => {
      // QUIT needs an answer: a client that is not connected is dropped, so it stops reconnecting.
      if (client.isReady) await keyv.disconnect().catch(() => undefined);
      if (client.isOpen) client.destroy();
    },
  };
}

/** Waits for the first connection (the client retries meanwhile); gives up after `timeoutMs`. */
async function connectWithin(client: { connect(): Promise<unknown>; destroy(): void }, storeUrl: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConfigError('STORE_URL', `no answer from the Redis store at ${describeStore(storeUrl)} within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), gaveUp]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
