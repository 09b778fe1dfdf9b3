import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { waitFor } from '../support/harness.js';
import { alive, childrenOf, launch, ROOT, type Launched } from '../support/npm-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-npm-start-'));
chmodSync(dir, 0o755); // the unprivileged user below must reach its copy
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const launched: Launched[] = [];
// A failed assertion must not leave a bot running: end the group each test started.
afterEach(() => {
  for (const p of launched.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-p.child.pid!, 'SIGKILL');
});
const track = (p: Launched) => (launched.push(p), p);
const storeUrl = `sqlite://${join(dir, 'tickets.sqlite')}`;
const env = { STORE_URL: storeUrl, POLL_INTERVAL_MS: '200', LOG_LEVEL: 'info' };

// A first start may bundle dist/ first; the machine is shared, so leave room.
const READY_MS = 40_000;
const ready = (p: Launched) =>
  waitFor(() => p.stdout.find((l) => l.startsWith('ticket-bridge ready:')), `ready; stderr: ${p.stderr.join(' | ')}`, READY_MS);

/** Whether the bot's poller lease is free right now (taken and given back by a probe). */
async function leaseFree(): Promise<boolean> {
  const kv = await openStore(storeUrl);
  try {
    const free = await kv.claim('poller:local', 'probe', 1_000);
    if (free) await kv.release('poller:local', 'probe');
    return free;
  } finally {
    await kv.close();
  }
}

/** Exit within the 10 s a container runtime waits before SIGKILL. */
async function exitWithin10s(p: Launched): Promise<number | string | null> {
  const started = Date.now();
  const code = await Promise.race([p.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
  expect(Date.now() - started).toBeLessThan(10_000);
  return code;
}

describe('npm start, as an operator runs it', { timeout: 90_000 }, () => {
  it('runs the bot as npm’s own child (no shell left between), and SIGTERM to npm alone stops it cleanly', async () => {
    const npm = track(launch('npm', ['start'], { env }));
    await ready(npm);
    const children = childrenOf(npm.child.pid!);
    expect(children.map((c) => c.args)).toEqual(['node --enable-source-maps --optimize-for-size dist/main.js']);
    const bot = children[0]!.pid;
    await waitFor(async () => !(await leaseFree()), 'the bot to take the poller lease', 5_000);

    npm.child.kill('SIGTERM'); // what `docker stop` sends to the process it started, and only to it
    expect(await exitWithin10s(npm)).toBe(0);
    expect(alive(bot)).toBe(false); // no orphan left holding the lease
    expect(npm.stderr.filter((l) => l.includes('"stopping"'))).toHaveLength(1);
    // Given back, not left to expire (the lease lasts 15 s).
    expect(await leaseFree()).toBe(true);
  });

  it('Ctrl-C under npm (SIGINT to the group: the bot gets it from the terminal and again from npm): one clean stop, exit 0', async () => {
    const npm = track(launch('npm', ['start'], { env }));
    await ready(npm);
    const bot = childrenOf(npm.child.pid!)[0]!.pid;
    process.kill(-npm.child.pid!, 'SIGINT');
    expect(await exitWithin10s(npm)).toBe(0);
    expect(alive(bot)).toBe(false);
    expect(npm.stderr.filter((l) => l.includes('"stopping"'))).toHaveLength(1);
    expect(await leaseFree()).toBe(true);
  });

  it('the bot signalled again and again (SIGINT, SIGINT, SIGTERM) still stops once, exit 0', async () => {
    // Straight at the bot: once it has exited, npm would die of a late SIGINT itself (npm's doing).
    expect(await launch('node', ['scripts/build.mjs', '--if-stale']).exited).toBe(0);
    const bot = track(launch('node', ['--enable-source-maps', '--optimize-for-size', 'dist/main.js'], { env }));
    await ready(bot);
    for (const signal of ['SIGINT', 'SIGINT', 'SIGTERM'] as const) bot.child.kill(signal);
    expect(await exitWithin10s(bot)).toBe(0);
    expect(bot.stderr.filter((l) => l.includes('"stopping"'))).toHaveLength(1);
    expect(await leaseFree()).toBe(true);
  });
});

describe('the build npm start runs first', { timeout: 60_000 }, () => {
  /** A copy of what the build reads, with the real node_modules beside it. */
  function copyOfSources(): string {
    const copy = mkdtempSync(join(dir, 'app-'));
    for (const part of ['src', 'bots', 'handlers', 'adapters', 'scripts', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
    return copy;
  }
  const snapshot = (folder: string) => readdirSync(folder).map((f) => `${f}@${statSync(join(folder, f)).mtimeMs}`).sort();
  const build = (cwd: string, user?: number) =>
    launch(user === undefined ? 'node' : 'setpriv', [...(user === undefined ? [] : ['--reuid', String(user), '--regid', String(user), '--clear-groups', 'node']), 'scripts/build.mjs', '--if-stale'], { cwd });

  it('builds when dist/ is missing or older than a source, and writes nothing when it is fresh', async () => {
    const copy = copyOfSources();
    let run = build(copy);
    expect(await run.exited).toBe(0);
    expect(run.stderr).toEqual(['ticket-bridge: building dist/ (dist/ is missing)']);
    const built = snapshot(join(copy, 'dist'));

    run = build(copy);
    expect(await run.exited).toBe(0);
    expect(run.stderr).toEqual([]);
    expect(snapshot(join(copy, 'dist'))).toEqual(built);

    // A worker thread's script is copied, not bundled: its loss or its edit is seen too.
    rmSync(join(copy, 'dist', 'form-opener-worker.mjs'));
    run = build(copy);
    expect(await run.exited).toBe(0);
    expect(run.stderr).toEqual(['ticket-bridge: building dist/ (dist/form-opener-worker.mjs is missing)']);
    const edited = new Date(Date.now() + 10_000);
    utimesSync(join(copy, 'bots', 'slack', 'form-opener-worker.mjs'), edited, edited);
    run = build(copy);
    expect(await run.exited).toBe(0);
    expect(run.stderr).toEqual(['ticket-bridge: building dist/ (bots/slack/form-opener-worker.mjs changed)']);
    expect(readFileSync(join(copy, 'dist', 'form-opener-worker.mjs'), 'utf8')).toBe(readFileSync(join(copy, 'bots', 'slack', 'form-opener-worker.mjs'), 'utf8'));

    const later = new Date(Date.now() + 5_000);
    utimesSync(join(copy, 'handlers', 'open-ticket.ts'), later, later);
    run = build(copy);
    expect(await run.exited).toBe(0);
    expect(run.stderr).toEqual(['ticket-bridge: building dist/ (handlers/open-ticket.ts changed)']);
  });

  it('starts from a read-only app folder when dist/ is fresh (run as an unprivileged user)', async () => {
    const copy = copyOfSources();
    expect(await build(copy).exited).toBe(0);
    const data = join(dir, 'nobody-data');
    mkdirSync(data);
    chmodSync(data, 0o777);
    const folders = ['dist', 'src', 'bots', 'handlers', 'adapters', 'scripts'].flatMap((part) => {
      const top = join(copy, part);
      const below = readdirSync(top, { recursive: true, withFileTypes: true }).filter((e) => e.isDirectory());
      return [top, ...below.map((e) => join(e.parentPath, e.name))];
    });
    for (const folder of [...folders, copy]) chmodSync(folder, 0o555);

    const check = build(copy, 65534);
    expect(await check.exited).toBe(0);
    expect(check.stderr).toEqual([]);

    const bot = track(launch('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', 'node', 'dist/main.js'], {
      cwd: copy,
      env: { STORE_URL: `sqlite://${join(data, 'tickets.sqlite')}`, LOG_LEVEL: 'warn' },
    }));
    await ready(bot);
    bot.child.kill('SIGTERM');
    expect(await exitWithin10s(bot)).toBe(0);
    chmodSync(copy, 0o755);
  });
});
