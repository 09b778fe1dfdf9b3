import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import type { ChatContext, Reply } from './types.js';

export async function rateTicket(
  service: TicketService,
  ctx: ChatContext,
  ticketId: string,
  score: unknown,
  comment?: string,
): Promise<Reply> {
  try {
    await service.rate(ticketId, { score, comment }, ctx.actor);
    return { ok: true, ephemeral: true, text: `Thanks! Rated #${ticketId} ${String(score)}/5.` };
  } catch (error) {
    return replyForError(error, service.providerName);
  }
}
