import { StoreUnavailable } from '../src/errors.js';
import type { TicketService } from '../src/service.js';
import type { Draft } from './command.js';
import { replyForError } from './errors.js';
import { translator } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

/**
 * Opens a ticket from a submitted form: validate, create at the provider, start the thread with
 * the card, store the link. Validation errors come back as field errors with nothing sent.
 */
export async function openTicket(service: TicketService, ctx: ChatContext, form: unknown): Promise<Answer> {
  const t = translator(ctx.locale);
  const provider = service.providerName;
  let snapshot;
  try {
    snapshot = await service.open(form, ctx.actor.requester);
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
  const { ticket } = snapshot;
  const preview = service.preview(snapshot, ctx.actor.requester);
  try {
    const { thread, cardRef } = await ctx.startThread(preview);
    const link = await service.link(snapshot, thread, ctx.actor.requester, cardRef);
    return { ok: true, text: t('open.done', { id: ticket.id, provider }), card: service.card(link), thread };
  } catch (error) {
    ctx.logger.error('ticket opened at the provider, but its thread could not be started or linked', { ticketId: ticket.id, error });
    // The ticket exists at the provider: say so, so the person can follow it there.
    const text = t(error instanceof StoreUnavailable ? 'open.unlinkedStore' : 'open.unlinkedPost', { id: ticket.id, provider });
    return { ok: false, text, card: preview };
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
