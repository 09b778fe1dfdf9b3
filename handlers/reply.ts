import type { Logger } from '../src/logger.js';
import type { ReplyRequest, TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { fileNotesText } from './files.js';
import { translator, type Locale } from './i18n.js';
import type { Answer } from './types.js';

/**
 * None of the vendors' APIs edits or deletes a comment, so an edited chat message follows as a
 * comment quoting its new text, and a deleted one as a short note.
 */
export const editedText = (text: string): string => `edited: ${text}`;
export const DELETED_TEXT = 'deleted a message';

/** A message in a ticket's thread becomes a comment, through the outbox. Undefined: not a ticket thread. */
export async function replyToTicket(service: TicketService, input: ReplyRequest, logger: Logger, locale?: Locale): Promise<Answer | undefined> {
  const t = translator(locale);
  try {
    const result = await service.reply(input);
    if (!result) return undefined;
    const sent = result.queued ? t('reply.sent', { provider: service.providerName, id: result.link.ticketId }) : t('reply.already');
    // A file left out, or sent as a link: said even where a plain success is silent.
    if (result.notes.length) return { ok: true, text: fileNotesText(result.notes, t).join('\n'), notice: true };
    return { ok: true, text: sent };
  } catch (error) {
    return replyForError(error, service.providerName, { logger, locale });
  }
}

/** `/ticket reply <id> <text>`: by id the core lets only the requester and staff write. */
export async function replyById(service: TicketService, input: ReplyRequest & { ticketId: string }, logger: Logger, locale?: Locale): Promise<Answer> {
  return (await replyToTicket(service, input, logger, locale)) ?? { ok: false, text: translator(locale)('error.noTicket', { id: input.ticketId }) };
}
