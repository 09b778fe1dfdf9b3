import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ChatDeliveryError } from '../chat.js';
import { ProviderError, StoreUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import { backoffMs } from '../pacing.js';
import type { KeyValueStore } from '../store/index.js';

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
  /**
   * The last attempt may have reached the remote: it timed out, got a 5xx, or the process died
   * during it (set before every attempt and cleared only by a known outcome). Check before repeating.
   */
  outcomeUnknown: z.boolean(),
});
export type OutboxJob = z.infer<typeof OutboxJob>;

export type JobHandler = (job: OutboxJob) => Promise<void>;

export interface HandlerOptions {
  /**
   * The handler writes to a remote that has no idempotency key and checks `outcomeUnknown`
   * before writing again; the outbox then marks each attempt outcome-unknown before it starts,
   * so a process killed mid-call leaves that mark behind.
   */
  checksOutcome?: boolean;
}

export interface RegisteredHandler {
  run: JobHandler;
  checksOutcome: boolean;
}

export interface EnqueueInput {
  key: string;
  lane: string;
  kind: string;
  ticketId: string;
  payload: unknown;
}

/**
 * The durable queue between the bot and the outside: chat replies on their way to the provider,
 * relayed comments on their way to chat. `enqueue` returns once the job is durable (the platform
 * is acknowledged after that); each key is queued once, each lane runs in enqueue order, and a job
 * is retried with back-off until it is delivered or fails for good. Two backends: `KeyvOutbox`
 * (any store, leases per lane) and `BullOutbox` (BullMQ, when the store is Redis).
 */
export interface Outbox {
  handle(kind: string, handler: JobHandler, options?: HandlerOptions): void;
  /** Durably queues a job; false when a job with this key was queued before (a platform retry). */
  enqueue(input: EnqueueInput): Promise<boolean>;
  /** Jobs of a ticket not yet delivered, for `/ticket status`. */
  forTicket(ticketId: string): Promise<{ pending: OutboxJob[]; failed: OutboxJob[] }>;
  /** Puts a failed job back at the end of its lane (the Retry button). */
  retryFailed(key: string): Promise<OutboxJob | undefined>;
  get(key: string): Promise<OutboxJob | undefined>;
  start(): void;
  /** Lets the jobs in hand finish; queued jobs stay queued for the next start. */
  stop(): Promise<void>;
}

export interface OutboxOptions {
  kv: KeyValueStore;
  logger: Logger;
  /** Back-off between attempts of a transient failure (Retry-After wins when longer). */
  retry?: { baseMs: number; maxMs: number };
  /** How often to look for work other processes enqueued (and, on BullMQ, to repair lanes). */
  idleMs?: number;
  /** How long a lane stays locked by a process that died while working on it; renewed while alive. */
  leaseMs?: number;
  /** Called once when a job fails for good, e.g. to tell the thread. */
  onFailed?: (job: OutboxJob, error: unknown) => Promise<void>;
}

export const DONE_TTL_MS = 30 * 24 * 3600_000;
const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_RETRY = { baseMs: 1_000, maxMs: 5 * 60_000 };

/** The records both backends keep in the store: job state, dedupe marks, the per-ticket index. */
export class JobRecords {
  private lastSeq = 0;

  constructor(readonly kv: KeyValueStore) {}

  /**
   * Writes the record of a new job; false when the key was queued before. The mark comes first:
   * a mark without a record means a writer died between the two writes, so its work is finished.
   */
  async create(input: EnqueueInput, owner: string): Promise<{ fresh: boolean; job: OutboxJob }> {
    const existing = (await this.kv.setIfAbsent(`outbox:key:${input.key}`, owner, DONE_TTL_MS)) ? undefined : await this.get(input.key);
    if (existing) return { fresh: false, job: existing };
    const job: OutboxJob = { ...input, seq: this.nextSeq(), attempts: 0, notBefore: 0, state: 'pending', outcomeUnknown: false };
    await this.kv.set(this.jobKey(job.key), job);
    return { fresh: true, job };
  }

  /** Lists a pending or failed job under its ticket, for `/ticket status`; repeating it is harmless. */
  async index(job: OutboxJob): Promise<void> {
    await this.kv.add(`outbox:ticket:${job.ticketId}`, job.key);
  }

  async get(key: string): Promise<OutboxJob | undefined> {
    return (await this.load([key]))[0];
  }

  async load(keys: string[]): Promise<OutboxJob[]> {
    const raw = await Promise.all(keys.map((key) => this.kv.get<unknown>(this.jobKey(key))));
    return raw.flatMap((value) => {
      const parsed = OutboxJob.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
  }

  async save(job: OutboxJob): Promise<void> {
    await this.kv.set(this.jobKey(job.key), job, job.state === 'done' ? DONE_TTL_MS : undefined);
    // Pending and failed jobs are in the ticket's index from `create` on; delivered ones leave it.
    if (job.state === 'done') await this.kv.remove(`outbox:ticket:${job.ticketId}`, job.key);
  }

  /** A failed job made pending again, as new (the Retry button); undefined if it is not failed. */
  async rearm(key: string): Promise<OutboxJob | undefined> {
    const job = await this.get(key);
    if (!job || job.state !== 'failed') return undefined;
    const again: OutboxJob = { ...job, state: 'pending', attempts: 0, notBefore: 0, seq: this.nextSeq() };
    await this.save(again);
    return again;
  }

  async forTicket(ticketId: string): Promise<{ pending: OutboxJob[]; failed: OutboxJob[] }> {
    const jobs = (await this.load(await this.kv.members(`outbox:ticket:${ticketId}`))).sort((a, b) => a.seq - b.seq);
    return { pending: jobs.filter((j) => j.state === 'pending'), failed: jobs.filter((j) => j.state === 'failed') };
  }

  /** Strictly increasing within a process, and time-based so that it orders across restarts. */
  nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }

  private jobKey(key: string): string {
    return `outbox:job:${key}`;
  }
}

/**
 * What both backends share: the handlers, the job records, and the paths that only touch records
 * (enqueue, status, Retry). A backend says how a pending job joins its lane and how lanes run.
 */
export abstract class OutboxBase implements Outbox {
  protected readonly handlers = new Map<string, RegisteredHandler>();
  protected readonly owner = randomUUID();
  protected readonly records: JobRecords;
  protected readonly retry: { baseMs: number; maxMs: number };
  protected readonly leaseMs: number;
  /** Jobs saved while the store failed before they joined their lane; `relane` finishes them. */
  private readonly unlaned = new Map<string, OutboxJob>();

  constructor(protected readonly options: OutboxOptions) {
    this.records = new JobRecords(options.kv);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  handle(kind: string, handler: JobHandler, options: HandlerOptions = {}): void {
    this.handlers.set(kind, { run: handler, checksOutcome: options.checksOutcome ?? false });
  }

  async enqueue(input: EnqueueInput): Promise<boolean> {
    const { fresh, job } = await this.records.create(input, this.owner);
    // Queuing a pending job again is harmless, and repairs a writer that died after the record
    // but before the lane: its platform retries the event and lands here.
    if (job.state !== 'pending') return fresh;
    try {
      await this.records.index(job);
      await this.addToLane(job, fresh);
    } catch (error) {
      if (!(error instanceof StoreUnavailable)) throw error;
      // The record is saved: the job is not lost, only not yet in its lane. The next pass after
      // the store is back puts it there, and the caller can say so.
      this.unlaned.set(job.key, job);
      throw error.afterSaved();
    }
    return fresh;
  }

  /** Puts jobs that were saved during a store failure into their lanes; called by each backend's pass. */
  protected async relane(): Promise<void> {
    for (const job of [...this.unlaned.values()]) {
      await this.records.index(job);
      await this.addToLane(job, true);
      this.unlaned.delete(job.key);
    }
  }

  forTicket(ticketId: string): Promise<{ pending: OutboxJob[]; failed: OutboxJob[] }> {
    return this.records.forTicket(ticketId);
  }

  async retryFailed(key: string): Promise<OutboxJob | undefined> {
    const again = await this.records.rearm(key);
    if (again) await this.addToLane(again, true);
    return again;
  }

  get(key: string): Promise<OutboxJob | undefined> {
    return this.records.get(key);
  }

  abstract start(): void;
  abstract stop(): Promise<void>;

  /** Puts a pending job at the end of its lane, idempotently; `fresh` when it is new work. */
  protected abstract addToLane(job: OutboxJob, fresh: boolean): Promise<void>;

  protected attempt(job: OutboxJob): Promise<AttemptOutcome> {
    return attemptJob(job, this.records, this.handlers, { ...this.options, retry: this.retry });
  }
}

/** How one attempt ended, as the lane bookkeeping of either backend needs to know. */
type AttemptOutcome = { state: 'done' } | { state: 'retry'; wait: number } | { state: 'failed' };

/**
 * Runs one attempt of a job and records its outcome. For handlers that check outcomes, the stored
 * record is marked outcome-unknown before the call, so if the process dies during the call the
 * next attempt checks the remote first; the handler still sees the job as it was (the flag of the
 * previous attempt). Other handlers rely on their remote's idempotency key instead.
 */
async function attemptJob(
  job: OutboxJob,
  records: JobRecords,
  handlers: ReadonlyMap<string, RegisteredHandler>,
  options: Pick<OutboxOptions, 'logger' | 'onFailed'> & { retry: { baseMs: number; maxMs: number } },
): Promise<AttemptOutcome> {
  const { logger } = options;
  const handler = handlers.get(job.kind);
  if (handler?.checksOutcome && !job.outcomeUnknown) await records.save({ ...job, outcomeUnknown: true });
  try {
    if (!handler) throw new Error(`no handler for outbox jobs of kind ${job.kind}`);
    await handler.run(job);
    await records.save({ ...job, state: 'done', attempts: job.attempts + 1, outcomeUnknown: false });
    return { state: 'done' };
  } catch (error) {
    // The store itself failed: nothing about the job can be recorded now. It stays as stored
    // (outcome-unknown if it was marked so) and runs again once the store is back.
    if (error instanceof StoreUnavailable) throw error;
    const failure = classify(error);
    const attempts = job.attempts + 1;
    const lastError = error instanceof Error ? error.message : String(error);
    if (failure.transient) {
      const wait = Math.max(failure.retryAfterMs ?? 0, backoffMs(attempts - 1, options.retry.baseMs, options.retry.maxMs));
      logger.warn('delivery will be retried', { key: job.key, kind: job.kind, attempts, wait, error: lastError });
      await records.save({ ...job, attempts, lastError, notBefore: Date.now() + wait, outcomeUnknown: job.outcomeUnknown || failure.outcomeUnknown });
      return { state: 'retry', wait };
    }
    const failed: OutboxJob = { ...job, attempts, lastError, state: 'failed', outcomeUnknown: false };
    // The notice is queued (under a key of its own) before the job is marked failed, so a crash
    // in between repeats an enqueue that is ignored rather than losing the notice.
    try {
      await options.onFailed?.(failed, error);
    } catch (noticeError) {
      // Marked failed without its notice, the thread would never hear of it: try the job again later.
      const wait = backoffMs(attempts - 1, options.retry.baseMs, options.retry.maxMs);
      logger.warn('failure notice not queued; the job will be retried', { key: job.key, kind: job.kind, attempts, wait, error: lastError, noticeError });
      await records.save({ ...job, attempts, lastError, notBefore: Date.now() + wait });
      return { state: 'retry', wait };
    }
    logger.error('delivery failed for good', { key: job.key, kind: job.kind, attempts, error: lastError });
    await records.save(failed);
    return { state: 'failed' };
  }
}

/** Whether to try again, and whether the failed attempt may nevertheless have taken effect. */
function classify(error: unknown): { transient: boolean; retryAfterMs?: number; outcomeUnknown: boolean } {
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
