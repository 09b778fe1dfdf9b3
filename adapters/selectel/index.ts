import { FieldErrors, ProviderError } from '../../src/errors.js';
import type { ProviderFactory, Route, TicketProvider } from '../../src/provider.js';
import type { OpenField } from '../../src/domain.js';
import { accessCheck } from '../../src/provider-kit/adapter-kit.js';
import { encodeMark, walkUpdated } from '../../src/provider-kit/update-walk.js';
import { CategoryCatalogue } from './categories.js';
import { decodeCursor, openFields, splitThread, toComment, toCreateBody, toTicket, toVoteScore, validateOpen } from './map.js';
import { SELECTEL_PACING, selectelLimiter, sharedSelectelLimiter, type SelectelPacing } from './pacing.js';
import { LIST_MAX_PAGES, LIST_PAGE_SIZE, routes } from './routes.js';
import {
  SelectelComment,
  SelectelCommentList,
  SelectelTicket,
  SelectelTicketList,
  TextRequest,
  VoteAnswer,
  selectelErrorMessage,
  type CloseRequest,
  type VoteRequest,
} from './schemas.js';
import { readSettings } from './settings.js';

export { readSettings, routes };
export { toStatus } from './map.js';

/**
 * Selectel Tickets API v1.2: tickets with a separate comment list, `is_client_author` on each,
 * listed by update time for cheap polling. `pacing` overrides the documented limits (tests, the
 * bench); `createProvider` keeps them.
 */
export function withPacing(pacing: Partial<SelectelPacing>): ProviderFactory {
  return (deps): TicketProvider => {
    const settings = readSettings(deps.env);
    const http = deps.http.forProvider({
      provider: 'selectel',
      baseUrl: settings.baseUrl,
      headers: { 'X-Token': settings.token },
      errorMessage: selectelErrorMessage,
      // Overridden pacing (tests, seeding) stays in this process; the documented limits are shared.
      limiter:
        deps.limiters && Object.keys(pacing).length === 0 ? sharedSelectelLimiter(deps.limiters) : selectelLimiter({ ...SELECTEL_PACING, ...pacing }),
    });

    const catalogue = new CategoryCatalogue(http, deps.logger, deps.now ?? Date.now);
    let fields: { from: typeof catalogue.current; list: OpenField[] } | undefined;

    /** Ticket numbers are integers; anything else cannot exist, and must not reach the path. */
    function number(ticketId: string, route: Route): string {
      if (/^\d+$/.test(ticketId)) return ticketId;
      throw new ProviderError({ kind: 'not_found', provider: 'selectel', ...route, vendorMessage: 'not a ticket number' });
    }

    /** A text body as the vendor bounds it, refused before the call rather than by a 400. */
    function text(body: string, field: string): TextRequest {
      const parsed = TextRequest.safeParse({ body: body.trim() });
      if (!parsed.success) throw new FieldErrors({ [field]: `Text ${parsed.error.issues[0]?.message ?? 'is invalid'}` });
      return parsed.data;
    }

    /**
     * "You will not be able to create and get comments" on a closed ticket [seed]: there a 404 or
     * 400 means no more comments, not a failure. Anywhere else it is a real error.
     */
    async function listComments(n: string, closed: boolean): Promise<SelectelComment[]> {
      try {
        return (await http.request(SelectelCommentList, routes.listComments(n))).items;
      } catch (error) {
        if (closed && error instanceof ProviderError && (error.kind === 'not_found' || error.kind === 'invalid')) return [];
        throw error;
      }
    }

    return {
      id: 'selectel',
      displayName: 'Selectel',
      access: accessCheck(http, 'SELECTEL_TOKEN', { ...routes.listTickets(), query: { page: 1, items_per_page: 1 } }),
      get fields() {
        // The same array while the categories stay the same, so that forms built from it can be kept.
        if (!fields || fields.from !== catalogue.current) fields = { from: catalogue.current, list: openFields(settings, catalogue.current) };
        return fields.list;
      },
      validateOpen: (input) => validateOpen(input, catalogue.current),
      refreshFields: () => catalogue.refresh(),

      async createTicket(input, requester) {
        const errors = validateOpen(input, catalogue.current);
        if (Object.keys(errors).length > 0) throw new FieldErrors(errors);
        const built = toCreateBody(input, requester, settings);
        if ('errors' in built) throw new FieldErrors(built.errors);
        const ticket = await http.request(SelectelTicket, { ...routes.createTicket(), body: built.body });
        // The description is the only comment so far, and it is not part of the conversation.
        return { ticket: toTicket(ticket, built.body.comment_body ?? ''), comments: [] };
      },

      async getTicket(ticketId) {
        const route = routes.getTicket(ticketId);
        const n = number(ticketId, route);
        const ticket = await http.request(SelectelTicket, route);
        const items = await listComments(n, toTicket(ticket, '').status === 'closed');
        const { description, comments } = splitThread(n, items);
        return { ticket: toTicket(ticket, description), comments };
      },

      async addComment(ticketId, comment) {
        const route = routes.addComment(ticketId);
        number(ticketId, route);
        const created = await http.request(SelectelComment, { ...route, body: text(comment.text, 'text') });
        return { id: toComment(ticketId, created).id };
      },

      async closeTicket(ticketId) {
        const route = routes.closeTicket(ticketId);
        number(ticketId, route);
        // Neither a score nor a comment: rating is its own action. The answer is the old ticket shape.
        await http.request(SelectelTicket, { ...route, body: {} satisfies CloseRequest });
      },

      async reopenTicket(ticketId, reason) {
        const route = routes.reopenTicket(ticketId);
        number(ticketId, route);
        await http.request(SelectelTicket, { ...route, body: text(reason, 'text') });
      },

      async rateTicket(ticketId, score, comment) {
        const route = routes.rateTicket(ticketId);
        number(ticketId, route);
        const vendorScore = toVoteScore(score);
        if (vendorScore === undefined) throw new FieldErrors({ score: 'Score must be a whole number from 1 to 5' });
        const vote: VoteRequest = { score: vendorScore, ...(comment?.trim() ? { comment: comment.trim() } : {}) };
        await http.request(VoteAnswer, { ...route, body: vote });
      },

      async listUpdatedSince(cursor, knownOpen) {
        const { ticketIds, mark } = await walkUpdated({
          mark: decodeCursor(cursor),
          knownOpen,
          first: 1,
          maxPages: LIST_MAX_PAGES,
          logger: deps.logger,
          provider: 'selectel',
          now: deps.now ?? Date.now,
          fetchPage: async (page: number) => {
            const query = { page, items_per_page: LIST_PAGE_SIZE, sort_by: 'updated_at', sort_by_order: 'desc' };
            const list = await http.request(SelectelTicketList, { ...routes.listTickets(), query });
            const size = list.items_per_page || LIST_PAGE_SIZE;
            return {
              items: list.items.map((t) => ({ id: String(t.number), updatedAt: t.updatedAt })),
              next: list.items.length > 0 && list.items.length >= size ? page + 1 : undefined,
            };
          },
        });
        return { ticketIds, cursor: encodeMark(mark) };
      },
    };
  };
}

/** Selectel at its documented limits. */
export const createProvider: ProviderFactory = withPacing({});
