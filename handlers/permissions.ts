import { ForbiddenError } from '../src/errors.js';
import type { Actor, TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import type { Reply } from './types.js';

/**
 * Undefined when the actor may act on the ticket (its requester, or staff); otherwise the
 * refusal to show them. Checked before a form opens, so nobody fills in a form for nothing.
 */
export async function mayAct(service: TicketService, ticketId: string, actor: Actor, verb: 'close' | 'reopen' | 'rate'): Promise<Reply | undefined> {
  try {
    await service.status(ticketId, actor);
    return undefined;
  } catch (error) {
    if (error instanceof ForbiddenError) {
      return { ok: false, ephemeral: true, text: `Only the person who opened ticket #${ticketId}, or support staff, can ${verb} it.` };
    }
    return replyForError(error, service.providerName);
  }
}
