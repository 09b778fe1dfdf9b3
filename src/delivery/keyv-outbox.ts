import { LANES, OutboxBase, type JobIdentity, type OutboxJob, type OutboxOptions } from './outbox.js';
import { StoreUnavailable } from '../errors.js';
import { sleep } from '../pacing.js';
import { Lease } from '../store/lease.js';

/**
 * The outbox on the plain key-value store (SQLite by default). A lane is a set of job keys; a
 * process runs a lane only while it holds the lane's lease, takes its jobs in `seq` order, and
 * stops at the first job that must wait, so a later job never overtakes an earlier one.
 */
export class KeyvOutbox<D extends JobIdentity> extends OutboxBase<D> {
  private readonly idleMs: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: () => void = () => undefined;
  private stopSignal = new AbortController();
  /**
   * Lanes whose first job waits out a back-off, with the time it is due: nothing behind it may
   * run before then, so the pass skips them instead of locking and reading each one again.
   */
  private readonly waiting = new Map<string, number>();

  constructor(options: OutboxOptions<D>) {
    super(options);
    this.idleMs = options.idleMs ?? 1_000;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopSignal = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopSignal.abort();
    this.wake();
    await this.loop;
  }

  /** Runs every job that is due, once; returns how many ran. */
  private async runDue(): Promise<number> {
    await this.relane();
    const now = Date.now();
    const lanes = (await this.options.kv.members(LANES)).filter((lane) => (this.waiting.get(lane) ?? 0) <= now);
    const ran = await Promise.all(lanes.map((lane) => this.runLane(lane)));
    return ran.reduce((a, b) => a + b, 0);
  }

  protected laneKeys(lane: string): Promise<string[]> {
    return this.options.kv.members(`outbox:lane:${lane}`);
  }

  /** Lanes are sets, so adding a job that is there already changes nothing. */
  protected async addToLane(job: OutboxJob<D>, { fresh }: { fresh: boolean }): Promise<void> {
    await this.options.kv.add(`outbox:lane:${job.lane}`, job.key);
    await this.options.kv.add(LANES, job.lane);
    if (fresh) this.wake();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const ran = await this.runDue().catch((error: unknown) => {
        // An unreachable store is logged once, by the store's health; the next pass tries again.
        if (!(error instanceof StoreUnavailable)) this.options.logger.error('outbox pass failed', { error });
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
    const lease = new Lease(kv, `outbox:${lane}`, this.leaseMs, this.owner);
    if (!(await lease.acquire())) return 0;
    let ran = 0;
    try {
      // Reads the lane, runs its pending jobs in order, then reads again for jobs queued meanwhile
      // (those have a higher seq than any job already read).
      for (;;) {
        const keys = await kv.members(`outbox:lane:${lane}`);
        const all = await this.records.load(keys);
        // Delivered or failed jobs leave the lane (a crash may have left one behind).
        for (const done of all.filter((j) => j.state !== 'pending')) await kv.remove(`outbox:lane:${lane}`, done.key);
        const jobs = all.filter((j) => j.state === 'pending').sort((a, b) => a.seq - b.seq);
        if (jobs.length === 0) {
          await kv.remove(LANES, lane);
          // An enqueue may have raced the removal: put the lane back if it has work again.
          if ((await kv.members(`outbox:lane:${lane}`)).length > 0) await kv.add(LANES, lane);
          return ran;
        }
        this.waiting.delete(lane);
        for (const job of jobs) {
          if ((this.stopSignal.signal.aborted && ran > 0) || lease.lost) return ran;
          if (job.notBefore > Date.now()) {
            this.waiting.set(lane, job.notBefore);
            return ran;
          }
          const outcome = await this.attempt(job);
          ran++;
          if (outcome.state === 'retry') {
            this.waiting.set(lane, Date.now() + outcome.wait);
            return ran; // rescheduled: nothing behind it may overtake it
          }
          await kv.remove(`outbox:lane:${lane}`, job.key);
        }
      }
    } finally {
      await lease.release();
    }
  }
}
