import type { Comment, CommentFile, OpenField, OpenTicketInput, Requester, Ticket, TicketStatus } from '../../src/domain.js';
import { statusTable } from '../../src/provider-kit/adapter-kit.js';
import { decodeMark, type Mark } from '../../src/provider-kit/update-walk.js';
import { attributedText, type ToStatus } from '../../src/provider.js';
import { STATUS_KEYS } from './routes.js';
import { BODY_MAX, CreateTicketRequest, SUMMARY_MAX, type SelectelComment, type SelectelTicket } from './schemas.js';
import { humanise, type CategoryChoice } from './categories.js';
import type { SelectelSettings } from './settings.js';

/** The description travels as the first comment, with the "— name (via chat)" line appended. */
const DESCRIPTION_MAX = BODY_MAX - 200;

/** Selectel's status keys onto the neutral lifecycle; a key not in the table goes to the closest one. */
export const toStatus: ToStatus = statusTable(STATUS_KEYS);

/** The ticket's status: its key, overruled by the old shape's `is_closed` and `is_resolved` flags. */
function statusOf(t: SelectelTicket): TicketStatus {
  if (t.isClosed) return 'closed';
  const { status } = toStatus(t.statusKey);
  if (t.isResolved && status !== 'closed') return 'resolved';
  // `is_await_client` is not read as `waiting`: it flips with every message, so the thread would
  // get a status line after each answer and each reply; the status key alone says where it stands.
  return status;
}

export function toTicket(t: SelectelTicket, description: string): Ticket {
  const category = t.categories[0];
  return {
    id: String(t.number),
    provider: 'selectel',
    subject: t.summary,
    description,
    status: statusOf(t),
    vendorStatus: t.statusKey,
    ...(category ? { category } : {}),
    ...(t.createdAt ? { createdAt: t.createdAt } : {}),
    ...(t.updatedAt ? { updatedAt: t.updatedAt } : {}),
  };
}

/**
 * A comment's files, known only by their UUIDs [seed]: the seed names no call that reads a file
 * from Selectel's storage, nor its name or size, so each is named by its id and the post tells
 * people support has it.
 */
function commentFiles(c: SelectelComment): CommentFile[] {
  return (c.files ?? []).flatMap((id) => (typeof id === 'string' && id.trim() ? [{ name: `file ${id.trim()}`, contentType: 'application/octet-stream' }] : []));
}

/** `is_client_author` false is support (named by `admin_author.name`), true the customer. */
export function toComment(ticketId: string, c: SelectelComment): Comment {
  const origin = c.is_client_author === true ? 'customer' : c.is_client_author === false ? 'agent' : 'unknown';
  const author =
    origin === 'agent' ? c.admin_author?.name?.trim() || 'Selectel support' : origin === 'customer' ? 'Customer' : 'Unknown';
  const files = commentFiles(c);
  return {
    id: String(c.id),
    ticketId,
    origin,
    author,
    text: c.body,
    ...(c.sent_at ? { createdAt: c.sent_at } : {}),
    ...(files.length ? { files } : {}),
  };
}

/**
 * Selectel keeps the description as the ticket's first comment (`comment_body` on create). When
 * the customer wrote that first comment it is the description, not part of the conversation.
 */
export function splitThread(ticketId: string, items: readonly SelectelComment[]): { description: string; comments: Comment[] } {
  const [first, ...rest] = items;
  if (first?.is_client_author === true) {
    return { description: first.body, comments: rest.map((c) => toComment(ticketId, c)) };
  }
  return { description: '', comments: items.map((c) => toComment(ticketId, c)) };
}

/**
 * Rate ticket takes `score` 1..10 yet the seed calls it "a two-point scale (like or dislike)".
 * Ends map to ends (1 → 1, 5 → 10) so either reading gets the extremes right; 3 lands just below
 * the middle, because "so-so" is not a like.
 */
const VOTE_SCORES = [1, 3, 5, 8, 10] as const;

export function toVoteScore(score: number): number | undefined {
  return Number.isInteger(score) ? VOTE_SCORES[score - 1] : undefined;
}

/**
 * Subject, description and the categories: the vendor's own list when it answered, else the
 * configured keys (SELECTEL_CATEGORY). No priority.
 */
export function openFields(settings: SelectelSettings, vendor: readonly CategoryChoice[] | undefined): OpenField[] {
  const fields: OpenField[] = [
    { name: 'subject', label: 'Subject', required: true, maxLength: SUMMARY_MAX },
    { name: 'description', label: 'Description', required: true, multiline: true, maxLength: DESCRIPTION_MAX },
  ];
  const choices = vendor ?? settings.categories.map((key) => ({ key, label: humanise(key) }));
  if (choices.length > 0) {
    const options = choices.map(({ key, label }) => ({ value: key, label }));
    fields.push({ name: 'category', label: 'Category', required: false, options });
  }
  return fields;
}

/** The category the ticket is filed under: the person's pick, else the configured default. */
export function categoryOf(input: OpenTicketInput, settings: SelectelSettings): string | undefined {
  return input.category?.trim() || settings.categories[0];
}

/**
 * What Selectel would refuse: over-long summary or body, a category outside the vendor's list.
 * SELECTEL_CATEGORY is the default, not an allow-list: while the vendor's list is unknown, Selectel
 * itself judges the key.
 */
export function validateOpen(input: OpenTicketInput, vendor: readonly CategoryChoice[] | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  const subject = input.subject.trim();
  if (subject === '') errors['subject'] = 'Subject is required';
  else if ([...subject].length > SUMMARY_MAX) errors['subject'] = `Subject must be at most ${SUMMARY_MAX} characters`;
  const description = input.description.trim();
  if (description === '') errors['description'] = 'Description is required';
  else if ([...description].length > DESCRIPTION_MAX) {
    errors['description'] = `Description must be at most ${DESCRIPTION_MAX} characters`;
  }
  const category = input.category?.trim();
  if (category && vendor && !vendor.some((c) => c.key === category)) {
    errors['category'] = `Category must be one of: ${vendor.map((c) => c.key).join(', ')}`;
  }
  return errors;
}

/** Which neutral field a create-body field came from, so a late refusal names what the person typed. */
const NEUTRAL_FIELD: Readonly<Record<string, string>> = { summary: 'subject', comment_body: 'description', categories: 'category' };

/**
 * The v1.2 create body, checked against the vendor's bounds once the attribution line is added.
 * Priority is dropped: Selectel has no such field, and its own triage decides urgency.
 * With no category picked or configured `categories` is sent empty: the seed requires the key
 * but states no minimum (as for `files` and `secrets`), so Selectel decides whether that files.
 */
export function toCreateBody(
  input: OpenTicketInput,
  requester: Requester,
  settings: SelectelSettings,
): { body: CreateTicketRequest } | { errors: Record<string, string> } {
  const category = categoryOf(input, settings);
  const parsed = CreateTicketRequest.safeParse({
    access_level: settings.accessLevel,
    categories: category ? [category] : [],
    files: [],
    keystone_projects: settings.projects,
    products: [settings.product],
    secrets: [],
    summary: input.subject.trim(),
    comment_body: attributedText(input.description, requester),
  } satisfies CreateTicketRequest);
  if (parsed.success) return { body: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const wire = String(issue.path[0] ?? 'input');
    errors[NEUTRAL_FIELD[wire] ?? wire] ??= `${wire} ${issue.message}`;
  }
  return { errors };
}

/** The list cursor: the walk's mark, or the `<ISO time>|<ids>` form stored before it (re-read once). */
export function decodeCursor(cursor: string | undefined): Mark | undefined {
  if (cursor === undefined) return undefined;
  const mark = decodeMark(cursor);
  if (mark) return mark;
  const [stamp = '', ids = ''] = cursor.split('|');
  const at = Date.parse(stamp);
  return Number.isNaN(at) ? undefined : { at, ids: ids.split(',').filter(Boolean), seenAt: undefined, settled: false };
}
