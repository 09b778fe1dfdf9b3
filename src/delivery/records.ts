import { z } from 'zod';
import type { Logger } from '../logger.js';
import { FailureCause } from './failure-cause.js';
import type { KeyValueStore } from '../store/index.js';

/** What every job has, whatever it delivers (see src/delivery/jobs.ts). */
export interface JobIdentity {
  kind: string;
  /** The idempotency key: one job per key, ever (a retried platform event maps to the same key). */
  key: string;
  /** Jobs of one lane run one at a time in enqueue order (per ticket and direction). */
  lane: string;
  ticketId: string;
}

/** Where a job is in its life; stored beside the job's own fields in one record. */
const JobState = z.object({
  seq: z.number(),
  attempts: z.number(),
  notBefore: z.number(),
  state: z.enum(['pending', 'failed', 'done']),
  /** The technical detail, for the log and the operator. */
  lastError: z.string().optional(),
  /** Why it failed for good, in terms a person may be told. */
  cause: FailureCause.optional(),
  /**
   * The last attempt may have reached the remote: it timed out, got a 5xx, or the process died
   * during it (set before every attempt and cleared only by a known outcome). Check before repeating.
   */
  outcomeUnknown: z.boolean(),
});
type JobState = z.infer<typeof JobState>;

/** A job as the outbox keeps it: what to deliver, and how far it got. */
export type OutboxJob<D extends JobIdentity> = D & JobState;

const DONE_TTL_MS = 30 * 24 * 3600_000;

/** The records both backends keep in the store: job state, dedupe marks, the per-ticket index. */
export class JobRecords<D extends JobIdentity> {
  private lastSeq = 0;
  /** Keys of records that did not parse, reported once per process. */
  private readonly unreadable = new Set<string>();

  constructor(
    readonly kv: KeyValueStore,
    private readonly schema: z.ZodType<D>,
    private readonly logger: Logger,
  ) {}

  /**
   * Writes the record of a new job; `fresh` only for the one call that claimed the key. The mark
   * comes first: a mark without a record is a writer between its two writes, or one that died
   * there, so the record is written (again, the same job) to finish its work, but not as new.
   */
  async create(delivery: D, owner: string): Promise<{ fresh: boolean; job: OutboxJob<D> }> {
    const claimed = await this.kv.setIfAbsent(`outbox:key:${delivery.key}`, owner, DONE_TTL_MS);
    const existing = claimed ? undefined : await this.get(delivery.key);
    if (existing) return { fresh: false, job: existing };
    const job: OutboxJob<D> = { ...delivery, seq: this.nextSeq(), attempts: 0, notBefore: 0, state: 'pending', outcomeUnknown: false };
    await this.kv.set(this.jobKey(job.key), job);
    return { fresh: claimed, job };
  }

  /** Lists a pending or failed job under its ticket, for `/ticket status`; repeating it is harmless. */
  async index(job: OutboxJob<D>): Promise<void> {
    await this.kv.add(`outbox:ticket:${job.ticketId}`, job.key);
  }

  async get(key: string): Promise<OutboxJob<D> | undefined> {
    return (await this.load([key]))[0];
  }

  async load(keys: string[]): Promise<OutboxJob<D>[]> {
    const raw = await Promise.all(keys.map((key) => this.kv.get<unknown>(this.jobKey(key))));
    return raw.flatMap((value, i) => {
      if (value === undefined) return [];
      const state = JobState.safeParse(value);
      const delivery = this.schema.safeParse(value);
      if (state.success && delivery.success) return [{ ...delivery.data, ...state.data }];
      this.reportUnreadable(keys[i] ?? '', (state.error ?? delivery.error)?.message);
      return [];
    });
  }

  async save(job: OutboxJob<D>): Promise<void> {
    await this.kv.set(this.jobKey(job.key), job, job.state === 'done' ? DONE_TTL_MS : undefined);
    // Pending and failed jobs are in the ticket's index from `create` on; delivered ones leave it.
    if (job.state === 'done') await this.kv.remove(`outbox:ticket:${job.ticketId}`, job.key);
  }

  /** A failed job made pending again, as new (the Retry button); undefined if it is not failed. */
  async rearm(key: string): Promise<OutboxJob<D> | undefined> {
    const job = await this.get(key);
    if (!job || job.state !== 'failed') return undefined;
    const again: OutboxJob<D> = { ...job, state: 'pending', attempts: 0, notBefore: 0, seq: this.nextSeq() };
    await this.save(again);
    return again;
  }

  async forTicket(ticketId: string): Promise<{ pending: OutboxJob<D>[]; failed: OutboxJob<D>[] }> {
    const jobs = (await this.load(await this.kv.members(`outbox:ticket:${ticketId}`))).sort((a, b) => a.seq - b.seq);
    return { pending: jobs.filter((j) => j.state === 'pending'), failed: jobs.filter((j) => j.state === 'failed') };
  }

  /** Strictly increasing within a process, and time-based so that it orders across restarts. */
  private nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }

  /** Written by a release that knew a kind this one does not, or damaged: left as it is, and said once. */
  private reportUnreadable(key: string, issue: string | undefined): void {
    if (this.unreadable.has(key)) return;
    this.unreadable.add(key);
    this.logger.error('outbox job record not readable; left in the store', { key, issue });
  }

  private jobKey(key: string): string {
    return `outbox:job:${key}`;
  }
}
