import { createHash } from 'node:crypto';
import { editStableIds, optional, sameText, statusTable } from '../../src/provider-kit/adapter-kit.js';
import type { Comment, CommentOrigin, OpenField, OpenTicketInput, Priority, Requester, Ticket } from '../../src/domain.js';
import { Priority as PriorityEnum } from '../../src/domain.js';
import { attributedText, type ToStatus } from '../../src/provider.js';
import { CATEGORIES, type CreateTicketBody, type VerifikCategory, type VerifikPriority, type WireThread, type WireTicket } from './schemas.js';

const CATEGORY_LABELS: Record<VerifikCategory, string> = {
  technical: 'Technical',
  billing: 'Billing',
  account: 'Account',
  feature_request: 'Feature request',
  general: 'General',
};

/** Neutral priority → Verifik's; Verifik says "medium" where we say "normal". */
const TO_VERIFIK: Record<Priority, VerifikPriority> = { low: 'low', normal: 'medium', high: 'high', urgent: 'urgent' };

/** The open-ticket form. Verifik requires all four fields; priority and category have defaults here. */
export const OPEN_FIELDS: readonly OpenField[] = [
  // No length limits are published for title or description, so none are enforced here.
  { name: 'subject', label: 'Title', required: true },
  { name: 'description', label: 'Description', required: true, multiline: true },
  {
    name: 'priority',
    label: 'Priority',
    required: false,
    options: [
      { value: 'low', label: 'Low' },
      { value: 'normal', label: 'Medium' },
      { value: 'high', label: 'High' },
      { value: 'urgent', label: 'Urgent' },
    ],
  },
  {
    name: 'category',
    label: 'Category',
    required: false,
    options: CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] })),
  },
];

/** Verifik's category for what a person typed: the value or its label, any case ("Feature request"). */
export function categoryOf(category: string): VerifikCategory | undefined {
  const wanted = category.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return CATEGORIES.find((value) => value === wanted);
}

/** What Verifik would reject (its required fields and enumerations), found before any call. */
export function validateOpen(input: OpenTicketInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!input.subject?.trim()) errors.subject = 'Enter a title.';
  if (!input.description?.trim()) errors.description = 'Describe the problem.';
  if (input.priority !== undefined && !PriorityEnum.safeParse(input.priority).success) {
    errors.priority = 'Pick low, normal, high or urgent.';
  }
  if (input.category !== undefined && input.category.trim() && !categoryOf(input.category)) {
    errors.category = `Pick one of: ${CATEGORIES.map((c) => CATEGORY_LABELS[c]).join(', ')}.`;
  }
  return errors;
}

/** The create body; the requester is named in the description, since Verifik knows only the API client. */
export function toCreateBody(input: OpenTicketInput, requester: Requester, fallback: VerifikCategory): CreateTicketBody {
  return {
    title: input.subject.trim(),
    description: attributedText(input.description, requester),
    priority: TO_VERIFIK[input.priority ?? 'normal'],
    category: (input.category?.trim() ? categoryOf(input.category) : undefined) ?? fallback,
  };
}

/** Verifik's status words [public] onto the neutral lifecycle; an unknown word goes to the closest one. */
export const toStatus: ToStatus = statusTable({
  open: 'open',
  pending: 'waiting', // helpdesk sense: waiting on the customer
  in_progress: 'in_progress',
  resolved: 'resolved',
  closed: 'closed',
});

/** Verifik's priority word back to the neutral one; an unknown word gives none. */
export function toPriority(vendor: string | null | undefined): Priority | undefined {
  return (Object.keys(TO_VERIFIK) as Priority[]).find((p) => TO_VERIFIK[p] === vendor);
}

export function toTicket(wire: WireTicket): Ticket {
  return {
    id: wire._id,
    provider: 'verifik',
    subject: wire.title,
    description: wire.description ?? '',
    ...toStatus(wire.status),
    ...optional('priority', toPriority(wire.priority)),
    ...optional('category', wire.category ?? undefined),
    ...optional('createdAt', wire.createdAt ?? undefined),
    ...optional('updatedAt', wire.updatedAt ?? undefined),
  };
}

/** Thread `type` → comment origin [seed]; `system` lines are status notes, not comments. */
const ORIGIN: Record<string, CommentOrigin | null> = { agent: 'agent', user: 'customer', system: null };

/**
 * The conversation in Verifik's order, without the description (Verifik repeats it as the first
 * `user` thread) and without `system` lines. A type we do not know is kept as `unknown`: held by
 * the relay, never posted as support's.
 */
export function toComments(wire: WireTicket): Comment[] {
  const threads = wire.threads ?? [];
  const first = threads[0];
  const skipFirst = first?.type === 'user' && sameText(first.message, wire.description ?? '');
  // By author and time, so an edited line keeps its id; twins of one instant get a counter.
  const idOf = editStableIds('a:', '~');
  const comments: Comment[] = [];
  threads.forEach((thread, index) => {
    if (index === 0 && skipFirst) return;
    const origin = ORIGIN[thread.type.toLowerCase()];
    if (origin === null) return;
    comments.push({
      ...idOf(authorKey(thread), thread.timestamp, threadId(thread)),
      ticketId: wire._id,
      origin: origin ?? 'unknown',
      author: authorName(thread.author) || (origin === 'agent' ? 'Verifik support' : 'Customer'),
      text: thread.message,
      createdAt: thread.timestamp,
    });
  });
  return comments;
}

/** Who wrote a thread line, as its id takes it: the side and the name. */
const authorKey = (thread: Pick<WireThread, 'type' | 'author'>): string => `${thread.type}\u0000${authorName(thread.author)}`;

/** The id of a line the bot just wrote, as `toComments` will give it (the first of its instant). */
export function newThreadId(thread: WireThread): string {
  return editStableIds('a:', '~')(authorKey(thread), thread.timestamp, threadId(thread)).id;
}

/** Earlier releases' id of a thread line: the timestamp plus a hash of the message (kept as an alias). */
export function threadId(thread: Pick<WireThread, 'timestamp' | 'message'>): string {
  return `t:${thread.timestamp}:${createHash('sha256').update(thread.message).digest('hex').slice(0, 16)}`;
}

function authorName(author: WireThread['author']): string {
  if (typeof author === 'string') return author.trim();
  if (!author) return '';
  return (author.name ?? author.email ?? author._id ?? '').trim();
}
