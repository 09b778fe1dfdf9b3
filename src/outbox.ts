import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ChatDeliveryError } from './chat.js';
import { ProviderError } from './errors.js';
import type { Logger } from './logger.js';
import { backoffMs, sleep } from './pacing.js';
import type { KeyValueStore } from './store.js';

export const OutboxJob = z.object({
  /** The idempotency key: one job per key, ever (a retried platform event maps to the same key). */
  key: z.string(),
  /** Jobs of one lane run one at a time in enqueue order (per ticket and direction). */
  lane: z.string(),
  kind: z.string(),
  ticketId: z.string(),
  payload: z.unknown(),
  seq: z.number(),
  attempts: z.number(),
  notBefore: z.number(),
  state: z.enum(['pending', 'failed', 'done']),
  lastError: z.string().optional(),
  /** The last attempt may have reached the remote (timeout): check before repeating it. */
  outcomeUnknown: z.boolean(),
});
export type OutboxJob = z.infer<typeof OutboxJob>;

export type JobHandler = (job: OutboxJob) => Promise<void>;

export interface EnqueueInput {
  key: string;
  lane: string;
  kind: string;
  ticketId: string;
  payload: unknown;
}

export interface OutboxOptions {
  kv: KeyValueStore;
  logger: Logger;
  /** Back-off between attempts of a transient failure (Retry-After wins when longer). */
  retry?: { baseMs: number; maxMs: number };
  /** How often to look for work other processes enqueued. */
  idleMs?: number;
  /** Called once when a job fails for good, e.g. to tell the thread. */
  onFailed?: (job: OutboxJob, error: unknown) => Promise<void>;
}

const DONE_TTL_MS = 30 * 24 * 3600_000;
const LANE_LEASE_MS = 60_000;
const LANES = 'outbox:lanes';

/**
 * The durable queue between the bot and the outside: chat replies on their way to the provider,
 * relayed comments on their way to chat. A job is written before the platform is acknowledged,
 * retried with back-off until it is delivered or fails for good, and runs once per key even when
 * several processes share the store (a lease per lane).
 */
export class Outbox {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly owner = randomUUID();
  private readonly retry: { baseMs: number; maxMs: number };
  private readonly idleMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: () => void = () => undefined;
  private stopSignal = new AbortController();
  private seqCounter = 0;

  constructor(private readonly options: OutboxOptions) {
    this.retry = options.retry ?? { baseMs: 1_000, maxMs: 5 * 60_000 };
    this.idleMs = options.idleMs ?? 1_000;
  }

  handle(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  /** Durably queues a job; false when a job with this key was queued before (a platform retry). */
  async enqueue(input: EnqueueInput): Promise<boolean> {
    const { kv } = this.options;
    const fresh = await kv.setIfAbsent(`outbox:key:${input.key}`, this.owner, DONE_TTL_MS);
    // A marker without a record means a writer died between the two writes: finish its work.
    if (!fresh && (await kv.get(this.jobKey(input.key))) !== undefined) return false;
    const job: OutboxJob = {
      ...input,
      seq: Date.now() * 1000 + (this.seqCounter++ % 1000),
      attempts: 0,
      notBefore: 0,
      state: 'pending',
      outcomeUnknown: false,
    };
    await kv.set(this.jobKey(job.key), job);
    await kv.add(`outbox:ticket:${job.ticketId}`, job.key);
    await kv.add(`outbox:lane:${job.lane}`, job.key);
    await kv.add(LANES, job.lane);
    this.wake();
    return true;
  }

  /** Jobs of a ticket not yet delivered, for `/ticket status`. */
  async forTicket(ticketId: string): Promise<{ pending: OutboxJob[]; failed: OutboxJob[] }> {
    const jobs = await this.load(await this.options.kv.members(`outbox:ticket:${ticketId}`));
    return { pending: jobs.filter((j) => j.state === 'pending'), failed: jobs.filter((j) => j.state === 'failed') };
  }

  /** Puts a failed job back in its lane (the Retry button). */
  async retryFailed(key: string): Promise<OutboxJob | undefined> {
    const job = await this.get(key);
    if (!job || job.state !== 'failed') return undefined;
    const again: OutboxJob = { ...job, state: 'pending', attempts: 0, notBefore: 0, seq: Date.now() * 1000 };
    await this.options.kv.set(this.jobKey(key), again);
    await this.options.kv.add(`outbox:lane:${job.lane}`, key);
    await this.options.kv.add(LANES, job.lane);
    this.wake();
    return again;
  }

  get(key: string): Promise<OutboxJob | undefined> {
    return this.load([key]).then((jobs) => jobs[0]);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopSignal = new AbortController();
    this.loop = this.run();
  }

  /** Lets the job in hand finish; queued jobs stay queued for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopSignal.abort();
    this.wake();
    await this.loop;
  }

  /** Runs every job that is due, once; returns how many ran. The worker loop, and tests, call it. */
  async runDue(): Promise<number> {
    const lanes = await this.options.kv.members(LANES);
    const ran = await Promise.all(lanes.map((lane) => this.runLane(lane)));
    return ran.reduce((a, b) => a + b, 0);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const ran = await this.runDue().catch((error: unknown) => {
        this.options.logger.error('outbox pass failed', { error });
        return 0;
      });
      if (ran > 0 || !this.running) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void sleep(this.idleMs, this.stopSignal.signal).then(resolve);
      });
    }
  }

  /** Runs the due jobs of one lane in order, stopping at the first that must wait. */
  private async runLane(lane: string): Promise<number> {
    const { kv } = this.options;
    if (!(await kv.claim(`outbox:${lane}`, this.owner, LANE_LEASE_MS))) return 0;
    let ran = 0;
    try {
      for (;;) {
        if (this.stopSignal.signal.aborted && ran > 0) break;
        const keys = await kv.members(`outbox:lane:${lane}`);
        const jobs = (await this.load(keys)).filter((j) => j.state === 'pending').sort((a, b) => a.seq - b.seq);
        const job = jobs[0];
        if (!job) {
          await kv.remove(LANES, lane);
          // An enqueue may have raced the removal: put the lane back if it has work again.
          if ((await kv.members(`outbox:lane:${lane}`)).length > 0) await kv.add(LANES, lane);
          break;
        }
        if (job.notBefore > Date.now()) break;
        await this.attempt(job);
        ran++;
        if ((await this.get(job.key))?.state === 'pending') break; // rescheduled: keep the order
      }
    } finally {
      await kv.release(`outbox:${lane}`, this.owner);
    }
    return ran;
  }

  private async attempt(job: OutboxJob): Promise<void> {
    const { kv, logger } = this.options;
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for outbox jobs of kind ${job.kind}`);
      await handler(job);
      await kv.set(this.jobKey(job.key), { ...job, state: 'done', attempts: job.attempts + 1 }, DONE_TTL_MS);
      await kv.remove(`outbox:lane:${job.lane}`, job.key);
      await kv.remove(`outbox:ticket:${job.ticketId}`, job.key);
    } catch (error) {
      const failure = classify(error);
      const attempts = job.attempts + 1;
      const lastError = error instanceof Error ? error.message : String(error);
      if (failure.transient) {
        const wait = Math.max(failure.retryAfterMs ?? 0, backoffMs(attempts - 1, this.retry.baseMs, this.retry.maxMs));
        logger.warn('delivery will be retried', { key: job.key, kind: job.kind, attempts, wait, error: lastError });
        await kv.set(this.jobKey(job.key), {
          ...job,
          attempts,
          lastError,
          notBefore: Date.now() + wait,
          outcomeUnknown: job.outcomeUnknown || failure.outcomeUnknown,
        });
        return;
      }
      logger.error('delivery failed for good', { key: job.key, kind: job.kind, attempts, error: lastError });
      const failed: OutboxJob = { ...job, attempts, lastError, state: 'failed' };
      await kv.set(this.jobKey(job.key), failed);
      await kv.remove(`outbox:lane:${job.lane}`, job.key);
      await this.options.onFailed?.(failed, error).catch((e: unknown) => logger.error('failure notice not posted', { error: e }));
    }
  }

  private async load(keys: string[]): Promise<OutboxJob[]> {
    const raw = await Promise.all(keys.map((key) => this.options.kv.get<unknown>(this.jobKey(key))));
    return raw.flatMap((value) => {
      const parsed = OutboxJob.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
  }

  private jobKey(key: string): string {
    return `outbox:job:${key}`;
  }
}

/** Whether to try again, and whether the failed attempt may nevertheless have taken effect. */
export function classify(error: unknown): { transient: boolean; retryAfterMs?: number; outcomeUnknown: boolean } {
  if (error instanceof ProviderError) {
    const retryAfter = error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
    const unknown = error.kind === 'timeout' || (error.kind === 'unavailable' && error.status !== undefined) || error.kind === 'malformed';
    return { transient: error.transient || error.kind === 'malformed', outcomeUnknown: unknown, ...retryAfter };
  }
  if (error instanceof ChatDeliveryError) {
    return { transient: error.transient, outcomeUnknown: false, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
  }
  // A bug or an unexpected library error: keep the job and retry rather than lose the message.
  return { transient: true, outcomeUnknown: true };
}
