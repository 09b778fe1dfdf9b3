import { isClosed, type TicketLink, type TicketSnapshot } from '../domain.js';
import { StoreUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { LinkStore } from '../links.js';
import { cardJob, postJob, statusJob, type Delivery } from '../delivery/jobs.js';
import type { Outbox } from '../delivery/outbox.js';
import { sleep } from '../pacing.js';
import { commentFingerprint, type TicketProvider } from '../provider.js';
import { Lease } from '../store/lease.js';
import type { KeyValueStore } from '../store/index.js';

interface RelayOptions {
  provider: TicketProvider;
  links: LinkStore;
  outbox: Outbox<Delivery>;
  kv: KeyValueStore;
  logger: Logger;
  intervalMs: number;
  /** Per-ticket GETs in flight at once, for providers that cannot list by update time. */
  concurrency?: number;
  /**
   * The poller lease: how long a dead poller keeps others from taking over. Renewed at a third of
   * it while this process lives; default three poll intervals, at least 15 s.
   */
  leaseMs?: number;
  /** How long closed and resolved tickets stay followed after their close; default 14 days. */
  followUpMs?: number;
  /** The clock closes are stamped and follow-up windows measured by; Date.now unless a test sets it. */
  now?: () => number;
}

interface IngestOptions {
  /** Post what is new (default); false marks it seen without posting. */
  announce?: boolean;
  by?: string | undefined;
}

/** After this many quiet checks in a row a ticket is checked less often, at most every 8 cycles. */
const QUIET_CHECKS_BEFORE_BACKOFF = 3;
const MAX_SKIP_CYCLES = 8;
const DEFAULT_FOLLOW_UP_MS = 14 * 24 * 3_600_000;

/**
 * Provider → chat. Each cycle asks the provider what changed (the cheapest way it allows), turns
 * new agent comments and status changes into outbox jobs keyed by the provider's ids, then marks
 * them seen. The outbox key, not the seen mark, is what makes a post happen once: a crash between
 * the two only repeats an enqueue that is ignored.
 */
export class Relay {
  private readonly lease: Lease;
  private readonly quiet = new Map<string, { count: number; skipUntilCycle: number }>();
  private cycle = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(private readonly options: RelayOptions) {
    const ttl = options.leaseMs ?? Math.max(3 * options.intervalMs, 15_000);
    this.lease = new Lease(options.kv, `poller:${options.provider.id}`, ttl);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopSignal.abort();
    await this.loop;
    await this.lease.release();
  }

  /** One poll cycle, if this process holds the provider's poller lease. Returns tickets checked. */
  async pollOnce(): Promise<number> {
    const { provider, links } = this.options;
    // Taken (or renewed) every cycle, and renewed in the background while a slow cycle runs.
    if (!(await this.lease.acquire())) return 0;
    this.cycle++;
    const now = this.options.now ?? Date.now;
    const open = await links.followed(now(), this.options.followUpMs ?? DEFAULT_FOLLOW_UP_MS);
    let due: string[];
    if (provider.listUpdatedSince) {
      const cursor = await links.getCursor();
      const changed = await provider.listUpdatedSince(cursor, open);
      const linked = new Set(open);
      due = changed.ticketIds.filter((id) => linked.has(id));
      // Advance only when every changed ticket was read, or a failed one's news would be skipped.
      if ((await this.checkAll(due)) && !this.lease.lost) await links.setCursor(changed.cursor);
    } else {
      due = open.filter((id) => (this.quiet.get(id)?.skipUntilCycle ?? 0) <= this.cycle);
      await this.checkAll(due);
    }
    return due.length;
  }

  /** Marks a ticket busy again (a chat reply just went out), so it is checked every cycle. */
  touch(ticketId: string): void {
    this.quiet.delete(ticketId);
  }

  /**
   * Turns a snapshot into posts. Right after opening, `announce: false` only marks what the ticket
   * already holds as seen; `by` names the chat user whose action changed the status.
   */
  async ingest(link: TicketLink, snapshot: TicketSnapshot, options: IngestOptions = {}): Promise<boolean> {
    const { links, outbox, logger } = this.options;
    const { announce = true, by } = options;
    const { ticket, comments } = snapshot;
    const seen = await links.seen(ticket.id);
    const fresh = comments.filter((c) => !seen.has(c.id));
    const ours = fresh.length > 0 ? await links.ours(ticket.id) : new Set<string>();
    let news = false;
    for (const comment of fresh) {
      const mine = ours.has(comment.id) || ours.has(commentFingerprint(ticket.id, comment.text));
      if (announce && !mine && comment.origin === 'agent') {
        news = true;
        await outbox.enqueue(postJob(link, comment));
      } else if (!mine && comment.origin === 'unknown') {
        logger.warn('comment held: its author could not be classified', { ticketId: ticket.id, commentId: comment.id });
      }
      await links.markSeen(ticket.id, comment.id);
    }
    if (ticket.status !== link.status || ticket.vendorStatus !== link.vendorStatus) {
      news = true;
      const version = link.statusVersion + 1;
      if (announce) await outbox.enqueue(statusJob(link, version, { status: ticket.status, vendorStatus: ticket.vendorStatus, by }));
      // The card job comes before the link is saved: a crash in between repeats both enqueues
      // under the same version (ignored), instead of leaving the card out of date.
      await outbox.enqueue(cardJob(link, version));
      await links.save(this.withStatus(link, ticket, version));
    }
    return news;
  }

  /** The link after a status change; `closedAt` is kept from the first close, stamped on closing, gone on a reopen. */
  private withStatus({ closedAt, ...link }: TicketLink, ticket: TicketSnapshot['ticket'], version: number): TicketLink {
    const changed = { ...link, status: ticket.status, vendorStatus: ticket.vendorStatus, statusVersion: version };
    if (!isClosed(ticket.status)) return changed;
    const now = this.options.now ?? Date.now;
    return { ...changed, closedAt: closedAt ?? new Date(now()).toISOString() };
  }

  /** Checks tickets a few at a time; true when every check succeeded. */
  private async checkAll(ticketIds: string[]): Promise<boolean> {
    const queue = [...ticketIds];
    let allOk = true;
    const workers = Array.from({ length: this.options.concurrency ?? 4 }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) allOk = (await this.check(id)) && allOk;
    });
    await Promise.all(workers);
    return allOk;
  }

  private async check(ticketId: string): Promise<boolean> {
    const { links, provider, logger } = this.options;
    try {
      const link = await links.get(ticketId);
      if (!link) return true;
      const snapshot = await provider.getTicket(ticketId);
      const news = await this.ingest(link, snapshot);
      this.noteActivity(ticketId, news, isClosed(snapshot.ticket.status));
      return true;
    } catch (error) {
      // Logged once per cycle and ticket; the next cycle tries again. Never fatal. An unreachable
      // store is logged once for the whole outage, by the store's health.
      if (!(error instanceof StoreUnavailable)) logger.warn('ticket check failed', { ticketId, error });
      return false;
    }
  }

  /** A closed ticket in its follow-up window is quiet from its first quiet check on. */
  private noteActivity(ticketId: string, news: boolean, closed: boolean): void {
    if (news) return void this.quiet.delete(ticketId);
    const quietChecks = (this.quiet.get(ticketId)?.count ?? 0) + 1;
    const count = closed ? Math.max(quietChecks, QUIET_CHECKS_BEFORE_BACKOFF + Math.log2(MAX_SKIP_CYCLES)) : quietChecks;
    const skip = count <= QUIET_CHECKS_BEFORE_BACKOFF ? 1 : Math.min(2 ** (count - QUIET_CHECKS_BEFORE_BACKOFF), MAX_SKIP_CYCLES);
    this.quiet.set(ticketId, { count, skipUntilCycle: nextDueCycle(this.cycle, skip, ticketId) });
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      await this.pollOnce().catch((error: unknown) => {
        if (!(error instanceof StoreUnavailable)) this.options.logger.warn('poll cycle failed', { error });
      });
      await sleep(this.options.intervalMs - (Date.now() - started), this.stopSignal.signal);
    }
  }
}

/**
 * The first cycle after `cycle` that falls on the ticket's own phase of a `skip`-cycle rhythm.
 * Tickets linked together would otherwise all fall quiet together and come due in the same cycle
 * (1,000 GETs every 8th cycle, none between); a phase from the id spreads them evenly.
 */
export function nextDueCycle(cycle: number, skip: number, ticketId: string): number {
  if (skip <= 1) return cycle + 1;
  let hash = 2166136261;
  for (let i = 0; i < ticketId.length; i++) hash = Math.imul(hash ^ ticketId.charCodeAt(i), 16777619);
  const phase = (hash >>> 0) % skip;
  const next = cycle + 1;
  return next + ((phase - (next % skip) + skip) % skip);
}
