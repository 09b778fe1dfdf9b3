/**
 * The requests (HTTP) and envelopes (Socket Mode) Slack is still waiting to have answered. Work a
 * listener leaves for after its ack waits until none are, so that under a burst of commands every
 * ack goes out before any form is opened: acks have a 3 s deadline and a person watching, the
 * work behind them does not compete with them. `maxWaitMs` bounds the wait, because a form must
 * still open within the 3 s a trigger id lives while requests keep arriving.
 */
export class PendingAcks {
  private pending = 0;
  private readonly waiters = new Set<() => void>();

  /** One request or envelope arrived; call the answer once it has been answered (more calls do nothing). */
  begin(): () => void {
    this.pending++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.pending === 0) this.release();
    };
  }

  /** Resolves once nothing waits for an answer, or after `maxWaitMs`, whichever comes first. */
  settled(maxWaitMs: number): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      this.waiters.add(done);
    });
  }

  private release(): void {
    for (const done of [...this.waiters]) done();
  }
}
