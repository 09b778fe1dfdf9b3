import { z } from 'zod';
import { CommentOrigin, Priority, Requester, TicketStatus } from '../../src/domain.js';

/** A ticket as the local desk stores it. Comments live under keys of their own (see desk.ts). */
export const DeskTicket = z.object({
  id: z.string(),
  subject: z.string(),
  description: z.string(),
  status: TicketStatus,
  priority: Priority.optional(),
  category: z.string().optional(),
  requester: Requester,
  createdAt: z.string(),
  updatedAt: z.string(),
  rating: z.object({ score: z.number(), comment: z.string().optional() }).optional(),
});
export type DeskTicket = z.infer<typeof DeskTicket>;

export const DeskComment = z.object({
  id: z.string(),
  ticketId: z.string(),
  origin: CommentOrigin,
  author: z.string(),
  text: z.string(),
  createdAt: z.string(),
});
export type DeskComment = z.infer<typeof DeskComment>;
