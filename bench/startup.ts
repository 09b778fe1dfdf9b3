import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, round } from './stats.js';

const RUNS = 5;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface StartupResult {
  runs: number;
  /** Median wall time from spawning `npm start` (bundle, then run) to its `ticket-bridge ready:` line. */
  ms: number;
  all_ms: number[];
  /** Median of the `startupMs` the process itself logs (main() entered → ready). */
  self_reported_ms: number;
}

/** `npm start` as the operator runs it (console mode, a fresh SQLite store each run). */
export async function benchStartup(log: (line: string) => void): Promise<StartupResult> {
  const wall: number[] = [];
  const self: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await startOnce();
    wall.push(run.wallMs);
    if (run.selfMs !== undefined) self.push(run.selfMs);
  }
  const result: StartupResult = { runs: RUNS, ms: round(median(wall), 0), all_ms: wall.map((v) => round(v, 0)), self_reported_ms: round(median(self), 0) };
  log(`startup: median ${result.ms} ms (${result.all_ms.join(', ')})`);
  return result;
}

async function startOnce(): Promise<{ wallMs: number; selfMs: number | undefined }> {
  const dir = mkdtempSync(join(tmpdir(), 'tb-bench-start-'));
  // Only what console mode needs: no chat tokens, so the terminal front-end starts.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    STORE_URL: `sqlite://${join(dir, 'tickets.sqlite')}`,
    TICKET_PROVIDER: 'local',
    LOG_LEVEL: 'info',
  };
  const started = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  try {
    let selfMs: number | undefined;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (!line.includes('"ready"')) continue;
        try {
          const parsed = JSON.parse(line) as { startupMs?: number };
          selfMs = parsed.startupMs;
        } catch {
          // not a JSON log line
        }
      }
    });
    const wallMs = await new Promise<number>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('no ready line within 30 s')), 30_000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('ticket-bridge ready:')) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      child.once('exit', (code) => reject(new Error(`npm start exited with ${String(code)} before ready`)));
    });
    // The JSON ready line is written just before the console line; give stderr a moment.
    await new Promise((r) => setTimeout(r, 50));
    return { wallMs, selfMs };
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      // npm runs the bundle in a shell of its own: stop the whole group.
      process.kill(-child.pid!, 'SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}
