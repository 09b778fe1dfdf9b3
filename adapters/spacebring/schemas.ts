import { z } from 'zod';

/**
 * Spacebring support-ticket wire format: the seed ("Create a ticket") plus Spacebring's public API
 * reference. Objects strip what the adapter does not read; enumerations it reads are plain
 * strings, so a value Spacebring adds later maps to the closest neutral one instead of failing.
 */

/**
 * `ticket.type` [public]. Spacebring lists "a few more" than these; only the published ones are
 * offered and accepted, since sending an unknown one would be rejected by the vendor.
 */
export const TICKET_TYPES = [
  'access',
  'accountAndBilling',
  'bookings',
  'cleaning',
  'internet',
  'mailAndPackages',
  'printing',
  'repairAndMaintenance',
  'temperatureAndVentilation',
  'websiteAndApp',
  'other',
] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** `ticket.status` [public]. */
export const STATUSES = ['new', 'inProgress', 'solved', 'closed'] as const;

const User = z.object({
  id: z.string().optional(),
  name: z.string().nullish(),
  surname: z.string().nullish(),
  email: z.string().nullish(),
});

/** A person's membership of the network: the actor of an activity, a ticket's requester [seed]. */
const Membership = z.object({
  id: z.string().optional(),
  roleType: z.string().nullish(),
  type: z.string().nullish(),
  user: User.nullish(),
});
export type WireMembership = z.infer<typeof Membership>;

/**
 * One of an activity's attachments [seed]: `key`, `mime`, `name`, `size`, `url` (and `height`,
 * `width` for images, not read). Checked one by one (attachments.ts), so a malformed entry costs
 * that file, never the comment or the ticket.
 */
export const WireAttachment = z.object({
  key: z.string().nullish(),
  mime: z.string().nullish(),
  name: z.string().nullish(),
  size: z.number().nullish(),
  url: z.string().nullish(),
});

/** One entry of a ticket's history [seed]: a comment, a status change, an assignment. */
export const WireActivity = z.object({
  id: z.string().min(1),
  ticketRef: z.string().optional(),
  createDate: z.string().optional(),
  type: z.string().nullish(),
  /** Who acted; absent when an API client did. */
  membership: Membership.nullish(),
  /** Set when Spacebring's automated responder wrote it: support's side. */
  lemAI: z.object({ name: z.string().nullish() }).nullish(),
  data: z
    .object({
      text: z.string().nullish(),
      status: z.string().nullish(),
      attachments: z.array(z.unknown()).nullish(),
      membershipAssignee: z.unknown().optional(),
    })
    .nullish(),
});
export type WireActivity = z.infer<typeof WireActivity>;

/**
 * A ticket [seed]. The seed's example has no `status` or `type` (the public reference does), and
 * returns the created text as `description`; both spellings of the text are read.
 */
export const WireTicket = z.object({
  id: z.string().min(1),
  number: z.number().nullish(),
  status: z.string().nullish(),
  type: z.string().nullish(),
  description: z.string().nullish(),
  text: z.string().nullish(),
  locationRef: z.string().nullish(),
  createDate: z.string().nullish(),
  updateDate: z.string().nullish(),
  statusUpdateDate: z.string().nullish(),
  userRequester: User.nullish(),
  membershipRefRequester: z.string().nullish(),
  membershipRequester: Membership.nullish(),
});
export type WireTicket = z.infer<typeof WireTicket>;

/** Create and get answer `{ticket, activities[]}` [seed/public]. */
export const TicketAnswer = z.object({
  ticket: WireTicket,
  activities: z.array(WireActivity).nullish(),
});
export type TicketAnswer = z.infer<typeof TicketAnswer>;

/** The list answer [public]; `nextPageToken` is absent (or null) on the last page. */
export const ListAnswer = z.object({
  tickets: z.array(WireTicket.pick({ id: true, updateDate: true })),
  nextPageToken: z.string().nullish(),
});

/** The comment answer, 201 `{activity}` [public]: the new activity's id is the comment's. */
export const CommentAnswer = z.object({ activity: WireActivity });

/** The status answer `{activity, ticket}` [public], for close and reopen. */
export const StatusAnswer = z.object({ activity: WireActivity, ticket: WireTicket });

/** Body of `POST /support/tickets/v1` [seed]; `type` [public]. */
export interface CreateTicketBody {
  ticket: { locationRef: string; text: string; type: TicketType; userRefRequester?: string };
}

/** The list cursor this adapter stored before the shared mark: `at` in ms, no `seenAt`. */
export const LegacyCursor = z.object({ at: z.number(), ids: z.array(z.string()), settled: z.boolean() });
