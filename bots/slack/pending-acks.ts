/**
 * Slack's commands and interactions (HTTP requests, Socket Mode envelopes) as they come and are
 * answered. Work a listener leaves for after its ack waits until the burst it came in is over:
 * nothing waiting to be answered and nothing new for `QUIET_MS`. Under a burst of commands every
 * ack then goes out before any form is opened (a burst arrives one request at a time, so "nothing
 * pending" alone would let each form's work run between two acks). Once the burst is over the
 * waiting work is let through one piece per turn of the event loop, so that a request arriving
 * meanwhile is read and answered before the next piece, not after all of them. The wait is
 * bounded by `maxWaitMs`, because a form must still open within the 3 s a trigger id lives while
 * requests keep coming.
 */
export class PendingAcks {
  private pending = 0;
  private lastArrival = 0;
  private readonly waiters = new Set<{ deadline: number; resolve: () => void }>();
  private timer: NodeJS.Timeout | undefined;
  private due = 0;
  /** Whether waiters are being let through one per turn (see `trickle`). */
  private trickling = false;

  /** One request or envelope arrived; call the answer once it has been answered (more calls do nothing). */
  begin(): () => void {
    this.pending++;
    this.lastArrival = Date.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.pending--;
      this.schedule();
    };
  }

  /** Resolves once the burst is over, or after `maxWaitMs`, whichever comes first. */
  settled(maxWaitMs: number): Promise<void> {
    // Not ahead of work already waiting (being let through one piece per turn).
    if (this.waiters.size === 0 && this.quiet(Date.now())) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.add({ deadline: Date.now() + maxWaitMs, resolve });
      this.schedule();
    });
  }

  private quiet(now: number): boolean {
    return this.pending === 0 && now - this.lastArrival >= QUIET_MS;
  }

  /**
   * One timer for every waiter: it fires when the quiet time or the earliest deadline is due.
   * Called on every answer of a burst, so it is cheap: the first waiter has the earliest deadline
   * (every caller waits the same longest time), and a timer already set for the same moment stays.
   */
  private schedule(): void {
    const first = this.waiters.values().next().value;
    if (!first) return;
    const quietAt = this.pending === 0 ? this.lastArrival + QUIET_MS : Infinity;
    const due = Math.min(quietAt, first.deadline);
    if (this.timer && due === this.due) return;
    clearTimeout(this.timer);
    this.due = due;
    this.timer = setTimeout(() => this.wake(), Math.max(0, due - Date.now()));
  }

  private wake(): void {
    this.timer = undefined;
    if (!this.quiet(Date.now())) return this.release(false);
    // Timers run before the event loop reads the sockets: requests that came in while it was
    // busy are seen only after this. So the burst is over only if the next read (setImmediate
    // runs right after it) brings nothing new.
    const seen = this.lastArrival;
    setImmediate(() => this.release(this.lastArrival === seen && this.pending === 0));
  }

  /** Lets through the waiters whose deadline has come, and starts letting the rest through when the burst is over. */
  private release(over: boolean): void {
    const now = Date.now();
    for (const waiter of [...this.waiters]) {
      if (waiter.deadline > now) continue;
      this.waiters.delete(waiter);
      waiter.resolve();
    }
    if (over) this.trickle();
    else this.schedule();
  }

  /**
   * Lets one waiter through, and the next on the following turn if no request has come in the
   * meantime (setImmediate runs after the event loop has read the sockets). A request stops it
   * until the next quiet.
   */
  private trickle(): void {
    if (this.trickling) return;
    const next = this.waiters.values().next().value;
    if (!next) return;
    this.waiters.delete(next);
    next.resolve();
    this.trickling = true;
    const seen = this.lastArrival;
    setImmediate(() => {
      this.trickling = false;
      if (this.lastArrival === seen && this.pending === 0) this.trickle();
      else this.schedule();
    });
  }
}

/** How long without a new request counts as the end of a burst; a lone command's form opens this much later. */
const QUIET_MS = 20;
