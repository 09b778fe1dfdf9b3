import type { Comment, Ticket, TicketSnapshot } from '../../src/domain.js';
import { statusTable } from '../../src/provider-kit/adapter-kit.js';
import type { ToStatus } from '../../src/provider.js';
import type { DeskComment, DeskTicket } from './schemas.js';

/** The desk keeps the neutral statuses; these are the words people see for them. */
export const toStatus: ToStatus = statusTable({
  open: ['open', 'open'],
  in_progress: ['in_progress', 'in progress'],
  waiting: ['waiting', 'waiting for you'],
  resolved: ['resolved', 'resolved'],
  closed: ['closed', 'closed'],
});

export function toTicket(desk: DeskTicket): Ticket {
  return {
    id: desk.id,
    provider: 'local',
    subject: desk.subject,
    description: desk.description,
    ...toStatus(desk.status),
    ...(desk.priority ? { priority: desk.priority } : {}),
    ...(desk.category ? { category: desk.category } : {}),
    createdAt: desk.createdAt,
    updatedAt: desk.updatedAt,
  };
}

export function toComment(desk: DeskComment): Comment {
  const files = (desk.files ?? []).map((f) => ({ name: f.name, contentType: f.contentType, size: f.size, ref: f.sha256 }));
  return { id: desk.id, ticketId: desk.ticketId, origin: desk.origin, author: desk.author, text: desk.text, createdAt: desk.createdAt, ...(files.length ? { files } : {}) };
}

export function toSnapshot(ticket: DeskTicket, comments: DeskComment[]): TicketSnapshot {
  return { ticket: toTicket(ticket), comments: comments.map(toComment) };
}
