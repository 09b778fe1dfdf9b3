import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { t } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

export async function closeTicket(service: TicketService, ctx: ChatContext, ticketId: string): Promise<Answer> {
  try {
    const link = await service.close(ticketId, ctx.actor);
    return { ok: true, text: t(ctx.locale, 'close.done', { id: ticketId, status: link.vendorStatus }), card: service.card(link) };
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
}
