import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

export const ROOT = new URL('../../', import.meta.url).pathname;

export interface Launched {
  readonly child: ChildProcessWithoutNullStreams;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Exit code (or signal name) of the launched process. */
  readonly exited: Promise<number | string | null>;
}

/**
 * A command started the way a container runtime or a terminal starts one: in a process group of
 * its own (so a test can signal the group, as Ctrl-C does), with only the environment it is given.
 */
export function launch(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Launched {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    detached: true,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/tmp', USER: 'ada', ...options.env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => stdout.push(l));
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  return { child, stdout, stderr, exited };
}

/** The processes whose parent is `pid`, as `pid command line`. */
export function childrenOf(pid: number): { pid: number; args: string }[] {
  let out = '';
  try {
    out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // ps exits 1 when there are none
  }
  return out
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
    .flatMap((m) => (m ? [{ pid: Number(m[1]), args: m[2] ?? '' }] : []));
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
