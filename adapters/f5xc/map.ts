import { createHash } from 'node:crypto';
import { editStableIds, sameText, statusTable, twinIds } from '../../src/provider-kit/adapter-kit.js';
import type { Comment, CommentOrigin, OpenField, OpenTicketInput, Priority, TicketSnapshot } from '../../src/domain.js';
import type { ProviderErrorKind } from '../../src/errors.js';
import { htmlToMarkdown } from '../../src/provider-kit/markdown.js';
import { attributionOf, type ToStatus } from '../../src/provider.js';
import { commentFiles, type AttachmentProblem } from './attachments.js';
import type { F5xcSettings } from './settings.js';
import type { Topic, TicketType, WireComment, WirePriority, WireTicket } from './schemas.js';

/** The 24 topics with labels a person understands; the value sent is F5's own. */
const TOPIC_LABELS: Readonly<Record<Topic, string>> = {
  TECHNICAL_SUPPORT_TOPIC_TROUBLESHOOTING: 'Technical: troubleshooting',
  TECHNICAL_SUPPORT_TOPIC_ERROR_MESSAGE: 'Technical: error message',
  TECHNICAL_SUPPORT_TOPIC_CONFIGURATION_CHANGES: 'Technical: configuration changes',
  TECHNICAL_SUPPORT_TOPIC_NEW_CONFIGURATION: 'Technical: new configuration',
  TECHNICAL_SUPPORT_TOPIC_PRODUCT_QUESTION: 'Technical: product question',
  TECHNICAL_SUPPORT_TOPIC_DELEGATED_DOMAIN_MIGRATION: 'Technical: delegated domain migration',
  TECHNICAL_SUPPORT_TOPIC_OTHERS: 'Technical: other',
  INCIDENT_SUPPORT_TOPIC_COMPLETE_OUTAGE: 'Incident: complete outage',
  INCIDENT_SUPPORT_TOPIC_PARTIAL_OUTAGE: 'Incident: partial outage',
  INCIDENT_SUPPORT_TOPIC_PERFORMANCE_DEGRADATION: 'Incident: performance degradation',
  INCIDENT_SUPPORT_TOPIC_LATENCY: 'Incident: latency',
  INCIDENT_SUPPORT_TOPIC_OTHERS: 'Incident: other',
  ACCOUNT_SUPPORT_TOPIC_ACCOUNT: 'Account: account details',
  ACCOUNT_SUPPORT_TOPIC_ACCESS_REQUEST: 'Account: access request',
  ACCOUNT_SUPPORT_TOPIC_BILLING: 'Account: billing',
  ACCOUNT_SUPPORT_TOPIC_BILLING_PLAN_CHANGE: 'Account: billing plan change',
  ACCOUNT_SUPPORT_TOPIC_PUBLIC_IP: 'Account: public IP address',
  ACCOUNT_SUPPORT_TOPIC_QUOTA_INCREASE: 'Account: quota increase',
  ACCOUNT_SUPPORT_TOPIC_RMA: 'Account: hardware return (RMA)',
  ACCOUNT_SUPPORT_TOPIC_TAX_EXEMPT_VERIFICATION: 'Account: tax exemption verification',
  ACCOUNT_SUPPORT_TOPIC_OTHERS: 'Account: other',
  TASK_TOPIC_PLAN_TRANSITION: 'Task: plan transition',
  PROBLEM_TOPIC_SUPPORT_ALERT: 'Problem: support alert',
  QUESTION_TOPIC_INFRASTRUCTURE: 'Question: infrastructure',
};

function isTopic(value: string): value is Topic {
  return Object.hasOwn(TOPIC_LABELS, value);
}

/** The open-ticket form: F5's subject, description, priority and topic. */
export const OPEN_FIELDS: readonly OpenField[] = [
  // F5 documents no length limits for subject or description, so none is imposed here.
  { name: 'subject', label: 'Subject', required: true },
  { name: 'description', label: 'Description', required: true, multiline: true },
  {
    name: 'priority',
    label: 'Priority',
    required: false,
    // F5 has no low priority; the neutral "low" is sent as normal.
    options: [
      { value: 'normal', label: 'Normal' },
      { value: 'high', label: 'High' },
      { value: 'urgent', label: 'Urgent' },
    ],
  },
  {
    name: 'category',
    label: 'Topic',
    required: false,
    options: Object.entries(TOPIC_LABELS).map(([value, label]) => ({ value, label })),
  },
];

/** What F5 would reject (an empty subject or description, a topic it does not have), found before any call. */
export function validateOpen(input: OpenTicketInput): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!input.subject?.trim()) errors.subject = 'Enter a subject.';
  if (!input.description?.trim()) errors.description = 'Describe the problem.';
  if (input.category && !isTopic(input.category)) errors.category = 'Choose one of the F5 topics listed.';
  return errors;
}

/**
 * A topic names its ticket type in its prefix, and F5's console only offers a type's own topics,
 * so the type sent follows the chosen topic [assumed: F5 rejects or misroutes a mismatched pair].
 * F5XC_TYPE applies when nobody picked a topic; the topic is then that type's "other" one, or
 * F5's own TOPIC_UNKNOWN for the types that have no such topic.
 */
export function typeAndTopic(category: string | undefined, fallback: TicketType): { type: TicketType; topic: string } {
  if (category && isTopic(category)) {
    const prefix = category.slice(0, category.indexOf('_TOPIC_'));
    return { type: `TYPE_${prefix}` as TicketType, topic: category };
  }
  const family = fallback.replace(/^TYPE_/, '');
  const other = `${family}_TOPIC_OTHERS`;
  return { type: fallback, topic: isTopic(other) ? other : 'TOPIC_UNKNOWN' };
}

/** F5 has no low priority: low goes in as normal, the lowest F5 takes. */
export function toWirePriority(priority: Priority | undefined): WirePriority {
  if (priority === 'high') return 'PRIORITY_HIGH';
  if (priority === 'urgent') return 'PRIORITY_URGENT';
  return 'PRIORITY_NORMAL';
}

function fromWirePriority(priority: string | undefined): Priority | undefined {
  const neutral = { PRIORITY_NORMAL: 'normal', PRIORITY_HIGH: 'high', PRIORITY_URGENT: 'urgent' } as const;
  return priority !== undefined && Object.hasOwn(neutral, priority) ? neutral[priority as keyof typeof neutral] : undefined;
}

/**
 * F5's statuses follow its support desk's lifecycle: NEW (nobody on it yet), OPEN (support works
 * on it), PENDING (support waits for the customer), ONHOLD (support waits on someone else),
 * SOLVED (reopenable), CLOSED. FAILED means the ticket never reached the desk: nothing more will
 * happen on it, so it reads as closed. A value F5 adds later goes to the closest neutral status.
 */
export const toStatus: ToStatus = statusTable({
  STATUS_NEW: ['open', 'New'],
  STATUS_OPEN: ['in_progress', 'Open'],
  STATUS_PENDING: ['waiting', 'Pending'],
  STATUS_ONHOLD: ['in_progress', 'On hold'],
  STATUS_SOLVED: ['resolved', 'Solved'],
  STATUS_CLOSED: ['closed', 'Closed'],
  STATUS_FAILED: ['closed', 'Failed'],
  STATUS_UNKNOWN: ['open', 'Unknown'],
});

type OriginSettings = Pick<F5xcSettings, 'F5XC_CUSTOMER_DOMAIN' | 'F5XC_CUSTOMER_EMAILS'>;

/** F5 marks no author role: the customer's people are known by address; everyone else is support. */
function commentOrigin(email: string | undefined, settings: OriginSettings): CommentOrigin {
  const address = email?.trim().toLowerCase();
  if (!address) return 'agent';
  if (settings.F5XC_CUSTOMER_EMAILS.includes(address)) return 'customer';
  const domain = settings.F5XC_CUSTOMER_DOMAIN;
  return domain && address.endsWith(`@${domain}`) ? 'customer' : 'agent';
}

/**
 * The comment as markdown, from `html`. Exception: where `plain_text` says the same thing (the
 * HTML adds only paragraphs, line breaks and escapes) or the comment carries the bot's attribution
 * line, plain_text is returned as is, so a comment the bot wrote hashes (commentFingerprint) the
 * same as what it sent, even when F5's HTML turns a URL into a link [assumed: plain_text is the
 * text as sent].
 */
export function commentText(comment: WireComment): string {
  const plain = comment.plain_text?.trim() ?? '';
  if (!comment.html?.trim()) return plain;
  const markdown = htmlToMarkdown(comment.html);
  if (!plain) return markdown;
  const unescaped = markdown.replace(/\\([\\`*_{}[\]()#+\-.!>~|=])/g, '$1');
  return attributionOf(plain) !== undefined || sameText(unescaped, plain) ? plain : markdown;
}

/**
 * Ids: F5's comment_id [seed]; where a response lacks it, a hash of what identifies the comment,
 * with a counter for identical twins, so ids stay stable across reads.
 */
function commentIds(ticketId: string, comments: readonly WireComment[]): { id: string; aliases?: string[] }[] {
  const idOf = twinIds('-');
  const stableOf = editStableIds('a:', '-');
  return comments.map((c) => {
    if (c.comment_id) return { id: c.comment_id };
    const key = [ticketId, c.created_at, c.author_email, c.author_name, c.plain_text ?? c.html].join('\u0000');
    const legacy = 'h:' + createHash('sha256').update(key).digest('hex').slice(0, 24);
    // By author and time where F5 gives the time, so an edited comment keeps its id.
    return c.created_at ? stableOf(`${ticketId}\u0000${c.author_email ?? ''}\u0000${c.author_name ?? ''}`, c.created_at, legacy) : { id: idOf(legacy) };
  });
}

/**
 * F5's ticket as a snapshot. The support desk may keep the description as the first comment
 * [assumed]; that one is dropped, since the description is not a comment.
 */
export function toSnapshot(ticketId: string, wire: WireTicket, settings: OriginSettings, problem: AttachmentProblem = () => {}): TicketSnapshot {
  const { spec } = wire;
  const description = spec.description ?? '';
  let wireComments = spec.comments;
  const first = wireComments[0];
  if (first && description && sameText(first.plain_text ?? commentText(first), description)) {
    wireComments = wireComments.slice(1);
  }
  const ids = commentIds(ticketId, wireComments);
  const comments: Comment[] = wireComments.map((c, i) => {
    const files = commentFiles(c, ids[i]!.id, problem);
    return {
      ...ids[i]!,
      ticketId,
      origin: commentOrigin(c.author_email, settings),
      author: c.author_name?.trim() || c.author_email?.trim() || 'F5 support',
      text: commentText(c),
      ...(c.created_at ? { createdAt: c.created_at } : {}),
      ...(files.length ? { files } : {}),
    };
  });
  const priority = fromWirePriority(spec.priority);
  const createdAt = spec.created_at ?? wire.system_metadata?.creation_timestamp;
  const updatedAt = spec.update_at ?? wire.system_metadata?.modification_timestamp;
  const category = spec.topic && spec.topic !== 'TOPIC_UNKNOWN' ? spec.topic : undefined;
  return {
    ticket: {
      id: ticketId,
      provider: 'f5xc',
      subject: spec.subject ?? '',
      description,
      // F5 may leave out an enum's default value: no status is STATUS_UNKNOWN.
      ...toStatus(spec.status ?? 'STATUS_UNKNOWN'),
      ...(priority ? { priority } : {}),
      ...(category ? { category } : {}),
      ...(createdAt ? { createdAt } : {}),
      ...(updatedAt ? { updatedAt } : {}),
    },
    comments,
  };
}

/**
 * What an action's `err` means; undefined for success (EOK or absent). The codes are F5's [public],
 * its E_NOT_NOT_FOUND spelling included.
 */
export function actionFailure(err: string | undefined): { kind: ProviderErrorKind; message: string } | undefined {
  if (err === undefined || err === '' || err === 'EOK') return undefined;
  const known: Record<string, [ProviderErrorKind, string]> = {
    E_NOT_OPEN: ['conflict', 'the ticket is not open'],
    E_NOT_CLOSED: ['conflict', 'the ticket is not closed'],
    E_NOT_ELIGIBLE: ['conflict', 'the ticket is not eligible for this'],
    E_NOT_NOT_FOUND: ['not_found', 'the support desk does not know this ticket'],
    EUNKNOWN: ['unavailable', 'the support desk failed'],
  };
  // An unknown code is a failure too; 'invalid' because retrying a write F5 may have done is worse.
  const [kind, words] = known[err] ?? ['invalid', 'unrecognised result'];
  return { kind, message: `${err}: ${words}` };
}
