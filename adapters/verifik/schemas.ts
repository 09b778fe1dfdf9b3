import { z } from 'zod';

/** Enumerations of the support-ticket API [seed], spelled as the wire spells them. */
export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export const CATEGORIES = ['technical', 'billing', 'account', 'feature_request', 'general'] as const;
/** [public]; only what `PUT` sends is checked, a ticket's own status is read leniently. */
export const STATUSES = ['open', 'pending', 'in_progress', 'resolved', 'closed'] as const;
export type VerifikPriority = (typeof PRIORITIES)[number];
export type VerifikCategory = (typeof CATEGORIES)[number];

/** A file as Verifik takes it [seed]: a URL it fetches, not bytes. */
const Attachments = z.array(z.object({ filename: z.string(), url: z.string(), size: z.number().int(), type: z.string() }));
export type Attachments = z.infer<typeof Attachments>;

/** Body of `POST /v2/support-tickets` [seed]: all four fields are required by the vendor; `attachments` is optional. */
export const CreateTicketBody = z.object({
  title: z.string().min(1),
  description: z.string().min(1),
  priority: z.enum(PRIORITIES),
  category: z.enum(CATEGORIES),
  attachments: Attachments.optional(),
});
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

/** Body of `POST /v2/support-tickets/{id}/thread` [assumed]; its `attachments` have the create call's shape [seed]. */
export const ReplyBody = z.object({
  message: z.string().min(1),
  attachments: Attachments.optional(),
});
export type ReplyBody = z.infer<typeof ReplyBody>;
/** Body of `PUT /v2/support-tickets/{id}` for close and reopen [assumed]. */
export const UpdateBody = z.object({ status: z.enum(STATUSES) });
export type UpdateBody = z.infer<typeof UpdateBody>;

/** The seed shows an id string ("client_123456789"); a populated user object is accepted too. */
const Author = z.union([
  z.string(),
  z.object({ name: z.string().optional(), email: z.string().optional(), _id: z.string().optional() }),
]);

/** One line of a ticket's conversation [seed]. No id: the adapter derives one from timestamp + message. */
export const WireThread = z.object({
  author: Author.nullish(),
  message: z.string(),
  timestamp: z.string(),
  /** `user`, `agent` or `system` [seed]; any other word is kept and classified as unknown. */
  type: z.string(),
});
export type WireThread = z.infer<typeof WireThread>;

/** A ticket as the seed's create response shows it; attachments, tags, client … pass unchecked. */
export const WireTicket = z.object({
  _id: z.string().min(1),
  title: z.string(),
  description: z.string().nullish(),
  status: z.string(),
  priority: z.string().nullish(),
  category: z.string().nullish(),
  threads: z.array(WireThread).nullish(),
  createdAt: z.string().nullish(),
  updatedAt: z.string().nullish(),
});
export type WireTicket = z.infer<typeof WireTicket>;

/**
 * Every answer is wrapped `{success, data}` [seed]: a ticket for create and get [seed], and for
 * update [assumed]; a thread for reply [assumed]. An HTTP 200 with `success: false` is not
 * published, but a careful client does not read it as data: see `call` in index.ts.
 */
export function answerOf<T>(data: z.ZodType<T>) {
  return z.discriminatedUnion('success', [
    z.object({ success: z.literal(true), data }),
    z.object({ success: z.literal(false), error: z.string().optional(), message: z.string().optional() }),
  ]);
}

/**
 * One item of `GET /v2/support-tickets` [public]: a ticket as `get` returns it [assumed]; only what
 * change detection reads is checked, and threads may be left out of a list item.
 */
export const WireListItem = z.object({
  _id: z.string().min(1),
  status: z.string(),
  /** Where the marker of an opening cut off by a crash is looked for (`findOpened`). */
  description: z.string().nullish(),
  updatedAt: z.string().nullish(),
  threads: z.array(z.unknown()).nullish(),
});
export type WireListItem = z.infer<typeof WireListItem>;

/** `{success, data[], pagination{page, limit, total, pages}}` [public]. */
export const ListAnswer = z.object({
  success: z.literal(true),
  data: z.array(WireListItem),
  pagination: z.object({ page: z.number(), limit: z.number(), total: z.number(), pages: z.number() }),
});
