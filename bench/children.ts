import { spawn, type ChildProcess } from 'node:child_process';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * The Node flags `npm start` runs the bot with (read from package.json, so the bench follows
 * any change there): the apps compared in the bench run as they would in production.
 */
export function productionNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
  const command = pkg.scripts.start.split('exec node ')[1] ?? '';
  return command.split(/\s+/).filter((word) => word.startsWith('--'));
}

/** A bench child process (a TypeScript file run through tsx, or a bundle of it) that talks in JSON lines. */
export interface Child {
  process: ChildProcess;
  /** The next JSON line the child prints. */
  next<T>(timeoutMs?: number): Promise<T>;
  send(line: string): void;
  stop(): Promise<void>;
}

export function startChild(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[]; bundled?: string } = {}): Child {
  const script = options.bundled ?? fileURLToPath(new URL(file, import.meta.url));
  const loader = options.bundled ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, script, ...args], {
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

/**
 * Bundles a bench child the way `npm start` bundles the service (scripts/build.mjs), so a figure
 * such as memory is of plain Node running our code, not of the TypeScript loader as well.
 */
export async function bundleChild(file: string): Promise<string> {
  const outdir = fileURLToPath(new URL('../dist/bench/', import.meta.url));
  const entry = fileURLToPath(new URL(file, import.meta.url));
  // Split like scripts/build.mjs, so lazily imported modules (the Redis store) stay unloaded.
  await build({ entryPoints: [entry], outdir, entryNames: '[name]', splitting: true, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' });
  return `${outdir}${file.replace(/^.*\//, '').replace(/\.ts$/, '.js')}`;
}
