import type { StoreHealth } from './health.js';

/**
 * The storage primitives everything durable is built on. Plain values go through keyv; the few
 * operations that must be atomic across processes (dedupe marks, leases, sets) are native to each
 * backend, because keyv has no compare-and-set.
 */
export interface KeyValueStore {
  readonly kind: 'sqlite' | 'redis';
  /** The STORE_URL it was opened with (a Redis-backed outbox opens its own connections from it). */
  readonly url: string;
  /**
   * Whether the store answers, and the deadline of its calls; set on stores opened by `openStore`.
   * Connections of its own to the same store (the BullMQ outbox's) report here too.
   */
  readonly health?: StoreHealth;
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Atomically sets `key` if nobody has; true when this call set it. The dedupe primitive. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Takes or renews a lease: true when `owner` holds `key` for the next `ttlMs`. */
  claim(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives a lease back, only if `owner` still holds it. */
  release(key: string, owner: string): Promise<void>;
  /** Set membership, atomic per call; `add` answers whether the member is new. */
  add(set: string, member: string): Promise<boolean>;
  remove(set: string, member: string): Promise<void>;
  members(set: string): Promise<string[]>;
  close(): Promise<void>;
}

/** What the opener of a store wants to hear about. */
export interface StoreOptions {
  /**
   * The store can no longer be written safely and will refuse every write from now on (an
   * SQLite file deleted or replaced under the running process). The process should stop.
   */
  onLost?: (error: Error) => void;
}
