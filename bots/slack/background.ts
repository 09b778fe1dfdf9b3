import type { Logger } from '../../src/logger.js';
import type { PendingAcks } from './pending-acks.js';

const SETTLE_MS = 10_000;
/** The longest work waits for acks: a trigger id lives 3 s, and the form must open within it. */
const MAX_DEFER_MS = 1_000;

/**
 * Work a listener starts after its ack and does not await. The app answers Slack only when its
 * listeners return (HTTP: processBeforeResponse; Socket Mode: the receiver does the same), so
 * anything slow (the provider, most of all) runs here. Failures are caught and logged; `settle`
 * lets a stopping app finish what is in hand before the store closes.
 */
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly logger: Logger,
    private readonly pending: PendingAcks,
  ) {}

  /** Starts `work`; if it throws, logs it and runs `onError` (e.g. to tell the person). */
  run(what: string, work: () => Promise<void>, onError?: (error: unknown) => Promise<void>): void {
    const task = (async () => {
      // The burst this came in is answered first, this request included: work started at once
      // would sit between Slack and its answers.
      await this.pending.settled(MAX_DEFER_MS);
      try {
        await work();
      } catch (error) {
        this.logger.error(`slack: ${what} failed`, { error });
        await onError?.(error).catch((e: unknown) => this.logger.error(`slack: could not report that ${what} failed`, { error: e }));
      }
    })();
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Waits for the work in hand (at most `timeoutMs`). */
  async settle(timeoutMs = SETTLE_MS): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.running]), deadline]);
    clearTimeout(timer);
  }
}
