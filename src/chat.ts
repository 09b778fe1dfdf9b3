import { z } from 'zod';
import { FailureCause } from './delivery/failure-cause.js';
import { CommentFile, isClosed, TicketStatus, type Priority, type ThreadRef, type TicketLink } from './domain.js';

/** The ticket card every front-end renders its own way (Block Kit, embed, a terminal line). */
export interface TicketCard {
  ticketId: string;
  subject: string;
  status: TicketStatus;
  vendorStatus: string;
  priority?: Priority;
  provider: string;
  requester: string;
  /** Which buttons make sense now; a closed ticket offers Reopen and Rate, an open one Close. */
  actions: ('close' | 'reopen' | 'rate')[];
}

/** An agent's comment, relayed into the thread, with the files it carries (refs, never bytes). */
export const CommentMessage = z.object({
  kind: z.literal('comment'),
  ticketId: z.string(),
  author: z.string(),
  text: z.string(),
  files: z.array(CommentFile).optional(),
});

/** A file's bytes handed to a sink to post as an upload, beside the message that names it. */
export interface Upload {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** The ticket's status changed; `by` names the chat user whose action changed it. */
export const StatusMessage = z.object({
  kind: z.literal('status'),
  ticketId: z.string(),
  status: TicketStatus,
  vendorStatus: z.string(),
  by: z.string().optional(),
});

/**
 * A reply from the thread that the provider refused for good; `jobKey` is what Retry puts back.
 * People read `cause` in plain words; `reason` is the technical detail, kept for the log and never
 * shown (notices stored before `cause` existed have only `reason`).
 */
export const DeliveryFailedMessage = z.object({
  kind: z.literal('delivery_failed'),
  ticketId: z.string(),
  jobKey: z.string(),
  excerpt: z.string(),
  reason: z.string(),
  /** The provider's display name, as the notice names it. */
  provider: z.string().optional(),
  cause: FailureCause.optional(),
});

const NoticeMessage = z.object({ kind: z.literal('notice'), ticketId: z.string(), text: z.string() });

/** What the relay and the outbox post into a ticket's thread (stored in outbox jobs, so a schema). */
export const ThreadMessage = z.discriminatedUnion('kind', [CommentMessage, StatusMessage, DeliveryFailedMessage, NoticeMessage]);
export type ThreadMessage = z.infer<typeof ThreadMessage>;

/**
 * A chat platform's way into threads. `Thread` is the platform's own idea of a conversation
 * (a Slack channel and ts, a Discord thread id): the sink alone turns it into the ThreadRef string
 * the core stores and back, and the core hands it back untouched. Implementations escape everything
 * they post so that no relayed text can mention anyone, pace themselves within the platform's
 * limits, and make a repeated `postToThread` with the same `idempotencyKey` post at most once where
 * the platform gives a way (Slack metadata, Discord nonce).
 */
/** Where a new ticket's card went: the thread it starts, and whether the sink had to fall back to a DM. */
export interface StartedThread {
  thread: ThreadRef;
  cardRef?: string;
  /** Set when the place refused the bot for good and the card went to the requester's DM instead. */
  fellBack?: boolean;
}

export interface ChatSink<Thread = unknown, Place = unknown> {
  /** The ThreadRef the core stores for a thread of this platform. */
  encodeThread(thread: Thread): ThreadRef;
  /** The thread a stored ref names, or undefined when the ref is not this platform's. */
  decodeThread(ref: ThreadRef): Thread | undefined;
  /**
   * `uploads` are files of the message to post as files (within `maxUploadBytes`); the message's
   * other files the sink shows as a link with name and size.
   */
  postToThread(thread: Thread, message: ThreadMessage, idempotencyKey: string, uploads?: readonly Upload[]): Promise<void>;
  /** Edits the post made under `postKey` to show `message` (an agent edited the comment); absent where posts cannot be edited. */
  editPost?(thread: Thread, postKey: string, message: ThreadMessage): Promise<void>;
  /** The largest file the platform takes from the bot; none are uploaded when absent. */
  readonly maxUploadBytes?: number;
  /** `cardRef` is the sink's own ref of the card message, as its front-end returned it. */
  updateCard(thread: Thread, cardRef: string | undefined, card: TicketCard): Promise<void>;
  /**
   * The place a new ticket's card goes (a channel and who asked), from the ref its front-end put in
   * the handler context; undefined when the ref is not this platform's. With `startThread`, for
   * front-ends that open tickets.
   */
  decodePlace?(ref: string): Place | undefined;
  /**
   * Posts a new ticket's card at `place` and returns the thread it starts, at most once per
   * `idempotencyKey`. A place that refuses the bot for good (not a member, gone, archived) is not
   * retried: the card goes to a direct message with the requester, who is told in plain words what
   * the operator must do.
   */
  startThread?(place: Place, card: TicketCard, idempotencyKey: string): Promise<StartedThread>;
  /** Tells the requester of `place` something that concerns no thread, in the front-end's words. */
  notify?(place: Place, notice: PlaceNotice): Promise<void>;
}

/** A stored thread, bound to the sink that owns it. */
interface ChatThread {
  post(message: ThreadMessage, idempotencyKey: string, uploads?: readonly Upload[]): Promise<void>;
  readonly maxUploadBytes: number;
  edit(postKey: string, message: ThreadMessage): Promise<void>;
  updateCard(cardRef: string | undefined, card: TicketCard): Promise<void>;
}

/** A new ticket's place, bound to the sink that owns it. */
interface ChatPlace {
  startThread(card: TicketCard, idempotencyKey: string): Promise<StartedThread>;
  notify(notice: PlaceNotice): Promise<void>;
}

/**
 * What a requester is told outside any thread, as facts the front-end words in its language: a
 * ticket whose opening was cut off and that the vendor does not hold (`searched`), or that
 * cannot be looked for there.
 */
export interface PlaceNotice {
  kind: 'not_opened';
  subject: string;
  provider: string;
  searched: boolean;
}

/** A failure to post that says whether trying again can help; `code` is the platform's own word for it, when it gave one. */
export class ChatDeliveryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly retryAfterMs?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ChatDeliveryError';
  }
}

/**
 * Routes a stored thread to the sink that owns it: the first registered sink that can decode the
 * ref. The core never reads a ref itself, so a platform's ref format is its sink's business.
 */
export class ChatSinks {
  private readonly routes: ((ref: ThreadRef) => ChatThread | undefined)[] = [];
  private readonly places: ((ref: string) => ChatPlace | undefined)[] = [];

  register<Thread, Place>(sink: ChatSink<Thread, Place>): void {
    this.places.push((ref) => {
      const place = sink.decodePlace?.(ref);
      const { startThread, notify } = sink;
      if (place === undefined || !startThread) return undefined;
      return {
        startThread: (card, key) => startThread.call(sink, place, card, key),
        notify: async (notice) => notify?.call(sink, place, notice),
      };
    });
    this.routes.push((ref) => {
      const thread = sink.decodeThread(ref);
      if (thread === undefined) return undefined;
      return {
        post: (message, key, uploads) => sink.postToThread(thread, message, key, uploads),
        maxUploadBytes: sink.maxUploadBytes ?? 0,
        // A platform without edits keeps the post as it was: never a second post for one comment.
        edit: async (postKey, message) => sink.editPost?.(thread, postKey, message),
        updateCard: (cardRef, card) => sink.updateCard(thread, cardRef, card),
      };
    });
  }

  /** The thread behind `ref`; a transient failure while no running front-end owns it (it may be starting). */
  for(ref: ThreadRef): ChatThread {
    for (const route of this.routes) {
      const thread = route(ref);
      if (thread) return thread;
    }
    throw new ChatDeliveryError(`no running front-end owns thread ${ref}`, true, 30_000);
  }

  /** The place behind a new ticket's place ref; transient while no running front-end owns it. */
  forPlace(ref: string): ChatPlace {
    for (const route of this.places) {
      const place = route(ref);
      if (place) return place;
    }
    throw new ChatDeliveryError(`no running front-end owns place ${ref}`, true, 30_000);
  }
}

export function cardOf(link: TicketLink, providerName: string, can: { close: boolean; reopen: boolean; rate: boolean }): TicketCard {
  const closed = isClosed(link.status);
  const actions: TicketCard['actions'] = [];
  if (!closed && can.close) actions.push('close');
  if (closed && can.reopen) actions.push('reopen');
  if (can.rate) actions.push('rate');
  return {
    ticketId: link.ticketId,
    subject: link.subject,
    status: link.status,
    vendorStatus: link.vendorStatus,
    ...(link.priority ? { priority: link.priority } : {}),
    provider: providerName,
    requester: link.requester.name,
    actions,
  };
}
