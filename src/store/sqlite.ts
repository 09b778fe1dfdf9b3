import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { KeyValueStore } from './kv.js';

type Row = Record<string, unknown>;

/**
 * keyv on SQLite for values, plus two tables of our own for what must be atomic. WAL and a busy
 * timeout let the desk CLI and a restarted bot share the file safely.
 */
export async function openSqliteStore(url: string): Promise<KeyValueStore> {
  const path = url.replace(/^sqlite:\/\//, '');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, busyTimeout: 10_000 });
  const keyv = new Keyv({ store: adapter, namespace: 'tb' });
  keyv.on('error', () => undefined); // surfaced by the failing call itself
  const query = adapter.query as (sql: string, ...params: unknown[]) => Promise<Row[]>;

  await query('PRAGMA journal_mode=WAL');
  // In WAL mode NORMAL still survives a killed process (a commit is in the log before it returns);
  // only a power cut or OS crash can lose the last commits. FULL would fsync every write.
  await query('PRAGMA synchronous=NORMAL');
  await query('CREATE TABLE IF NOT EXISTS tb_claims(key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL)');
  await query('CREATE TABLE IF NOT EXISTS tb_sets(name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY(name, member))');

  const never = Number.MAX_SAFE_INTEGER;

  async function claimRow(key: string, owner: string, expires: number, { renew }: { renew: boolean }): Promise<boolean> {
    const rows = await query(
      `INSERT INTO tb_claims(key, owner, expires) VALUES(?, ?, ?)
       ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
       WHERE tb_claims.expires < ? ${renew ? 'OR tb_claims.owner = excluded.owner' : ''}
       RETURNING owner`,
      key,
      owner,
      expires,
      Date.now(),
    );
    return rows.length === 1 && rows[0]?.['owner'] === owner;
  }

  return {
    kind: 'sqlite',
    url,
    get: async <T>(key: string) => (await keyv.get(key)) as T | undefined,
    set: async (key, value, ttlMs) => {
      await keyv.set(key, value, ttlMs);
    },
    delete: async (key) => {
      await keyv.delete(key);
    },
    setIfAbsent: (key, value, ttlMs) => claimRow(`once:${key}`, value, ttlMs ? Date.now() + ttlMs : never, { renew: false }),
    claim: (key, owner, ttlMs) => claimRow(`lease:${key}`, owner, Date.now() + ttlMs, { renew: true }),
    release: async (key, owner) => {
      await query('DELETE FROM tb_claims WHERE key = ? AND owner = ?', `lease:${key}`, owner);
    },
    add: async (set, member) => {
      const rows = await query('INSERT INTO tb_sets(name, member) VALUES(?, ?) ON CONFLICT DO NOTHING RETURNING member', set, member);
      return rows.length === 1;
    },
    remove: async (set, member) => {
      await query('DELETE FROM tb_sets WHERE name = ? AND member = ?', set, member);
    },
    members: async (set) => {
      const rows = await query('SELECT member FROM tb_sets WHERE name = ? ORDER BY rowid', set);
      return rows.map((row) => String(row['member']));
    },
    close: () => keyv.disconnect(),
  };
}
