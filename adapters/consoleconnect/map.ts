import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { editStableIds, matchKey, optional, statusTable, twinIds } from '../../src/provider-kit/adapter-kit.js';
import { isoTime, type Comment, type OpenField, type OpenTicketInput, type Priority, type Requester, type Ticket } from '../../src/domain.js';
import { defaultErrorMessage } from '../../src/provider-kit/http.js';
import { attributedText, attributionOf, type ToStatus } from '../../src/provider.js';
import { ISSUE_TYPES, type CreateTicketBody, type IssueType, type WireNote, type WireTicket } from './schemas.js';

/** The open-ticket form: Console Connect takes a name, a description and an issue type, nothing else. */
export const OPEN_FIELDS: readonly OpenField[] = [
  // No length limits are published for name or description, so none are enforced here.
  { name: 'subject', label: 'Title', required: true },
  { name: 'description', label: 'Description', required: true, multiline: true },
  {
    name: 'category',
    label: 'Issue type',
    required: false,
    // The vendor's strings already read as labels ("Circuit Down", "Packet Loss/Drops").
    options: ISSUE_TYPES.map((value) => ({ value, label: value })),
  },
];

/** The vendor's spelling of an issue type, forgiving case and spacing ("slow response"). */
function issueTypeOf(category: string): IssueType | undefined {
  const wanted = matchKey(category);
  return ISSUE_TYPES.find((type) => matchKey(type) === wanted);
}

/** What Console Connect would reject, or what we could not send, found before any call. */
export function validateOpen(input: OpenTicketInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!input.subject?.trim()) errors.subject = 'Enter a title.';
  if (!input.description?.trim()) errors.description = 'Describe the problem.';
  if (input.category !== undefined && input.category.trim() && !issueTypeOf(input.category)) {
    errors.category = `Pick one of Console Connect's issue types: ${ISSUE_TYPES.join(', ')}.`;
  }
  // A priority, if one arrives (the console may send it), is dropped: the API takes none.
  return errors;
}

/** The create body. The requester is named in the description, since the API has no contact field we can fill. */
export function toCreateBody(input: OpenTicketInput, requester: Requester, fallback: IssueType): CreateTicketBody {
  const chosen = input.category?.trim() ? issueTypeOf(input.category) : undefined;
  return {
    name: input.subject.trim(),
    description: attributedText(input.description, requester),
    issueType: chosen ?? fallback,
  };
}

/**
 * Console Connect's status words (Remedy's, with TMF621's camelCase) onto the neutral lifecycle.
 * Unknown words never throw: they go to the closest neutral status and stay in vendorStatus.
 */
export const toStatus: ToStatus = statusTable({
  new: 'open',
  open: 'open',
  submitted: 'open',
  acknowledged: 'open',
  assigned: 'in_progress',
  inProgress: 'in_progress',
  pending: 'waiting',
  held: 'waiting',
  onHold: 'waiting',
  resolved: 'resolved',
  closed: 'closed',
  cancelled: 'closed',
  canceled: 'closed',
  rejected: 'closed',
});

/** `priority[]`'s items have no published shape; a recognisable word in the first one is used, else none. */
export function toPriority(items: readonly unknown[] | null | undefined): Priority | undefined {
  const first = items?.[0];
  const record = typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : {};
  const raw = typeof first === 'string' ? first : [record.name, record.value, record.priority].find((v) => typeof v === 'string');
  const word = typeof raw === 'string' ? matchKey(raw) : '';
  if (/critical|urgent|highest/.test(word)) return 'urgent';
  if (/high|major/.test(word)) return 'high';
  if (/medium|normal|moderate/.test(word)) return 'normal';
  if (/low|minor/.test(word)) return 'low';
  return undefined;
}

export function toTicket(wire: WireTicket): Ticket {
  return {
    id: wire.id,
    provider: 'consoleconnect',
    subject: wire.name,
    description: wire.description ?? '',
    ...toStatus(wire.status),
    ...optional('priority', toPriority(wire.priority)),
    // `ticketType` ("Incident") is the vendor's record kind, not the issue type the person chose.
    ...optional('category', wire.issueType ?? undefined),
    ...optional('createdAt', isoDate(wire.creationDate)),
  };
}

/**
 * Notes in the vendor's order. There is no agent/customer flag: a note that carries the bot's
 * attribution line (see `attributedText`) is the customer's, every other note is support's. The
 * text is returned exactly as stored, so the relay's fingerprint of what the bot sent matches it.
 */
export function toComments(wire: WireTicket): Comment[] {
  // Notes without ids go by author and date, so an edited note keeps its id; without a date
  // there is nothing but the text to tell them apart.
  const idOf = twinIds('~');
  const stableOf = editStableIds('d:', '~');
  return (wire.notes ?? []).map((note) => {
    const text = noteText(note);
    const ours = attributionOf(text);
    const author = authorName(note.author);
    const legacy = 'n:' + hash(`${author}\u0000${note.date ?? ''}\u0000${text}`);
    const ids = note.id != null ? { id: idOf(String(note.id)) } : note.date ? stableOf(author, note.date, legacy) : { id: idOf(legacy) };
    return {
      ...ids,
      ticketId: wire.id,
      origin: ours === undefined ? 'agent' : 'customer',
      author: ours ?? (author || 'Console Connect support'),
      text,
      ...optional('createdAt', isoDate(note.date)),
    };
  });
}

/**
 * The error body is not published [assumed]. Where it carries a bare reason phrase in `error`
 * ("Bad Request") beside a real sentence in `message`, the sentence is what a person needs.
 */
export function errorMessage(body: unknown): string | undefined {
  if (typeof body === 'object' && body !== null) {
    const { error, message } = body as Record<string, unknown>;
    const generic = typeof error === 'string' && Object.values(STATUS_CODES).includes(error);
    const text = Array.isArray(message) ? message.filter((m) => typeof m === 'string').join('; ') : message;
    if (generic && typeof text === 'string' && text.trim()) return text.trim().slice(0, 300);
  }
  return defaultErrorMessage(body);
}

function noteText(note: WireNote): string {
  return typeof note.text === 'string' ? note.text : (note.noteText ?? '');
}

function authorName(author: WireNote['author']): string {
  if (typeof author === 'string') return author.trim();
  if (!author) return '';
  return (author.name ?? author.email ?? (author.id === undefined ? '' : String(author.id))).trim();
}

/** `2023-01-01T01:02:03.000+0000` as ISO 8601; an unparseable date is kept as the vendor wrote it. */
function isoDate(value: string | null | undefined): string | undefined {
  return isoTime(value) ?? (value || undefined);
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}
