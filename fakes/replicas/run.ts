import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { request } from 'undici';
import { openStore } from '../../src/store/index.js';
import { startSpacebringFake } from '../providers/spacebring.js';
import { startVerifikFake } from '../providers/verifik.js';
import type { FakeFault, FakeProviderServer, RecordedRequest } from '../providers/types.js';
import { dropRedisPrefix, REDIS_URL, uniqueRedisUrl } from '../redis.js';
import { startChaosChat, type ChaosChat } from './chat.js';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const FAKES = { verifik: () => startVerifikFake(), spacebring: () => startSpacebringFake() } as const;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OPEN_BATCH = 5;
const between = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo));

export interface ReplicaRunOptions {
  /** The vendor the replicas talk to, through its fake (Spacebring's holds 10 requests/s). */
  provider?: keyof typeof FAKES;
  store: 'sqlite' | 'redis';
  processes: number;
  tickets: number;
  /** Per ticket and direction, so the total each way is tickets × messagesPerTicket. */
  messagesPerTicket: number;
  kills: number;
  /** Fraction of provider requests answered with a fault. */
  faultRate: number;
  /** The pause before each of one ticket's messages, random in [lo, hi) ms; [0, 0] sends bursts. */
  gapMs?: [number, number];
  /** How long to wait for everything to arrive once sent (default 40 s). */
  drainTimeoutMs?: number;
  /** Progress lines (set CHAOS_DEBUG=1 to see them from the test). */
  progress?: (line: string) => void;
}

export interface DirectionReport {
  sent: number;
  delivered: number;
  lost: number;
  duplicated: number;
  /** Tickets whose messages arrived out of the order they were sent in. */
  outOfOrder: number;
}

export interface ReplicaReport {
  toProvider: DirectionReport;
  toChat: DirectionReport;
  statusPosts: { expected: number; posted: number; duplicated: number };
  providerFaults: number;
  chatFaults: number;
  chatResends: number;
  kills: number;
  /** Exit codes after SIGTERM at the end, and whether the poller lease was left behind. */
  exitCodes: (number | null)[];
  leaseLeft: boolean;
  /** From the first message sent until every message arrived both ways (or the wait gave up). */
  drainMs: number;
  /** What the vendor's fake saw: every request, the most in any sliding second, the 429s it answered. */
  providerCalls: { total: number; max1s: number; rateLimited: number };
  lines: string[];
}

interface Bot {
  proc: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

/** 1 ms → 600 ms answers beyond the bot's 400 ms timeout; a third of those are slow successes. */
function randomFault(): FakeFault {
  const roll = Math.random();
  if (roll < 0.3) return { status: 503, body: { error: 'Service unavailable', message: 'UNAVAILABLE' } };
  if (roll < 0.4) return { status: 500, body: { error: 'Internal error', message: 'INTERNAL' } };
  if (roll < 0.7) return { status: 429, body: { error: 'Too many requests', message: 'RATE_LIMITED' }, headers: { 'retry-after': '0.2' } };
  if (roll < 0.85) return { status: 504, delayMs: 600 };
  return { status: 504, delayMs: 600, afterHandling: true };
}

/**
 * Runs the bot as child processes (replicas) against a vendor's fake and a fake chat, faulty at
 * `faultRate`, sends thread replies one way and agent comments (plus one status change per ticket)
 * the other, SIGKILLs and restarts bots along the way, then SIGTERMs them and counts what arrived.
 */
export async function runReplicas(options: ReplicaRunOptions): Promise<ReplicaReport> {
  const vendor = options.provider ?? 'verifik';
  const [lo, hi] = options.gapMs ?? [30, 250];
  const provider = await FAKES[vendor]();
  const chat = await startChaosChat();
  const dir = mkdtempSync(join(tmpdir(), 'tb-chaos-'));
  const redisTarget = uniqueRedisUrl('chaos');
  const storeUrl = options.store === 'sqlite' ? `sqlite://${join(dir, 'tickets.sqlite')}` : redisTarget.url;
  // Leases: with one process nobody competes, so a short lease only shortens the wait after a
  // restart. With two, a lease must outlast any pause of a live holder (this machine may be
  // busy), or its work is taken over while it still runs; the dead one's jobs then wait 4 s.
  const env = { ...process.env, ...provider.env, PROVIDER: vendor, STORE_URL: storeUrl, CHAT_URL: chat.url, POLL_INTERVAL_MS: '300', LEASE_MS: options.store === 'sqlite' ? '1000' : '4000', HTTP_TIMEOUT_MS: '400' };
  const bots: Bot[] = [];
  let providerFaults = 0;
  const started = Date.now();
  const note = (what: string) => options.progress?.(`${((Date.now() - started) / 1000).toFixed(1)}s ${what}`);
  try {
    bots.push(...(await Promise.all(Array.from({ length: options.processes }, () => startBot(env)))));

    // Opened a few at a time, each waited for as long as a person waits for a form: every retry of
    // an open is a new ticket at the vendor, and a burst of opens queues behind the vendor's limit.
    const tickets: { ticketId: string; thread: string }[] = [];
    for (let t = 0; t < options.tickets; t += OPEN_BATCH) {
      const batch = Array.from({ length: Math.min(OPEN_BATCH, options.tickets - t) }, (_, i) => t + i);
      tickets.push(
        ...(await Promise.all(
          batch.map((n) => call<{ ticketId: string; thread: string }>(bots, '/open', { subject: `Chaos ${n}`, description: `Ticket ${n} of the chaos run`, thread: `t${n}` }, 30_000)),
        )),
      );
    }

    note('tickets opened');
    const firstCall = provider.requests.length;
    if (options.faultRate > 0) {
      provider.setChaos!((req) => {
        if (Math.random() >= options.faultRate || req.method === 'PUT') return undefined;
        providerFaults++;
        return randomFault();
      });
    }
    chat.faultRate = options.faultRate;
    const sendStarted = Date.now();

    const replies = tickets.map(async ({ thread }, t) => {
      for (let i = 0; i < options.messagesPerTicket; i++) {
        if (hi > 0) await sleep(between(lo, hi));
        await call(bots, '/reply', { thread, eventKey: `ev-${t}-${i}`, text: `reply t${t} #${i}` });
      }
    });
    const comments = tickets.map(async ({ ticketId }, t) => {
      for (let i = 0; i < options.messagesPerTicket; i++) {
        if (hi > 0) await sleep(between(lo, hi));
        provider.addAgentComment(ticketId, `agent t${t} #${i}`);
        if (i === Math.floor(options.messagesPerTicket / 2)) provider.setStatus(ticketId, 'in_progress');
      }
    });
    const killer = (async () => {
      for (let k = 0; k < options.kills; k++) {
        await sleep(1_000);
        const index = k % bots.length;
        bots[index]!.proc.kill('SIGKILL');
        await bots[index]!.exited;
        bots[index] = await startBot(env);
        note(`bot ${index} killed and restarted`);
      }
    })();
    await Promise.all([...replies, ...comments, killer]);
    note('everything sent');

    const expected = options.tickets * options.messagesPerTicket;
    const deadline = Date.now() + (options.drainTimeoutMs ?? 40_000);
    while (Date.now() < deadline) {
      const toProvider = countProvider(provider, tickets).delivered;
      const toChat = countChat(chat, tickets.length).delivered;
      if (toProvider >= expected && toChat >= expected) break;
      if (Math.round((deadline - Date.now()) / 100) % 20 === 0) note(`delivered: to provider ${toProvider}, to chat ${toChat}`);
      await sleep(100);
    }
    const drainMs = Date.now() - sendStarted;
    note('all delivered (or gave up)');
    provider.setChaos?.(undefined);
    chat.faultRate = 0;
    await sleep(1_000); // late duplicates, if any, would land now

    const exitCodes = await Promise.all(
      bots.map((bot) => {
        bot.proc.kill('SIGTERM');
        return bot.exited;
      }),
    );
    const leaseLeft = await leaseHeld(storeUrl, options.store, redisTarget.prefix, vendor);
    const calls = provider.requests.slice(firstCall);

    const report = (counts: Omit<DirectionReport, 'sent' | 'lost'>): DirectionReport => ({ sent: expected, lost: expected - counts.delivered, ...counts });
    const toProvider = report(countProvider(provider, tickets));
    const toChat = report(countChat(chat, tickets.length));
    const statuses = chat.posts.filter((p) => p.message.kind === 'status');
    const statusThreads = new Set(statuses.map((p) => p.thread));
    const line = (dir: string, r: DirectionReport) =>
      `${dir} ${options.store}: sent=${r.sent} delivered=${r.delivered} lost=${r.lost} duplicated=${r.duplicated}`;
    return {
      toProvider,
      toChat,
      statusPosts: { expected: options.tickets, posted: statusThreads.size, duplicated: statuses.length - statusThreads.size },
      providerFaults,
      chatFaults: chat.faults,
      chatResends: chat.resends,
      kills: options.kills,
      exitCodes,
      leaseLeft,
      drainMs,
      providerCalls: { total: calls.length, max1s: maxInSecond(calls), rateLimited: calls.filter((c) => c.status === 429).length },
      lines: [line('chat→provider', toProvider), line('provider→chat', toChat)],
    };
  } finally {
    for (const bot of bots) bot.proc.kill('SIGKILL');
    await provider.close();
    await chat.close();
    rmSync(dir, { recursive: true, force: true });
    if (options.store === 'redis') await dropRedisPrefix(redisTarget.prefix);
  }
}

async function startBot(env: NodeJS.ProcessEnv): Promise<Bot> {
  const proc = spawn(process.execPath, [...(process.env.CHAOS_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.CHAOS_PROF] : []), '--import', 'tsx', CHILD], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    if (process.env.CHAOS_STDERR) process.stderr.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    void exited.then((code) => reject(new Error(`bot exited (${code}) before it was ready: ${stderr}`)));
  });
  return { proc, port, exited };
}

/** Posts to a live bot like a platform delivering an event: retried until acknowledged. */
async function call<T>(bots: Bot[], path: string, body: unknown, timeoutMs = 5_000): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const bot = bots[Math.floor(Math.random() * bots.length)]!;
    try {
      const res = await request(`http://127.0.0.1:${bot.port}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.body.text();
      if (res.statusCode === 200) return JSON.parse(text) as T;
    } catch {
      // the bot is down or restarting: the platform tries again
    }
    if (attempt > 400) throw new Error(`no bot acknowledged ${path}`);
    await sleep(50);
  }
}

/** Delivered, duplicated and out-of-order counts over each ticket's message numbers as they arrived. */
function tally(perTicket: number[][]): Omit<DirectionReport, 'sent' | 'lost'> {
  let delivered = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const numbers of perTicket) {
    const distinct = new Set(numbers);
    delivered += distinct.size;
    duplicated += numbers.length - distinct.size;
    if (!numbers.every((n, i) => i === 0 || n > numbers[i - 1]!)) outOfOrder++;
  }
  return { delivered, duplicated, outOfOrder };
}

/** The message numbers in `texts` that match `pattern`, in the order they arrived. */
function numbered(texts: string[], pattern: RegExp): number[] {
  return texts.flatMap((text) => {
    const match = pattern.exec(text);
    return match ? [Number(match[1])] : [];
  });
}

function countProvider(provider: FakeProviderServer, tickets: { ticketId: string }[]): Omit<DirectionReport, 'sent' | 'lost'> {
  return tally(
    tickets.map(({ ticketId }, t) =>
      numbered(
        provider.comments(ticketId).filter((c) => c.byCustomer).map((c) => c.text),
        new RegExp(`^reply t${t} #(\\d+)`),
      ),
    ),
  );
}

function countChat(chat: ChaosChat, tickets: number): Omit<DirectionReport, 'sent' | 'lost'> {
  return tally(
    Array.from({ length: tickets }, (_, t) =>
      numbered(
        chat.posts.flatMap((p) => (p.thread === `chaos:t${t}` && p.message.kind === 'comment' ? [p.message.text] : [])),
        /^agent t\d+ #(\d+)$/,
      ),
    ),
  );
}

/** The most requests that arrived within any one second. */
function maxInSecond(calls: readonly RecordedRequest[]): number {
  let best = 0;
  for (let i = 0, j = 0; i < calls.length; i++) {
    while (calls[j]!.at <= calls[i]!.at - 1_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Whether anyone still holds the poller lease after every bot stopped. */
async function leaseHeld(storeUrl: string, store: 'sqlite' | 'redis', prefix: string, vendor: string): Promise<boolean> {
  const lease = `poller:${vendor}`;
  if (store === 'redis') {
    const redis = new Redis(REDIS_URL);
    try {
      return (await redis.exists(`${prefix}:lease:${lease}`)) === 1;
    } finally {
      redis.disconnect();
    }
  }
  const kv = await openStore(storeUrl);
  try {
    const free = await kv.claim(lease, 'probe', 1_000);
    if (free) await kv.release(lease, 'probe');
    return !free;
  } finally {
    await kv.close();
  }
}
