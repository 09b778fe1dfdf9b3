import { readFileSync } from 'node:fs';
import Database from 'libsql';
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

/**
 * Writes the old rows into a new SQLite file at `path` in the layout the release wrote (the tables
 * @keyv/sqlite 4.0.8 and our claims and sets created), so opening it runs the store's upgrade.
 */
export async function loadIntoSqlite(old: OldStore, path: string): Promise<void> {
  const by = Date.now() - old.recordedAt;
  const db = new Database(path);
  try {
    db.exec('PRAGMA journal_mode=WAL');
    db.exec('CREATE TABLE keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
    db.exec('CREATE TABLE tb_claims(key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL)');
    db.exec('CREATE TABLE tb_sets(name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY(name, member))');
    const row = db.prepare('INSERT INTO keyv(key, value) VALUES(?, ?)');
    for (const [key, value] of old.sqlite.keyv) row.run(key, shiftExpiry(value, by));
    const claim = db.prepare('INSERT INTO tb_claims(key, owner, expires) VALUES(?, ?, ?)');
    for (const [key, owner, expires] of old.sqlite.tb_claims) claim.run(key, owner, expires === NEVER ? NEVER : expires + by);
    const member = db.prepare('INSERT INTO tb_sets(name, member) VALUES(?, ?)');
    for (const [name, value] of old.sqlite.tb_sets) member.run(name, value);
  } finally {
    db.close();
  }
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
