import type { Comment, CommentOrigin, OpenField, OpenTicketInput, Requester, Ticket } from '../../src/domain.js';
import { matchKey, parseJson, sameText, statusTable } from '../../src/provider-kit/adapter-kit.js';
import { decodeMark, type Mark } from '../../src/provider-kit/update-walk.js';
import { attributedText, type ToStatus } from '../../src/provider.js';
import { activityFiles, linkedText, type AttachmentProblem } from './attachments.js';
import { wire } from './routes.js';
import {
  LegacyCursor,
  TICKET_TYPES,
  type CreateTicketBody,
  type TicketAnswer,
  type TicketType,
  type WireActivity,
  type WireMembership,
  type WireTicket,
} from './schemas.js';

const TYPE_LABELS: Record<TicketType, string> = {
  access: 'Access',
  accountAndBilling: 'Account and billing',
  bookings: 'Bookings',
  cleaning: 'Cleaning',
  internet: 'Internet',
  mailAndPackages: 'Mail and packages',
  printing: 'Printing',
  repairAndMaintenance: 'Repair and maintenance',
  temperatureAndVentilation: 'Temperature and ventilation',
  websiteAndApp: 'Website and app',
  other: 'Other',
};

/**
 * The open-ticket form. Spacebring takes one text and a type: the subject becomes the text's first
 * line. It has no priority field, so none is asked for (one that arrives anyway is dropped).
 */
export const OPEN_FIELDS: readonly OpenField[] = [
  // No length limits are published for the text, so none are enforced here.
  { name: 'subject', label: 'Subject', required: true },
  { name: 'description', label: 'Description', required: true, multiline: true },
  {
    name: 'category',
    label: 'Type',
    required: false,
    options: TICKET_TYPES.map((value) => ({ value, label: TYPE_LABELS[value] })),
  },
];

/** Spacebring's type for what a person typed: the value or its label, any case or spacing. */
function typeOf(category: string): TicketType | undefined {
  const wanted = matchKey(category);
  return TICKET_TYPES.find((type) => matchKey(type) === wanted || matchKey(TYPE_LABELS[type]) === wanted);
}

/** What Spacebring would reject (an empty text, an unknown type), found before any call. */
export function validateOpen(input: OpenTicketInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!input.subject?.trim()) errors.subject = 'Enter a subject.';
  if (!input.description?.trim()) errors.description = 'Describe the problem.';
  if (input.category !== undefined && input.category.trim() && !typeOf(input.category)) {
    errors.category = `Pick one of: ${TICKET_TYPES.map((t) => TYPE_LABELS[t]).join(', ')}.`;
  }
  return errors;
}

/**
 * The create body. The subject is folded onto one line, since the first line is what reads back
 * as the subject; the requester is named in the text, as in chat replies.
 */
export function toCreateBody(
  input: OpenTicketInput,
  requester: Requester,
  settings: { locationRef: string; requesterRef: string | undefined; fallbackType: TicketType },
): CreateTicketBody {
  const subject = input.subject.replace(/\s+/g, ' ').trim();
  return {
    ticket: {
      locationRef: settings.locationRef,
      text: `${subject}\n\n${attributedText(input.description, requester)}`,
      type: (input.category?.trim() ? typeOf(input.category) : undefined) ?? settings.fallbackType,
      ...(settings.requesterRef ? { userRefRequester: settings.requesterRef } : {}),
    },
  };
}

/** Spacebring's status [public] onto the neutral lifecycle; an unknown word goes to the closest one. */
export const toStatus: ToStatus = statusTable({
  new: ['open', 'New'],
  inProgress: ['in_progress', 'In progress'],
  solved: ['resolved', 'Solved'],
  closed: ['closed', 'Closed'],
});

export function toTicket(answer: TicketAnswer): Ticket {
  const { ticket } = answer;
  const [subject, description] = splitText(ticketText(ticket));
  const status = ticket.status ?? lastStatus(chronological(answer.activities ?? [])) ?? wire.initialStatus;
  return {
    id: ticket.id,
    provider: 'spacebring',
    subject,
    description,
    ...toStatus(status),
    ...(ticket.type ? { category: ticket.type } : {}),
    ...(ticket.createDate ? { createdAt: ticket.createDate } : {}),
    ...(ticket.updateDate ? { updatedAt: ticket.updateDate } : {}),
  };
}

/**
 * The conversation: `comment` activities, oldest first, each classified by its actor against the
 * ticket's requester. The creation, status and assignee entries are not comments; an activity
 * kind we do not know that carries text is kept as `unknown`, held by the relay. Attachments are
 * the comment's files (attachments.ts); a comment may be files alone.
 */
export function toComments(answer: TicketAnswer, fileHosts: readonly string[], problem: AttachmentProblem): Comment[] {
  const { ticket } = answer;
  const description = ticketText(ticket);
  const comments: Comment[] = [];
  chronological(answer.activities ?? []).forEach((activity, index) => {
    const kind = kindOf(activity, index, description);
    if (kind === 'other') return;
    const text = activity.data?.text?.trim() ?? '';
    const files = activityFiles(activity, fileHosts, problem);
    if (!text && !files.length) return;
    const origin = kind === 'unknown' ? 'unknown' : originOf(activity, ticket);
    const former = linkedText(text, activity);
    comments.push({
      id: activity.id,
      ticketId: ticket.id,
      origin,
      author: authorOf(activity, origin),
      text,
      ...(activity.createDate ? { createdAt: activity.createDate } : {}),
      ...(files.length ? { files } : {}),
      ...(former !== text ? { formerTexts: [former] } : {}),
    });
  });
  return comments;
}

type Kind = 'comment' | 'unknown' | 'other';

/** The activity's kind; the seed's example carries no `type`, so its data tells it then. */
function kindOf(activity: WireActivity, index: number, description: string): Kind {
  const type = activity.type;
  if (type === 'comment') return 'comment';
  if (type === 'ticketCreated' || type === 'statusUpdated' || type === 'assigneeUpdated') return 'other';
  if (type) return 'unknown';
  const data = activity.data;
  if (data?.status) return 'other';
  const text = data?.text ?? '';
  // The creation entry repeats the ticket's text; it is the description, not a comment.
  if (index === 0 && sameText(text, description)) return 'other';
  return text.trim() || data?.attachments?.length ? 'comment' : 'other';
}

function originOf(activity: WireActivity, ticket: WireTicket): CommentOrigin {
  if (activity.lemAI) return 'agent';
  const actor = activity.membership;
  if (!actor) return wire.actorlessOrigin;
  return isRequester(actor, ticket) ? 'customer' : 'agent';
}

function isRequester(actor: WireMembership, ticket: WireTicket): boolean {
  const memberships = [ticket.membershipRefRequester, ticket.membershipRequester?.id].filter(Boolean);
  const users = [ticket.userRequester?.id, ticket.membershipRequester?.user?.id].filter(Boolean);
  return (!!actor.id && memberships.includes(actor.id)) || (!!actor.user?.id && users.includes(actor.user.id));
}

function authorOf(activity: WireActivity, origin: CommentOrigin): string {
  if (activity.lemAI) return activity.lemAI.name?.trim() || 'Spacebring support';
  const user = activity.membership?.user;
  const name = [user?.name, user?.surname].filter(Boolean).join(' ').trim() || user?.email?.trim();
  if (name) return name;
  return origin === 'agent' ? 'Spacebring support' : origin === 'customer' ? 'Customer' : 'Unknown author';
}

/**
 * Oldest first. The order of `activities` is not published: a list that runs newest first is
 * turned round, then a stable sort by creation time settles it. Unreadable times keep the vendor's order.
 */
function chronological(activities: readonly WireActivity[]): WireActivity[] {
  const times = activities.map((a) => Date.parse(a.createDate ?? ''));
  const list = activities.map((activity, i) => ({ activity, at: times[i]! }));
  if (times.some(Number.isNaN)) return activities.slice();
  if (times[0]! > times[times.length - 1]!) list.reverse();
  // Array.prototype.sort is stable: same-second entries keep the (turned) vendor order.
  return list.sort((a, b) => a.at - b.at).map((x) => x.activity);
}

function lastStatus(activities: readonly WireActivity[]): string | undefined {
  return activities.findLast((a) => a.data?.status)?.data?.status ?? undefined;
}

/** The ticket's text: the seed answers it as `description`, the create request calls it `text`. */
function ticketText(ticket: WireTicket): string {
  return ticket.description ?? ticket.text ?? '';
}

/** First line → subject, the rest → description. */
function splitText(text: string): [string, string] {
  const trimmed = text.trim();
  const at = trimmed.indexOf('\n');
  return at < 0 ? [trimmed, ''] : [trimmed.slice(0, at).trim(), trimmed.slice(at + 1).trim()];
}

/** The list cursor: the walk's mark, or the `{at: ms, ids, settled}` stored before it (re-read once). */
export function decodeCursor(cursor: string | undefined): Mark | undefined {
  if (cursor === undefined) return undefined;
  const mark = decodeMark(cursor);
  if (mark) return mark;
  const legacy = LegacyCursor.safeParse(parseJson(cursor));
  return legacy.success ? { at: legacy.data.at, ids: legacy.data.ids, seenAt: undefined, settled: false } : undefined;
}
