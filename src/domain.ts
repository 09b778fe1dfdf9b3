import { z } from 'zod';

/** The providers a deployment can choose with TICKET_PROVIDER. */
export const ProviderId = z.enum(['local', 'f5xc', 'selectel', 'consoleconnect', 'spacebring', 'verifik']);
export type ProviderId = z.infer<typeof ProviderId>;

/**
 * The neutral lifecycle every vendor status maps onto. `waiting` means the vendor waits for the
 * customer; `resolved` can still be reopened; `closed` is final for relay purposes.
 */
export const TicketStatus = z.enum(['open', 'in_progress', 'waiting', 'resolved', 'closed']);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const Priority = z.enum(['low', 'normal', 'high', 'urgent'], { error: 'expects one of: low, normal, high, urgent' });
export type Priority = z.infer<typeof Priority>;

/** Who asked, as the chat platform knows them. `key` is platform-qualified, e.g. `slack:T1:U2`. */
export const Requester = z.object({
  key: z.string().min(1),
  name: z.string().min(1),
  email: z.string().optional(),
});
export type Requester = z.infer<typeof Requester>;

export const Ticket = z.object({
  /** The provider's own ticket id, shown to users as `#<id>`. */
  id: z.string().min(1),
  provider: ProviderId,
  subject: z.string(),
  description: z.string().default(''),
  status: TicketStatus,
  /** The vendor's own word for the status, for display ("Acknowledged", "in_progress"). */
  vendorStatus: z.string(),
  priority: Priority.optional(),
  category: z.string().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  url: z.string().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const CommentOrigin = z.enum(['agent', 'customer', 'unknown']);
export type CommentOrigin = z.infer<typeof CommentOrigin>;

/**
 * A file an agent's comment carries: `ref` is the provider's handle for its bytes
 * (`readAttachment`), `url` where people can open it when the vendor gives one. `size` is absent
 * where the vendor does not say (a file it names only by an id).
 */
export const CommentFile = z.object({
  name: z.string().min(1),
  contentType: z.string(),
  size: z.number().int().nonnegative().optional(),
  ref: z.string().optional(),
  url: z.string().optional(),
});
export type CommentFile = z.infer<typeof CommentFile>;

export const Comment = z.object({
  /** The provider's comment id, or a stable hash where the vendor gives none. */
  id: z.string().min(1),
  ticketId: z.string().min(1),
  origin: CommentOrigin,
  author: z.string(),
  /** Plain text or markdown; adapters convert vendor HTML before it gets here. */
  text: z.string(),
  createdAt: z.string().optional(),
  files: z.array(CommentFile).optional(),
  /** Ids earlier releases gave this comment (content hashes), so what they saw stays seen. */
  aliases: z.array(z.string()).optional(),
  /** Texts earlier releases gave this comment, so a post made from one is not taken for an agent's edit. */
  formerTexts: z.array(z.string()).optional(),
});
export type Comment = z.infer<typeof Comment>;

/** A ticket with every comment the provider returns for it, in the provider's order. */
export const TicketSnapshot = z.object({ ticket: Ticket, comments: z.array(Comment) });
export type TicketSnapshot = z.infer<typeof TicketSnapshot>;

/**
 * Characters that show nothing: format characters (zero-width spaces and joiners, bidi controls,
 * the BOM, soft hyphens, tags), every kind of space, variation selectors, and the blank "letters"
 * (Hangul fillers, the braille blank) that pass for text but print as nothing.
 */
const INVISIBLE = /[\p{Cf}\p{White_Space}\u034f\u115f\u1160\u17b4\u17b5\u2800\u3164\uffa0\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;

/** Whether `text` shows anything once the characters that show nothing are taken out. */
export function isVisible(text: string): boolean {
  return text.replace(INVISIBLE, '') !== '';
}

/**
 * A vendor's time in one format (`toISOString`: UTC, milliseconds); undefined when absent or not a
 * time. Vendors write seconds, fractions and offsets each their own way, and times in one format
 * sort as strings.
 */
export function isoTime(time: string | null | undefined): string | undefined {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** A required text field: empty, or only invisible characters, is refused in the same words. */
const requiredText = (what: string) =>
  z
    .string({ error: `required: ${what}` })
    .trim()
    .min(1, `required: ${what}`)
    .refine(isVisible, `required: ${what} (invisible characters alone do not count)`);

export const OpenTicketInput = z.object({
  subject: requiredText('a short summary'),
  description: requiredText('what happened'),
  priority: Priority.optional(),
  category: z.string().optional(),
});
export type OpenTicketInput = z.infer<typeof OpenTicketInput>;

export const OPEN_FIELD_NAMES = ['subject', 'description', 'priority', 'category'] as const;
export type OpenFieldName = (typeof OPEN_FIELD_NAMES)[number];

/** One input of the open-ticket form, described neutrally so every front-end can render it. */
export interface OpenField {
  name: OpenFieldName;
  label: string;
  required: boolean;
  multiline?: boolean;
  maxLength?: number;
  /** Present for enumerations: the vendor's own values with human labels. */
  options?: readonly { value: string; label: string }[];
}

export interface ProviderCapabilities {
  close: boolean;
  reopen: boolean;
  rate: boolean;
  /** The provider can list tickets by update time, so idle polling costs about one call. */
  updatedSince: boolean;
  fields: readonly OpenField[];
}

/**
 * A chat conversation as the sink of its platform encodes it (`slack:C1:1700.1`, `discord:<thread id>`,
 * `console:<ticket id>`): see `ChatSink.encodeThread`. Opaque to the core, which only stores it.
 */
export type ThreadRef = string;

/** The link between a provider ticket and the chat thread that follows it. */
export const TicketLink = z.object({
  provider: ProviderId,
  ticketId: z.string(),
  /** Empty until the ticket's card is posted (the `open_card` delivery), then where it lives. */
  thread: z.string(),
  /** The message that shows the ticket card, if the bot keeps one (platform-specific ref). */
  card: z.string().optional(),
  requester: Requester,
  subject: z.string(),
  status: TicketStatus,
  vendorStatus: z.string(),
  priority: Priority.optional(),
  createdAt: z.string(),
  /** Bumped on every status change the relay posts; part of the post's idempotency key. */
  statusVersion: z.number().int().default(0),
  /** When the relay first saw it closed or resolved; it stays followed for FOLLOW_UP_DAYS after. */
  closedAt: z.string().optional(),
});
export type TicketLink = z.infer<typeof TicketLink>;

/** Closed or resolved: the card offers Reopen, and the relay follows it only for the follow-up window. */
export function isClosed(status: TicketStatus): boolean {
  return status === 'closed' || status === 'resolved';
}
