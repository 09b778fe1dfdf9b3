import { randomBytes } from 'node:crypto';
import { ProviderError } from '../../src/errors.js';
import { accessCheck } from '../../src/provider-kit/adapter-kit.js';
import { compareDigests } from '../../src/provider-kit/digest-walk.js';
import { attributedText, type ProviderFactory, type Route, type TicketProvider } from '../../src/provider.js';
import { attachmentBytes, type AttachmentProblem } from './attachments.js';
import { actionFailure, OPEN_FIELDS, toSnapshot, toWirePriority, typeAndTopic, validateOpen } from './map.js';
import { actionKey, NAMESPACE, routes as families } from './routes.js';
import { ActionResponse, type AttachmentInfo, type CreateBody, WireList, WireTicket } from './schemas.js';
import { readSettings } from './settings.js';

export { readSettings };
export { routes } from './routes.js';
export { toStatus } from './map.js';

const PROVIDER = 'f5xc';

/**
 * F5 Distributed Cloud customer support, as a partner for a child tenant or as the tenant itself.
 * The list has no paging and no filter by update time: change detection reads it whole each cycle
 * and GETs only the tickets whose update time, comment count or status moved.
 */
export const createProvider: ProviderFactory = (deps): TicketProvider => {
  const settings = readSettings(deps.env);
  const routes = families[settings.F5XC_MODE];
  const key = actionKey[settings.F5XC_MODE];
  // Error bodies are plain strings [seed]; the default picker reads those (and a JSON `message`).
  const http = deps.http.forProvider({
    provider: PROVIDER,
    baseUrl: settings.F5XC_BASE_URL,
    headers: { authorization: `APIToken ${settings.F5XC_API_TOKEN}` },
  });

  /** Comment, close, reopen: a 200 is only success when `err` is EOK or absent. */
  async function act(route: Route, body: object): Promise<void> {
    const answer = await http.request(ActionResponse, { ...route, body });
    const failure = actionFailure(answer.err);
    if (failure) {
      throw new ProviderError({ provider: PROVIDER, ...route, status: 200, kind: failure.kind, vendorMessage: failure.message });
    }
  }

  /** A ticket we created, found again by the metadata.name we gave it. */
  async function findByName(name: string): Promise<{ id: string; wire: WireTicket } | undefined> {
    if (settings.F5XC_MODE === 'tenant') {
      const wire = await http.request(WireTicket, routes.get(name)).catch((err: unknown) => {
        if (err instanceof ProviderError && err.kind === 'not_found') return undefined;
        throw err;
      });
      return wire && { id: name, wire };
    }
    const { items } = await http.request(WireList, routes.list);
    const tpId = items.find((item) => (item.metadata?.name ?? item.name) === name)?.get_spec?.tp_id;
    return tpId ? { id: tpId, wire: await http.request(WireTicket, routes.get(tpId)) } : undefined;
  }

  async function create(body: CreateBody): Promise<{ id: string; wire: WireTicket }> {
    const name = body.metadata.name;
    let wire: WireTicket;
    try {
      // The unique name makes a repeated create safe: a second attempt can only get a 409.
      wire = await http.request(WireTicket, { ...routes.create, body, idempotent: true });
    } catch (err) {
      // A 409 for our fresh random name means an earlier attempt went through: use that ticket.
      if (!(err instanceof ProviderError && err.kind === 'conflict')) throw err;
      const found = await findByName(name);
      if (!found || found.wire.spec.subject !== body.spec.subject) throw err;
      return found;
    }
    if (settings.F5XC_MODE === 'tenant') return { id: wire.metadata?.name || name, wire };
    // Partner tickets are addressed by tp_id; should create ever answer without it, the list has it.
    const tpId = wire.spec.tp_id || (await findByName(name))?.id;
    if (!tpId) {
      throw new ProviderError({
        provider: PROVIDER,
        ...routes.create,
        kind: 'malformed',
        vendorMessage: 'unexpected response: spec.tp_id: missing',
      });
    }
    return { id: tpId, wire };
  }

  return {
    id: PROVIDER,
    attachments: 'bytes',
    displayName: 'F5 Distributed Cloud',
    fields: OPEN_FIELDS,
    // The list has no paging [public]: the cheapest read there is.
    access: accessCheck(http, 'F5XC_API_TOKEN', routes.list),
    unsupported: {
      rate: "F5 Distributed Cloud's API has no way to rate a ticket; tell support in the thread how it went.",
    },

    validateOpen,

    async createTicket(input, requester) {
      const { type, topic } = typeAndTopic(input.category || undefined, settings.F5XC_TYPE);
      const body: CreateBody = {
        // metadata.name must be DNS-1035 and unique in the namespace [seed]: chat-<16 hex>.
        metadata: { name: `chat-${randomBytes(8).toString('hex')}`, namespace: NAMESPACE },
        spec: {
          subject: input.subject.trim(),
          // Support sees who asked: the same attribution line chat replies carry.
          description: attributedText(input.description, requester),
          priority: toWirePriority(input.priority),
          type,
          topic,
          service: settings.F5XC_SERVICE,
        },
      };
      const { id, wire } = await create(body);
      return toSnapshot(id, wire, settings);
    },

    async getTicket(ticketId) {
      const problem: AttachmentProblem = (detail) => deps.logger.warn('F5 comment attachment unreadable', { ticketId, ...detail });
      return toSnapshot(ticketId, await http.request(WireTicket, routes.get(ticketId)), settings, problem);
    },

    // The bytes come inline with the ticket [seed]: the read is the ticket's own GET.
    async readAttachment(ticketId, ref) {
      const route = routes.get(ticketId);
      const bytes = attachmentBytes(await http.request(WireTicket, route), ref);
      if (!bytes) throw new ProviderError({ provider: PROVIDER, ...route, kind: 'not_found', vendorMessage: 'the attachment is no longer on the ticket' });
      return bytes;
    },

    // The comment call answers only {err}: there is no comment id to return.
    async addComment(ticketId, comment) {
      const files = (comment.files ?? []).flatMap((f): AttachmentInfo[] => (f.bytes ? [{ attachment: f.bytes.toString('base64'), content_type: f.contentType, filename: f.name }] : []));
      await act(routes.comment(ticketId), { ...key(ticketId), comment: comment.text, ...(files.length ? { attachments_info: files } : {}) });
      return {};
    },

    async closeTicket(ticketId) {
      await act(routes.close(ticketId), key(ticketId));
    },

    // F5's reopen takes no text, so the reason follows as a comment once the ticket is open again.
    async reopenTicket(ticketId, text) {
      await act(routes.reopen(ticketId), key(ticketId));
      if (text.trim()) await act(routes.comment(ticketId), { ...key(ticketId), comment: text });
    },

    async listUpdatedSince(cursor, knownOpen) {
      // `report_fields` asks for each item's spec [public]; items without comments get no digest.
      const { items } = await http.request(WireList, { ...routes.list, query: { report_fields: '' } });
      const listed = items.flatMap((item) => {
        const spec = item.get_spec;
        const id = settings.F5XC_MODE === 'partner' ? spec?.tp_id : (item.metadata?.name ?? item.name);
        if (!id) return [];
        const digest = spec?.comments ? `${spec.update_at ?? ''}|${spec.comments.length}|${spec.status ?? ''}` : undefined;
        return [{ id, digest }];
      });
      return compareDigests(cursor, knownOpen, listed);
    },
  };
};
