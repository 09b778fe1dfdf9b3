import { randomUUID } from 'node:crypto';
import type { TicketStatus } from '../../src/domain.js';
import { startFakeHttp, storedTicket, type FakeAnswer, type FakeRequest } from './server.js';
import type { AgentFile, FakeProviderServer, RecordedRequest } from './types.js';

// The vendor's enums, from its documentation rather than the adapter, so a wrong value in the
// adapter is refused here as Spacebring would refuse it.
const STATUSES = ['new', 'inProgress', 'solved', 'closed'];
const TICKET_TYPES = ['access', 'accountAndBilling', 'bookings', 'cleaning', 'internet', 'mailAndPackages', 'printing', 'repairAndMaintenance', 'temperatureAndVentilation', 'websiteAndApp', 'other'];

interface User {
  id: string;
  name: string;
  surname: string;
  email: string;
}
interface Membership {
  id: string;
  roleType: string;
  type: string;
  user: User;
}
interface Activity {
  id: string;
  ticketRef: string;
  createDate: string;
  type: 'ticketCreated' | 'comment' | 'statusUpdated' | 'assigneeUpdated';
  /** Absent when an API client acted. */
  membership?: Membership;
  data: { text?: string; status?: string; attachments?: Attachment[] };
}
/** An activity's attachment as the seed shows it; `height`/`width` only for images. */
interface Attachment {
  key: string;
  mime: string;
  name: string;
  size: number;
  url: string;
  height?: number;
  width?: number;
}
type StoredTicket = Record<string, unknown> & { id: string; status: string; updateDate: string; locationRef: string };

const TOKEN = 'sb-oauth-3f1d9a7c52e84b0e9c6a1d2f7e8b4a90';
const NETWORK = '8a6f2d0e-3b41-4c7a-9e15-2f0d6c8b7a31';
const CLIENT_ID = 'sb-client-51c0e2';
const CLIENT_SECRET = 'sb-secret-9d4e7f2a1b6c8e0f3a5d7c9b';
const LOCATION = '3c90c3cc-0d44-4b50-8888-8dd25736052a'; // the seed's example UUID
const REQUESTER: Membership = {
  id: '5b2e9f14-7c3a-4d8e-a1f6-0c9d2b7e4a58',
  roleType: 'member',
  type: 'user',
  user: { id: 'e7d1c4a9-2f6b-4e80-b3d5-91a7c0f2e6b4', name: 'Ada', surname: 'Lovelace', email: 'ada@example.com' },
};
const PAGE_TOKEN = /^p(\d+)$/;
/**
 * Where the fake keeps attachment bytes. Spacebring's `url` is served by its file storage, not the
 * API, and opens without the API's credentials [assumed: a signed or public storage URL].
 */
const FILES = /^\/files\/(.+)$/;

/** Neutral → Spacebring's status [public]; it has no "waiting", support leaves such a ticket in progress. */
const STATUS_WORD: Record<TicketStatus, string> = {
  open: 'new',
  in_progress: 'inProgress',
  waiting: 'inProgress',
  resolved: 'solved',
  closed: 'closed',
};

/** Spacebring's error body `{message, type}` [public]; the `type` words are [assumed]. */
const fail = (status: number, message: string, type: string): FakeAnswer => ({ status, body: { message, type } });
const invalid = (message: string): FakeAnswer => fail(400, message, 'invalidRequest');
const isUuid = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/i.test(v);
/** Spacebring stamps to the second: `2023-11-07T05:31:56Z` [seed]. */
const toSecond = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Spacebring's support-ticket API, as strict as the seed and the public reference: a Bearer token
 * with its network id header or HTTP Basic API keys, `ticket.locationRef` and `ticket.text`
 * required, `{ticket, activities[]}` answers, a list by update time with page tokens, and 429
 * above 10 requests in any second. Activities carry `type` as the public reference says.
 * `now` sets the fake's clock, so a test can stamp two writes in the same second.
 */
export async function startSpacebringFake(options: { now?: () => number } = {}): Promise<FakeProviderServer> {
  const clock = options.now ?? Date.now;
  const stamp = (): string => toSecond(clock());
  const tickets = new Map<string, StoredTicket>();
  const activities = new Map<string, Activity[]>();
  const agents = new Map<string, Membership>();
  const recent: number[] = [];
  let limited = true;
  let number = 1000;

  function authorize(req: RecordedRequest): FakeAnswer | undefined {
    if (req.method === 'GET' && FILES.test(req.path)) return undefined; // file storage, not the API
    const now = Date.now();
    while (recent.length && recent[0]! <= now - 1_000) recent.shift();
    recent.push(now);
    if (limited && recent.length > 10) return { ...fail(429, 'Too many requests', 'tooManyRequests'), headers: { 'retry-after': '1' } };
    const auth = req.headers.authorization ?? '';
    const basic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    if (auth === basic) return undefined;
    if (auth === `Bearer ${TOKEN}` && req.headers['spacebring-network-id'] === NETWORK) return undefined;
    return fail(401, 'Unauthorized', 'unauthorized');
  }

  function find(req: FakeRequest, id = req.params[0] ?? ''): StoredTicket | FakeAnswer {
    return tickets.get(id) ?? fail(404, 'Ticket not found', 'notFound');
  }
  const isAnswer = (x: StoredTicket | FakeAnswer): x is FakeAnswer => !('id' in x);
  const answer = (ticket: StoredTicket) => ({ ticket, activities: activities.get(ticket.id) ?? [] });

  function record(ticket: StoredTicket, entry: Omit<Activity, 'id' | 'ticketRef' | 'createDate'>): Activity {
    const activity: Activity = { id: randomUUID(), ticketRef: ticket.id, createDate: stamp(), ...entry };
    activities.get(ticket.id)!.push(activity);
    ticket.updateDate = activity.createDate;
    return activity;
  }

  function changeStatus(ticket: StoredTicket, status: string, actor?: Membership): Activity {
    ticket.status = status;
    const activity = record(ticket, { type: 'statusUpdated', ...(actor ? { membership: actor } : {}), data: { status } });
    ticket.statusUpdateDate = activity.createDate;
    return activity;
  }

  function agent(fullName: string): Membership {
    let found = agents.get(fullName);
    if (!found) {
      const [name = fullName, ...rest] = fullName.split(' ');
      const user = { id: randomUUID(), name, surname: rest.join(' '), email: `${name.toLowerCase()}@coworking.example` };
      found = { id: randomUUID(), roleType: 'admin', type: 'user', user };
      agents.set(fullName, found);
    }
    return found;
  }

  /** Spacebring's file storage, by key. */
  const stored = new Map<string, AgentFile>();
  /** Stores each file as Spacebring's storage would and describes it as an activity carries it. */
  function attach(files: readonly AgentFile[]): Attachment[] {
    return files.map((f) => {
      const key = `support/${randomUUID()}/${f.name}`;
      stored.set(key, f);
      return { key, mime: f.contentType, name: f.name, size: f.bytes.length, url: `${http.url}/files/${encodeURIComponent(key)}`, ...imageSize(f) };
    });
  }

  const http = await startFakeHttp({
    authorize,
    notFound: fail(404, 'Not found', 'notFound'),
    routes: [
      {
        method: 'POST',
        path: /^\/support\/tickets\/v1$/,
        handle: (req) => {
          const body = (req.body as { ticket?: Record<string, unknown> } | undefined)?.ticket;
          if (!body || typeof body !== 'object') return invalid('"ticket" is required');
          if (!isUuid(body.locationRef)) return invalid('"ticket.locationRef" must be a valid UUID');
          if (body.locationRef !== LOCATION) return fail(404, 'Location not found', 'notFound');
          if (typeof body.text !== 'string' || !body.text.trim()) return invalid('"ticket.text" is required');
          if (body.type !== undefined && !TICKET_TYPES.includes(body.type as never)) return invalid('"ticket.type" is invalid');
          const requester = body.userRefRequester;
          if (requester !== undefined && requester !== REQUESTER.user.id) return invalid('"ticket.userRefRequester" is not a member');
          const now = stamp();
          const ticket: StoredTicket = {
            id: randomUUID(),
            number: number++,
            status: 'new',
            type: body.type ?? 'other',
            description: body.text,
            locationRef: LOCATION,
            createDate: now,
            updateDate: now,
            statusUpdateDate: now,
            ...(requester
              ? { userRequester: REQUESTER.user, membershipRefRequester: REQUESTER.id, membershipRequester: REQUESTER }
              : {}),
          };
          tickets.set(ticket.id, ticket);
          activities.set(ticket.id, []);
          record(ticket, { type: 'ticketCreated', ...(requester ? { membership: REQUESTER } : {}), data: { text: body.text } });
          return { status: 201, body: answer(ticket) };
        },
      },
      {
        method: 'GET',
        path: /^\/support\/tickets\/v1$/,
        handle: (req) => {
          const { locationRef, limit = '20', order = 'createDate:desc', nextPageToken } = req.query;
          if (!isUuid(locationRef)) return invalid('"locationRef" is required');
          const size = Number(limit);
          if (!Number.isInteger(size) || size < 1 || size > 100) return invalid('"limit" must be between 1 and 100');
          const [field, direction] = order.split(':');
          if (!['createDate', 'updateDate'].includes(field ?? '') || !['asc', 'desc'].includes(direction ?? '')) {
            return invalid('"order" is invalid');
          }
          const offset = nextPageToken === undefined ? 0 : Number(PAGE_TOKEN.exec(nextPageToken)?.[1] ?? NaN);
          if (Number.isNaN(offset)) return invalid('"nextPageToken" is invalid');
          const key = field as 'createDate' | 'updateDate';
          const sorted = [...tickets.values()]
            .filter((t) => t.locationRef === locationRef)
            .sort((a, b) => String(a[key]).localeCompare(String(b[key])) * (direction === 'desc' ? -1 : 1));
          const page = sorted.slice(offset, offset + size);
          const more = offset + size < sorted.length;
          return { status: 200, body: { tickets: page, ...(more ? { nextPageToken: `p${offset + size}` } : {}) } };
        },
      },
      {
        method: 'POST',
        path: /^\/support\/tickets\/v1\/comment$/,
        handle: (req) => {
          const body = (req.body as { activity?: Record<string, unknown> } | undefined)?.activity;
          if (!body || typeof body !== 'object') return invalid('"activity" is required');
          if (!isUuid(body.ticketRef)) return invalid('"activity.ticketRef" must be a valid UUID');
          const found = find(req, body.ticketRef);
          if (isAnswer(found)) return found;
          if (typeof body.text !== 'string' || !body.text.trim()) return invalid('"activity.text" is required');
          // Written by the API client itself: no membership names an actor.
          const activity = record(found, { type: 'comment', data: { text: body.text, attachments: [] } });
          return { status: 201, body: { activity } };
        },
      },
      {
        method: 'GET',
        path: /^\/support\/tickets\/v1\/([^/]+)$/,
        handle: (req) => {
          const found = find(req);
          return isAnswer(found) ? found : { status: 200, body: answer(found) };
        },
      },
      {
        method: 'GET',
        path: FILES,
        handle: (req) => {
          const file = stored.get(req.params[0]!);
          return file ? { status: 200, body: file.bytes, headers: { 'content-type': file.contentType } } : fail(404, 'Not found', 'notFound');
        },
      },
      {
        method: 'PUT',
        path: /^\/support\/tickets\/v1\/([^/]+)\/status$/,
        handle: (req) => {
          const found = find(req);
          if (isAnswer(found)) return found;
          const status = (req.body as { ticket?: { status?: unknown } } | undefined)?.ticket?.status;
          if (!STATUSES.includes(status as never)) return invalid('"ticket.status" is invalid');
          const activity = changeStatus(found, status as string);
          return { status: 200, body: { activity, ticket: found } };
        },
      },
    ],
  });

  const ticketOf = storedTicket('spacebring', (id) => tickets.get(id));

  return {
    ...http,
    env: {
      SPACEBRING_BASE_URL: http.url,
      SPACEBRING_TOKEN: TOKEN,
      SPACEBRING_NETWORK_ID: NETWORK,
      SPACEBRING_LOCATION_REF: LOCATION,
      SPACEBRING_REQUESTER_REF: REQUESTER.user.id,
    },
    liftLimit(lifted) {
      limited = !lifted;
    },
    addAgentComment(ticketId, text, author = 'Community Manager', files = []) {
      return record(ticketOf(ticketId), { type: 'comment', membership: agent(author), data: { text, attachments: attach(files) } }).id;
    },
    setStatus(ticketId, status) {
      changeStatus(ticketOf(ticketId), STATUS_WORD[status], agent('Community Manager'));
    },
    comments(ticketId) {
      return (activities.get(ticketId) ?? [])
        .filter((a) => a.type === 'comment')
        .map((a) => ({
          text: a.data.text ?? '',
          byCustomer: !a.membership || a.membership.id === REQUESTER.id,
          ...(a.data.attachments?.length ? { files: a.data.attachments.map((f) => ({ name: f.name, contentType: f.mime, url: f.url })) } : {}),
        }));
    },
    ticket: (ticketId) => {
      const found = tickets.get(ticketId);
      return found && { ...found, activities: activities.get(ticketId) ?? [] };
    },
  };
}

/** Credentials of the fake's other scheme, customer API keys sent as HTTP Basic. */
export const SPACEBRING_FAKE_API_KEYS = { SPACEBRING_CLIENT_ID: CLIENT_ID, SPACEBRING_CLIENT_SECRET: CLIENT_SECRET } as const;

/** A PNG's width and height from its IHDR chunk, as Spacebring gives them for images [seed]; nothing for other files. */
function imageSize(file: AgentFile): { width?: number; height?: number } {
  const png = file.contentType === 'image/png' && file.bytes.length >= 24 && file.bytes.toString('ascii', 12, 16) === 'IHDR';
  return png ? { width: file.bytes.readUInt32BE(16), height: file.bytes.readUInt32BE(20) } : {};
}
