import { closeSync, openSync } from 'node:fs';
import type Database from 'libsql';

type Db = InstanceType<typeof Database>;

/** The layout this code writes, kept in SQLite's own `PRAGMA user_version`. */
export const SCHEMA_VERSION = 1;

/** Where the upgrade of a file from @keyv/sqlite's layout leaves a copy of it first. */
export const legacyBackupPath = (path: string): string => `${path}.before-v${SCHEMA_VERSION}`;

const TABLES = `
  CREATE TABLE IF NOT EXISTS tb_values(key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER);
  CREATE INDEX IF NOT EXISTS tb_values_expires ON tb_values(expires) WHERE expires IS NOT NULL;
  CREATE TABLE IF NOT EXISTS tb_claims(key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS tb_sets(name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY(name, member));`;

/**
 * Version 0 is the layout of @keyv/sqlite 4 (before this store): values in table `keyv`, keys
 * carrying keyv's `tb:` namespace, the value keyv's JSON `{"value": …, "expires": ms}` with the
 * expiry inside it. Version 1 keeps keyv's JSON as it is (keyv still reads it) but drops the
 * prefix and lifts `expires` into a column, so expired rows are found by index and purged. The
 * claims and sets tables were already ours and keep their layout.
 */
function fromKeyvSqlite(db: Db): void {
  db.prepare(
    `INSERT OR REPLACE INTO tb_values(key, value, expires)
     SELECT substr(key, 4), value, CASE WHEN json_valid(value) THEN json_extract(value, '$.expires') END
     FROM keyv WHERE substr(key, 1, 3) = 'tb:'`,
  ).run();
  db.prepare('DELETE FROM tb_values WHERE expires <= ?').run(Date.now());
  db.exec('DROP TABLE keyv');
}

const userVersion = (db: Db): number => Number((db.prepare('PRAGMA user_version').all()[0] as { user_version: number }).user_version);
const hasTable = (db: Db, name: string): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).all(name).length > 0;

/**
 * Brings the file to SCHEMA_VERSION inside one IMMEDIATE transaction, so a second process
 * opening the same file at the same moment waits and then finds the work done. A file from
 * @keyv/sqlite is first copied (VACUUM INTO) beside itself: rolling back to a release before
 * this one means putting that copy back. A file newer than this code is refused, not guessed at.
 */
export function migrate(db: Db, path: string | undefined): void {
  const version = userVersion(db);
  if (version > SCHEMA_VERSION) {
    throw new Error(`the store file ${path} has schema version ${version}, newer than this ticket-bridge knows (${SCHEMA_VERSION}): run the newer release or restore a backup`);
  }
  if (version === SCHEMA_VERSION) return;
  const legacy = hasTable(db, 'keyv');
  if (legacy) refuseWhileOldBotRuns(db, path);
  // When two processes race, the second finds the copy made (or being made) and goes on.
  if (path && legacy) vacuumInto(db, legacyBackupPath(path));
  db.transaction(() => {
    if (userVersion(db) >= SCHEMA_VERSION) return; // another process upgraded it while we waited
    db.exec(TABLES);
    if (hasTable(db, 'keyv')) {
      refuseWhileOldBotRuns(db, path);
      fromKeyvSqlite(db);
    }
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * An older release still running on the file would keep writing into `keyv` after the upgrade
 * drops it, and keyv swallows those errors: its writes would vanish. A running bot always holds
 * (or renews every few seconds) its poller lease, so a live lease means: stop it first.
 */
function refuseWhileOldBotRuns(db: Db, path: string | undefined): void {
  if (!hasTable(db, 'tb_claims')) return;
  const live = db.prepare(`SELECT key FROM tb_claims WHERE substr(key, 1, 6) = 'lease:' AND expires > ?`).all(Date.now()) as { key: string }[];
  if (live.length === 0) return;
  throw new Error(
    `the store file ${path} is in use by an older ticket-bridge (it holds ${live.map((r) => r.key).join(', ')}): stop it, then start this release to upgrade the file`,
  );
}

/**
 * A consistent copy of the open database (VACUUM INTO), safe while other processes write, into
 * a file made first, empty and owner-only (SQLite would create it readable by all). False when
 * `target` already exists. It cannot run inside a transaction.
 */
export function vacuumInto(db: Db, target: string): boolean {
  try {
    closeSync(openSync(target, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  db.prepare('VACUUM INTO ?').run(target);
  return true;
}
