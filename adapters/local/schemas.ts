import { z } from 'zod';
import { CommentOrigin, Priority, Requester, TicketStatus } from '../../src/domain.js';

/** A file kept with a comment or the description: its bytes are in the desk's data directory under `sha256`. */
export const DeskFile = z.object({ name: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type DeskFile = z.infer<typeof DeskFile>;

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
  /** Files posted with the open form, kept with the description. */
  files: z.array(DeskFile).optional(),
});
export type DeskTicket = z.infer<typeof DeskTicket>;

export const DeskComment = z.object({
  id: z.string(),
  ticketId: z.string(),
  origin: CommentOrigin,
  author: z.string(),
  text: z.string(),
  createdAt: z.string(),
  files: z.array(DeskFile).optional(),
});
export type DeskComment = z.infer<typeof DeskComment>;
