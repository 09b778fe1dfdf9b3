import { ProviderError } from '../../src/errors.js';
import type { ProviderRequest } from '../../src/provider-kit/http.js';
import type { ProviderFactory, TicketProvider } from '../../src/provider.js';
import { OPEN_FIELDS, threadId, toComments, toCreateBody, toTicket, validateOpen } from './map.js';
import { routes } from './routes.js';
import { TicketAnswer, WireThread, WriteAnswer, type ReplyBody, type UpdateBody, type WireTicket } from './schemas.js';
import { readSettings } from './settings.js';

export { readSettings, routes };
export { toStatus } from './map.js';

/**
 * Verifik support tickets. Threads live inside the ticket and say who wrote them (`type`); tickets
 * cannot be listed by update time, so the relay GETs each linked open ticket.
 */
export const createProvider: ProviderFactory = (deps): TicketProvider => {
  const settings = readSettings(deps.env);
  // The default error picker reads `error` first, which is Verifik's sentence ("Title is
  // required"); `message` holds a code (TITLE_REQUIRED) [seed]. No rate limit is published.
  const http = deps.http.forProvider({
    provider: 'verifik',
    baseUrl: settings.VERIFIK_BASE_URL,
    headers: { authorization: `Bearer ${settings.VERIFIK_TOKEN}` },
  });

  /** `data` of a `{success, data}` answer; an HTTP 200 saying `success: false` is a rejection. */
  async function ticketCall(req: ProviderRequest): Promise<WireTicket> {
    const answer = await http.request(TicketAnswer, req);
    if (answer.success) return answer.data;
    throw rejected(req, answer.error ?? answer.message);
  }

  /** For answers the adapter does not read: only an explicit `success: false` matters. */
  async function write(req: ProviderRequest): Promise<unknown> {
    const answer = WriteAnswer.safeParse(await http.send(req));
    if (!answer.success) return undefined;
    if (answer.data.success === false) throw rejected(req, answer.data.error);
    return answer.data.data;
  }

  function rejected(req: ProviderRequest, vendorMessage: string | undefined): ProviderError {
    return new ProviderError({
      kind: 'invalid',
      provider: 'verifik',
      method: req.method,
      path: req.path,
      ...(vendorMessage ? { vendorMessage } : {}),
    });
  }

  async function reply(ticketId: string, message: string): Promise<{ id?: string }> {
    const data = await write({ ...routes.reply(ticketId), body: { message } satisfies ReplyBody });
    // The answer's shape is assumed; the message is written by now, so an answer we cannot read
    // must not fail the call (the outbox would post it twice). Its id is derived, as on reads.
    const thread = WireThread.safeParse(data);
    return thread.success ? { id: threadId(thread.data) } : {};
  }

  const snapshot = (wire: WireTicket) => ({ ticket: toTicket(wire), comments: toComments(wire) });

  return {
    id: 'verifik',
    displayName: 'Verifik',
    fields: OPEN_FIELDS,
    unsupported: { rate: "Verifik's API cannot rate tickets." },

    validateOpen,

    async createTicket(input, requester) {
      const body = toCreateBody(input, requester, settings.VERIFIK_CATEGORY);
      return snapshot(await ticketCall({ ...routes.create(), body }));
    },

    async getTicket(ticketId) {
      return snapshot(await ticketCall(routes.get(ticketId)));
    },

    addComment: (ticketId, comment) => reply(ticketId, comment.text),

    async closeTicket(ticketId) {
      await write({ ...routes.update(ticketId), body: { status: 'closed' } satisfies UpdateBody });
    },

    async reopenTicket(ticketId, text) {
      await write({ ...routes.update(ticketId), body: { status: 'open' } satisfies UpdateBody });
      // Verifik's update takes no reason; the person's words follow as a reply so support reads why.
      if (text.trim()) await reply(ticketId, text);
    },
  };
};
