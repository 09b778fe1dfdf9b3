import { z } from 'zod';

/** The `issueType` enumeration of `POST /v2/support-tickets`, spelled exactly as the vendor does [seed]. */
export const ISSUE_TYPES = [
  'Application',
  'Circuit Down',
  'Circuit Flapping',
  'Circuit taking errors',
  'High Latency',
  'Operational Request',
  'Others',
  'Packet Loss/Drops',
  'Request Reason of Outage',
  'Slow Response',
  'Unstable',
] as const;
export type IssueType = (typeof ISSUE_TYPES)[number];

/** Body of `POST /v2/support-tickets` [seed]. `service` and `customerContact` have no published shape, so we send neither. */
export const CreateTicketBody = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  issueType: z.enum(ISSUE_TYPES),
});
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

/** Body of `POST /v2/support-tickets/{id}/addNote` [seed]. */
export const AddNoteBody = z.object({ noteText: z.string().min(1) });
export type AddNoteBody = z.infer<typeof AddNoteBody>;

/** An author is a name in TMF621; some Remedy front-ends send an object instead. */
const Author = z.union([
  z.string(),
  z.object({ name: z.string().optional(), email: z.string().optional(), id: z.union([z.string(), z.number()]).optional() }),
]);

/**
 * One entry of `notes[]`. Its inner shape is not published [assumed]: TM Forum TMF621 says
 * `{id?, author?, date?, text}`, the addNote request says `noteText`, so either is accepted. A
 * note with neither is reported as malformed (naming `notes.N.text`) rather than dropped: a
 * silently skipped note would be a support answer nobody ever sees.
 */
export const WireNote = z.preprocess(
  // A bare string is read as the note's text, so an even simpler shape still relays.
  (value) => (typeof value === 'string' ? { text: value } : value),
  z
    .object({
      id: z.union([z.string().min(1), z.number()]).nullish(),
      author: Author.nullish(),
      date: z.string().nullish(),
      text: z.string().nullish(),
      noteText: z.string().nullish(),
    })
    .refine((n) => typeof n.text === 'string' || typeof n.noteText === 'string', {
      message: 'a note needs text or noteText',
      path: ['text'],
    }),
);
export type WireNote = z.infer<typeof WireNote>;

/**
 * A support ticket as `GET /v2/support-tickets/{id}`, create and addNote return it [seed]. Only
 * what the adapter uses is checked; `relatedParty`, `relatedEntity`, `channel` and `@type` pass
 * by unchecked (and are stripped).
 */
export const WireTicket = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullish(),
  status: z.string(),
  /** An array in the seed, of items whose shape is not published. */
  priority: z.array(z.unknown()).nullish(),
  ticketType: z.string().nullish(),
  /** Not in the seed's sample response [assumed]; read as the category when present. */
  issueType: z.string().nullish(),
  creationDate: z.string().nullish(),
  notes: z.array(WireNote).nullish(),
});
export type WireTicket = z.infer<typeof WireTicket>;

/**
 * One item of `GET /v2/support-tickets?status=…` [seed: a bare array of support tickets]. That the
 * items are whole tickets with their notes is [assumed]; only what change detection reads is checked.
 */
export const WireListItem = z.object({
  id: z.string().min(1),
  status: z.string(),
  notes: z.array(z.unknown()).nullish(),
  /** Where the marker of an opening cut off by a crash is looked for (`findOpened`) [assumed: items are whole tickets]. */
  description: z.string().nullish(),
});
export const ListAnswer = z.array(WireListItem);
