/** The Redis the tests and the bench use, and throwaway key prefixes on it. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A Redis STORE_URL with a prefix of its own, so parallel test files never share keys. */
export function uniqueRedisUrl(label: string): { url: string; prefix: string } {
  const prefix = `tbtest-${label}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return { url: `${REDIS_URL}?prefix=${prefix}`, prefix };
}

/** Deletes every key under a test's prefix (store, keyv namespace, BullMQ queue). */
export async function dropRedisPrefix(prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
