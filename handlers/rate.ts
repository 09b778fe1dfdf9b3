import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { t } from './i18n.js';
import { mayAct } from './permissions.js';
import type { Answer, ChatContext, Reply } from './types.js';

/** The score as typed or chosen; the core checks it is a whole number from 1 to 5. */
export interface Rating {
  score: unknown;
  comment?: string | undefined;
}

export async function rateTicket(service: TicketService, ctx: ChatContext, ticketId: string, rating: Rating): Promise<Answer> {
  try {
    await service.rate(ticketId, rating, ctx.actor);
    return { ok: true, text: t(ctx.locale, 'rate.done', { id: ticketId, score: String(rating.score) }) };
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
}

/** The card's Rate button: the rating form, or the refusal before anyone types a rating that cannot be accepted. */
export async function ratingForm(service: TicketService, ctx: ChatContext, ticketId: string): Promise<Reply> {
  return (await mayAct(service, ctx, ticketId, 'rate')) ?? { form: 'rate', ticketId };
}
