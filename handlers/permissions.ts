import { ForbiddenError } from '../src/errors.js';
import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { t } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

/**
 * Undefined when the actor may act on the ticket (its requester, or staff); otherwise the
 * refusal to show them. Checked before a form opens, so nobody fills in a form for nothing.
 */
export async function mayAct(service: TicketService, ctx: ChatContext, ticketId: string, verb: 'close' | 'reopen' | 'rate'): Promise<Answer | undefined> {
  try {
    await service.status(ticketId, ctx.actor);
    return undefined;
  } catch (error) {
    if (error instanceof ForbiddenError) {
      return { ok: false, text: t(ctx.locale, `permission.${verb}`, { id: ticketId }) };
    }
    return replyForError(error, service.providerName, ctx);
  }
}
