import { isClosed, type Comment, type TicketLink, type TicketSnapshot } from '../domain.js';
import { StoreUnavailable } from '../errors.js';
import { isRefusal, type ProviderAccess } from '../ops/provider-access.js';
import { noTelemetry, type Telemetry } from '../ops/telemetry.js';
import type { Logger } from '../logger.js';
import type { LinkStore } from '../links.js';
import { cardJob, postEditJob, postJob, statusJob, type Delivery } from '../delivery/jobs.js';
import type { Outbox } from '../delivery/outbox.js';
import { BackgroundLoop } from '../background-loop.js';
import { backoffMs, nextTurn } from '../pacing.js';
import { commentFingerprint, type TicketProvider } from '../provider.js';
import { Lease } from '../store/lease.js';
import type { KeyValueStore } from '../store/index.js';
import { isDue, type QuietMark, quietKey, readMark } from './quiet.js';

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
  /** The longest gap between checks of a quiet ticket, for providers that cannot list changes (default 10 minutes). */
  quietMaxMs?: number;
  /** The local clock in ms (closes are stamped and quiet gaps measured by it); Date.now unless a test or the bench sets it. */
  now?: () => number;
  /** What the provider last said of the credentials: a refusal pauses polling (with back-off) until a check passes. */
  access?: ProviderAccess;
  telemetry?: Telemetry;
  /** The longest wait between checks while the credentials are refused; default 5 minutes. */
  refusedMaxMs?: number;
}

interface IngestOptions {
  /** Post what is new (default); false marks it seen without posting. */
  announce?: boolean;
  by?: string | undefined;
}

export const DEFAULT_FOLLOW_UP_MS = 14 * 24 * 3_600_000;
const DEFAULT_QUIET_MAX_MS = 10 * 60_000;
const QUIET_READ_SLICE = 100;
const DEFAULT_REFUSED_MAX_MS = 5 * 60_000;

/**
 * Provider → chat. Each cycle asks the provider what changed (the cheapest way it allows), turns
 * new agent comments and status changes into outbox jobs keyed by the provider's ids, then marks
 * them seen. The outbox key, not the seen mark, is what makes a post happen once: a crash between
 * the two only repeats an enqueue that is ignored.
 */
export class Relay {
  private readonly lease: Lease;
  private readonly loop = new BackgroundLoop(() => this.pass());
  /** Refused credential checks in a row: the poller backs off by them. */
  private refusals = 0;
  /** Tickets followed in the last cycle, for the tickets-watched gauge. */
  private watched = 0;

  constructor(private readonly options: RelayOptions) {
    const ttl = options.leaseMs ?? Math.max(3 * options.intervalMs, 15_000);
    this.lease = new Lease(options.kv, `poller:${options.provider.id}`, ttl);
  }

  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.lease.release();
  }

  /** One poll cycle, if this process holds the provider's poller lease. Returns tickets checked. */
  async pollOnce(): Promise<number> {
    const { provider, links } = this.options;
    // Taken (or renewed) every cycle, and renewed in the background while a slow cycle runs.
    if (!(await this.lease.acquire())) return 0;
    const open = await links.followed(this.now(), this.options.followUpMs ?? DEFAULT_FOLLOW_UP_MS);
    this.watched = open.length;
    let due: string[];
    if (provider.listUpdatedSince) {
      const cursor = await links.getCursor();
      const changed = await provider.listUpdatedSince(cursor, open);
      const linked = new Set(open);
      due = changed.ticketIds.filter((id) => linked.has(id));
      // Advance only when every changed ticket was read, or a failed one's news would be skipped.
      if ((await this.checkAll(due)) && !this.lease.lost) await links.setCursor(changed.cursor);
    } else {
      due = await this.dueByQuiet(open);
      await this.checkAll(due);
    }
    return due.length;
  }

  /**
   * Marks a ticket busy again (a chat reply just went out): it is checked in the next cycle and
   * every cycle for the active window. Stored, so the polling replica sees another's touch.
   */
  async touch(ticketId: string): Promise<void> {
    if (this.options.provider.listUpdatedSince) return;
    await this.options.kv.set(quietKey(this.options.provider.id, ticketId), { activeAt: this.now(), checkedAt: 0 } satisfies QuietMark);
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
    // A comment seen under the id an earlier release gave it is seen: recorded under its id now.
    for (const c of comments) if (!seen.has(c.id) && knownAs(c, seen)) await links.markSeen(ticket.id, c.id);
    const fresh = comments.filter((c) => !knownAs(c, seen));
    const ours = fresh.length > 0 ? await links.ours(ticket.id) : new Set<string>();
    let news = false;
    const posted = await links.postedTexts(ticket.id);
    let postedChanged = false;
    // An agent comment already posted whose text changed: its post is edited, once per new text.
    // A post of the text an earlier release gave the comment is not an edit: only the record moves on.
    for (const comment of comments) {
      const was = posted[comment.id];
      const now = commentFingerprint(ticket.id, comment.text);
      if (was === undefined || was === now || !knownAs(comment, seen)) continue;
      posted[comment.id] = now;
      postedChanged = true;
      if ((comment.formerTexts ?? []).some((text) => commentFingerprint(ticket.id, text) === was)) continue;
      if (announce) await outbox.enqueue(postEditJob(link, comment, now));
      news = true;
    }
    for (const comment of fresh) {
      const mine = knownAs(comment, ours) || ours.has(commentFingerprint(ticket.id, comment.text));
      if (announce && !mine && comment.origin === 'agent') {
        news = true;
        await outbox.enqueue(postJob(link, comment));
        posted[comment.id] = commentFingerprint(ticket.id, comment.text);
        postedChanged = true;
      } else if (!mine && comment.origin === 'unknown') {
        logger.warn('comment held: its author could not be classified', { ticketId: ticket.id, commentId: comment.id });
      }
      await links.markSeen(ticket.id, comment.id);
    }
    if (postedChanged) await links.setPostedTexts(ticket.id, posted);
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
      try {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          allOk = (await this.check(id)) && allOk;
          await nextTurn();
        }
      } catch (error) {
        queue.length = 0; // refused credentials: every other ticket would be refused too
        throw error;
      }
    });
    await Promise.all(workers);
    return allOk;
  }

  private async check(ticketId: string): Promise<boolean> {
    const { links, provider, logger } = this.options;
    try {
      const link = await links.get(ticketId);
      if (!link) return true;
      const news = await this.ingest(link, await provider.getTicket(ticketId));
      if (!provider.listUpdatedSince) await this.noteCheck(link, news);
      return true;
    } catch (error) {
      if (isRefusal(error)) throw error; // the cycle's to handle, once, not each ticket's
      // Logged once per cycle and ticket; the next cycle tries again. Never fatal. An unreachable
      // store is logged once for the whole outage, by the store's health.
      if (!(error instanceof StoreUnavailable)) logger.warn('ticket check failed', { ticketId, error });
      return false;
    }
  }

  /** The open tickets whose quiet schedule says they are due (see quiet.ts). */
  private async dueByQuiet(open: string[]): Promise<string[]> {
    const { kv, provider, intervalMs, quietMaxMs = DEFAULT_QUIET_MAX_MS } = this.options;
    const now = this.now();
    const due: string[] = [];
    // In slices: 10,000 reads in flight at once would cost more memory than the marks themselves.
    // Each read is reduced to its answer at once, so a slice keeps 100 booleans, not 100 records.
    for (let from = 0; from < open.length; from += QUIET_READ_SLICE) {
      const slice = open.slice(from, from + QUIET_READ_SLICE);
      const answers = await Promise.all(
        slice.map(async (id) => {
          // A ticket without a mark is checked now; its activity time then comes from its link.
          const mark = readMark(await kv.get(quietKey(provider.id, id)));
          return !mark || isDue(mark, now, intervalMs, quietMaxMs, id);
        }),
      );
      slice.forEach((id, i) => {
        if (answers[i]) due.push(id);
      });
      await nextTurn();
    }
    return due;
  }

  private async noteCheck(link: TicketLink, news: boolean): Promise<void> {
    const { kv, provider } = this.options;
    const key = quietKey(provider.id, link.ticketId);
    const now = this.now();
    const activeAt = news ? now : (readMark(await kv.get(key))?.activeAt ?? (Date.parse(link.createdAt) || now));
    await kv.set(key, { activeAt, checkedAt: now } satisfies QuietMark);
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** One cycle; answers the wait before the next (the rest of the interval, or a back-off). */
  private async pass(): Promise<number> {
    const { intervalMs, refusedMaxMs = DEFAULT_REFUSED_MAX_MS } = this.options;
    const started = Date.now();
    const refused = await this.cycle();
    this.refusals = refused ? this.refusals + 1 : 0;
    // Refused credentials will not fix themselves within a cycle: ask again less and less often.
    return refused ? backoffMs(this.refusals, intervalMs, refusedMaxMs) : intervalMs - (Date.now() - started);
  }

  /**
   * One poll cycle, or, while the credentials are not known to be accepted, first the provider's
   * access check. True when the vendor refused the credentials (the caller backs off).
   */
  private async cycle(): Promise<boolean> {
    const { access, logger, telemetry = noTelemetry } = this.options;
    const started = performance.now();
    try {
      if (access && access.state !== 'accepted' && (await access.check()) !== 'accepted') return access.state === 'refused';
      await this.pollOnce();
      telemetry.pollCycle((performance.now() - started) / 1000, this.watched);
      return false;
    } catch (error) {
      if (isRefusal(error) && access) {
        access.fail(error);
        return true;
      }
      if (!(error instanceof StoreUnavailable)) logger.warn('poll cycle failed', { error });
      return false;
    }
  }
}

/** Whether `ids` holds the comment under its id or one an earlier release gave it. */
function knownAs(comment: Comment, ids: Set<string>): boolean {
  return ids.has(comment.id) || (comment.aliases ?? []).some((alias) => ids.has(alias));
}
