import { isClosed, isoTime, TicketLink, type ProviderId, type Requester, type ThreadRef, type TicketSnapshot } from './domain.js';
import type { KeyValueStore } from './store/index.js';

/**
 * Everything the bot remembers about the tickets it follows, keyed so that each lookup the
 * front-ends and the relay make is one read: ticket → link, thread → ticket, requester → tickets,
 * provider → open tickets, plus the relay's per-ticket memory (seen and own comment ids).
 */
export class LinkStore {
  constructor(
    private readonly kv: KeyValueStore,
    readonly provider: ProviderId,
  ) {}

  async save(link: TicketLink): Promise<void> {
    await this.kv.set(this.linkKey(link.ticketId), link);
    // A ticket whose card is not posted yet has no thread to find it by.
    if (link.thread) await this.kv.set(`thread:${link.thread}`, link.ticketId);
    await this.kv.add(`mine:${this.provider}:${link.requester.key}`, link.ticketId);
    if (isClosed(link.status)) {
      await this.kv.add(this.followUpSet, link.ticketId);
      await this.kv.remove(this.openSet, link.ticketId);
    } else {
      await this.kv.add(this.openSet, link.ticketId);
      await this.kv.remove(this.followUpSet, link.ticketId);
    }
  }

  async get(ticketId: string): Promise<TicketLink | undefined> {
    const raw = await this.kv.get<unknown>(this.linkKey(ticketId));
    if (raw === undefined) return undefined;
    const parsed = TicketLink.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async byThread(thread: ThreadRef): Promise<TicketLink | undefined> {
    const ticketId = await this.kv.get<string>(`thread:${thread}`);
    return ticketId === undefined ? undefined : this.get(ticketId);
  }

  async mine(requesterKey: string): Promise<TicketLink[]> {
    const ids = await this.kv.members(`mine:${this.provider}:${requesterKey}`);
    const links = await Promise.all(ids.map((id) => this.get(id)));
    return links.filter((l): l is TicketLink => l !== undefined).sort(newestFirst);
  }

  /** Every linked ticket not closed or resolved. */
  openTickets(): Promise<string[]> {
    return this.kv.members(this.openSet);
  }

  /**
   * The ticket ids the relay follows: the open ones, and the closed or resolved ones whose close is
   * less than `windowMs` before `now` (a late answer or a reopen at the vendor still reaches chat).
   * A closed ticket past its window is dropped from the follow-up set here, once.
   */
  async followed(now: number, windowMs: number): Promise<string[]> {
    const [open, closed] = await Promise.all([this.openTickets(), this.kv.members(this.followUpSet)]);
    const recent: string[] = [];
    for (const id of closed) {
      const closedAt = (await this.get(id))?.closedAt;
      if (closedAt !== undefined && now - Date.parse(closedAt) < windowMs) recent.push(id);
      else await this.kv.remove(this.followUpSet, id);
    }
    return [...open, ...recent];
  }

  /** Marks a provider comment as handled; true the first time only. */
  markSeen(ticketId: string, commentId: string): Promise<boolean> {
    return this.kv.add(`seen:${this.provider}:${ticketId}`, commentId);
  }

  async seen(ticketId: string): Promise<Set<string>> {
    return new Set(await this.kv.members(`seen:${this.provider}:${ticketId}`));
  }

  /** Remembers an id or fingerprint of a comment the bot wrote, so it is never relayed back. */
  async markOurs(ticketId: string, idOrFingerprint: string): Promise<void> {
    await this.kv.add(`ours:${this.provider}:${ticketId}`, idOrFingerprint);
  }

  async ours(ticketId: string): Promise<Set<string>> {
    return new Set(await this.kv.members(`ours:${this.provider}:${ticketId}`));
  }

  /**
   * Records that outbox job `jobKey` delivered a comment with this fingerprint; the set's size is
   * how many copies of that text the bot has written, which the outcome-unknown check compares
   * with what the provider holds. Keyed by job, so recording twice counts once.
   */
  markDelivered(ticketId: string, fingerprint: string, jobKey: string): Promise<boolean> {
    return this.kv.add(`delivered:${this.provider}:${ticketId}:${fingerprint}`, jobKey);
  }

  deliveredBy(ticketId: string, fingerprint: string): Promise<string[]> {
    return this.kv.members(`delivered:${this.provider}:${ticketId}:${fingerprint}`);
  }

  /** Fingerprints of the text of agent comments as last posted to chat, by comment id (edits are told by them). */
  async postedTexts(ticketId: string): Promise<Record<string, string>> {
    return (await this.kv.get<Record<string, string>>(`posted:${this.provider}:${ticketId}`)) ?? {};
  }

  /** Written by the relay alone (it holds the poller lease), so one record per ticket is safe. */
  async setPostedTexts(ticketId: string, texts: Record<string, string>): Promise<void> {
    await this.kv.set(`posted:${this.provider}:${ticketId}`, texts);
  }

  /** True the first time only: the thread has been told that support gets links, not files. */
  firstLinkNotice(ticketId: string): Promise<boolean> {
    return this.kv.setIfAbsent(`told-links:${this.provider}:${ticketId}`, '1');
  }

  getCursor(): Promise<string | undefined> {
    return this.kv.get<string>(`cursor:${this.provider}`);
  }

  setCursor(cursor: string): Promise<void> {
    return this.kv.set(`cursor:${this.provider}`, cursor);
  }

  private get openSet(): string {
    return `open:${this.provider}`;
  }

  private get followUpSet(): string {
    return `followup:${this.provider}`;
  }

  private linkKey(ticketId: string): string {
    return `link:${this.provider}:${ticketId}`;
  }
}

/**
 * Ticket ids in numeric order where they hold numbers ("T-9" before "T-10"). One collator for all:
 * `localeCompare` with options builds a collator per call, which made sorting a requester's
 * 10,000 tickets take seconds.
 */
const ticketIdOrder = new Intl.Collator('en', { numeric: true });
export const compareTicketIds = (a: string, b: string): number => ticketIdOrder.compare(a, b);

/** Newest link first; links made in the same millisecond by ticket id, highest first (ids grow at every vendor that numbers them). */
export function newestFirst(a: Pick<TicketLink, 'createdAt' | 'ticketId'>, b: Pick<TicketLink, 'createdAt' | 'ticketId'>): number {
  // Stored in one ISO format (newLink), so the strings sort as the times do: no collation needed.
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return compareTicketIds(b.ticketId, a.ticketId);
}

/** A new ticket's link, before it has a thread: what the provider said of the ticket, and who asked. */
export function newLink(provider: ProviderId, { ticket }: TicketSnapshot, requester: Requester): TicketLink {
  return {
    provider,
    ticketId: ticket.id,
    thread: '',
    requester,
    subject: ticket.subject,
    status: ticket.status,
    vendorStatus: ticket.vendorStatus,
    ...(ticket.priority ? { priority: ticket.priority } : {}),
    createdAt: isoTime(ticket.createdAt) ?? new Date().toISOString(),
    statusVersion: 0,
  };
}
