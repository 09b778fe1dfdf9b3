import type { TicketCard } from './chat.js';
import type { Delivery } from './delivery/jobs.js';
import type { OutboxJob } from './delivery/outbox.js';
import type { Requester, ThreadRef, TicketLink } from './domain.js';
import type { FileNote, IncomingFile } from './files.js';

// What the ticket service takes and answers: the contract the front-ends and handlers work against.

/** Who is acting, and whether they are staff (may act on anyone's ticket). */
export interface Actor {
  requester: Requester;
  isStaff: boolean;
}

/** Where a new ticket comes from: the front-end's ref of where its card goes, and the submission's own id. */
export interface OpenRequest {
  /** A ref the front-end's sink decodes (`ChatSink.decodePlace`): a channel, and who asked. */
  place: string;
  /** The platform's id of the form submission or command: it names the opening record and its marker. */
  submission: string;
  /** Files posted with the form; downloaded only when within the size limit. */
  files?: readonly IncomingFile[];
}

/** A ticket opened from chat, and what the person should hear about the files posted with it. */
export interface OpenResult {
  link: TicketLink;
  notes: FileNote[];
}

/** A ticket as `/ticket status` shows it: its link, its card, and its deliveries not yet done. */
export interface TicketStatusView {
  link: TicketLink;
  card: TicketCard;
  pending: OutboxJob<Delivery>[];
  failed: OutboxJob<Delivery>[];
}

/** A chat message for a ticket, from its thread or by id. */
export interface ReplyRequest {
  /** The thread the message was written in, or the ticket id typed with the command. */
  thread?: ThreadRef;
  ticketId?: string;
  text: string;
  author: Requester;
  /** Staff may write on any ticket by id. */
  isStaff?: boolean;
  /** The platform's id of the message: a redelivery of it must not make a second comment. */
  eventKey: string;
  /** Files posted with the message; downloaded only when within the size limit. */
  files?: readonly IncomingFile[];
}

/** What became of a reply: queued (false when the event was queued before), and what the person should hear. */
export interface ReplyResult {
  link: TicketLink;
  queued: boolean;
  /** Files left out (too large, not downloadable), or that support got links instead of files. */
  notes: FileNote[];
}
