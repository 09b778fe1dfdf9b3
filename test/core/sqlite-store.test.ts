import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDesk } from '../../adapters/local/desk.js';
import { LinkStore } from '../../src/links.js';
import { openStore } from '../../src/store/index.js';
import { StoreFileLost } from '../../src/store/sqlite-file.js';
import { runScript } from '../support/bot-process.js';
import { legacyBackupPath, SCHEMA_VERSION } from '../../src/store/sqlite-schema.js';

const root = mkdtempSync(join(tmpdir(), 'tb-sqlite-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => mkdtempSync(join(root, `case${++n}-`));
const mode = (path: string) => statSync(path).mode & 0o777;
const raw = (path: string) => new Database(path);
const tables = (path: string) => {
  const db = raw(path);
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
};
const userVersion = (path: string) => {
  const db = raw(path);
  try {
    return (db.prepare('PRAGMA user_version').all()[0] as { user_version: number }).user_version;
  } finally {
    db.close();
  }
};

/**
 * The file @keyv/sqlite 4.0.8 (the store before this one) writes, statement for statement: its
 * table and upsert, our claims and sets tables, keyv's `tb:` namespace and JSON with `expires`.
 */
function writeLegacyFile(path: string, rows: [string, unknown, number | undefined][]): void {
  const db = raw(path);
  db.exec('PRAGMA journal_mode=WAL');
  db.exec('CREATE TABLE IF NOT EXISTS keyv(key VARCHAR(255) PRIMARY KEY, value TEXT )');
  db.exec('CREATE TABLE IF NOT EXISTS tb_claims(key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL)');
  db.exec('CREATE TABLE IF NOT EXISTS tb_sets(name TEXT NOT NULL, member TEXT NOT NULL, PRIMARY KEY(name, member))');
  const upsert = db.prepare(`INSERT INTO keyv (key, value)
			VALUES(?, ?) 
			ON CONFLICT(key) 
			DO UPDATE SET value=excluded.value;`);
  for (const [key, value, expires] of rows) upsert.run(key, JSON.stringify(expires === undefined ? { value } : { value, expires }));
  db.prepare('INSERT INTO tb_claims(key, owner, expires) VALUES(?, ?, ?)').run('once:desk:id:1', '1', Number.MAX_SAFE_INTEGER);
  db.prepare('INSERT INTO tb_sets(name, member) VALUES(?, ?)').run('open:local', '1');
  db.close();
}

describe('the SQLite store file', () => {
  it('upgrades a file written by @keyv/sqlite 4.0.8 at open, keeping every ticket, comment and link', async () => {
    const dir = freshDir();
    const path = join(dir, 'tickets.sqlite');
    // Made by the previous release itself (a console story: two tickets, a reply each way).
    copyFileSync(new URL('../fixtures/tickets-keyv-sqlite-4.0.8.db', import.meta.url), path);
    expect(userVersion(path)).toBe(0);

    const kv = await openStore(`sqlite://${path}`);
    try {
      const desk = new LocalDesk(kv);
      expect((await desk.list()).map((t) => `${t.id} ${t.subject}`)).toEqual(['1 Printer on fire', '2 Second']);
      expect((await desk.get('1')).description).toBe('Smoke: from tray 2');
      // keyv escapes strings starting with ':' on the way in; the copy keeps that, so it reads back intact.
      expect((await desk.comments('1')).map((c) => `${c.author}: ${c.text.split('\n')[0]}`)).toEqual(['ada: :colon first, still warm', 'Support: We are on our way']);
      const links = new LinkStore(kv, 'local');
      expect((await links.byThread('console:1'))?.subject).toBe('Printer on fire');
      expect(await kv.setIfAbsent('desk:id:2', 'again')).toBe(false); // the claims table came along
      expect(await kv.members('seen:local:1')).toEqual(['0mx555ea5cf712a', '0mx555gva475f37']);
      // The next ticket number continues where the old release stopped.
      expect((await desk.create({ subject: 'Third', description: 'x' }, { key: 'console:ada', name: 'ada' })).id).toBe('3');
    } finally {
      await kv.close();
    }
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
    expect(tables(path)).toEqual(['tb_claims', 'tb_sets', 'tb_values']);
    // The copy to roll back with: the old layout, owner-only.
    expect(tables(legacyBackupPath(path))).toEqual(['keyv', 'tb_claims', 'tb_sets']);
    expect(mode(legacyBackupPath(path))).toBe(0o600);
  });

  it('upgrades values with and without expiry, drops the expired ones and leaves other namespaces out', async () => {
    const path = join(freshDir(), 'tickets.sqlite');
    const now = Date.now();
    writeLegacyFile(path, [
      ['tb:plain', { a: 1 }, undefined],
      ['tb:later', 'still here', now + 60_000],
      ['tb:gone', 'expired', now - 1_000],
      ['other:x', 'not ours', undefined],
    ]);

    const kv = await openStore(`sqlite://${path}`);
    try {
      expect(await kv.get('plain')).toEqual({ a: 1 });
      expect(await kv.get('later')).toBe('still here');
      expect(await kv.get('gone')).toBeUndefined();
      expect(await kv.get('other:x')).toBeUndefined();
      expect(await kv.members('open:local')).toEqual(['1']);
    } finally {
      await kv.close();
    }
    const db = raw(path);
    const rows = db.prepare('SELECT key, expires FROM tb_values ORDER BY key').all() as { key: string; expires: number | null }[];
    db.close();
    expect(rows).toEqual([
      { key: 'later', expires: now + 60_000 }, // the expiry came along into its column
      { key: 'plain', expires: null },
    ]);
  });

  it('opens an upgraded file again without touching it, from two connections at once', async () => {
    const path = join(freshDir(), 'tickets.sqlite');
    writeLegacyFile(path, [['tb:k', 'v', undefined]]);
    const [a, b] = await Promise.all([openStore(`sqlite://${path}`), openStore(`sqlite://${path}`)]);
    expect(await a.get('k')).toBe('v');
    expect(await b.get('k')).toBe('v');
    await Promise.all([a.close(), b.close()]);
    const again = await openStore(`sqlite://${path}`);
    expect(await again.get('k')).toBe('v');
    await again.close();
  });

  it('will not upgrade a file an older bot still runs on (its writes would vanish), and does once it stopped', async () => {
    const path = join(freshDir(), 'tickets.sqlite');
    writeLegacyFile(path, [['tb:k', 'v', undefined]]);
    const db = raw(path);
    db.prepare('INSERT INTO tb_claims(key, owner, expires) VALUES(?, ?, ?)').run('lease:poller:local', 'old-bot', Date.now() + 600);
    db.close();
    await expect(openStore(`sqlite://${path}`)).rejects.toThrow(
      `the store file ${path} is in use by an older ticket-bridge (it holds lease:poller:local): stop it, then start this release to upgrade the file`,
    );
    expect(userVersion(path)).toBe(0);
    expect(existsSync(legacyBackupPath(path))).toBe(false);
    await new Promise((r) => setTimeout(r, 700)); // the old bot stopped renewing: its lease ran out
    const kv = await openStore(`sqlite://${path}`);
    expect(await kv.get('k')).toBe('v');
    await kv.close();
  });

  it('refuses a file from a newer release instead of guessing at its layout', async () => {
    const path = join(freshDir(), 'tickets.sqlite');
    const db = raw(path);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    await expect(openStore(`sqlite://${path}`)).rejects.toThrow(/schema version 2, newer than this ticket-bridge knows \(1\)/);
  });

  it('creates its folder 0700 and the database, -wal and -shm files 0600; narrows an old 0644 file', async () => {
    const dir = join(freshDir(), 'data');
    const path = join(dir, 'tickets.sqlite');
    const kv = await openStore(`sqlite://${path}`);
    await kv.set('k', 'v');
    expect(mode(dir)).toBe(0o700);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) expect([file, mode(file)]).toEqual([file, 0o600]);
    await kv.close();

    chmodSync(path, 0o644);
    const reopened = await openStore(`sqlite://${path}`);
    expect(mode(path)).toBe(0o600);
    await reopened.close();
  });

  it('shares the file with another process through SQLite locking: a write waits for the other writer', async () => {
    const path = join(freshDir(), 'tickets.sqlite');
    const kv = await openStore(`sqlite://${path}`);
    // Another process takes the write lock and holds it for 600 ms, as a slow desk CLI might.
    const holder = spawn(process.execPath, [
      '--input-type=module',
      '-e',
      `import Database from 'libsql';
       const db = new Database(${JSON.stringify(path)});
       db.exec('BEGIN IMMEDIATE');
       db.prepare("INSERT INTO tb_sets(name, member) VALUES('other', 'x')").run();
       process.stdout.write('locked\\n');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
       db.exec('COMMIT');`,
    ], { cwd: new URL('../../', import.meta.url).pathname });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = Date.now();
    await kv.set('k', 'after the lock');
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(await kv.members('other')).toEqual(['x']);
    expect(await kv.get('k')).toBe('after the lock');
    await kv.close();
    const db = raw(path);
    expect((db.prepare('PRAGMA journal_mode').all()[0] as { journal_mode: string }).journal_mode).toBe('wal');
    db.close();
  });

  it('notices the file deleted under it: the write is refused, the opener told once, every later write refused', async () => {
    const path = join(freshDir(), 'tickets.sqlite');
    const lost: Error[] = [];
    const kv = await openStore(`sqlite://${path}`, { onLost: (error) => lost.push(error) });
    await kv.set('before', 1);
    for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) unlinkSync(file);

    await expect(kv.set('after', 2)).rejects.toThrow(StoreFileLost);
    await expect(kv.add('s', 'm')).rejects.toThrow(/was deleted while the bot ran/);
    await expect(kv.claim('poller', 'me', 1_000)).rejects.toThrow(StoreFileLost);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.message).toContain(path);
    await kv.close();
  });

  it('notices another file moved over it (a restore while running) and refuses to write into the old one', async () => {
    const dir = freshDir();
    const path = join(dir, 'tickets.sqlite');
    const lost: Error[] = [];
    const kv = await openStore(`sqlite://${path}`, { onLost: (error) => lost.push(error) });
    writeFileSync(join(dir, 'other.sqlite'), '');
    renameSync(join(dir, 'other.sqlite'), path);
    await expect(kv.setIfAbsent('once', 'x')).rejects.toThrow(/was replaced while the bot ran/);
    expect(lost).toHaveLength(1);
    await kv.close();
  });
});

describe('npm run backup', { timeout: 60_000 }, () => {
  it('copies the store while it is open and written, owner-only, and refuses to overwrite', async () => {
    const dir = freshDir();
    const path = join(dir, 'tickets.sqlite');
    const kv = await openStore(`sqlite://${path}`);
    await kv.set('ticket', { subject: 'Printer on fire' });
    await kv.add('open', '1');
    const target = join(dir, 'backup.sqlite');
    const env = { STORE_URL: `sqlite://${path}` };
    const first = await runScript('scripts/backup.ts', env, [target]);
    expect(first).toMatchObject({ code: 0, stdout: [`Backed up to ${target}.`] });
    await kv.set('ticket', { subject: 'changed after the backup' });
    await kv.close();

    expect(mode(target)).toBe(0o600);
    const copy = await openStore(`sqlite://${target}`);
    expect(await copy.get('ticket')).toEqual({ subject: 'Printer on fire' });
    expect(await copy.members('open')).toEqual(['1']);
    await copy.close();

    const again = await runScript('scripts/backup.ts', env, [target]);
    expect(again.code).toBe(2);
    expect(again.stderr).toEqual([`backup: ${target} exists already; pick a new name`]);
  });
});
