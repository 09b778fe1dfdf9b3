import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A bench child process (a TypeScript file run through tsx) that talks in JSON lines. */
export interface Child {
  process: ChildProcess;
  /** The next JSON line the child prints. */
  next<T>(timeoutMs?: number): Promise<T>;
  send(line: string): void;
  stop(): Promise<void>;
}

export function startChild(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Child {
  const script = fileURLToPath(new URL(file, import.meta.url));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', script, ...args], {
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const queue: string[] = [];
  const waiters: ((line: string) => void)[] = [];
  lines.on('line', (line) => {
    const waiter = waiters.shift();
    if (waiter) waiter(line);
    else queue.push(line);
  });
  return {
    process: child,
    next<T>(timeoutMs = 60_000) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(JSON.parse(queued) as T);
      return new Promise<T>((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`${file} ${args.join(' ')} exited with ${String(code)}`));
        const timer = setTimeout(() => reject(new Error(`${file} ${args.join(' ')}: no answer in ${timeoutMs} ms`)), timeoutMs);
        child.once('exit', onExit);
        waiters.push((line) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          resolve(JSON.parse(line) as T);
        });
      });
    },
    send(line) {
      child.stdin!.write(`${line}\n`);
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
