import { TokenBucket } from './pacing.js';
import { parseRedisUrl } from './store/redis-url.js';
import type { KeyValueStore } from './store/index.js';

/** Something a caller waits on before each call to a rate-limited thing. TokenBucket is one. */
export interface Pacer {
  take(): Promise<void>;
  /** Holds the next call back by `ms` (a 429's Retry-After), where the pacer can. */
  pause?(ms: number): void;
}

/**
 * A vendor's or platform's limit, in two forms. `inProcess` is a token bucket (`capacity` calls per
 * `perMs`, bursts of `capacity`) for a single process on SQLite. `shared` is a fixed-window counter
 * in Redis for every replica at once: `points` per `seconds` (whole seconds, as the library keeps
 * them). Fixed windows are disjoint, so any sliding window of that length meets at most two of
 * them: to hold a limit of L per window under any sliding count, give `points` ≤ L / 2.
 */
export interface RateLimit {
  name: string;
  inProcess: { capacity: number; perMs: number };
  shared: { points: number; seconds: number };
}

/** The pacer for one limit and key (a channel, a route); the same object for the same pair. */
export interface Limiters {
  pacer(limit: RateLimit, key?: string): Pacer;
  close(): Promise<void>;
}

/**
 * Limiters on the store: in Redis (rate-limiter-flexible over its own connection) when STORE_URL
 * is Redis, so that two or three replicas together stay inside the limit; token buckets in this
 * process on SQLite, where only one process runs.
 */
export async function createLimiters(kv: KeyValueStore): Promise<Limiters> {
  return kv.kind === 'redis' ? redisLimiters(kv.url) : memoryLimiters();
}

/** In-process token buckets, one per limit and key. */
export function memoryLimiters(): Limiters {
  const buckets = new Map<string, TokenBucket>();
  return {
    pacer(limit, key = '') {
      const id = `${limit.name}:${key}`;
      let bucket = buckets.get(id);
      if (!bucket) buckets.set(id, (bucket = new TokenBucket(limit.inProcess.capacity, limit.inProcess.perMs)));
      return bucket;
    },
    close: () => Promise.resolve(),
  };
}

async function redisLimiters(storeUrl: string): Promise<Limiters> {
  const [{ Redis }, { RateLimiterQueue, RateLimiterRedis }] = await Promise.all([import('ioredis'), import('rate-limiter-flexible')]);
  const { url, prefix } = parseRedisUrl(storeUrl);
  // Calls fail fast while Redis is down (the caller's retry handles it) instead of queueing forever.
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 5_000, commandTimeout: 5_000 });
  redis.on('error', () => undefined); // reconnects by itself
  await redis.connect();
  const queues = new Map<string, InstanceType<typeof RateLimiterQueue>>();
  return {
    pacer(limit, key = 'all') {
      let queue = queues.get(limit.name);
      if (!queue) {
        const counter = new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${prefix}:limit:${limit.name}`,
          points: limit.shared.points,
          duration: limit.shared.seconds,
        });
        // Waits (in arrival order within this process) until the shared counter has room.
        queues.set(limit.name, (queue = new RateLimiterQueue(counter)));
      }
      const q = queue;
      return { take: async () => void (await q.removeTokens(1, key)) };
    },
    close: async () => void (await redis.quit().catch(() => redis.disconnect())),
  };
}
