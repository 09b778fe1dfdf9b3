import type { TicketFilter, TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { translator } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

/** Tickets per page on every front-end: ten lines fit a Slack section, a Discord embed and a glance. */
export const PAGE_SIZE = 10;

/** The requester's own tickets, newest first, one page of them; only they see the answer. */
export async function listTickets(service: TicketService, ctx: ChatContext, ask: { page?: number | undefined; which?: TicketFilter | undefined } = {}): Promise<Answer> {
  const t = translator(ctx.locale);
  const which = ask.which ?? 'recent';
  let links;
  try {
    links = await service.listMine(ctx.actor.requester, which);
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
  if (links.length === 0) {
    const none = which === 'recent' ? 'list.noneRecent' : which === 'all' ? 'list.empty' : which === 'open' ? 'list.noneOpen' : 'list.noneClosed';
    return { ok: true, text: t(none), tickets: [], page: { number: 1, pages: 1, which } };
  }
  const pages = Math.ceil(links.length / PAGE_SIZE);
  const number = Math.min(Math.max(1, ask.page ?? 1), pages);
  const tickets = links.slice((number - 1) * PAGE_SIZE, number * PAGE_SIZE).map((link) => service.card(link));
  const lines = tickets.map((c) => `#${c.ticketId} ${c.subject} (${c.vendorStatus})`);
  if (pages > 1) lines.push(t('list.page', { page: number, pages, total: links.length }));
  return { ok: true, text: lines.join('\n'), tickets, page: { number, pages, which } };
}
