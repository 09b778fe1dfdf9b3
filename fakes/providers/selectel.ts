import { randomUUID } from 'node:crypto';
import type { TicketStatus } from '../../src/domain.js';
import { startFakeHttp, storedTicket, type FakeAnswer, type FakeRequest } from './server.js';
import type { AgentFile, FakeProviderServer } from './types.js';

// The vendor's limits and enum, from its documentation rather than the adapter, so a wrong value
// in the adapter is refused here as Selectel would refuse it.
const BODY_MAX = 50_000;
const SUMMARY_MAX = 255;
const ACCESS_LEVELS = ['all_users', 'account_users', 'project_users'];

interface StoredComment {
  id: number;
  ticket_number: number;
  body: string;
  files: string[];
  is_client_author: boolean;
  is_client_read: boolean;
  client_author_id: string | null;
  admin_author: { name: string } | null;
  sent_at: string;
}

interface StoredTicket {
  number: number;
  status: string;
  summary: string;
  access_level: string;
  categories: string[];
  products: string[];
  keystone_projects: string[];
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  is_await_client: boolean;
  is_await_support: boolean;
  unread_comments_count: number;
  vote: { score: number; comment: string | null; created_at: string } | null;
  comments: StoredComment[];
}

const TOKEN = 'sl-static-4f9c2a7e1b8d4c6a9e3f0b5d7a1c2e8f';
const CLIENT = 'user-7b1e0f'; // the API key's user, as client_author_id
const PRODUCT = 'cloud_servers';
/** The account's catalogue as `GET /categories` lists it [seed shape; values invented]. */
const CATEGORIES = [
  { id: 1, key: 'technical_question', names: { en: 'Technical question', ru: 'Технический вопрос' } },
  { id: 2, key: 'billing', names: { en: 'Billing and payments', ru: 'Оплата' } },
  { id: 3, key: 'network', names: { en: 'Network', ru: 'Сеть' } },
] as const;
const SELECTEL_CATALOGUE: readonly string[] = CATEGORIES.map((c) => c.key);
/** Neutral → Selectel's status key, as support would set it (all but in_progress [assumed]). */
const STATUS_KEY: Record<TicketStatus, string> = {
  open: 'new',
  in_progress: 'in_progress',
  waiting: 'await_client',
  resolved: 'resolved',
  closed: 'closed',
};
const STATUS_NAME: Record<string, { en: string; ru: string }> = {
  new: { en: 'New', ru: 'Новый' },
  in_progress: { en: 'Open', ru: 'Открыт' }, // the seed's own pairing
  await_client: { en: 'Awaiting reply', ru: 'Ожидает ответа' },
  resolved: { en: 'Resolved', ru: 'Решён' },
  closed: { en: 'Closed', ru: 'Закрыт' },
};

/**
 * Error bodies are not published [seed: 400/404/429 with no schema]; the API is pydantic-typed,
 * so this answers FastAPI's `{detail}`: a sentence, or `[{loc, msg, type}]` for a bad field.
 */
const fail = (status: number, detail: string): FakeAnswer => ({ status, body: { detail } });
const invalid = (field: string, msg: string): FakeAnswer => ({
  status: 400,
  body: { detail: [{ loc: ['body', field], msg, type: 'value_error' }] },
});
/** Selectel stamps to the second: `2019-08-24T14:15:22Z` [seed]. */
const toSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const length = (v: string): number => [...v].length;
const inRange = (v: unknown, min: number, max: number): boolean => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
/** `comment` on close and vote: optional, non-empty when sent [seed]. */
const badComment = (v: unknown): FakeAnswer | undefined =>
  v === undefined || (typeof v === 'string' && v !== '') ? undefined : invalid('comment', 'ensure this value has at least 1 characters');
const customer = (body: string) => ({ body, is_client_author: true, client_author_id: CLIENT, admin_author: null });

/** The v1.2 shape: create, get and list [seed]. */
function v12(t: StoredTicket): Record<string, unknown> {
  return {
    access_level: t.access_level,
    categories: t.categories,
    created_at: t.created_at,
    is_await_client: t.is_await_client,
    is_await_support: t.is_await_support,
    is_can_be_voted: true,
    is_client_read: t.unread_comments_count === 0,
    is_closed_by_system: false,
    is_from_mailing: false,
    keystone_projects: t.keystone_projects,
    notice_id: 0,
    notification_categories: [],
    number: t.number,
    products: t.products,
    split_from_ticket_number: null,
    status: t.status,
    summary: t.summary,
    unread_comments_count: t.unread_comments_count,
    updated_at: t.updated_at,
    vote_created_at: t.vote?.created_at ?? null,
    vote_score: t.vote?.score ?? 0,
    vote_type: 'plus_minus',
  };
}

/** The old shape that close and reopen still answer with [seed]. */
function old(t: StoredTicket): Record<string, unknown> {
  return {
    closed_at: t.closed_at,
    created_at: t.created_at,
    is_client_author: true,
    is_client_read: t.unread_comments_count === 0,
    is_closed: t.status === 'closed',
    is_resolved: t.status === 'resolved',
    number: t.number,
    status: STATUS_NAME[t.status] ?? { en: t.status, ru: t.status },
    status_key: t.status,
    summary: t.summary,
    updated_at: t.updated_at,
    vote: t.vote,
    access_level: t.access_level,
    keystone_projects: t.keystone_projects,
    notice_id: 0,
    splitted_from_ticket_number: 0,
  };
}

/**
 * Selectel's Tickets API v1.2 as strict as the seed: `X-Token`, every required create field
 * typed and bounded, both ticket shapes, comments refused on a closed ticket, FastAPI-style error
 * bodies. Paths are the adapter's (routes.ts), [assumed] where it says so.
 * `now` sets the fake's clock, so a test can stamp two writes in the same second.
 */
export async function startSelectelFake(options: { now?: () => number } = {}): Promise<FakeProviderServer> {
  const clock = options.now ?? Date.now;
  const stamp = (): string => toSecond(clock());
  const tickets = new Map<number, StoredTicket>();
  let nextNumber = 4_812_001;
  let nextComment = 90_001;

  function find(req: FakeRequest): StoredTicket | FakeAnswer {
    const n = Number(req.params[0]);
    if (!Number.isInteger(n)) return invalid('ticket_number', 'value is not a valid integer');
    return tickets.get(n) ?? fail(404, 'Ticket not found');
  }
  const isAnswer = (x: StoredTicket | FakeAnswer): x is FakeAnswer => !('number' in x);

  type NewComment = Pick<StoredComment, 'body' | 'is_client_author' | 'client_author_id' | 'admin_author'> & { files?: string[] };
  function push(t: StoredTicket, c: NewComment): StoredComment {
    const comment: StoredComment = {
      ...c,
      id: nextComment++,
      ticket_number: t.number,
      files: c.files ?? [],
      is_client_read: c.is_client_author,
      sent_at: stamp(),
    };
    t.comments.push(comment);
    t.updated_at = comment.sent_at;
    t.is_await_client = !c.is_client_author;
    t.is_await_support = c.is_client_author;
    if (!c.is_client_author) t.unread_comments_count++;
    return comment;
  }

  function checkBody(body: Record<string, unknown>, required: boolean): FakeAnswer | undefined {
    if (body.body === undefined && !required) return undefined;
    if (typeof body.body !== 'string') return invalid('body', 'field required');
    if (length(body.body) < 1 || length(body.body) > BODY_MAX) {
      return invalid('body', `ensure this value has 1 to ${BODY_MAX} characters`);
    }
    const files = body.files;
    if (files !== undefined && !(isStrings(files) && inRange(files.length, 1, 10) && files.every((f) => UUID.test(f)))) {
      return invalid('files', 'expected 1 to 10 file UUIDs');
    }
    return undefined;
  }

  function create(req: FakeRequest): FakeAnswer {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (!ACCESS_LEVELS.includes(body.access_level as never)) {
      return invalid('access_level', `value is not a valid enumeration member; permitted: ${ACCESS_LEVELS.join(', ')}`);
    }
    for (const field of ['categories', 'keystone_projects', 'products'] as const) {
      if (!isStrings(body[field])) return invalid(field, 'field required');
    }
    if (!(isStrings(body.files) && body.files.every((f) => UUID.test(f)))) return invalid('files', 'field required');
    if (!(Array.isArray(body.secrets) && body.secrets.every((s) => Number.isInteger(s)))) return invalid('secrets', 'field required');
    if (typeof body.summary !== 'string') return invalid('summary', 'field required');
    if (!inRange(length(body.summary), 1, SUMMARY_MAX)) return invalid('summary', `ensure this value has 1 to ${SUMMARY_MAX} characters`);
    const categories = body.categories as string[];
    const unknown = categories.find((c) => !SELECTEL_CATALOGUE.includes(c));
    if (unknown !== undefined) return fail(400, `Category ${unknown} not found`);
    if ((body.products as string[]).length === 0) return invalid('products', 'ensure this value has at least 1 items');
    if (body.comment_body != null && typeof body.comment_body !== 'string') return invalid('comment_body', 'str type expected');
    const now = stamp();
    const ticket: StoredTicket = {
      number: nextNumber++,
      status: 'new',
      summary: body.summary,
      access_level: body.access_level as string,
      categories,
      products: body.products as string[],
      keystone_projects: body.keystone_projects as string[],
      created_at: now,
      updated_at: now,
      closed_at: null,
      is_await_client: false,
      is_await_support: true,
      unread_comments_count: 0,
      vote: null,
      comments: [],
    };
    // "Body of the first comment on the ticket" [seed].
    if (typeof body.comment_body === 'string' && body.comment_body !== '') {
      push(ticket, customer(body.comment_body));
    }
    tickets.set(ticket.number, ticket);
    return { status: 200, body: v12(ticket) };
  }

  function list(req: FakeRequest): FakeAnswer {
    const q = req.query;
    const page = Number(q.page ?? 1);
    const size = Number(q.items_per_page ?? 10);
    if (!Number.isInteger(page) || page < 1) return invalid('page', 'value is not a valid integer');
    if (!Number.isInteger(size) || size < 1) return invalid('items_per_page', 'value is not a valid integer');
    const sortBy = q.sort_by ?? 'created_at';
    const order = q.sort_by_order ?? 'desc';
    const badEnum = 'value is not a valid enumeration member';
    if (!['created_at', 'updated_at', 'resolved_at', 'closed_at'].includes(sortBy)) return invalid('sort_by', badEnum);
    if (!['asc', 'desc'].includes(order)) return invalid('sort_by_order', badEnum);
    const key = (t: StoredTicket): string => String((t as unknown as Record<string, unknown>)[sortBy] ?? '');
    const sorted = [...tickets.values()].sort((a, b) => key(a).localeCompare(key(b)) || a.number - b.number);
    if (order === 'desc') sorted.reverse();
    const items = sorted.slice((page - 1) * size, page * size).map(v12);
    return { status: 200, body: { items, items_per_page: size, page } };
  }

  const withTicket = (handle: (t: StoredTicket, body: Record<string, unknown>) => FakeAnswer) => (req: FakeRequest) => {
    const found = find(req);
    return isAnswer(found) ? found : handle(found, (req.body ?? {}) as Record<string, unknown>);
  };

  /** "List categories" [seed]: its query parameters checked, every category active here. */
  function listCategories(req: FakeRequest): FakeAnswer {
    const badEnum = 'value is not a valid enumeration member';
    if (req.query.sort_by_order !== undefined && !['asc', 'desc'].includes(req.query.sort_by_order)) return invalid('sort_by_order', badEnum);
    const active = req.query.is_only_active;
    if (active !== undefined && !['true', 'false'].includes(active)) return invalid('is_only_active', 'value could not be parsed to a boolean');
    return { status: 200, body: { items: CATEGORIES.map((c) => ({ ...c, descriptions: { en: '', ru: '' } })) } };
  }

  const http = await startFakeHttp({
    // The API lives under /support, as api.selectel.ru/support does [public].
    prefix: '/support',
    authorize: (req) => (req.headers['x-token'] === TOKEN ? undefined : fail(401, 'Invalid or missing X-Token')),
    notFound: fail(404, 'Not Found'),
    routes: [
      { method: 'POST', path: /^\/tickets$/, handle: create },
      { method: 'GET', path: /^\/tickets$/, handle: list },
      { method: 'GET', path: /^\/categories$/, handle: listCategories },
      { method: 'GET', path: /^\/tickets\/([^/]+)$/, handle: withTicket((t) => ({ status: 200, body: v12(t) })) },
      {
        method: 'GET',
        path: /^\/tickets\/([^/]+)\/comments$/,
        handle: withTicket((t) => {
          if (t.status === 'closed') return fail(400, 'Ticket is closed');
          t.unread_comments_count = 0;
          return { status: 200, body: { items: t.comments } };
        }),
      },
      {
        method: 'POST',
        path: /^\/tickets\/([^/]+)\/comments$/,
        handle: withTicket((t, body) => {
          if (t.status === 'closed') return fail(400, 'Ticket is closed');
          const bad = checkBody(body, true);
          if (bad) return bad;
          return { status: 200, body: push(t, customer(body.body as string)) };
        }),
      },
      {
        method: 'POST',
        path: /^\/tickets\/([^/]+)\/close$/,
        handle: withTicket((t, body) => {
          if (t.status === 'closed') return fail(400, 'Ticket is already closed');
          const bad = badComment(body.comment);
          if (bad) return bad;
          if (body.score !== undefined && !inRange(body.score, 1, 5)) return invalid('score', 'ensure this value is between 1 and 5');
          t.status = 'closed';
          t.closed_at = t.updated_at = stamp();
          return { status: 200, body: old(t) };
        }),
      },
      {
        method: 'POST',
        path: /^\/tickets\/([^/]+)\/reopen$/,
        handle: withTicket((t, body) => {
          if (t.status !== 'closed') return fail(400, 'Ticket is not closed');
          const bad = checkBody(body, true);
          if (bad) return bad;
          t.status = 'in_progress';
          t.closed_at = null;
          push(t, customer(body.body as string));
          return { status: 200, body: old(t) };
        }),
      },
      {
        method: 'POST',
        path: /^\/tickets\/([^/]+)\/vote$/,
        handle: withTicket((t, body) => {
          if (!inRange(body.score, 1, 10)) return invalid('score', 'ensure this value is between 1 and 10');
          const bad = badComment(body.comment);
          if (bad) return bad;
          t.vote = { score: body.score as number, comment: (body.comment as string | undefined) ?? null, created_at: stamp() };
          return { status: 200, body: t.vote };
        }),
      },
    ],
  });

  const stored = storedTicket('selectel', (id) => tickets.get(Number(id)));
  /** Selectel's file storage: the seed names no call that reads it, so the fake has none either. */
  const storage = new Map<string, AgentFile>();

  return {
    ...http,
    env: {
      SELECTEL_BASE_URL: http.url,
      SELECTEL_TOKEN: TOKEN,
      SELECTEL_PRODUCT: PRODUCT,
      // Only the default: the rest of the catalogue comes from GET /categories.
      SELECTEL_CATEGORY: 'technical_question',
    },
    addAgentComment(ticketId, text, author = 'Selectel Support', attached = []) {
      // A comment names its files by UUID only [seed]; what they hold stays in Selectel's file storage.
      const files = attached.map((f) => {
        const id = randomUUID();
        storage.set(id, f);
        return id;
      });
      const comment = push(stored(ticketId), { body: text, is_client_author: false, client_author_id: null, admin_author: { name: author }, files });
      return String(comment.id);
    },
    setStatus(ticketId, status) {
      const t = stored(ticketId);
      t.status = STATUS_KEY[status];
      t.updated_at = stamp();
      t.closed_at = status === 'closed' ? t.updated_at : null;
    },
    comments: (ticketId) =>
      (tickets.get(Number(ticketId))?.comments ?? []).map((c) => ({
        text: c.body,
        byCustomer: c.is_client_author,
        ...(c.files.length ? { files: c.files.map((id) => ({ name: storage.get(id)?.name ?? id, contentType: storage.get(id)?.contentType ?? 'application/octet-stream' })) } : {}),
      })),
    ticket: (ticketId) => {
      const t = tickets.get(Number(ticketId));
      return t && { ...v12(t), comments: t.comments };
    },
  };
}
