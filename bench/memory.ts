import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { bundleChild, startChild } from './children.js';
import { round } from './stats.js';

export const MEMORY_TICKETS = 10_000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** How long the bot runs on after its first full poll cycle (or, on an empty store, after ready) before it is read. */
const SETTLE_MS = 3_000;
/** Past this the first full poll cycle is taken to be stuck, and the run fails instead of waiting on. */
const CYCLE_DEADLINE_MS = 5 * 60_000;

export interface MemoryResult {
  tickets: number;
  /** RSS of the bot (`npm start`, defaults) with 10,000 linked tickets, after its first full poll cycle and three seconds more. */
  rss_mb: number;
  /** (rss_mb − empty_rss_mb) / tickets, in KB. */
  kb_per_ticket: number;
  /** The most RSS the process ever had (VmHWM), start-up and the full cycle included. */
  peak_rss_mb: number;
  /** RSS of the same bot on an empty store, three seconds after ready. */
  empty_rss_mb: number;
  /** rss_mb split: anonymous memory (V8 heap, malloc, buffers) and pages of mapped files (node's binary, libsql's library). */
  rss_anon_mb: number;
  rss_file_mb: number;
  empty_rss_anon_mb: number;
  /** From ready to the first full poll cycle done (every linked ticket read). */
  full_cycle_ms: number;
}

interface Measured {
  rss_mb: number;
  rss_anon_mb: number;
  rss_file_mb: number;
  peak_rss_mb: number;
  cycle_ms: number;
}

/**
 * Resident memory of the bot as an operator runs it: `npm start` with nothing set but STORE_URL
 * (local desk, console front-end, a SQLite file store), on a store with 10,000 linked open tickets
 * and on an empty one, each a fresh process; the tickets are opened and linked beforehand by
 * another process. Read from /proc, outside the process: nothing is added to what runs.
 */
export async function benchMemory(log: (line: string) => void): Promise<MemoryResult> {
  const seeder = await bundleChild('./memory-child.ts');
  // On tmpfs where there is one: seeding does not wait on the disk, and RSS does not count tmpfs pages.
  const root = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const empty = mkdtempSync(join(root, 'tb-bench-memory-'));
  const full = mkdtempSync(join(root, 'tb-bench-memory-'));
  try {
    const child = startChild('./memory-child.ts', [full, String(MEMORY_TICKETS)], { bundled: seeder });
    try {
      await child.next(600_000);
    } finally {
      await child.stop();
    }
    const none = await measure(empty, 0);
    const m = await measure(full, MEMORY_TICKETS);
    const result: MemoryResult = {
      tickets: MEMORY_TICKETS,
      rss_mb: round(m.rss_mb, 1),
      kb_per_ticket: round(((m.rss_mb - none.rss_mb) * 1024) / MEMORY_TICKETS, 2),
      peak_rss_mb: round(m.peak_rss_mb, 1),
      empty_rss_mb: round(none.rss_mb, 1),
      rss_anon_mb: round(m.rss_anon_mb, 1),
      rss_file_mb: round(m.rss_file_mb, 1),
      empty_rss_anon_mb: round(none.rss_anon_mb, 1),
      full_cycle_ms: m.cycle_ms,
    };
    log(`memory: ${result.rss_mb} MB RSS with ${result.tickets} tickets, ${result.empty_rss_mb} MB with none (${result.kb_per_ticket} KB per ticket)`);
    return result;
  } finally {
    rmSync(empty, { recursive: true, force: true });
    rmSync(full, { recursive: true, force: true });
  }
}

/** `npm start` on the store in `dir`; waits for `tickets` quiet marks (one per ticket the relay has checked), then reads RSS. */
async function measure(dir: string, tickets: number): Promise<Measured> {
  const path = join(dir, 'tickets.sqlite');
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', STORE_URL: `sqlite://${path}` };
  // stdin stays open: the console front-end reads it, and its end would stop the bot.
  const npm = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const stderr: string[] = [];
  npm.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  try {
    await readyLine(npm).catch((error: Error) => {
      throw new Error(`${error.message}; stderr: ${stderr.join('').slice(-2_000)}`);
    });
    const ready = performance.now();
    const bot = botPid(npm.pid!);
    while (checked(path) < tickets) {
      if (npm.exitCode !== null) throw new Error('the bot exited during the poll cycle');
      if (performance.now() - ready > CYCLE_DEADLINE_MS) throw new Error(`the first poll cycle checked ${checked(path)} of ${tickets} tickets in ${CYCLE_DEADLINE_MS / 60_000} minutes`);
      await sleep(200);
    }
    const cycleMs = Math.round(performance.now() - ready);
    await sleep(SETTLE_MS);
    const status = readFileSync(`/proc/${bot}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss_mb: kb('VmRSS') / 1024, rss_anon_mb: kb('RssAnon') / 1024, rss_file_mb: kb('RssFile') / 1024, peak_rss_mb: kb('VmHWM') / 1024, cycle_ms: cycleMs };
  } finally {
    await new Promise<void>((resolve) => {
      if (npm.exitCode !== null || npm.signalCode !== null) return resolve();
      // The bot stops in bounded time on SIGTERM; should it not, it is killed.
      const kill = setTimeout(() => process.kill(-npm.pid!, 'SIGKILL'), 30_000);
      npm.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      process.kill(-npm.pid!, 'SIGTERM');
    });
  }
}

function readyLine(npm: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('no ready line within 60 s')), 60_000);
    npm.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (out.includes('ticket-bridge ready:')) {
        clearTimeout(timer);
        resolve();
      }
    });
    npm.once('exit', (code) => reject(new Error(`npm start exited with ${String(code)} before ready`)));
  });
}

/** The bot's pid: npm's one child, the shell of the start script that exec'd node. */
function botPid(npmPid: number): number {
  const children = readdirSync(`/proc/${npmPid}/task`).flatMap((task) => readFileSync(`/proc/${npmPid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean));
  const bot = children.map(Number).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/main.js'));
  if (bot === undefined) throw new Error(`no dist/main.js among npm's children (${children.join(', ')})`);
  return bot;
}

/** Tickets the relay has checked so far: each check leaves a quiet mark, and a freshly seeded store has none. */
function checked(path: string): number {
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true });
  try {
    db.exec('PRAGMA busy_timeout = 5000');
    return (db.prepare("SELECT count(*) AS n FROM tb_values WHERE key LIKE 'poll:quiet:%'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
