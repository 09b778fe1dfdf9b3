import { accessCheck } from '../../src/provider-kit/adapter-kit.js';
import { allPages, compareDigests } from '../../src/provider-kit/digest-walk.js';
import { commentFingerprint, type ProviderFactory, type TicketProvider } from '../../src/provider.js';
import { errorMessage, OPEN_FIELDS, toComments, toCreateBody, toTicket, validateOpen } from './map.js';
import { routes } from './routes.js';
import { ListAnswer, WireTicket, type AddNoteBody } from './schemas.js';
import { readSettings } from './settings.js';

export { readSettings, routes };
export { toStatus } from './map.js';

/**
 * Console Connect support tickets. Notes live inside the ticket and carry no author-kind flag. The
 * list has no update time: change detection reads the open tickets' list each cycle (paged) and
 * GETs only the linked tickets whose status or note count moved, or that left the open list.
 */
/** The seed's example page size; the open list is read whole every cycle. */
const LIST_PAGE_SIZE = 200;
const LIST_MAX_PAGES = 100;

export const createProvider: ProviderFactory = (deps): TicketProvider => {
  const settings = readSettings(deps.env);
  const http = deps.http.forProvider({
    provider: 'consoleconnect',
    baseUrl: settings.CONSOLECONNECT_BASE_URL,
    // The `api-key` security scheme, sent as a Bearer token [public]; `portal-token` is deprecated.
    headers: { authorization: `Bearer ${settings.CONSOLECONNECT_API_KEY}` },
    errorMessage,
    // No rate limit is published: the shared client's Retry-After handling and back-off suffice.
  });

  const snapshot = (wire: WireTicket) => ({ ticket: toTicket(wire), comments: toComments(wire) });

  /** Every open ticket, page by page. */
  const openList = () =>
    allPages(async (page) => {
      const answer = await http.request(ListAnswer, { ...routes.list(), query: { status: 'open', page, pageSize: LIST_PAGE_SIZE } });
      return { items: answer, last: answer.length < LIST_PAGE_SIZE };
    }, LIST_MAX_PAGES);

  return {
    id: 'consoleconnect',
    displayName: 'Console Connect',
    fields: OPEN_FIELDS,
    access: accessCheck(http, 'CONSOLECONNECT_API_KEY', { ...routes.list(), query: { status: 'open', page: 1, pageSize: 1 } }),
    unsupported: {
      close: "Console Connect's API cannot close tickets; ask support in the thread to close it.",
      reopen: "Console Connect's API cannot reopen tickets; reply in the thread or open a new ticket.",
      rate: "Console Connect's API cannot rate tickets.",
    },

    validateOpen,

    async createTicket(input, requester) {
      const body = toCreateBody(input, requester, settings.CONSOLECONNECT_ISSUE_TYPE);
      return snapshot(await http.request(WireTicket, { ...routes.create(), body }));
    },

    async getTicket(ticketId) {
      return snapshot(await http.request(WireTicket, routes.get(ticketId)));
    },

    async addComment(ticketId, comment) {
      // addNote answers the whole ticket [seed]; anything else leaves the outcome unknown.
      const answer = await http.request(WireTicket, { ...routes.addNote(ticketId), body: { noteText: comment.text } satisfies AddNoteBody });
      const mine = commentFingerprint(ticketId, comment.text);
      const note = toComments(answer).findLast((c) => commentFingerprint(ticketId, c.text) === mine);
      return note ? { id: note.id } : {};
    },

    async findOpened(marker) {
      // A ticket just created is open: look for the marker the bot put in its description.
      const found = (await openList()).find((t) => t.description?.includes(marker));
      return found ? snapshot(await http.request(WireTicket, routes.get(found.id))) : undefined;
    },

    async listUpdatedSince(cursor, knownOpen) {
      const items = await openList();
      // A linked ticket missing from the open list was closed: re-read once, as its digest says.
      const listed = items.map((t) => ({ id: t.id, digest: t.notes ? `${t.notes.length}|${t.status}` : undefined }));
      return compareDigests(cursor, knownOpen, listed);
    },
  };
};
