import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { waitFor } from './harness.js';

/** tsx as a loader inside the one Node process (`node --import tsx`), found from any cwd. */
const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const ROOT = new URL('../../', import.meta.url).pathname;

/** A script of the project run as its own process, the way an operator runs it. */
export interface BotProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: string[];
  readonly stderr: string[];
  send(line: string): void;
  /** Resolves with the first stdout line (at or after `from`) that matches. */
  line(pattern: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs the script as `node --import tsx`, one process. The tsx command would run it in a child of
 * its own, which a SIGKILL sent to tsx leaves running, and which tsx kills itself when passing on
 * a SIGINT or SIGTERM takes it more than a moment (so a clean stop could read as exit 130 or 143).
 */
export function startProcess(script: string, env: Record<string, string>, args: string[] = [], options: { cwd?: string } = {}): BotProcess {
  // Only what the test sets: a developer's own SLACK_BOT_TOKEN must not switch front-ends.
  const child = spawn(process.execPath, ['--import', TSX_LOADER, script, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', USER: 'ada', ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => stdout.push(l));
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout,
    stderr,
    exited,
    send: (line) => void child.stdin.write(line + '\n'),
    line: (pattern, from = 0, timeoutMs = 10_000) =>
      waitFor(() => stdout.slice(from).find((l) => pattern.test(l)), `a line matching ${pattern}`, timeoutMs).catch((error: Error) => {
        throw new Error(`${error.message}; stdout: ${stdout.slice(from).join(' | ')}; stderr: ${stderr.join(' | ')}`);
      }),
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a script to its end and returns what it printed. */
export async function runScript(script: string, env: Record<string, string>, args: string[] = []) {
  const proc = startProcess(script, env, args);
  proc.child.stdin.end();
  const code = await proc.exited;
  // Give readline a turn to flush the last lines.
  await new Promise((r) => setImmediate(r));
  return { code, stdout: proc.stdout, stderr: proc.stderr };
}

/** The exit code, or undefined if the process is still running after `ms`. */
export async function exitWithin(proc: BotProcess, ms: number): Promise<number | null | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  const code = await Promise.race([proc.exited, late]);
  clearTimeout(timer);
  return code;
}

/** Like `runScript`, but a script still running after `ms` is killed and reported with code undefined. */
export async function runScriptWithin(script: string, env: Record<string, string>, ms: number, args: string[] = [], cwd = ROOT) {
  const proc = startProcess(script, env, args, { cwd });
  proc.child.stdin.end();
  const code = await exitWithin(proc, ms);
  if (code === undefined) await proc.stop('SIGKILL');
  await new Promise((r) => setImmediate(r));
  return { code, stdout: proc.stdout, stderr: proc.stderr };
}
