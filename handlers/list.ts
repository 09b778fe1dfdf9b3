import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { t } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

/** The requester's own tickets, newest first; only they see the answer. */
export async function listTickets(service: TicketService, ctx: ChatContext): Promise<Answer> {
  let links;
  try {
    links = await service.listMine(ctx.actor.requester);
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
  if (links.length === 0) return { ok: true, text: t(ctx.locale, 'list.empty'), tickets: [] };
  const tickets = links.map((link) => service.card(link));
  const text = tickets.map((t) => `#${t.ticketId} ${t.subject} (${t.vendorStatus})`).join('\n');
  return { ok: true, text, tickets };
}
