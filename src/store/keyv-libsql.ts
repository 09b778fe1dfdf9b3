import { EventEmitter } from 'node:events';
import type Database from 'libsql';
import type { KeyvStoreAdapter, StoredData } from 'keyv';

type Db = InstanceType<typeof Database>;

/** How many writes between two sweeps of expired rows (keyv only drops one when it is read). */
const SWEEP_EVERY = 1_000;

/**
 * A keyv storage adapter on libsql's SQLite, table `tb_values` (see sqlite-schema.ts). keyv
 * serialises and checks expiry itself; this stores its JSON with the expiry as a column, so a
 * read skips expired rows and a periodic sweep deletes them. No maintained keyv adapter exists
 * for libsql (@keyv/sqlite is bound to the sqlite3 package, which compiles at install).
 * `beforeWrite` runs before every write: the store's file guard.
 */
export class KeyvLibsql extends EventEmitter implements KeyvStoreAdapter {
  readonly opts = { dialect: 'sqlite', table: 'tb_values' };
  namespace?: string | undefined;
  private writes = 0;
  private readonly statements;

  constructor(
    db: Db,
    private readonly beforeWrite: () => void = () => undefined,
  ) {
    super();
    this.statements = {
      get: db.prepare('SELECT value FROM tb_values WHERE key = ? AND (expires IS NULL OR expires > ?)'),
      set: db.prepare(
        'INSERT INTO tb_values(key, value, expires) VALUES(?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires',
      ),
      delete: db.prepare('DELETE FROM tb_values WHERE key = ?'),
      clear: db.prepare('DELETE FROM tb_values'),
      sweep: db.prepare('DELETE FROM tb_values WHERE expires <= ?'),
    };
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    // get(), not all(): libsql leaks native memory on every all() (see sqlite.ts).
    const row = this.statements.get.get(key, Date.now()) as { value: string } | undefined;
    return row?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: string, ttl?: number): Promise<boolean> {
    this.beforeWrite();
    const now = Date.now();
    this.statements.set.run(key, value, typeof ttl === 'number' && ttl > 0 ? now + ttl : null);
    if (++this.writes % SWEEP_EVERY === 0) this.statements.sweep.run(now);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    this.beforeWrite();
    return this.statements.delete.run(key).changes > 0;
  }

  async clear(): Promise<void> {
    this.beforeWrite();
    this.statements.clear.run();
  }
}
