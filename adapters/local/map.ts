import type { Comment, Ticket, TicketSnapshot } from '../../src/domain.js';
import type { DeskComment, DeskTicket } from './schemas.js';

const STATUS_WORDS = { open: 'open', in_progress: 'in progress', waiting: 'waiting for you', resolved: 'resolved', closed: 'closed' } as const;

export function toTicket(desk: DeskTicket): Ticket {
  return {
    id: desk.id,
    provider: 'local',
    subject: desk.subject,
    description: desk.description,
    status: desk.status,
    vendorStatus: STATUS_WORDS[desk.status],
    ...(desk.priority ? { priority: desk.priority } : {}),
    ...(desk.category ? { category: desk.category } : {}),
    createdAt: desk.createdAt,
    updatedAt: desk.updatedAt,
  };
}

export function toComment(desk: DeskComment): Comment {
  return { id: desk.id, ticketId: desk.ticketId, origin: desk.origin, author: desk.author, text: desk.text, createdAt: desk.createdAt };
}

export function toSnapshot(ticket: DeskTicket, comments: DeskComment[]): TicketSnapshot {
  return { ticket: toTicket(ticket), comments: comments.map(toComment) };
}
