import { z } from 'zod';

/**
 * Selectel Tickets API v1.2 wire format (seed). Unknown fields are stripped; fields the adapter
 * reads are checked. Optional fields are `nullish` because the API marks many "or null".
 */
const text = z.string().nullish();
const flag = z.boolean().nullish();

/**
 * A ticket in either shape the API answers with: v1.2 (`status: "in_progress"`) from create, get
 * and list, or the older one (`status: {en, ru}` + `status_key`, `is_closed`, `is_resolved`) that
 * close and reopen still return. Both normalise to one record, so nothing downstream cares.
 */
export const SelectelTicket = z
  .object({
    number: z.number().int(),
    summary: z.string(),
    status: z.union([z.string(), z.object({ en: text, ru: text })]),
    status_key: text,
    categories: z.array(z.string()).nullish(),
    created_at: text,
    updated_at: text,
    is_closed: flag,
    is_resolved: flag,
  })
  .transform((t) => ({
    number: t.number,
    summary: t.summary,
    statusKey: (typeof t.status === 'string' ? t.status : (t.status_key ?? t.status.en)) ?? 'unknown',
    categories: t.categories ?? [],
    createdAt: t.created_at ?? undefined,
    updatedAt: t.updated_at ?? undefined,
    isClosed: t.is_closed === true,
    isResolved: t.is_resolved === true,
  }));
export type SelectelTicket = z.output<typeof SelectelTicket>;

export const SelectelTicketList = z.object({
  items: z.array(SelectelTicket),
  items_per_page: z.number().int().nullish(),
  page: z.number().int().nullish(),
});

/**
 * A comment; `is_client_author` is how support (false) is told from the customer (true). `files`
 * are UUIDs of Selectel's file storage [seed], read leniently (map.ts): a list that does not fit
 * costs the files, never the comment.
 */
export const SelectelComment = z.object({
  id: z.number().int(),
  body: z.string(),
  files: z.array(z.unknown()).nullish(),
  is_client_author: flag,
  admin_author: z.object({ name: text }).nullish(),
  client_author_id: text,
  sent_at: text,
});
export type SelectelComment = z.output<typeof SelectelComment>;

export const SelectelCommentList = z.object({ items: z.array(SelectelComment) });

/** `GET /categories` → `{items[{id, key, names{…}, descriptions{…}}]}`, names per language [seed]. */
export const SelectelCategoryList = z.object({
  items: z.array(z.object({ id: z.number().int(), key: z.string().min(1), names: z.record(z.string(), z.string()).nullish() })),
});
export type SelectelCategoryList = z.infer<typeof SelectelCategoryList>;

/** Text bodies (comment, reopen) are 1..50000 characters [seed]. */
export const BODY_MAX = 50_000;
/** `summary` is 1..255 characters [seed: the deprecated create; v1.2 states no bound, so the tighter one holds]. */
export const SUMMARY_MAX = 255;

/** AccessLevelKeysEnum [seed]: who in the customer's account may see the ticket. */
export const ACCESS_LEVELS = ['all_users', 'account_users', 'project_users'] as const;

/** `len()` on the vendor side counts code points, not UTF-16 units: an emoji is one character. */
const chars = (min: number, max: number) =>
  z.string().refine((v) => [...v].length >= min && [...v].length <= max, `must be ${min} to ${max} characters`);

/**
 * Create ticket (v1.2) [seed]. Every required field is sent, empty arrays where the bot has
 * nothing to attach; `comment_body` carries the description, since v1.2 has no other text field.
 */
export const CreateTicketRequest = z.object({
  access_level: z.enum(ACCESS_LEVELS),
  categories: z.array(z.string().min(1)),
  files: z.array(z.uuid()),
  keystone_projects: z.array(z.string().min(1)),
  products: z.array(z.string().min(1)).min(1),
  secrets: z.array(z.number().int()),
  summary: chars(1, SUMMARY_MAX),
  comment_body: chars(1, BODY_MAX).optional(),
});
export type CreateTicketRequest = z.infer<typeof CreateTicketRequest>;

/** Add comment and reopen share this body [seed]; files are not sent (uploads are not relayed). */
export const TextRequest = z.object({ body: chars(1, BODY_MAX) });
export type TextRequest = z.infer<typeof TextRequest>;

/** Close ticket [seed]: both fields optional; the score here is on a five-point scale. */
export const CloseRequest = z.object({ comment: z.string().min(1).optional(), score: z.number().int().min(1).max(5).optional() });
export type CloseRequest = z.infer<typeof CloseRequest>;

/** Rate ticket [seed]: `score` 1..10 (see map.ts for how our 1–5 lands there). */
export const VoteRequest = z.object({ score: z.number().int().min(1).max(10), comment: z.string().min(1).optional() });
export type VoteRequest = z.infer<typeof VoteRequest>;

/** Rate ticket's answer [seed]: the vote as stored. */
export const VoteAnswer = z.object({ score: z.number().int(), comment: text, created_at: text });

/**
 * The seed documents 400/404/429 without a body. Its schema names are pydantic's, so besides
 * `detail`/`message`/`error` strings this reads FastAPI's `detail: [{loc, msg}]` list.
 */
export function selectelErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  if (!isRecord(body)) return undefined;
  for (const key of ['detail', 'message', 'error']) {
    const value = body[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 300);
    if (isRecord(value) && typeof value['message'] === 'string') return value['message'].slice(0, 300);
    if (Array.isArray(value)) {
      const parts = value.map(describeIssue).filter((p): p is string => p !== undefined);
      if (parts.length > 0) return parts.join('; ').slice(0, 300);
    }
  }
  return undefined;
}

function describeIssue(item: unknown): string | undefined {
  if (!isRecord(item) || typeof item['msg'] !== 'string') return undefined;
  const loc = Array.isArray(item['loc']) ? item['loc'].filter((p) => p !== 'body').join('.') : '';
  return loc ? `${loc}: ${item['msg']}` : item['msg'];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
