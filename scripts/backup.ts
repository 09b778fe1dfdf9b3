import { existsSync } from 'node:fs';
import Database from 'libsql';
import { loadCoreConfig } from '../src/config.js';
import { loadDotEnv } from '../src/env-file.js';
import { vacuumInto } from '../src/store/sqlite-schema.js';

/**
 * `npm run backup -- <file>`: a consistent copy of the SQLite store named by STORE_URL, taken
 * while the bot runs (VACUUM INTO reads one snapshot; writers carry on), owner-only like the
 * store. Restoring is docs/operations.md's job: stop the bot first.
 */
loadDotEnv();
const target = process.argv[2];
const { STORE_URL } = loadCoreConfig(process.env);
if (!target) fail('usage: npm run backup -- <file>');
if (!STORE_URL.startsWith('sqlite://')) fail('STORE_URL is not SQLite: back up Redis itself (docs/operations.md)');
const path = STORE_URL.slice('sqlite://'.length);
if (!existsSync(path)) fail(`${path} does not exist: nothing to back up`);
const db = new Database(path);
try {
  if (!vacuumInto(db, target)) fail(`${target} exists already; pick a new name`);
  console.log(`Backed up to ${target}.`);
} finally {
  db.close();
}

function fail(message: string): never {
  process.stderr.write(`backup: ${message}\n`);
  process.exit(2);
}
