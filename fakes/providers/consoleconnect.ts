import type { TicketStatus } from '../../src/domain.js';
import { clock, startFakeHttp, storedTicket, type FakeAnswer, type FakeRequest } from './server.js';
import type { FakeProviderServer } from './types.js';

// The vendor's enum, copied from its documentation rather than imported from the adapter, so a
// wrong value in the adapter is refused here as Console Connect would refuse it.
const ISSUE_TYPES = ['Application', 'Circuit Down', 'Circuit Flapping', 'Circuit taking errors', 'High Latency', 'Operational Request', 'Others', 'Packet Loss/Drops', 'Request Reason of Outage', 'Slow Response', 'Unstable'];

/**
 * How the fake writes notes, whose inner shape Console Connect does not publish: TMF621
 * `{author, date, text}` without ids by default (the harder case for the adapter), or with ids,
 * or with the request's `noteText` key.
 */
export interface ConsoleconnectFakeOptions {
  noteIds?: boolean;
  noteField?: 'text' | 'noteText';
}

type Note = Record<string, unknown>;
interface Stored {
  record: Record<string, unknown> & { id: string; status: string; notes: Note[] };
  byCustomer: boolean[];
}

const API_KEY = 'cc-test-api-key-5f1d2a9e7b';
const ID = /^INC\d{12}$/;
/** Neutral → the vendor's (Remedy's) words, as support would set them. */
const STATUS_WORD: Record<TicketStatus, string> = {
  open: 'Acknowledged',
  in_progress: 'In Progress',
  waiting: 'Pending',
  resolved: 'Resolved',
  closed: 'Closed',
};
const CLOSED_WORDS = new Set(['Closed', 'Cancelled']);

/**
 * Console Connect's Support Tickets API, as strict as the seed: Bearer API key, `status` required
 * on the list (which answers a bare array), ids like INC000001234567 (anything else is a 400),
 * addNote answering the whole ticket. Error bodies are not published [assumed]:
 * `{statusCode, error: <reason phrase>, message}`.
 */
export async function startConsoleconnectFake(options: ConsoleconnectFakeOptions = {}): Promise<FakeProviderServer> {
  const tickets = new Map<string, Stored>();
  const now = clock();
  let nextId = 1_234_567;
  let nextNote = 1;

  const fail = (status: number, error: string, message: string): FakeAnswer => ({ status, body: { statusCode: status, error, message } });
  const vendorDate = (): string => now().replace('Z', '+0000'); // 2023-01-01T01:02:03.000+0000 [seed]

  function note(text: string, author: string): Note {
    const id = options.noteIds ? { id: `NOTE-${String(nextNote++).padStart(6, '0')}` } : {};
    return { ...id, author, date: vendorDate(), [options.noteField ?? 'text']: text };
  }

  /** The ticket a route addresses, or the vendor's 400 (bad id) / 404 (no such ticket). */
  function find(req: FakeRequest): Stored | FakeAnswer {
    const id = req.params[0] ?? '';
    if (!ID.test(id)) return fail(400, 'Bad Request', `Invalid ticket id: ${id}`);
    return tickets.get(id) ?? fail(404, 'Not Found', `Support ticket ${id} does not exist`);
  }
  const isAnswer = (x: Stored | FakeAnswer): x is FakeAnswer => !('record' in x);

  const http = await startFakeHttp({
    authorize: (req) =>
      req.headers.authorization === `Bearer ${API_KEY}` ? undefined : fail(401, 'Unauthorized', 'Invalid or missing API key'),
    notFound: fail(404, 'Not Found', 'No such route'),
    routes: [
      {
        method: 'GET',
        path: /^\/v2\/support-tickets\/services$/,
        handle: () => ({ status: 200, body: [] }),
      },
      {
        method: 'GET',
        path: /^\/v2\/support-tickets$/,
        handle: (req) => {
          const status = req.query.status;
          if (status !== 'open' && status !== 'closed') return fail(400, 'Bad Request', 'status must be one of: open, closed');
          const page = Math.max(1, Number(req.query.page ?? 1));
          const size = Math.max(1, Number(req.query.pageSize ?? 200));
          const matching = [...tickets.values()]
            .map((t) => t.record)
            .filter((r) => CLOSED_WORDS.has(r.status) === (status === 'closed'));
          return { status: 200, body: matching.slice((page - 1) * size, page * size) }; // a bare array [seed]
        },
      },
      {
        method: 'POST',
        path: /^\/v2\/support-tickets$/,
        handle: (req) => {
          const body = (req.body ?? {}) as Record<string, unknown>;
          // The seed marks no field required; a careful fake rejects what a ticket cannot lack [assumed].
          for (const field of ['name', 'description'] as const) {
            const value = body[field];
            if (typeof value !== 'string' || !value.trim()) return fail(400, 'Bad Request', `${field} is required`);
          }
          if (!ISSUE_TYPES.includes(body.issueType as never)) {
            return fail(400, 'Bad Request', `issueType must be one of: ${ISSUE_TYPES.join(', ')}`);
          }
          const id = `INC${String(nextId++).padStart(12, '0')}`;
          const record: Stored['record'] = {
            id,
            name: body.name as string,
            description: body.description as string,
            priority: [],
            status: 'Acknowledged',
            ticketType: 'Incident',
            creationDate: vendorDate(),
            notes: [],
            relatedParty: [],
            relatedEntity: [],
            channel: {},
            '@type': 'troubleTicket',
          };
          tickets.set(id, { record, byCustomer: [] });
          return { status: 200, body: record };
        },
      },
      {
        method: 'GET',
        path: /^\/v2\/support-tickets\/([^/]+)$/,
        handle: (req) => {
          const found = find(req);
          return isAnswer(found) ? found : { status: 200, body: found.record };
        },
      },
      {
        method: 'POST',
        path: /^\/v2\/support-tickets\/([^/]+)\/addNote$/,
        handle: (req) => {
          const found = find(req);
          if (isAnswer(found)) return found;
          const text = (req.body as Record<string, unknown> | undefined)?.noteText;
          if (typeof text !== 'string' || !text.trim()) return fail(400, 'Bad Request', 'noteText is required');
          // Written through the API key, so the note's author is the API account.
          found.record.notes.push(note(text, 'API User'));
          found.byCustomer.push(true);
          return { status: 200, body: found.record }; // the whole ticket [seed]
        },
      },
    ],
  });

  const stored = storedTicket('consoleconnect', (id) => tickets.get(id));

  return {
    ...http,
    env: { CONSOLECONNECT_BASE_URL: http.url + '/', CONSOLECONNECT_API_KEY: API_KEY },
    addAgentComment(ticketId, text, author = 'Console Connect Support', files = []) {
      if (files.length) throw new Error('fake console connect: agent replies carry no files (the seed does not publish what a note holds)');
      const t = stored(ticketId);
      const added = note(text, author);
      t.record.notes.push(added);
      t.byCustomer.push(false);
      return typeof added.id === 'string' ? added.id : undefined;
    },
    setStatus(ticketId, status) {
      stored(ticketId).record.status = STATUS_WORD[status];
    },
    comments(ticketId) {
      const t = tickets.get(ticketId);
      if (!t) return [];
      return t.record.notes.map((n, i) => ({ text: String(n.text ?? n.noteText), byCustomer: t.byCustomer[i] ?? false }));
    },
    ticket: (ticketId) => tickets.get(ticketId)?.record,
  };
}
