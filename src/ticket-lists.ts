import { isClosed, type TicketLink } from './domain.js';
import { compareTicketIds, newestFirst, type LinkStore } from './links.js';
import type { Actor } from './service-types.js';

/** Which of a person's tickets a list shows; `recent` is the open ones and those closed within FOLLOW_UP_DAYS. */
export const TICKET_FILTERS = ['recent', 'open', 'closed', 'all'] as const;
export type TicketFilter = (typeof TICKET_FILTERS)[number];

/** `links` (newest first) as `which` chooses; `recentMs` is how long a closed ticket counts as recent. */
export function filterTickets(links: TicketLink[], which: TicketFilter, now: number, recentMs: number): TicketLink[] {
  const recent = (l: TicketLink) => l.closedAt !== undefined && now - Date.parse(l.closedAt) < recentMs;
  switch (which) {
    case 'all':
      return links;
    case 'open':
      return links.filter((l) => !isClosed(l.status));
    case 'closed':
      return links.filter((l) => isClosed(l.status));
    case 'recent':
      return links.filter((l) => !isClosed(l.status) || recent(l));
  }
}

/**
 * Tickets an actor may name whose id starts with `typed` (or whose subject holds it), newest
 * first, at most `limit`: their own (`mine`), and for staff every open ticket too. For
 * suggestions as an id is typed.
 */
export async function nameableTickets(links: LinkStore, mine: TicketLink[], actor: Actor, typed: string, limit: number): Promise<TicketLink[]> {
  const text = typed.trim().replace(/^#/, '').toLowerCase();
  const matches = (link: TicketLink): boolean => link.ticketId.toLowerCase().startsWith(text) || link.subject.toLowerCase().includes(text);
  const own = mine.filter(matches);
  if (!actor.isStaff) return own.slice(0, limit);
  const highestId = (a: string, b: string): number => compareTicketIds(b, a);
  const open = (await links.openTickets()).filter((id) => id.toLowerCase().startsWith(text)).sort(highestId).slice(0, limit);
  const others = await Promise.all(open.filter((id) => !own.some((l) => l.ticketId === id)).map((id) => links.get(id)));
  const all = [...own, ...others.filter((l): l is TicketLink => l !== undefined)];
  return all.sort((a, b) => highestId(a.ticketId, b.ticketId)).slice(0, limit);
}

/** Every linked ticket not closed, newest first: what staff follow. */
export async function openTickets(links: LinkStore): Promise<TicketLink[]> {
  const found = await Promise.all((await links.openTickets()).map((id) => links.get(id)));
  return found.filter((l): l is TicketLink => l !== undefined).sort(newestFirst);
}
