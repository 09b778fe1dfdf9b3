import type { TicketStatus } from '../../src/domain.js';
import { startFakeHttp, storedTicket, type FakeAnswer, type FakeRequest } from './server.js';
import type { FakeProviderServer } from './types.js';

// The vendor's enums, from its documentation rather than the adapter, so a wrong value in the
// adapter is refused here as Verifik would refuse it.
const PRIORITIES = ['low', 'medium', 'high', 'urgent'];
const CATEGORIES = ['technical', 'billing', 'account', 'feature_request', 'general'];
const STATUSES = ['open', 'pending', 'in_progress', 'resolved', 'closed'];

/** A file as Verifik carries it [seed]: a name, where it can be fetched, its size and MIME type. */
interface Attachment { filename: string; url: string; size: number; type: string }

interface Thread {
  author: string;
  message: string;
  timestamp: string;
  type: 'user' | 'agent' | 'system';
  attachments?: Attachment[];
}

/** `attachments[{filename, url, size, type}]` checked field by field, nothing else in an item. */
function attachmentsOf(raw: unknown): Attachment[] | FakeAnswer {
  if (raw === undefined) return [];
  const bad = fail(400, 'Attachments must be an array of {filename, url, size, type}', 'INVALID_ATTACHMENTS');
  if (!Array.isArray(raw)) return bad;
  const out: Attachment[] = [];
  for (const item of raw as Record<string, unknown>[]) {
    const keys = Object.keys(item ?? {}).sort().join(',');
    if (keys !== 'filename,size,type,url') return bad;
    const { filename, url, size, type } = item;
    if (typeof filename !== 'string' || !filename.trim() || typeof url !== 'string' || !/^https?:\/\/\S+$/.test(url)) return bad;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || typeof type !== 'string' || !/^[\w.+-]+\/[\w.+-]+/.test(type)) return bad;
    out.push({ filename, url, size, type });
  }
  return out;
}
type StoredTicket = Record<string, unknown> & { _id: string; status: string; threads: Thread[] };

const TOKEN = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJjbGllbnQiOiJjbGllbnRfMTIzNDU2Nzg5In0.fake-signature';
const CLIENT = 'client_123456789'; // the seed's client id
/** Neutral → Verifik's status words [public], as support would set them. */
const STATUS_WORD: Record<TicketStatus, string> = {
  open: 'open',
  in_progress: 'in_progress',
  waiting: 'pending',
  resolved: 'resolved',
  closed: 'closed',
};

/** Verifik's error body: a sentence in `error`, a code in `message` [seed]. */
const fail = (status: number, error: string, code: string): FakeAnswer => ({ status, body: { error, message: code } });
const ok = (data: unknown): FakeAnswer => ({ status: 200, body: { success: true, data } });
/** Verifik stamps to the second: `2024-01-15T10:30:00Z` [seed]. */
const stamp = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Verifik's support-ticket API, as strict as the seed: Bearer JWT, the four required create fields
 * with the seed's error bodies (TITLE_REQUIRED, INVALID_PRIORITY; the other two follow the same
 * pattern [assumed]), answers wrapped `{success, data}`, the description repeated as the first
 * `user` thread. Reply and update routes, 401 and 404 bodies are [assumed] like the adapter's.
 */
export async function startVerifikFake(): Promise<FakeProviderServer> {
  const tickets = new Map<string, StoredTicket>();
  let nextId = 123_456_789;

  function find(req: FakeRequest): StoredTicket | FakeAnswer {
    return tickets.get(req.params[0] ?? '') ?? fail(404, 'Support ticket not found', 'TICKET_NOT_FOUND');
  }
  const isAnswer = (x: StoredTicket | FakeAnswer): x is FakeAnswer => !('_id' in x);

  function push(ticket: StoredTicket, thread: Omit<Thread, 'timestamp'>): Thread {
    const line = { ...thread, timestamp: stamp() };
    ticket.threads.push(line);
    ticket.updatedAt = line.timestamp;
    return line;
  }

  function changeStatus(ticket: StoredTicket, status: string): void {
    ticket.status = status;
    ticket.resolvedAt = status === 'resolved' || status === 'closed' ? stamp() : null;
    push(ticket, { author: 'system', message: `Ticket status changed to ${status}`, type: 'system' });
  }

  const http = await startFakeHttp({
    authorize: (req) => (req.headers.authorization === `Bearer ${TOKEN}` ? undefined : fail(401, 'Unauthorized', 'UNAUTHORIZED')),
    notFound: fail(404, 'Not found', 'NOT_FOUND'),
    routes: [
      {
        method: 'POST',
        path: /^\/v2\/support-tickets$/,
        handle: (req) => {
          const body = (req.body ?? {}) as Record<string, unknown>;
          const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
          if (!filled(body.title)) return fail(400, 'Title is required', 'TITLE_REQUIRED');
          if (!filled(body.description)) return fail(400, 'Description is required', 'DESCRIPTION_REQUIRED');
          if (!PRIORITIES.includes(body.priority as never)) return fail(400, 'Invalid priority level', 'INVALID_PRIORITY');
          if (!CATEGORIES.includes(body.category as never)) return fail(400, 'Invalid category', 'INVALID_CATEGORY');
          if (body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === 'string'))) {
            return fail(400, 'Tags must be an array of strings', 'INVALID_TAGS');
          }
          const attachments = attachmentsOf(body.attachments);
          if (!Array.isArray(attachments)) return attachments;
          const now = stamp();
          const ticket: StoredTicket = {
            _id: `support_ticket_${nextId++}`,
            title: body.title,
            description: body.description,
            status: 'open',
            priority: body.priority,
            category: body.category,
            client: CLIENT,
            assignedTo: null,
            threads: [{ author: CLIENT, message: body.description, timestamp: now, type: 'user' }],
            attachments,
            tags: body.tags ?? [],
            resolution: null,
            createdAt: now,
            updatedAt: now,
            resolvedAt: null,
          };
          tickets.set(ticket._id, ticket);
          return ok(ticket);
        },
      },
      {
        method: 'GET',
        path: /^\/v2\/support-tickets$/,
        handle: (req) => {
          const page = Math.max(1, Number(req.query.page ?? 1));
          const limit = Math.max(1, Number(req.query.limit ?? 10));
          const all = [...tickets.values()].filter((t) =>
            (['status', 'category', 'priority'] as const).every((k) => req.query[k] === undefined || t[k] === req.query[k]),
          );
          const pagination = { page, limit, total: all.length, pages: Math.ceil(all.length / limit) };
          return { status: 200, body: { success: true, data: all.slice((page - 1) * limit, page * limit), pagination } };
        },
      },
      {
        method: 'GET',
        path: /^\/v2\/support-tickets\/([^/]+)$/,
        handle: (req) => {
          const found = find(req);
          return isAnswer(found) ? found : ok(found);
        },
      },
      {
        method: 'POST',
        path: /^\/v2\/support-tickets\/([^/]+)\/thread$/,
        handle: (req) => {
          const found = find(req);
          if (isAnswer(found)) return found;
          const body = (req.body ?? {}) as Record<string, unknown>;
          const message = body.message;
          if (typeof message !== 'string' || !message.trim()) return fail(400, 'Message is required', 'MESSAGE_REQUIRED');
          const attachments = attachmentsOf(body.attachments);
          if (!Array.isArray(attachments)) return attachments;
          (found.attachments as Attachment[]).push(...attachments);
          return ok(push(found, { author: CLIENT, message, type: 'user', ...(attachments.length ? { attachments } : {}) }));
        },
      },
      {
        method: 'PUT',
        path: /^\/v2\/support-tickets\/([^/]+)$/,
        handle: (req) => {
          const found = find(req);
          if (isAnswer(found)) return found;
          const status = (req.body as Record<string, unknown> | undefined)?.status;
          if (!STATUSES.includes(status as never)) return fail(400, 'Invalid status', 'INVALID_STATUS');
          changeStatus(found, status as string);
          return ok(found);
        },
      },
    ],
  });

  const stored = storedTicket('verifik', (id) => tickets.get(id));

  return {
    ...http,
    env: { VERIFIK_BASE_URL: http.url, VERIFIK_TOKEN: TOKEN },
    addAgentComment(ticketId, text, author = 'Verifik Support', files = []) {
      if (files.length) throw new Error('fake verifik: agent replies carry no files (a thread entry is {author, message, timestamp, type} [seed]; files hang on the ticket)');
      push(stored(ticketId), { author, message: text, type: 'agent' });
      return undefined; // threads have no id [seed]
    },
    setStatus(ticketId, status) {
      changeStatus(stored(ticketId), STATUS_WORD[status]);
    },
    comments(ticketId) {
      return (tickets.get(ticketId)?.threads ?? [])
        .filter((t) => t.type !== 'system')
        .map((t) => ({ text: t.message, byCustomer: t.type === 'user', ...(t.attachments ? { files: t.attachments.map((a) => ({ name: a.filename, contentType: a.type, url: a.url })) } : {}) }));
    },
    ticket: (ticketId) => tickets.get(ticketId),
  };
}
