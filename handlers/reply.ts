import type { Logger } from '../src/logger.js';
import type { ReplyRequest, TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import type { Answer } from './types.js';

/**
 * None of the vendors' APIs edits or deletes a comment, so an edited chat message follows as a
 * comment quoting its new text, and a deleted one as a short note.
 */
export const editedText = (text: string): string => `edited: ${text}`;
export const DELETED_TEXT = 'deleted a message';

/** A message in a ticket's thread becomes a comment, through the outbox. Undefined: not a ticket thread. */
export async function replyToTicket(service: TicketService, input: ReplyRequest, logger: Logger): Promise<Answer | undefined> {
  try {
    const result = await service.reply(input);
    if (!result) return undefined;
    const sent = result.queued ? `Sent to ${service.providerName} on #${result.link.ticketId}.` : 'Already sent.';
    // A file left out, or sent as a link: said even where a plain success is silent.
    if (result.notes.length) return { ok: true, text: result.notes.join('\n'), notice: true };
    return { ok: true, text: sent };
  } catch (error) {
    return replyForError(error, service.providerName, logger);
  }
}

/** `/ticket reply <id> <text>`: by id the core lets only the requester and staff write. */
export async function replyById(service: TicketService, input: ReplyRequest & { ticketId: string }, logger: Logger): Promise<Answer> {
  return (await replyToTicket(service, input, logger)) ?? { ok: false, text: `No ticket #${input.ticketId} that you can see.` };
}
