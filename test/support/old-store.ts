import { readFileSync } from 'node:fs';
import KeyvSqlite from '@keyv/sqlite';
import { openStore } from '../../src/store/index.js';
import { REDIS_URL } from './harness.js';

/**
 * A store as an earlier release left it, recorded by driving that release's code (see
 * test/fixtures/record-store-76a1b58.mjs): the raw SQLite rows, and the raw Redis keys of one prefix.
 */
export interface OldStore {
  writtenBy: string;
  recordedAt: number;
  sqlite: { keyv: [string, string][]; tb_claims: [string, string, number][]; tb_sets: [string, string][] };
  redis: { prefix: string; keys: RedisEntry[] };
}

type RedisEntry =
  | { key: string; type: 'string'; pttl: number; value: string }
  | { key: string; type: 'list'; pttl: number; value: string[] }
  | { key: string; type: 'set'; pttl: number; value: string[] }
  | { key: string; type: 'zset'; pttl: number; value: string[] }
  | { key: string; type: 'hash'; pttl: number; value: Record<string, string> }
  | { key: string; type: 'stream'; pttl: number; value: [string, string[]][] };

export function readOldStore(name: string): OldStore {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}.json`, import.meta.url), 'utf8')) as OldStore;
}

const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * Expiry times are moved by the time since recording, as if the release had stopped a moment ago
 * (dedupe marks and delivered jobs last 30 days; a test run later must not find them expired).
 * Nothing else is changed.
 */
function shiftExpiry(keyvValue: string, by: number): string {
  const parsed = JSON.parse(keyvValue) as { value: unknown; expires?: number };
  return parsed.expires === undefined ? keyvValue : JSON.stringify({ ...parsed, expires: parsed.expires + by });
}

/** Writes the old rows into a new SQLite file at `path`, with the tables the store creates. */
export async function loadIntoSqlite(old: OldStore, path: string): Promise<void> {
  const by = Date.now() - old.recordedAt;
  await (await openStore(`sqlite://${path}`)).close();
  const db = new KeyvSqlite({ uri: `sqlite://${path}` });
  const query = db.query as (sql: string, ...params: unknown[]) => Promise<unknown[]>;
  for (const [key, value] of old.sqlite.keyv) await query('INSERT INTO keyv(key, value) VALUES(?, ?)', key, shiftExpiry(value, by));
  for (const [key, owner, expires] of old.sqlite.tb_claims) {
    await query('INSERT INTO tb_claims(key, owner, expires) VALUES(?, ?, ?)', key, owner, expires === NEVER ? NEVER : expires + by);
  }
  for (const [name, member] of old.sqlite.tb_sets) await query('INSERT INTO tb_sets(name, member) VALUES(?, ?)', name, member);
  await db.disconnect();
}

/** Writes the old keys under `prefix` (the old prefix in key names becomes it), TTLs kept. */
export async function loadIntoRedis(old: OldStore, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_URL);
  const by = Date.now() - old.recordedAt;
  try {
    for (const entry of old.redis.keys) {
      const key = prefix + entry.key.replaceAll(old.redis.prefix, prefix);
      switch (entry.type) {
        case 'string':
          await redis.set(key, entry.value.startsWith('{"value"') ? shiftExpiry(entry.value, by) : entry.value);
          break;
        case 'list':
          await redis.rpush(key, ...entry.value);
          break;
        case 'set':
          await redis.sadd(key, ...entry.value);
          break;
        case 'zset':
          for (let i = 0; i < entry.value.length; i += 2) await redis.zadd(key, entry.value[i + 1]!, entry.value[i]!);
          break;
        case 'hash':
          await redis.hset(key, entry.value);
          break;
        case 'stream':
          for (const [id, fields] of entry.value) await redis.xadd(key, id, ...fields);
          break;
      }
      if (entry.pttl > 0) await redis.pexpire(key, entry.pttl);
    }
  } finally {
    redis.disconnect();
  }
}
