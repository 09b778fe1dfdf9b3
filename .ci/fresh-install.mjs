// CI: what an operator does first, in a fresh copy of the repository, with every compiler
// replaced by a stub that fails: `npm ci --ignore-scripts`, then the README's console story
// through `npm start` (open a ticket, answer it with `npm run desk -- reply`, see the answer
// relayed), then the Dockerfile's build stage (its RUN lines, read from the Dockerfile) and the
// runtime stage's CMD, run from a folder holding only what that stage copies, as a non-root user.
// Prints one line per step; exits non-zero on the first failure.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const repo = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'tb-fresh-'));
chmodSync(work, 0o755);
const app = join(work, 'app');
const started = Date.now();
const say = (line) => console.log(`fresh-install: ${line} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
const fail = (line) => {
  console.error(`fresh-install: FAILED: ${line}`);
  process.exit(1);
};

// The tracked files, as a clone has them (no node_modules, no dist, no data).
const files = execFileSync('git', ['ls-files', '-z'], { cwd: repo, encoding: 'utf8' }).split('\0').filter(Boolean);
for (const file of files) cpSync(join(repo, file), join(app, file), { recursive: true });

// No compiler: an install that reaches for one fails here instead of quietly building.
const stubs = join(work, 'no-compiler');
mkdirSync(stubs);
for (const tool of ['cc', 'gcc', 'g++', 'c++', 'make', 'python3', 'node-gyp']) {
  writeFileSync(join(stubs, tool), `#!/bin/sh\necho "fresh-install: ${tool} was called: something compiles at install" >&2\nexit 97\n`, { mode: 0o755 });
}
const env = { PATH: `${stubs}:${process.env.PATH}`, HOME: process.env.HOME ?? work, USER: 'ada', npm_config_update_notifier: 'false' };

const dockerfile = parseDockerfile(readFileSync(join(app, 'Dockerfile'), 'utf8'));
const [install, ...build] = dockerfile.build.run;
if (!install?.startsWith('npm ci --ignore-scripts')) fail(`the Dockerfile's first build step should be npm ci --ignore-scripts, is: ${install}`);

run(install, app);
say(`${install}: done`);

await consoleStory();
say('console story through npm start: ticket opened, agent reply relayed once, SIGTERM → exit 0, no process left');

for (const step of build) run(step, app);
say(`Dockerfile build stage: ${build.join('; ')}`);
await imageCommand();
say(`runtime stage: ${dockerfile.runtime.cmd.join(' ')} as a non-root user in a read-only folder: ready, SIGTERM → exit 0`);

rmSync(work, { recursive: true, force: true });

function run(command, cwd) {
  const result = spawnSync('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) fail(`${command} exited ${result.status}`);
}

function start(command, args, options) {
  // A group of its own, so a failed check can end the bot with whatever started it.
  const child = spawn(command, args, { ...options, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const killGroup = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const out = [];
  const err = [];
  createInterface({ input: child.stdout }).on('line', (l) => out.push(l));
  createInterface({ input: child.stderr }).on('line', (l) => err.push(l));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const waitLine = async (lines, pattern, ms) => {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) if (lines.some((l) => pattern.test(l))) return;
    killGroup();
    fail(`no line matching ${pattern} within ${ms} ms; stdout: ${out.join(' | ')}; stderr: ${err.join(' | ')}`);
  };
  return { child, out, err, exited, waitLine, killGroup };
}

async function stopWithin10s(proc, what) {
  proc.child.kill('SIGTERM');
  const code = await Promise.race([proc.exited, sleep(10_000).then(() => 'still running after 10 s')]);
  if (code !== 0) {
    proc.killGroup();
    fail(`${what}: SIGTERM gave ${code}, not exit 0; stderr: ${proc.err.join(' | ')}`);
  }
}

async function consoleStory() {
  const storyEnv = { ...env, STORE_URL: `sqlite://${join(work, 'story', 'tickets.sqlite')}`, POLL_INTERVAL_MS: '300', LOG_LEVEL: 'warn' };
  const npm = start('npm', ['start'], { cwd: app, env: storyEnv });
  npm.child.stdin.write('/ticket open subject="Printer on fire" description="Smoke from tray 2" priority=high\n');
  await npm.waitLine(npm.out, /^Ticket #1 opened with Local desk\.$/, 60_000);
  const desk = spawnSync('npm', ['run', '--silent', 'desk', '--', 'reply', '1', 'We are on our way'], { cwd: app, env: storyEnv, encoding: 'utf8' });
  if (desk.status !== 0) fail(`npm run desk -- reply exited ${desk.status}: ${desk.stderr}`);
  await npm.waitLine(npm.out, /^\[#1\] Support: We are on our way$/, 10_000);
  const bot = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(npm.child.pid)], { encoding: 'utf8' }).trim();
  if (!/^\d+ node .*dist\/main\.js$/.test(bot)) {
    npm.killGroup();
    fail(`npm's child should be the bot itself, is: ${bot}`);
  }
  await stopWithin10s(npm, 'npm start');
  if (alive(Number(bot.split(' ')[0]))) {
    npm.killGroup();
    fail('the bot outlived npm');
  }
  if (npm.out.filter((l) => l.includes('We are on our way')).length !== 1) fail('the agent reply was not relayed exactly once');
}

async function imageCommand() {
  const { runtime } = dockerfile;
  if (runtime.cmd[0] !== 'node' || !runtime.cmd.includes('dist/main.js')) fail(`the image should run node dist/main.js, runs ${runtime.cmd.join(' ')}`);
  if (!runtime.user || runtime.user === 'root') fail('the runtime stage should run as a non-root USER');
  const image = join(work, 'image');
  for (const { src, dest } of runtime.copy) cpSync(join(app, src), join(image, dest), { recursive: true, verbatimSymlinks: true });
  // The bot's user owns only its data folder, as in the image; the app folder is read-only to it.
  const nobody = 65534;
  const data = join(work, 'image-data');
  mkdirSync(data, { mode: 0o700 });
  chownSync(data, nobody, nobody);
  const imageEnv = { ...env, ...runtime.env, STORE_URL: `sqlite://${join(data, 'tickets.sqlite')}`, HEALTH_PORT: String(20_000 + (process.pid % 20_000)), HOME: data };
  const bot = start('setpriv', ['--reuid', String(nobody), '--regid', String(nobody), '--clear-groups', ...runtime.cmd], { cwd: image, env: imageEnv });
  await bot.waitLine(bot.err, /"msg":"ready"/, 30_000);
  // The image's HEALTHCHECK, as Docker runs it: inside the container, against the bot's own port.
  const check = spawnSync('node', ['scripts/healthcheck.mjs'], { cwd: image, env: imageEnv, encoding: 'utf8', timeout: 10_000 });
  if (check.status !== 0) fail(`the image's HEALTHCHECK failed against the running bot: ${check.stderr.trim()}`);
  await stopWithin10s(bot, runtime.cmd.join(' '));
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The few instructions this check needs, per stage; `\` continuations joined. */
function parseDockerfile(text) {
  const lines = text.replace(/\\\n\s*/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages = [];
  for (const line of lines) {
    const [, op = '', rest = ''] = line.match(/^(\w+)\s+(.*)$/) ?? [];
    if (op === 'FROM') stages.push({ name: rest.split(/\s+AS\s+/i)[1], run: [], copy: [], env: {}, cmd: [], user: undefined });
    const stage = stages.at(-1);
    if (op === 'RUN') stage.run.push(rest);
    if (op === 'CMD') stage.cmd = JSON.parse(rest);
    if (op === 'USER') stage.user = rest;
    if (op === 'ENV') for (const [, k, v] of rest.matchAll(/(\w+)=(\S+)/g)) stage.env[k] = v;
    if (op === 'COPY') {
      const from = rest.match(/--from=(\S+)/)?.[1];
      const [src, dest] = rest.replace(/--\S+\s*/g, '').split(/\s+/);
      stage.copy.push({ from, src: src.replace(/^\/app\//, ''), dest });
    }
  }
  const build = stages.find((s) => s.name === 'build');
  if (!build) fail('the Dockerfile has no stage named build');
  return { build, runtime: stages.at(-1) };
}
