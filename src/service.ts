import { z } from 'zod';
import { cardOf, type TicketCard } from './chat.js';
import {
  OpenTicketInput,
  type OpenField,
  type Requester,
  type ThreadRef,
  type TicketLink,
  type TicketSnapshot,
} from './domain.js';
import { FieldErrors, ForbiddenError, NotSupportedError } from './errors.js';
import { newLink } from './links.js';
import { commentJob, commentKey } from './delivery/jobs.js';
import { ChatOpening, type ChatOpeningDeps } from './chat-opening.js';
import type { Opening } from './openings.js';
import { commentText, noteLinksOnce, takeFiles } from './files.js';
import { attributedText, capabilitiesOf } from './provider.js';
import { sleep } from './pacing.js';
import { DEFAULT_FOLLOW_UP_MS } from './relay/relay.js';
import type { Actor, OpenRequest, OpenResult, ReplyRequest, ReplyResult, TicketStatusView } from './service-types.js';
import { filterTickets, nameableTickets, openTickets, type TicketFilter } from './ticket-lists.js';

export type { Actor, OpenRequest, OpenResult, ReplyRequest, ReplyResult, TicketStatusView } from './service-types.js';
export { TICKET_FILTERS, type TicketFilter } from './ticket-lists.js';

interface TicketServiceDeps extends ChatOpeningDeps {
  /** FOLLOW_UP_DAYS in ms: how long a closed ticket counts as recent in lists. */
  followUpMs?: number;
}

const Rating = z.object({
  score: z.coerce.number().int('expects a whole number from 1 to 5').min(1, 'expects 1 to 5').max(5, 'expects 1 to 5'),
  comment: z.string().trim().max(2000).optional(),
});

/** The use cases every front-end shares. Knows the provider contract, never a chat platform. */
export class TicketService {
  private readonly opening: ChatOpening;

  constructor(private readonly deps: TicketServiceDeps) {
    this.opening = new ChatOpening(deps);
  }

  get providerName(): string {
    return this.deps.provider.displayName;
  }

  /** MAX_ATTACHMENT_MB in bytes, for forms that say the limit. */
  get maxFileBytes(): number {
    return this.deps.maxFileBytes;
  }

  get fields(): readonly OpenField[] {
    return this.deps.provider.fields;
  }

  /** Checks the form as the vendor would, before any call: FieldErrors names each bad field. */
  validateOpen(raw: unknown): OpenTicketInput {
    const parsed = OpenTicketInput.safeParse(raw);
    if (!parsed.success) throw FieldErrors.fromZod(parsed.error);
    const errors = this.deps.provider.validateOpen(parsed.data);
    if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
    return parsed.data;
  }

  /** The open form as the vendor offers it now (its own lists re-read when stale). */
  async openFields(): Promise<readonly OpenField[]> {
    await this.deps.provider.refreshFields?.();
    return this.deps.provider.fields;
  }

  async open(raw: unknown, requester: Requester): Promise<TicketSnapshot> {
    await this.deps.provider.refreshFields?.();
    return this.deps.provider.createTicket(this.validateOpen(raw), requester);
  }

  /** Opens a ticket from chat, link first (see ChatOpening). */
  async openInChat(raw: unknown, requester: Requester, request: OpenRequest): Promise<OpenResult> {
    await this.deps.provider.refreshFields?.();
    return this.opening.open(this.validateOpen(raw), requester, request);
  }

  /** Links a ticket the provider created for an unfinished opening (the reconciliation's way in). */
  finishOpening(opening: Opening, snapshot: TicketSnapshot): Promise<TicketLink> {
    return this.opening.finish(opening, snapshot);
  }

  /** Stores the ticket ⇄ thread link; what the ticket already holds is marked seen, not relayed. */
  async link(snapshot: TicketSnapshot, thread: ThreadRef, requester: Requester, card?: string): Promise<TicketLink> {
    const link: TicketLink = { ...newLink(this.deps.provider.id, snapshot, requester), thread, ...(card ? { card } : {}) };
    await this.deps.links.save(link);
    await this.deps.relay.ingest(link, snapshot, { announce: false });
    return link;
  }

  /** Whether the chat message with this platform id is already queued (or sent) as a comment. */
  async replyTaken(eventKey: string): Promise<boolean> {
    return (await this.deps.outbox.get(commentKey(eventKey))) !== undefined;
  }

  /**
   * Queues a chat message as a comment on the thread's ticket. `eventKey` is the platform's id of
   * the message, so a redelivered event queues nothing. Returns undefined outside a ticket thread.
   */
  async reply(input: ReplyRequest): Promise<ReplyResult | undefined> {
    const link = input.thread ? await this.deps.links.byThread(input.thread) : await this.deps.links.get(input.ticketId ?? '');
    if (!link) return undefined;
    // In its thread anyone who can see the thread may write; by id, only those who may see the ticket.
    if (!input.thread && link.requester.key !== input.author.key && !input.isStaff) {
      throw new ForbiddenError(`No ticket #${link.ticketId} that you can see.`, link.ticketId);
    }
    const text = input.text.trim();
    if (!text && !input.files?.length) throw new FieldErrors({ text: 'expects some text' });
    const { refs, notes } = await takeFiles(input.files ?? [], this.deps.blobs, this.deps.maxFileBytes);
    if (!text && !refs.length) return { link, queued: false, notes };
    const body = attributedText(commentText(this.deps.provider, text, refs), input.author);
    const job = commentJob(link, { eventKey: input.eventKey, text: body, author: input.author, files: refs });
    const queued = await this.deps.outbox.enqueue(job);
    await this.deps.relay.touch(link.ticketId);
    if (queued && refs.length && this.deps.provider.attachments !== 'bytes') await noteLinksOnce(this.deps, link.ticketId, notes);
    return { link, queued, notes };
  }

  async status(ticketId: string, actor: Actor): Promise<TicketStatusView> {
    const link = await this.allowed(ticketId, actor);
    const { pending, failed } = await this.deps.outbox.forTicket(ticketId);
    return { link, card: this.card(link), pending, failed };
  }

  /** Refreshes a link from the provider (for `status`); posts what changed like the relay does. */
  async refresh(ticketId: string, actor: Actor): Promise<TicketStatusView> {
    const link = await this.allowed(ticketId, actor);
    await this.deps.relay.ingest(link, await this.deps.provider.getTicket(ticketId));
    return this.status(ticketId, actor);
  }

  /** The requester's tickets, newest first. */
  async listMine(requester: Requester, which: TicketFilter = 'all', now = Date.now()): Promise<TicketLink[]> {
    return filterTickets(await this.deps.links.mine(requester.key), which, now, this.deps.followUpMs ?? DEFAULT_FOLLOW_UP_MS);
  }

  /** Tickets an actor may name as they type an id (see nameableTickets). */
  async nameable(actor: Actor, typed: string, limit: number): Promise<TicketLink[]> {
    return nameableTickets(this.deps.links, await this.listMine(actor.requester), actor, typed, limit);
  }

  /** Every linked ticket not closed, newest first: what staff follow. */
  listOpen(): Promise<TicketLink[]> {
    return openTickets(this.deps.links);
  }

  async close(ticketId: string, actor: Actor): Promise<TicketLink> {
    const link = await this.allowed(ticketId, actor);
    const { provider } = this.deps;
    if (!provider.closeTicket) throw this.unsupported('close');
    await provider.closeTicket(ticketId);
    return this.afterAction(link, actor);
  }

  async reopen(ticketId: string, text: string | undefined, actor: Actor): Promise<TicketLink> {
    const link = await this.allowed(ticketId, actor);
    const { provider } = this.deps;
    if (!provider.reopenTicket) throw this.unsupported('reopen');
    const reason = text?.trim() || 'Reopened from chat.';
    await provider.reopenTicket(ticketId, attributedText(reason, actor.requester));
    return this.afterAction(link, actor);
  }

  async rate(ticketId: string, raw: { score: unknown; comment?: string | undefined }, actor: Actor): Promise<TicketLink> {
    const link = await this.allowed(ticketId, actor);
    const { provider } = this.deps;
    if (!provider.rateTicket) throw this.unsupported('rate');
    const parsed = Rating.safeParse(raw);
    if (!parsed.success) throw FieldErrors.fromZod(parsed.error);
    await provider.rateTicket(ticketId, parsed.data.score, parsed.data.comment);
    return link;
  }

  /** The Retry button of a failed delivery. */
  async retryDelivery(jobKey: string, actor: Actor): Promise<boolean> {
    const job = await this.deps.outbox.get(jobKey);
    if (!job) return false;
    await this.allowed(job.ticketId, actor);
    return (await this.deps.outbox.retryFailed(jobKey)) !== undefined;
  }

  /** The ticket's thread once its card is posted, waiting up to `waitMs` for it; undefined if it is not yet. */
  async threadOf(ticketId: string, waitMs: number): Promise<ThreadRef | undefined> {
    const until = Date.now() + waitMs;
    for (;;) {
      const thread = (await this.deps.links.get(ticketId))?.thread;
      if (thread || Date.now() >= until) return thread || undefined;
      await sleep(100);
    }
  }

  async linkByThread(thread: ThreadRef): Promise<TicketLink | undefined> {
    return this.deps.links.byThread(thread);
  }

  /** The card of a ticket that has no thread yet (the first message of its thread). */
  preview(snapshot: TicketSnapshot, requester: Requester): TicketCard {
    return this.card(newLink(this.deps.provider.id, snapshot, requester));
  }

  card(link: TicketLink): TicketCard {
    return cardOf(link, this.deps.provider.displayName, capabilitiesOf(this.deps.provider));
  }

  /** Only the requester or staff may see or act on a ticket; an unknown id looks the same. */
  private async allowed(ticketId: string, actor: Actor): Promise<TicketLink> {
    const link = await this.deps.links.get(ticketId);
    if (!link || (link.requester.key !== actor.requester.key && !actor.isStaff)) {
      throw new ForbiddenError(`No ticket #${ticketId} that you can see.`, ticketId);
    }
    return link;
  }

  /** Reads the ticket back so the card and thread show the provider's real status. */
  private async afterAction(link: TicketLink, actor: Actor): Promise<TicketLink> {
    await this.deps.relay.ingest(link, await this.deps.provider.getTicket(link.ticketId), { by: actor.requester.name });
    return (await this.deps.links.get(link.ticketId)) ?? link;
  }

  private unsupported(feature: 'close' | 'reopen' | 'rate'): NotSupportedError {
    const { provider } = this.deps;
    const words = provider.unsupported?.[feature] ?? `${provider.displayName}'s API cannot ${feature} tickets.`;
    return new NotSupportedError(provider.displayName, feature, words);
  }
}
