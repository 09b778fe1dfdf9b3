import { randomUUID } from 'node:crypto';
import type { KeyValueStore } from './kv.js';

/**
 * A lease on a store key (Redis `SET NX PX` with a random owner, or the SQLite claims table):
 * taken with `acquire`, renewed at a third of its length while work runs, given back with
 * `release`. A holder that dies simply stops renewing, so another process takes over after
 * `ttlMs`. `lost` turns true when a renewal finds someone else holding it; work should stop then.
 */
export class Lease {
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();
  lost = false;

  constructor(
    private readonly kv: KeyValueStore,
    readonly key: string,
    readonly ttlMs: number,
    readonly owner: string = randomUUID(),
  ) {}

  /** Takes the lease, or renews it if already ours; true when held. Starts the renewals. */
  async acquire(): Promise<boolean> {
    const held = await this.kv.claim(this.key, this.owner, this.ttlMs);
    this.lost = !held;
    if (held) this.keepRenewing();
    else this.stopRenewing();
    return held;
  }

  /** Stops renewing and deletes the key if this owner still holds it. */
  async release(): Promise<void> {
    this.stopRenewing();
    await this.renewing;
    await this.kv.release(this.key, this.owner);
  }

  private keepRenewing(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.renewing = this.kv
        .claim(this.key, this.owner, this.ttlMs)
        .then((held) => {
          if (!held) {
            this.lost = true;
            this.stopRenewing();
          }
        })
        .catch(() => undefined); // the store is down: the next renewal (or the TTL) decides
    }, Math.max(10, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  private stopRenewing(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
