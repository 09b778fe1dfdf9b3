import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import type { ChatContext, Reply } from './types.js';

export async function closeTicket(service: TicketService, ctx: ChatContext, ticketId: string): Promise<Reply> {
  try {
    const link = await service.close(ticketId, ctx.actor);
    return { ok: true, ephemeral: true, text: `Ticket #${ticketId} is now ${link.vendorStatus}.`, card: service.card(link) };
  } catch (error) {
    return replyForError(error, service.providerName);
  }
}
