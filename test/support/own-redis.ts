import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './harness.js';

/**
 * A redis-server of the test's own, on a free port, that the test may stop, freeze and start
 * again; the shared Redis on 6379 is never touched. No save points and no AOF: `stop()` saves
 * once on the way down (SHUTDOWN SAVE) so that `start()` finds the data again, as a Redis with
 * persistence would after a restart.
 */
export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** Stops the server (its data saved for the next start). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP: the port stays open but nothing answers, as a hung server. */
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'tb-redis-'));
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    child = server;
    await waitFor(() => answers(port), `redis-server on port ${port}`, 10_000);
  }

  async function stop(): Promise<void> {
    const server = child;
    if (!server || server.exitCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    await command(port, 'SHUTDOWN SAVE');
    await exited;
    child = undefined;
  }

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async close() {
      if (child && child.exitCode === null) {
        child.kill('SIGCONT');
        const exited = new Promise((resolve) => child?.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on (taken from the OS, then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** True when a PING gets PONG. */
async function answers(port: number): Promise<boolean> {
  return (await command(port, 'PING').catch(() => '')).startsWith('+PONG');
}

/** Sends one inline command and resolves with the first reply (or '' when the server hangs up). */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = '';
    socket.setTimeout(2_000, () => socket.destroy(new Error('no answer')));
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      socket.end();
    });
    socket.on('close', () => resolve(reply));
    socket.on('error', reject);
  });
}
