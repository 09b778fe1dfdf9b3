import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeFault, FaultPicker, RecordedRequest } from './types.js';

/** What a vendor route handler gets: the parsed request and helpers to answer like the vendor. */
export interface FakeRequest extends RecordedRequest {
  /** Path parameters captured by the route pattern's groups, in order. */
  params: string[];
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type FakeRoute = {
  method: string;
  path: RegExp;
  handle: (req: FakeRequest) => FakeAnswer;
};

export interface FakeHttpOptions {
  routes: FakeRoute[];
  /** Checks auth as the vendor does; returns the vendor's rejection, or undefined to let it pass. */
  authorize: (req: RecordedRequest) => FakeAnswer | undefined;
  /** The vendor's answer for an unknown route. */
  notFound?: FakeAnswer;
  /**
   * Where the API is mounted (`/support`): `url` ends in it, requests outside it are unknown
   * routes, and routes and recorded paths are below it, as the adapter's paths are.
   */
  prefix?: string;
}

export interface FakeHttp {
  url: string;
  requests: RecordedRequest[];
  failNext(count: number, fault: FakeFault, path?: RegExp): void;
  oddSuccess(body: unknown, path?: RegExp): void;
  setChaos(pick: FaultPicker | undefined): void;
  close(): Promise<void>;
}

/**
 * The HTTP plumbing every vendor fake shares: JSON in and out, request recording, injected
 * faults, auth first. Vendor specifics live in the routes each fake passes in.
 */
export async function startFakeHttp(options: FakeHttpOptions): Promise<FakeHttp> {
  const requests: RecordedRequest[] = [];
  const faults: { fault: FakeFault; path: RegExp | undefined }[] = [];
  let chaos: FaultPicker | undefined;
  const server = createServer((req, res) => {
    void readBody(req).then((raw) => respond(req, res, raw));
  });

  async function respond(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const prefix = options.prefix ?? '';
    const mounted = url.pathname.startsWith(`${prefix}/`);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: mounted ? url.pathname.slice(prefix.length) : url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body: parseJson(raw),
      at: Date.now(),
    };
    requests.push(recorded);

    const faultIndex = faults.findIndex((f) => !f.path || f.path.test(recorded.path));
    const fault = faultIndex >= 0 ? faults.splice(faultIndex, 1)[0]!.fault : chaos?.(recorded);
    if (fault?.slow) await new Promise((r) => setTimeout(r, fault.delayMs ?? 0));
    if (fault && !fault.afterHandling && !fault.slow) return answerFault(res, recorded, fault);

    const answer = mounted ? route(recorded) : (options.notFound ?? { status: 404, body: { message: 'Not Found' } });
    if (fault && !fault.slow) return answerFault(res, recorded, fault); // the vendor acted, the client hears a fault
    recorded.status = answer.status;
    send(res, answer);
  }

  function route(recorded: RecordedRequest): FakeAnswer {
    const denied = options.authorize(recorded);
    if (denied) return denied;
    for (const candidate of options.routes) {
      const match = candidate.method === recorded.method ? candidate.path.exec(recorded.path) : null;
      if (match) return candidate.handle({ ...recorded, params: match.slice(1).map(decodeURIComponent) });
    }
    return options.notFound ?? { status: 404, body: { message: 'Not Found' } };
  }

  async function answerFault(res: ServerResponse, recorded: RecordedRequest, fault: FakeFault): Promise<void> {
    if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return;
    recorded.status = fault.status;
    send(res, { status: fault.status, body: fault.raw ?? fault.body, headers: fault.headers ?? {} }, fault.raw !== undefined);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.prefix ?? ''}`,
    requests,
    failNext(count, fault, path) {
      for (let i = 0; i < count; i++) faults.push({ fault, path });
    },
    oddSuccess(body, path) {
      faults.push({ fault: { status: 200, afterHandling: true, ...(body === undefined ? {} : { body }) }, path });
    },
    setChaos(pick) {
      chaos = pick;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, answer: FakeAnswer, raw = false): void {
  const headers: Record<string, string> = { ...answer.headers };
  let payload: string | Buffer = '';
  if (Buffer.isBuffer(answer.body)) {
    payload = answer.body; // a file's bytes, with the content type its route set
    headers['content-type'] ??= 'application/octet-stream';
  } else if (answer.body !== undefined) {
    if (raw || typeof answer.body === 'string') {
      payload = String(answer.body);
      headers['content-type'] ??= raw ? 'application/json' : 'text/plain';
    } else {
      payload = JSON.stringify(answer.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  res.writeHead(answer.status, headers).end(payload);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parseJson(raw: string): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * A test hook's lookup (addAgentComment, setStatus): the stored ticket, or an error naming the
 * fake, since an unknown id there is a mistake in the test, not something the vendor answers.
 */
export function storedTicket<T>(vendor: string, get: (ticketId: string) => T | undefined): (ticketId: string) => T {
  return (ticketId) => {
    const found = get(ticketId);
    if (found === undefined) throw new Error(`fake ${vendor}: no ticket ${ticketId}`);
    return found;
  };
}

/** Increasing ISO timestamps, so "updated since" ordering is deterministic within one fake. */
export function clock(): () => string {
  let last = 0;
  return () => {
    last = Math.max(Date.now(), last + 1);
    return new Date(last).toISOString();
  };
}
