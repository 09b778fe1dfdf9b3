import { StoreUnavailable } from '../src/errors.js';
import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import type { ChatContext, Reply } from './types.js';

/**
 * Opens a ticket from a submitted form: validate, create at the provider, start the thread with
 * the card, store the link. Validation errors come back as field errors with nothing sent.
 */
export async function openTicket(service: TicketService, ctx: ChatContext, form: unknown): Promise<Reply> {
  let snapshot;
  try {
    snapshot = await service.open(form, ctx.actor.requester);
  } catch (error) {
    return replyForError(error, service.providerName);
  }
  const { ticket } = snapshot;
  const preview = service.preview(snapshot, ctx.actor.requester);
  try {
    const { thread, cardRef } = await ctx.startThread(preview);
    const link = await service.link(snapshot, thread, ctx.actor.requester, cardRef);
    return { ok: true, ephemeral: true, text: `Ticket #${ticket.id} opened with ${service.providerName}.`, card: service.card(link), thread };
  } catch (error) {
    // The ticket exists at the provider: say so, so the person can follow it there.
    const why = error instanceof StoreUnavailable ? 'the ticket store is unreachable, so this chat cannot follow it yet' : 'its thread could not be posted here';
    return {
      ok: false,
      ephemeral: true,
      text: `Ticket #${ticket.id} was opened with ${service.providerName}, but ${why}. Use /ticket status ${ticket.id}.`,
      card: preview,
    };
  }
}
