import { failureCause } from './failure-cause.js';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { ChatDeliveryError } from '../chat.js';
import { ProviderError, StoreUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import { backoffMs } from '../pacing.js';
import type { KeyValueStore } from '../store/index.js';
import { JobRecords, type JobIdentity, type OutboxJob } from './records.js';

export type { JobIdentity, OutboxJob } from './records.js';

/**
 * The durable queue between the bot and the outside: chat replies on their way to the provider,
 * relayed comments on their way to chat. `enqueue` returns once the job is durable (the platform
 * is acknowledged after that); each key is queued once, each lane runs in enqueue order, and a job
 * is retried with back-off until it is delivered or fails for good. Generic over the union of jobs
 * it carries (`Outbox<Delivery>`, src/delivery/jobs.ts). Two backends: `KeyvOutbox` (any store,
 * leases per lane) and `BullOutbox` (BullMQ, when the store is Redis).
 */
export interface Outbox<D extends JobIdentity> {
  /** Durably queues a job; false when a job with this key was queued before (a platform retry). */
  enqueue(job: D): Promise<boolean>;
  /** Jobs of a ticket not yet delivered, for `/ticket status`. */
  forTicket(ticketId: string): Promise<{ pending: OutboxJob<D>[]; failed: OutboxJob<D>[] }>;
  /** Puts a failed job back at the end of its lane (the Retry button). */
  retryFailed(key: string): Promise<OutboxJob<D> | undefined>;
  get(key: string): Promise<OutboxJob<D> | undefined>;
  start(): void;
  /** Lets the jobs in hand finish; queued jobs stay queued for the next start. */
  stop(): Promise<void>;
  /** Jobs waiting per direction and how long the oldest has waited, for metrics; reads only the lanes. */
  stats(): Promise<OutboxStats>;
}

/** Waiting work of one direction: `chat` (to threads) or `provider` (to the vendor). */
export interface LaneStats {
  depth: number;
  /** 0 when nothing waits. */
  oldestAgeMs: number;
}
export type OutboxStats = Record<'chat' | 'provider', LaneStats>;

/** The set of lanes that may hold work, in the store, kept by both backends. */
export const LANES = 'outbox:lanes';

export interface OutboxOptions<D extends JobIdentity> {
  kv: KeyValueStore;
  logger: Logger;
  /** Reads a stored job (records that do not parse are left in the store and logged once). */
  schema: z.ZodType<D>;
  /** Carries one job out; throws to have it retried (transient errors) or failed for good. */
  deliver: (job: OutboxJob<D>) => Promise<void>;
  /**
   * The job writes to a remote that has no idempotency key and checks `outcomeUnknown` before
   * writing again; each attempt is then marked outcome-unknown before it starts, so a process
   * killed mid-call leaves that mark behind.
   */
  checksOutcome: (job: D) => boolean;
  /** Back-off between attempts of a transient failure (Retry-After wins when longer). */
  retry?: { baseMs: number; maxMs: number };
  /** How often to look for work other processes enqueued (and, on BullMQ, to repair lanes). */
  idleMs?: number;
  /** How long a lane stays locked by a process that died while working on it; renewed while alive. */
  leaseMs?: number;
  /** Called once when a job fails for good, e.g. to tell the thread. */
  onFailed?: (job: OutboxJob<D>, error: unknown) => Promise<void>;
  /** Hears how each attempt ended (metrics); must not throw. */
  onAttempt?: (job: OutboxJob<D>, result: 'delivered' | 'retried' | 'failed') => void;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_RETRY = { baseMs: 1_000, maxMs: 5 * 60_000 };

/**
 * What both backends share: the job records, one attempt of a job, and the paths that only touch
 * records (enqueue, status, Retry). A backend says how a pending job joins its lane and how lanes run.
 */
export abstract class OutboxBase<D extends JobIdentity> implements Outbox<D> {
  protected readonly owner = randomUUID();
  protected readonly records: JobRecords<D>;
  protected readonly retry: { baseMs: number; maxMs: number };
  protected readonly leaseMs: number;
  /** Jobs saved while the store failed before they joined their lane; `relane` finishes them. */
  private readonly unlaned = new Map<string, OutboxJob<D>>();

  constructor(protected readonly options: OutboxOptions<D>) {
    this.records = new JobRecords(options.kv, options.schema, options.logger);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  async enqueue(delivery: D): Promise<boolean> {
    const { fresh, job } = await this.records.create(delivery, this.owner);
    // Queuing a pending job again is harmless, and repairs a writer that died after the record
    // but before the lane: its platform retries the event and lands here.
    if (job.state !== 'pending') return fresh;
    try {
      await this.records.index(job);
      await this.addToLane(job, { fresh });
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
      await this.addToLane(job, { fresh: true });
      this.unlaned.delete(job.key);
    }
  }

  forTicket(ticketId: string): Promise<{ pending: OutboxJob<D>[]; failed: OutboxJob<D>[] }> {
    return this.records.forTicket(ticketId);
  }

  async retryFailed(key: string): Promise<OutboxJob<D> | undefined> {
    const again = await this.records.rearm(key);
    if (again) await this.addToLane(again, { fresh: true });
    return again;
  }

  get(key: string): Promise<OutboxJob<D> | undefined> {
    return this.records.get(key);
  }

  /**
   * Walks the lanes with work and loads their jobs: one read per waiting job, so a scrape costs
   * what the backlog holds (nothing when idle). A job's `seq` is its enqueue time in µs.
   */
  async stats(): Promise<OutboxStats> {
    const now = Date.now();
    const out: OutboxStats = { chat: { depth: 0, oldestAgeMs: 0 }, provider: { depth: 0, oldestAgeMs: 0 } };
    for (const lane of await this.options.kv.members(LANES)) {
      const direction = lane.slice(0, lane.indexOf(':'));
      if (direction !== 'chat' && direction !== 'provider') continue;
      const waiting = (await this.records.load(await this.laneKeys(lane))).filter((j) => j.state === 'pending');
      const stats = out[direction];
      stats.depth += waiting.length;
      for (const job of waiting) stats.oldestAgeMs = Math.max(stats.oldestAgeMs, now - Math.floor(job.seq / 1000));
    }
    return out;
  }

  abstract start(): void;
  abstract stop(): Promise<void>;

  /** The job keys a lane holds, in any order. */
  protected abstract laneKeys(lane: string): Promise<string[]>;

  /** Puts a pending job at the end of its lane, idempotently; `fresh` when it is new work. */
  protected abstract addToLane(job: OutboxJob<D>, options: { fresh: boolean }): Promise<void>;

  /**
   * Runs one attempt of a job and records its outcome. For kinds that check outcomes, the stored
   * record is marked outcome-unknown before the call, so if the process dies during the call the
   * next attempt checks the remote first; `deliver` still sees the job as it was (the flag of the
   * previous attempt). Other kinds rely on their remote's idempotency key instead.
   */
  protected async attempt(job: OutboxJob<D>): Promise<AttemptOutcome> {
    const { logger, deliver, checksOutcome, onFailed, onAttempt } = this.options;
    const { records, retry } = this;
    if (checksOutcome(job) && !job.outcomeUnknown) await records.save({ ...job, outcomeUnknown: true });
    try {
      await deliver(job);
      await records.save({ ...job, state: 'done', attempts: job.attempts + 1, outcomeUnknown: false });
      onAttempt?.(job, 'delivered');
      return { state: 'done' };
    } catch (error) {
      // The store itself failed: nothing about the job can be recorded now. It stays as stored
      // (outcome-unknown if it was marked so) and runs again once the store is back.
      if (error instanceof StoreUnavailable) throw error;
      const failure = classify(error);
      const attempts = job.attempts + 1;
      const lastError = error instanceof Error ? error.message : String(error);
      if (failure.transient) {
        const wait = Math.max(failure.retryAfterMs ?? 0, backoffMs(attempts - 1, retry.baseMs, retry.maxMs));
        logger.warn('delivery will be retried', { key: job.key, kind: job.kind, attempts, wait, error: lastError });
        await records.save({ ...job, attempts, lastError, notBefore: Date.now() + wait, outcomeUnknown: job.outcomeUnknown || failure.outcomeUnknown });
        onAttempt?.(job, 'retried');
        return { state: 'retry', wait };
      }
      const failed: OutboxJob<D> = { ...job, attempts, lastError, cause: failureCause(error), state: 'failed', outcomeUnknown: false };
      // The notice is queued (under a key of its own) before the job is marked failed, so a crash
      // in between repeats an enqueue that is ignored rather than losing the notice.
      try {
        await onFailed?.(failed, error);
      } catch (noticeError) {
        // Marked failed without its notice, the thread would never hear of it: try the job again later.
        const wait = backoffMs(attempts - 1, retry.baseMs, retry.maxMs);
        logger.warn('failure notice not queued; the job will be retried', { key: job.key, kind: job.kind, attempts, wait, error: lastError, noticeError });
        await records.save({ ...job, attempts, lastError, notBefore: Date.now() + wait });
        return { state: 'retry', wait };
      }
      logger.error('delivery failed for good', { key: job.key, kind: job.kind, attempts, error: lastError });
      await records.save(failed);
      onAttempt?.(job, 'failed');
      return { state: 'failed' };
    }
  }
}

/** How one attempt ended, as the lane bookkeeping of either backend needs to know. */
type AttemptOutcome = { state: 'done' } | { state: 'retry'; wait: number } | { state: 'failed' };

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
