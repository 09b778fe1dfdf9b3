import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { t } from './i18n.js';
import { mayAct } from './permissions.js';
import type { Answer, ChatContext, Reply } from './types.js';

export async function reopenTicket(service: TicketService, ctx: ChatContext, ticketId: string, text?: string): Promise<Answer> {
  try {
    const link = await service.reopen(ticketId, text, ctx.actor);
    return { ok: true, text: t(ctx.locale, 'close.done', { id: ticketId, status: link.vendorStatus }), card: service.card(link) };
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
}

/** The card's Reopen button: a small form asking why, or the refusal before anyone types a reason for nothing. */
export async function reopenForm(service: TicketService, ctx: ChatContext, ticketId: string): Promise<Reply> {
  return (await mayAct(service, ctx, ticketId, 'reopen')) ?? { form: 'reopen', ticketId };
}
