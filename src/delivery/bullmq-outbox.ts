import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { LANES, OutboxBase, type JobIdentity, type OutboxJob, type OutboxOptions } from './outbox.js';
import { StoreUnavailable } from '../errors.js';
import { describeStore, StoreHealth } from '../store/health.js';
import { parseRedisUrl, reconnectDelay } from '../store/redis-url.js';

/** Appends a key to a lane unless it is there already; answers the lane's head. */
const PUSH = `if redis.call('lpos', KEYS[1], ARGV[1]) == false then redis.call('rpush', KEYS[1], ARGV[1]) end
return redis.call('lindex', KEYS[1], 0)`;
/** Takes a finished key out of its lane; answers the new head (or nil). */
const ADVANCE = `redis.call('lrem', KEYS[1], 0, ARGV[1])
return redis.call('lindex', KEYS[1], 0)`;

interface LaneJobData {
  key: string;
  lane: string;
}

/** Lanes worked on at once by this process. */
const CONCURRENCY = 16;

/**
 * The outbox on BullMQ, used when the store is Redis. Per-ticket order with many workers comes
 * from admitting only the head of each lane into BullMQ: a lane is a Redis list of job keys, and
 * a BullMQ job exists for its first key only. The next key is admitted when that job is
 * delivered or failed for good (LREM and LINDEX in one script), so no two workers ever hold jobs
 * of the same lane, and a later job cannot overtake an earlier one, whatever the worker count.
 * (BullMQ's own groups, which would do this, are not in the open-source edition; a job per
 * message with all of a lane's jobs waiting would let a second worker start job n+1 while job n
 * waits out a back-off.)
 *
 * BullMQ gives the rest: durable waiting and delayed jobs, back-off by delaying the head (exactly
 * the Retry-After when the remote sent one), workers across processes, and stalled-job recovery
 * when a worker dies mid-job (its lock expires after `leaseMs`). The BullMQ job id is derived from
 * the outbox key, so concurrent admissions of the same head (enqueue, advance, the repair sweep)
 * make one job. The job records (state, attempts, last error) stay in the store like the keyv
 * outbox's, so `/ticket status` and the Retry button work the same on both backends.
 */
export class BullOutbox<D extends JobIdentity> extends OutboxBase<D> {
  private readonly redisUrl: string;
  private readonly prefix: string;
  private redis: Redis | undefined;
  private queue: Queue<LaneJobData> | undefined;
  private worker: Worker<LaneJobData> | undefined;
  private starting: Promise<void> | undefined;
  private connecting: Promise<Redis> | undefined;
  private becomingReady: Promise<void> | undefined;
  private queueing: Promise<Queue<LaneJobData>> | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  /** The store's health: these connections' outages are the store's, logged once with it. */
  private readonly health: StoreHealth;

  /** `kv` must be the Redis store: BullMQ opens its own connections from its URL (`?prefix=` included). */
  constructor(options: OutboxOptions<D>) {
    super(options);
    if (options.kv.kind !== 'redis') throw new Error(`the BullMQ outbox needs a Redis store, not ${options.kv.kind}`);
    const { url, prefix } = parseRedisUrl(options.kv.url);
    this.redisUrl = url;
    this.prefix = prefix;
    this.health = options.kv.health ?? new StoreHealth({ logger: options.logger, timeoutMs: 5_000, store: describeStore(url) });
  }

  start(): void {
    this.starting ??= this.startWorker().catch((error: unknown) => this.options.logger.error('outbox worker did not start', { error }));
  }

  /** Lets active jobs finish (BullMQ's graceful close); queued ones stay in Redis. */
  async stop(): Promise<void> {
    await this.starting;
    this.starting = undefined;
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.worker?.close();
    this.worker = undefined;
    await this.queue?.close();
    this.queue = undefined;
    this.queueing = undefined;
    // QUIT needs an answer; a connection that is down is just dropped.
    if (this.redis?.status === 'ready') await this.redis.quit().catch(() => undefined);
    else this.redis?.disconnect();
    this.redis = undefined;
    this.connecting = undefined;
  }

  private async startWorker(): Promise<void> {
    // Loaded on first use, so a SQLite deployment never pays for BullMQ.
    const { Worker } = await import('bullmq');
    this.worker = new Worker<LaneJobData>('outbox', (job, token) => this.process(job, token), {
      // BullMQ needs maxRetriesPerRequest: null on the worker's (blocking) connection; it queues only
      // the worker's own next command while Redis is away, one per slot, never the callers'.
      connection: { ...redisOptions(this.redisUrl), maxRetriesPerRequest: null, retryStrategy: reconnectDelay },
      prefix: this.bullPrefix,
      concurrency: CONCURRENCY,
      lockDuration: this.leaseMs,
      stalledInterval: Math.max(500, Math.floor(this.leaseMs / 2)),
      // A job that stalls (its worker died) goes back to wait, however often: never lost.
      maxStalledCount: Number.MAX_SAFE_INTEGER,
      drainDelay: 1,
    });
    // BullMQ's own connections retry by themselves; their errors are the store's outage, logged once.
    this.worker.on('error', (error) => this.reportError('outbox worker error', error));
    // Repairs a lane whose head lost its BullMQ job (a process died between LREM and the next add).
    const every = Math.max(1_000, (this.options.idleMs ?? 1_000) * 10);
    this.sweeper = setInterval(() => void this.sweep().catch((error: unknown) => this.reportError('outbox sweep failed', error)), every);
    this.sweeper.unref();
    await this.sweep().catch((error: unknown) => this.reportError('outbox sweep failed', error));
  }

  /** A connection failure marks the store down (one line per outage); anything else is logged. */
  private reportError(what: string, error: unknown): void {
    if (error instanceof StoreUnavailable || isConnectionError(error)) this.health.markDown(error);
    else this.options.logger.warn(what, { error });
  }

  /** Admits the head of every known lane; BullMQ ignores a head that already has its job. */
  private async sweep(): Promise<void> {
    const { kv } = this.options;
    await this.relane();
    for (const lane of await kv.members(LANES)) {
      const redis = await this.connection();
      const head = await this.redisCall('lindex', () => redis.lindex(this.laneKey(lane), 0));
      if (head) await this.addJob(head, lane);
      else {
        await kv.remove(LANES, lane);
        if ((await this.redisCall('llen', () => redis.llen(this.laneKey(lane)))) > 0) await kv.add(LANES, lane);
      }
    }
  }

  private async process(job: Job<LaneJobData>, token: string | undefined): Promise<void> {
    const { key, lane } = job.data;
    const record = await this.records.get(key);
    if (!record || record.state !== 'pending') return this.advance(lane, key);
    const redis = await this.connection();
    const head = await this.redisCall('lindex', () => redis.lindex(this.laneKey(lane), 0));
    if (head !== key) {
      if ((await this.redisCall('lpos', () => redis.lpos(this.laneKey(lane), key))) === null) return; // a stale admission
      return this.delay(job, token, Date.now() + (this.options.idleMs ?? 1_000)); // not its turn yet
    }
    if (record.notBefore > Date.now()) return this.delay(job, token, record.notBefore);
    const outcome = await this.attempt(record);
    if (outcome.state === 'retry') return this.delay(job, token, Date.now() + outcome.wait);
    await this.advance(lane, key);
  }

  /** Parks the lane's head in BullMQ's delayed set; the rest of the lane waits behind it. */
  private async delay(job: Job<LaneJobData>, token: string | undefined, until: number): Promise<never> {
    await job.moveToDelayed(until, token);
    const { DelayedError } = await import('bullmq');
    throw new DelayedError();
  }

  protected async addToLane(job: OutboxJob<D>): Promise<void> {
    const redis = await this.connection();
    const head = (await this.redisCall('lane push', () => redis.eval(PUSH, 1, this.laneKey(job.lane), job.key))) as string | null;
    await this.options.kv.add(LANES, job.lane);
    if (head === job.key) await this.addJob(job.key, job.lane);
  }

  protected async laneKeys(lane: string): Promise<string[]> {
    const redis = await this.connection();
    return this.redisCall('lrange', () => redis.lrange(this.laneKey(lane), 0, -1));
  }

  private async advance(lane: string, key: string): Promise<void> {
    const redis = await this.connection();
    const next = (await this.redisCall('lane advance', () => redis.eval(ADVANCE, 1, this.laneKey(lane), key))) as string | null;
    if (next) await this.addJob(next, lane);
  }

  private async addJob(key: string, lane: string): Promise<void> {
    const queue = await this.bullQueue();
    await this.redisCall('queue add', () => queue.add('deliver', { key, lane }, {
      jobId: bullJobId(key),
      removeOnComplete: true,
      removeOnFail: true,
      // Only errors of the store or Redis itself reach BullMQ's retries; delivery failures are
      // handled above by delaying the job.
      attempts: 1_000_000,
      backoff: { type: 'fixed', delay: this.retry.baseMs },
    }));
  }

  /** A call on this outbox's own connection, under the store's deadline and health. */
  private redisCall<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return this.health.call(operation, run);
  }

  /** The outbox's own connection, ready; fails (as StoreUnavailable) while Redis is away. */
  private async connection(): Promise<Redis> {
    this.connecting ??= this.openConnection();
    const redis = await this.connecting;
    if (redis.status === 'ready') return redis;
    // One wait shared by every caller: a burst of jobs at start-up would otherwise add a pair of
    // ready/error listeners each to the connection.
    this.becomingReady ??= once(redis, 'ready')
      .then(() => undefined)
      .finally(() => (this.becomingReady = undefined));
    const ready = this.becomingReady;
    await this.redisCall('connect', () => ready);
    return redis;
  }

  private async openConnection(): Promise<Redis> {
    const { Redis } = await import('ioredis');
    // No offline queue and one retry: while Redis is away a call fails at once (the caller
    // answers "store unavailable") instead of waiting, unbounded, for it to come back.
    const redis = new Redis({ ...redisOptions(this.redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: reconnectDelay });
    redis.on('error', (error: unknown) => this.health.markDown(error));
    redis.on('ready', () => this.health.markUp());
    this.redis = redis;
    return redis;
  }

  private async bullQueue(): Promise<Queue<LaneJobData>> {
    this.queueing ??= (async () => {
      const [{ Queue }, connection] = await Promise.all([import('bullmq'), this.connection()]);
      const queue = new Queue<LaneJobData>('outbox', { connection, prefix: this.bullPrefix });
      queue.on('error', (error: unknown) => this.reportError('outbox queue error', error));
      this.queue = queue;
      return queue;
    })();
    // A failed first attempt (Redis away) is not remembered: the next call tries again.
    return this.queueing.catch((error: unknown) => {
      this.queueing = undefined;
      throw error;
    });
  }

  private laneKey(lane: string): string {
    return `${this.prefix}:outbox:lanelist:${lane}`;
  }

  private get bullPrefix(): string {
    return `${this.prefix}:bull`;
  }
}

/** Errors of a connection that is down or going down, as ioredis and Node report them. */
function isConnectionError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN)$/.test(code)) return true;
  return typeof message === 'string' && /Connection is closed|Stream isn't writeable|enableOfflineQueue|connect ECONNREFUSED|Reached the max retries/i.test(message);
}

/** BullMQ ids may not contain `:` nor be integers; outbox keys have colons, so they are hashed. */
function bullJobId(key: string): string {
  return 'o' + createHash('sha256').update(key).digest('hex').slice(0, 40);
}

function redisOptions(url: string): { host: string; port: number; db: number; username?: string; password?: string; tls?: object } {
  const parsed = new URL(url);
  return {
    host: parsed.hostname || '127.0.0.1',
    port: Number(parsed.port || 6379),
    db: Number(parsed.pathname.replace('/', '') || 0),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}
