import type { ReplyRequest, TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import type { Reply } from './types.js';

/** A message in a ticket's thread becomes a comment, through the outbox. Undefined: not a ticket thread. */
export async function replyToTicket(service: TicketService, input: ReplyRequest): Promise<Reply | undefined> {
  try {
    const result = await service.reply(input);
    if (!result) return input.ticketId ? { ok: false, ephemeral: true, text: `No ticket #${input.ticketId} that you can see.` } : undefined;
    const text = result.queued ? `Sent to ${service.providerName} on #${result.link.ticketId}.` : 'Already sent.';
    return { ok: true, ephemeral: true, text };
  } catch (error) {
    return replyForError(error, service.providerName);
  }
}
