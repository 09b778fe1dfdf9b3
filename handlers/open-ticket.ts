import type { IncomingFile } from '../src/files.js';
import type { TicketService } from '../src/service.js';
import type { Draft } from './command.js';
import { replyForError } from './errors.js';
import { fileNotesText } from './files.js';
import { translator } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

/**
 * Opens a ticket from a submitted form: validate, create at the provider, link it to the person at
 * once, and queue its card (posted by the outbox, where `ctx.place` says, or in a DM). Validation
 * errors come back as field errors with nothing sent. `submission` is the platform's id of the
 * form submission or command; `files`, those posted with the form.
 */
export async function openTicket(service: TicketService, ctx: ChatContext, form: unknown, submission: string, files: readonly IncomingFile[] = []): Promise<Answer> {
  const t = translator(ctx.locale);
  try {
    const { link, notes } = await service.openInChat(form, ctx.actor.requester, { place: ctx.place, submission, files });
    const thread = ctx.threadWaitMs ? await service.threadOf(link.ticketId, ctx.threadWaitMs) : undefined;
    // The notes (a file left out) follow the sentence saying the ticket is open, a line each.
    const text = [t('open.done', { id: link.ticketId, provider: service.providerName }), ...fileNotesText(notes, t)].join('\n');
    return { ok: true, text, card: service.card(link), ...(thread ? { thread } : {}) };
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
}

/**
 * The open form filled from a chat message ("open a ticket from this message"): its first line as
 * the subject, cut to `subjectMax` characters, and all of it as the description, followed by where
 * it was written when the platform says.
 */
export function draftFromMessage(text: string, where: { subjectMax: number; source?: string | undefined }): Draft {
  const body = text.trim();
  const firstLine = body.split('\n')[0]?.trim() ?? '';
  const subject = firstLine.length <= where.subjectMax ? firstLine : `${firstLine.slice(0, where.subjectMax - 1)}…`;
  return { subject, description: where.source ? `${body}\n\n${where.source}` : body };
}
