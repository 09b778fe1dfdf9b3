import { DownloadError, downloadFile } from '../../src/download.js';
import { FieldErrors, ProviderError } from '../../src/errors.js';
import type { ProviderFactory, TicketProvider } from '../../src/provider.js';
import { accessCheck } from '../../src/provider-kit/adapter-kit.js';
import { encodeMark, walkUpdated } from '../../src/provider-kit/update-walk.js';
import { attachmentUrl, type AttachmentProblem } from './attachments.js';
import { decodeCursor, OPEN_FIELDS, toComments, toCreateBody, toTicket, validateOpen } from './map.js';
import { LIST_MAX_PAGES, LIST_PAGE_SIZE, routes, spacebringLimiter, wire } from './routes.js';
import { CommentAnswer, ListAnswer, StatusAnswer, TicketAnswer } from './schemas.js';
import { authHeaders, readSettings } from './settings.js';

export { readSettings, routes };
export { toStatus } from './map.js';

/**
 * Spacebring support tickets. The conversation comes inside the ticket as activities that name
 * their actor; tickets list by update time per location, so an idle poll costs one call.
 */
export const createProvider: ProviderFactory = (deps): TicketProvider => {
  const settings = readSettings(deps.env);
  // Errors are `{message, type}` [public]: the default picker reads `message`.
  const http = deps.http.forProvider({
    provider: 'spacebring',
    baseUrl: settings.SPACEBRING_BASE_URL,
    headers: authHeaders(settings.auth, wire.networkHeader),
    limiter: spacebringLimiter(deps.limiters),
  });

  const snapshot = (answer: TicketAnswer) => {
    const problem: AttachmentProblem = (detail) => deps.logger.warn('Spacebring activity attachment unreadable', { ticketId: answer.ticket.id, ...detail });
    return { ticket: toTicket(answer), comments: toComments(answer, settings.SPACEBRING_FILE_HOSTS, problem) };
  };

  async function comment(ticketId: string, text: string): Promise<{ id?: string }> {
    const answer = await http.request(CommentAnswer, { ...routes.comment(), body: { activity: { ticketRef: ticketId, text } } });
    return { id: answer.activity.id };
  }

  async function setStatus(ticketId: string, status: string): Promise<void> {
    await http.request(StatusAnswer, { ...routes.status(ticketId), body: { ticket: { status } } });
  }

  return {
    id: 'spacebring',
    displayName: 'Spacebring',
    fields: OPEN_FIELDS,
    access: accessCheck(http, settings.auth.kind === 'bearer' ? 'SPACEBRING_TOKEN' : 'SPACEBRING_CLIENT_ID/SPACEBRING_CLIENT_SECRET', {
      ...routes.list(),
      query: { locationRef: settings.SPACEBRING_LOCATION_REF, limit: 1 },
    }),
    unsupported: { rate: "Spacebring's API cannot rate tickets; tell support in the thread how it went." },

    validateOpen,

    async createTicket(input, requester) {
      // The service validates first; a direct caller still must not have a bad type quietly replaced.
      const errors = validateOpen(input);
      if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
      const body = toCreateBody(input, requester, {
        locationRef: settings.SPACEBRING_LOCATION_REF,
        requesterRef: settings.SPACEBRING_REQUESTER_REF,
        fallbackType: settings.SPACEBRING_TYPE,
      });
      return snapshot(await http.request(TicketAnswer, { ...routes.create(), body }));
    },

    async getTicket(ticketId) {
      return snapshot(await http.request(TicketAnswer, routes.get(ticketId)));
    },

    addComment: (ticketId, newComment) => comment(ticketId, newComment.text),

    /**
     * Downloads a file from the URL the ticket gives for its key now (read again, in case an
     * earlier URL has expired), from SPACEBRING_FILE_HOSTS only, without the API's credentials.
     */
    async readAttachment(ticketId, ref, maxBytes) {
      const route = routes.get(ticketId);
      const found = attachmentUrl(await http.request(TicketAnswer, route), ref);
      if (!found) throw new ProviderError({ provider: 'spacebring', ...route, kind: 'not_found', vendorMessage: 'the attachment is no longer on the ticket' });
      return downloadFile(found.url, { hosts: settings.SPACEBRING_FILE_HOSTS, maxBytes }, found.mime).catch((error: unknown) => {
        // The file host away or failing is the vendor away: the post waits and is retried, rather
        // than going out with a line where the file should be.
        if (error instanceof DownloadError && error.transient) throw new ProviderError({ provider: 'spacebring', ...route, kind: 'unavailable', cause: error });
        throw error;
      });
    },

    async closeTicket(ticketId) {
      await setStatus(ticketId, wire.closeStatus);
    },

    // A status change carries no text, so the reason follows as a comment support reads.
    async reopenTicket(ticketId, text) {
      await setStatus(ticketId, wire.reopenStatus);
      if (text.trim()) await comment(ticketId, text);
    },

    async listUpdatedSince(cursor, knownOpen) {
      const { ticketIds, mark } = await walkUpdated<string | undefined>({
        mark: decodeCursor(cursor),
        knownOpen,
        first: undefined,
        maxPages: LIST_MAX_PAGES,
        logger: deps.logger,
        provider: 'spacebring',
        now: deps.now ?? Date.now,
        fetchPage: async (token) => {
          const query = {
            locationRef: settings.SPACEBRING_LOCATION_REF,
            limit: LIST_PAGE_SIZE,
            order: wire.newestFirst,
            nextPageToken: token,
          };
          const answer = await http.request(ListAnswer, { ...routes.list(), query });
          const items = answer.tickets.map((t) => ({ id: t.id, updatedAt: t.updateDate }));
          return { items, next: answer.nextPageToken || undefined };
        },
      });
      return { ticketIds, cursor: encodeMark(mark) };
    },
  };
};
