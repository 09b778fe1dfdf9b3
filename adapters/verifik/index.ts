import type { z } from 'zod';
import { ProviderError } from '../../src/errors.js';
import type { OutgoingFile } from '../../src/files.js';
import { accessCheck } from '../../src/provider-kit/adapter-kit.js';
import { allPages, compareDigests } from '../../src/provider-kit/digest-walk.js';
import type { ProviderRequest } from '../../src/provider-kit/http.js';
import type { ProviderFactory, TicketProvider } from '../../src/provider.js';
import { OPEN_FIELDS, newThreadId, toComments, toCreateBody, toTicket, validateOpen } from './map.js';
import { routes } from './routes.js';
import { answerOf, ListAnswer, WireThread, WireTicket, type Attachments, type CreateTicketBody, type ReplyBody, type UpdateBody } from './schemas.js';
import { readSettings } from './settings.js';

export { readSettings, routes };
export { toStatus } from './map.js';

/**
 * Verifik support tickets. Threads live inside the ticket and say who wrote them (`type`). The list
 * cannot filter by update time, so change detection reads the whole list each cycle (paged) and
 * GETs only the tickets whose update time, thread count or status moved.
 */
/** Tickets per list page: the list is read whole every cycle, so few large pages. */
const LIST_LIMIT = 100;
const LIST_MAX_PAGES = 200;

/** Verifik fetches a file from a URL: it gets each file's chat link (the text names them too). */
const attachmentsOf = (files: readonly OutgoingFile[]): Attachments =>
  files.flatMap((f) => (f.link ? [{ filename: f.name, url: f.link, size: f.size, type: f.contentType }] : []));

export const createProvider: ProviderFactory = (deps): TicketProvider => {
  const settings = readSettings(deps.env);
  // The default error picker reads `error` first, which is Verifik's sentence ("Title is
  // required"); `message` holds a code (TITLE_REQUIRED) [seed]. No rate limit is published.
  const http = deps.http.forProvider({
    provider: 'verifik',
    baseUrl: settings.VERIFIK_BASE_URL,
    headers: { authorization: `Bearer ${settings.VERIFIK_TOKEN}` },
  });

  /**
   * `data` of a `{success, data}` answer, checked against `data`'s schema: an HTTP 200 saying
   * `success: false` is a rejection, and one whose `data` does not fit leaves the outcome unknown.
   */
  async function call<T>(data: z.ZodType<T>, req: ProviderRequest): Promise<T> {
    const answer = await http.request(answerOf(data), req);
    if (answer.success) return answer.data;
    const vendorMessage = answer.error ?? answer.message;
    const { method, path } = req;
    throw new ProviderError({ kind: 'invalid', provider: 'verifik', method, path, status: 200, ...(vendorMessage ? { vendorMessage } : {}) });
  }

  async function reply(ticketId: string, message: string, attachments: Attachments = []): Promise<{ id?: string }> {
    // Its id is derived from the thread the answer carries, as on reads.
    const thread = await call(WireThread, { ...routes.reply(ticketId), body: { message, ...(attachments.length ? { attachments } : {}) } satisfies ReplyBody });
    return { id: newThreadId(thread) };
  }

  const snapshot = (wire: WireTicket) => ({ ticket: toTicket(wire), comments: toComments(wire) });

  /** Every ticket the list shows, page by page. */
  const listAll = () =>
    allPages(async (page) => {
      const answer = await http.request(ListAnswer, { ...routes.list(), query: { page, limit: LIST_LIMIT } });
      return { items: answer.data, last: page >= answer.pagination.pages || answer.data.length === 0 };
    }, LIST_MAX_PAGES);

  return {
    id: 'verifik',
    displayName: 'Verifik',
    fields: OPEN_FIELDS,
    unsupported: { rate: "Verifik's API cannot rate tickets." },
    access: accessCheck(http, 'VERIFIK_TOKEN', { ...routes.list(), query: { page: 1, limit: 1 } }),

    validateOpen,

    // Files posted with the open form go in the create call as their chat links, as a reply's do.
    createFiles: 'links',
    async createTicket(input, requester, files = []) {
      const attachments = attachmentsOf(files);
      const body: CreateTicketBody = { ...toCreateBody(input, requester, settings.VERIFIK_CATEGORY), ...(attachments.length ? { attachments } : {}) };
      return snapshot(await call(WireTicket, { ...routes.create(), body }));
    },

    async getTicket(ticketId) {
      return snapshot(await call(WireTicket, routes.get(ticketId)));
    },

    addComment: (ticketId, comment) => reply(ticketId, comment.text, attachmentsOf(comment.files ?? [])),

    async closeTicket(ticketId) {
      await call(WireTicket, { ...routes.update(ticketId), body: { status: 'closed' } satisfies UpdateBody });
    },

    async reopenTicket(ticketId, text) {
      await call(WireTicket, { ...routes.update(ticketId), body: { status: 'open' } satisfies UpdateBody });
      // Verifik's update takes no reason; the person's words follow as a reply so support reads why.
      if (text.trim()) await reply(ticketId, text);
    },

    async findOpened(marker) {
      // The list cannot be searched: read it and look for the marker the bot put in the description.
      const found = (await listAll()).find((t) => t.description?.includes(marker));
      return found ? snapshot(await call(WireTicket, routes.get(found._id))) : undefined;
    },

    async listUpdatedSince(cursor, knownOpen) {
      const items = await listAll();
      // Without threads in the item a new reply could hide behind an unchanged stamp: no digest.
      const listed = items.map((t) => ({ id: t._id, digest: t.threads ? `${t.updatedAt ?? ''}|${t.threads.length}|${t.status}` : undefined }));
      return compareDigests(cursor, knownOpen, listed);
    },
  };
};
