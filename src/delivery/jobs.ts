import type { FailureCause } from './failure-cause.js';
import { z } from 'zod';
import { CommentMessage, DeliveryFailedMessage, StatusMessage } from '../chat.js';
import { Requester, type Comment, type ProviderId, type TicketLink, type TicketStatus } from '../domain.js';
import { FileRef } from '../files.js';

/**
 * Every delivery the outbox carries, one schema per kind. A job's `key` is its idempotency key (one
 * job per key, ever), derived from the identity of what caused it, so a repeated cause maps to the
 * same job; its `lane` is the ticket and direction whose jobs run one at a time, in order. Both are
 * built here, by one constructor per kind, and nowhere else. The stored records keep these key
 * formats across releases: a key that changed would let a job already delivered run again.
 *
 * Adding a kind: its schema in `Delivery`, its constructor below, its entry in `CHECKS_OUTCOME` and
 * its branch in `deliver` (src/delivery/deliver.ts); the compiler asks for the last two.
 */
const jobSchema = <Kind extends string, Payload extends z.ZodRawShape>(kind: Kind, payload: Payload) =>
  z.object({ kind: z.literal(kind), key: z.string(), lane: z.string(), ticketId: z.string(), payload: z.object(payload) });

/**
 * chat → provider: a reply in the thread, as a comment, with the files posted with it (their bytes
 * in the store, see src/files.ts). Key `comment:<platform event id>`.
 */
const CommentJob = jobSchema('comment', { thread: z.string(), text: z.string(), author: Requester, files: z.array(FileRef).optional() });
/** provider → chat: an agent's comment. Key `post:<provider>:<ticket>:<comment id>`. */
const PostJob = jobSchema('post', { thread: z.string(), message: CommentMessage });
/**
 * provider → chat: an agent edited a comment already posted; the post (`postKey`, the `post` job's
 * key) is edited in place. Key `edit:<provider>:<ticket>:<comment id>:<text fingerprint>`.
 */
const PostEditJob = jobSchema('post_edit', { thread: z.string(), postKey: z.string(), message: CommentMessage });
/** provider → chat: a status change. Key `status:<provider>:<ticket>:<status version>`. */
const StatusJob = jobSchema('status', { thread: z.string(), message: StatusMessage });
/** provider → chat: the card redrawn from the link as it is when the job runs. Key `card:<provider>:<ticket>:<status version>`. */
const CardJob = jobSchema('card', { thread: z.string() });
/**
 * → chat: a new ticket's card, posted where its requester asked (`place`, the front-end's own ref),
 * or in a DM with them when that place refuses the bot. Key `open:<provider>:<ticket>`: one card per ticket, ever.
 */
const OpenCardJob = jobSchema('open_card', { place: z.string() });
/** → chat: a reply the provider refused for good. Key `failed:<failed job key>:<its attempts>`. */
const FailureNoticeJob = jobSchema('failure_notice', { thread: z.string(), message: DeliveryFailedMessage });

const Delivery = z.discriminatedUnion('kind', [CommentJob, PostJob, PostEditJob, StatusJob, CardJob, OpenCardJob, FailureNoticeJob]);
export type Delivery = z.infer<typeof Delivery>;
export type CommentJob = z.infer<typeof CommentJob>;
export type PostJob = z.infer<typeof PostJob>;
type StatusJob = z.infer<typeof StatusJob>;
type CardJob = z.infer<typeof CardJob>;
export type OpenCardJob = z.infer<typeof OpenCardJob>;
type FailureNoticeJob = z.infer<typeof FailureNoticeJob>;

/**
 * The remote has no idempotency key, so after an attempt whose outcome is unknown the job reads
 * the remote before writing again; the outbox marks each attempt of these kinds outcome-unknown
 * before it starts. Chat posts carry their key to the platform instead (metadata, nonce).
 */
const CHECKS_OUTCOME = {
  comment: true,
  post: false,
  post_edit: false,
  status: false,
  card: false,
  open_card: false,
  failure_notice: false,
} as const satisfies Record<Delivery['kind'], boolean>;

export function checksOutcome(job: Delivery): boolean {
  return CHECKS_OUTCOME[job.kind];
}

/** The ticket and thread a job is about. */
type LinkRef = Pick<TicketLink, 'provider' | 'ticketId' | 'thread'>;

/** Jobs of one ticket and direction share a lane, so they run in order. */
function laneOf(direction: 'chat' | 'provider', provider: ProviderId, ticketId: string): string {
  return `${direction}:${provider}:${ticketId}`;
}

/** `reply.eventKey` is the platform's id of the message, so a redelivered event is the same job. */
export function commentJob(link: LinkRef, reply: { eventKey: string; text: string; author: Requester; files?: FileRef[] }): CommentJob {
  const { text, author, files } = reply;
  return {
    kind: 'comment',
    key: commentKey(reply.eventKey),
    lane: laneOf('provider', link.provider, link.ticketId),
    ticketId: link.ticketId,
    payload: { thread: link.thread, text, author, ...(files?.length ? { files } : {}) },
  };
}

/** The outbox key of the comment a chat message with this platform id becomes. */
export function commentKey(eventKey: string): string {
  return `comment:${eventKey}`;
}

export function postJob(link: LinkRef, comment: Pick<Comment, 'id' | 'author' | 'text' | 'files'>): PostJob {
  const { author, text, files } = comment;
  return {
    kind: 'post',
    key: `post:${link.provider}:${link.ticketId}:${comment.id}`,
    lane: laneOf('chat', link.provider, link.ticketId),
    ticketId: link.ticketId,
    payload: { thread: link.thread, message: { kind: 'comment', ticketId: link.ticketId, author, text, ...(files?.length ? { files } : {}) } },
  };
}

/** `fingerprint` is of the comment's new text, so each edit is one job and a repeated read adds none. */
export function postEditJob(link: LinkRef, comment: Pick<Comment, 'id' | 'author' | 'text' | 'files'>, fingerprint: string): z.infer<typeof PostEditJob> {
  const post = postJob(link, comment);
  return {
    kind: 'post_edit',
    key: `edit:${link.provider}:${link.ticketId}:${comment.id}:${fingerprint}`,
    lane: post.lane,
    ticketId: link.ticketId,
    payload: { thread: link.thread, postKey: post.key, message: post.payload.message },
  };
}

/** `version` is the link's status version this change makes; `by` the chat user who caused it. */
export function statusJob(link: LinkRef, version: number, change: { status: TicketStatus; vendorStatus: string; by?: string | undefined }): StatusJob {
  const { status, vendorStatus, by } = change;
  return {
    kind: 'status',
    key: `status:${link.provider}:${link.ticketId}:${version}`,
    lane: laneOf('chat', link.provider, link.ticketId),
    ticketId: link.ticketId,
    payload: { thread: link.thread, message: { kind: 'status', ticketId: link.ticketId, status, vendorStatus, ...(by ? { by } : {}) } },
  };
}

export function cardJob(link: LinkRef, version: number): CardJob {
  return {
    kind: 'card',
    key: `card:${link.provider}:${link.ticketId}:${version}`,
    lane: laneOf('chat', link.provider, link.ticketId),
    ticketId: link.ticketId,
    payload: { thread: link.thread },
  };
}

/** The first job of a ticket's chat lane: everything relayed later waits behind its card. */
export function openCardJob(link: Pick<TicketLink, 'provider' | 'ticketId'>, place: string): OpenCardJob {
  return {
    kind: 'open_card',
    key: `open:${link.provider}:${link.ticketId}`,
    lane: laneOf('chat', link.provider, link.ticketId),
    ticketId: link.ticketId,
    payload: { place },
  };
}

/** Keyed by the failed job's attempts, so a retried reply that fails again is told again. */
export function failureNoticeJob(
  provider: ProviderId,
  failed: CommentJob & { attempts: number },
  reason: string,
  plain?: { provider: string; cause: FailureCause },
): FailureNoticeJob {
  const { ticketId, payload } = failed;
  return {
    kind: 'failure_notice',
    key: `failed:${failed.key}:${failed.attempts}`,
    lane: laneOf('chat', provider, ticketId),
    ticketId,
    payload: { thread: payload.thread, message: { kind: 'delivery_failed', ticketId, jobKey: failed.key, excerpt: excerptOf(failed), reason, ...plain } },
  };
}

/** The start of what a job writes, for `/ticket status` and failure notices; empty for chat posts. */
export function excerptOf(job: Delivery): string {
  return job.kind === 'comment' ? job.payload.text.slice(0, 200) : '';
}

/**
 * Stored jobs as this release reads them. Releases up to 76a1b58 stored status posts and failure
 * notices as `post` jobs carrying the message; such a record is read as the kind it is now (same
 * key, lane and payload), so jobs queued before an upgrade run once after it.
 */
const LegacyPost = z.looseObject({ kind: z.literal('post'), payload: z.looseObject({ message: z.looseObject({ kind: z.string() }) }) });

export const StoredDelivery = z.preprocess((raw) => {
  const legacy = LegacyPost.safeParse(raw);
  if (!legacy.success) return raw;
  const kind = legacy.data.payload.message.kind;
  if (kind === 'status') return { ...legacy.data, kind: 'status' };
  if (kind === 'delivery_failed') return { ...legacy.data, kind: 'failure_notice' };
  return raw;
}, Delivery);
