import type { TicketLink } from '../src/domain.js';
import type { Requester } from '../src/domain.js';
import type { TicketService } from '../src/service.js';
import type { Draft } from './command.js';
import { translator, type Locale } from './i18n.js';

// Words shorter than this carry little meaning in a subject ("a", "is", "on", "не").
const MIN_WORD = 3;
/** Share of the shorter subject's words the other must have for the two to count as close. */
const CLOSE_SHARE = 0.6;

function words(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length >= MIN_WORD));
}

/**
 * Whether two subjects name the same trouble: most words of the shorter one (at least two, or all
 * of a one-word subject) appear in the other. A small token-overlap measure: subjects are short,
 * and a person reads the prompt before anything happens, so a near miss costs one click.
 */
export function closeSubjects(a: string, b: string): boolean {
  const [x, y] = [words(a), words(b)];
  const shorter = Math.min(x.size, y.size);
  if (shorter === 0) return false;
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared >= Math.min(2, shorter) && shared / shorter >= CLOSE_SHARE;
}

/** The requester's newest open ticket whose subject is close to the new one's, if any. */
export async function similarOpenTicket(service: TicketService, requester: Requester, draft: Draft): Promise<TicketLink | undefined> {
  const subject = draft.subject?.trim();
  if (!subject) return undefined;
  const open = await service.listMine(requester, 'open');
  return open.find((link) => closeSubjects(link.subject, subject));
}

/** "You already have #12 'VPN drops…' open", in the person's language. */
export function similarPrompt(link: TicketLink, locale: Locale | undefined): string {
  return translator(locale)('similar.found', { id: link.ticketId, subject: link.subject });
}

/** What "Add to #12" sends: the new form's subject and description, as one comment. */
export function draftAsComment(draft: Draft): string {
  return [draft.subject?.trim(), draft.description?.trim()].filter(Boolean).join('\n\n');
}
