import Database from 'libsql';
import Keyv from 'keyv';
import { readKeyvJson } from './keyv-json.js';
import { KeyvLibsql } from './keyv-libsql.js';
import type { KeyValueStore, StoreOptions } from './kv.js';
import { FileGuard, prepareDatabaseFile } from './sqlite-file.js';
import { migrate } from './sqlite-schema.js';

/**
 * How long a statement waits for another process's write lock (the desk CLI and the bot share
 * the file) before failing with SQLITE_BUSY. Writes here take microseconds, so a wait this long
 * means something is wrong; it also bounds how long a statement can hold the event loop.
 */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * keyv on SQLite (libsql, whose binary ships in a registry package: nothing compiles at install)
 * for values, plus two tables of our own for what must be atomic. WAL and a busy timeout let the
 * desk CLI and a restarted bot share the file; the file guard stops writes once the file at the
 * path is not the one open any more.
 */
export async function openSqliteStore(url: string, options: StoreOptions = {}): Promise<KeyValueStore> {
  const path = url.replace(/^sqlite:\/\//, '');
  const onDisk = path !== ':memory:';
  if (onDisk) prepareDatabaseFile(path);
  const db = new Database(path);
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.exec('PRAGMA journal_mode = WAL');
  // In WAL mode NORMAL still survives a killed process (a commit is in the log before it returns);
  // only a power cut or OS crash can lose the last commits. FULL would fsync every write.
  db.exec('PRAGMA synchronous = NORMAL');
  try {
    migrate(db, onDisk ? path : undefined);
  } catch (error) {
    db.close();
    throw error;
  }

  const guard = onDisk ? new FileGuard(path, options.onLost ?? (() => undefined)) : undefined;
  const beforeWrite = () => guard?.check();
  const keyv = new Keyv({ store: new KeyvLibsql(db, beforeWrite), useKeyPrefix: false, throwOnErrors: true, deserialize: readKeyvJson });
  keyv.on('error', () => undefined); // thrown to the caller as well (throwOnErrors)

  const never = Number.MAX_SAFE_INTEGER;
  const claimOnce = db.prepare(
    `INSERT INTO tb_claims(key, owner, expires) VALUES(?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
     WHERE tb_claims.expires < ?
     RETURNING owner`,
  );
  const claimLease = db.prepare(
    `INSERT INTO tb_claims(key, owner, expires) VALUES(?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET owner = excluded.owner, expires = excluded.expires
     WHERE tb_claims.expires < ? OR tb_claims.owner = excluded.owner
     RETURNING owner`,
  );
  const releaseLease = db.prepare('DELETE FROM tb_claims WHERE key = ? AND owner = ?');
  const addMember = db.prepare('INSERT INTO tb_sets(name, member) VALUES(?, ?) ON CONFLICT DO NOTHING RETURNING member');
  const removeMember = db.prepare('DELETE FROM tb_sets WHERE name = ? AND member = ?');
  // One row holding the whole set as JSON: libsql (0.5.29) leaks about 1 KB of native memory on
  // every all() or iterate(), and none on get(), so every statement here is read with get().
  const listMembers = db.prepare('SELECT json_group_array(member) AS members FROM (SELECT member FROM tb_sets WHERE name = ? ORDER BY rowid)');
  db.prepare('DELETE FROM tb_claims WHERE expires < ?').run(Date.now());

  /** One upsert that only wins a free (or expired, or own) row: atomic across processes. */
  function claimRow(statement: typeof claimOnce, key: string, owner: string, expires: number): boolean {
    beforeWrite();
    const row = statement.get(key, owner, expires, Date.now()) as { owner: string } | undefined;
    return row?.owner === owner;
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
    setIfAbsent: async (key, value, ttlMs) => claimRow(claimOnce, `once:${key}`, value, ttlMs ? Date.now() + ttlMs : never),
    claim: async (key, owner, ttlMs) => claimRow(claimLease, `lease:${key}`, owner, Date.now() + ttlMs),
    release: async (key, owner) => {
      beforeWrite();
      releaseLease.run(`lease:${key}`, owner);
    },
    add: async (set, member) => {
      beforeWrite();
      return addMember.get(set, member) !== undefined;
    },
    remove: async (set, member) => {
      beforeWrite();
      removeMember.run(set, member);
    },
    members: async (set) => (JSON.parse((listMembers.get(set) as { members: string }).members) as unknown[]).map(String),
    close: async () => {
      if (db.open) db.close();
    },
  };
}
