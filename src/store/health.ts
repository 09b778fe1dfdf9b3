import { StoreUnavailable } from '../errors.js';
import { StoreFileLost } from './sqlite-file.js';
import type { Logger } from '../logger.js';

export interface StoreHealthOptions {
  logger: Logger;
  /** Deadline of each call, in ms (STORE_TIMEOUT_MS). */
  timeoutMs: number;
  /** The store as it may be shown: no password (see `describeStore`). */
  store: string;
}

/**
 * Whether the store answers, and the deadline Redis calls run under. Any failed call marks
 * it down, any successful one (or the client's own "ready") marks it up; each change is one log
 * line, however many calls fail in between. While it is down only one call at a time goes
 * through, to find out whether it is back; the others fail at once, so a person waiting on a
 * command hears about the outage immediately instead of after the deadline.
 * `healthy()` is the flag a readiness check reads.
 */
export class StoreHealth {
  readonly timeoutMs: number;
  private up = true;
  private downSince = 0;
  private probing = false;
  private readonly listeners = new Set<(healthy: boolean) => void>();

  constructor(private readonly options: StoreHealthOptions) {
    this.timeoutMs = options.timeoutMs;
  }

  healthy(): boolean {
    return this.up;
  }

  /** Calls `listener` on every change; returns how to stop listening. */
  onChange(listener: (healthy: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs one store operation under the deadline (unless `bounded` is false); any failure is a
   * StoreUnavailable, except a lost SQLite file: that is final, not an outage, and its opener is
   * already stopping the process.
   */
  async call<T>(operation: string, run: () => Promise<T>, bounded = true): Promise<T> {
    if (!this.up && this.probing) throw new StoreUnavailable(operation, 'the store is unreachable');
    const probe = !this.up;
    if (probe) this.probing = true;
    try {
      const result = bounded ? await withDeadline(operation, this.timeoutMs, run) : await run();
      this.markUp();
      return result;
    } catch (error) {
      if (error instanceof StoreFileLost) throw error;
      const failure = error instanceof StoreUnavailable ? error : new StoreUnavailable(operation, messageOf(error), false, { cause: error });
      this.markDown(failure);
      throw failure;
    } finally {
      if (probe) this.probing = false;
    }
  }

  /** A call or a client event says the store cannot be reached; logged on the change only. */
  markDown(error: unknown): void {
    if (!this.up) return;
    this.up = false;
    this.downSince = Date.now();
    this.options.logger.warn('store unreachable', {
      setting: 'STORE_URL',
      store: this.options.store,
      error: messageOf(error),
    });
    this.emit();
  }

  markUp(): void {
    if (this.up) return;
    this.up = true;
    this.options.logger.info('store reachable again', { store: this.options.store, downMs: Date.now() - this.downSince });
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener(this.up);
  }
}

/** `run()`, or a StoreUnavailable once `ms` have passed (the call itself cannot be cancelled). */
export async function withDeadline<T>(operation: string, ms: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailable(operation, `no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([run(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A store URL as it may appear in a log line or an error: scheme, host and port or path, no password. */
export function describeStore(url: string): string {
  if (!/^rediss?:\/\//.test(url)) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'redis://…';
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
