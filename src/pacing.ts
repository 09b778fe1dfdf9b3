/**
 * Lets the event loop take its turn (timers, sockets, Slack's acks) before going on. The SQLite
 * store answers synchronously, so a loop over thousands of tickets on it never leaves the microtask
 * queue unless it yields like this.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after `ms` (at least one turn of the event loop, see nextTurn); `signal` cuts the wait short (used on shutdown). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return void setImmediate(resolve);
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Exponential back-off with full jitter: attempt 0 waits up to `baseMs`, capped at `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * A token bucket shared by everything that talks to one rate-limited thing (a provider route, a
 * chat channel). Callers `take()` before each request and wait their turn in arrival order, so a
 * burst is delayed, never dropped.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Waits until a token is free, then spends it. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.spend());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Pushes the next token back by `ms`, as when the remote answered 429 with Retry-After. */
  pause(ms: number): void {
    this.refill();
    this.tokens = Math.min(this.tokens, 0) - (ms * this.capacity) / this.perMs;
  }

  private async spend(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) * this.perMs) / this.capacity));
    }
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.capacity) / this.perMs);
    this.last = now;
  }
}

/** One bucket per key (channel id, route), made on first use. */
export class BucketMap {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly capacity: number,
    private readonly perMs: number,
  ) {}

  get(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.capacity, this.perMs);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
