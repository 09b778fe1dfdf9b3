// HTTP side of the fake: `/api/v10/...` routing, `Authorization: Bot <token>` checks, body parsing
// (JSON and multipart with payload_json), a record of every call, and one-shot 429s.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeCdn } from './cdn.js';
import type { FakeGateway } from './gateway.js';
import type { FakeState, Json } from './state.js';
import { nextSnowflake } from './state.js';
import { ERR, apiError } from './validate.js';

export interface FileInfo { field: string; name: string; size: number; contentType: string; bytes: Buffer }

export interface RestCall {
  method: string;
  /** Path after `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  /** Raw query string without `?` ('' when none). */
  query: string;
  /** Parsed JSON body (for multipart: the parsed `payload_json`); `undefined` when there was none. */
  body: unknown;
  files: FileInfo[];
  status: number;
  /** What the fake answered (parsed JSON), `undefined` for 204. */
  response: unknown;
  at: number;
}

export interface RouteCtx { params: string[]; body: Json; query: URLSearchParams; files: FileInfo[] }
export interface RouteResult { status: number; body?: unknown; headers?: Record<string, string> }
export interface Route {
  method: string;
  pattern: RegExp;
  /** Interaction callbacks and interaction webhooks are authenticated by their token, not a header. */
  auth?: false;
  handle: (ctx: RouteCtx) => RouteResult;
}

export interface Hub {
  state: FakeState;
  gateway: FakeGateway;
  interactionTimeoutMs: number;
  cdn: FakeCdn;
}

export const ok = (body?: unknown): RouteResult => (body === undefined ? { status: 204 } : { status: 200, body });

interface Waiter { match: (c: RestCall) => boolean; resolve: (c: RestCall) => void }

export class FakeRest {
  readonly calls: RestCall[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly rateLimits: Array<{ route: RegExp; retryAfter: number }> = [];

  constructor(private readonly token: string, private readonly routes: Route[], private readonly cdn?: FakeCdn) {}

  /** The next request whose path matches gets one 429; discord.js waits and retries it by itself. */
  rateLimitNext(route: RegExp, retryAfterSec: number): void {
    this.rateLimits.push({ route, retryAfter: retryAfterSec });
  }

  /** Resolves with the first call (already made or future) matching method, path and predicate. */
  waitForCall(method: string, path: RegExp, predicate?: (c: RestCall) => boolean, timeoutMs = 3000): Promise<RestCall> {
    const match = (c: RestCall): boolean => c.method === method.toUpperCase() && path.test(c.path) && (predicate?.(c) ?? true);
    const found = this.calls.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (c) => { clearTimeout(timer); this.waiters.delete(waiter); resolve(c); },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const seen = this.calls.map((c) => `${c.method} ${c.path} → ${c.status}`).join('\n  ');
        reject(new Error(`No ${method} ${path} within ${timeoutMs} ms. Calls so far:\n  ${seen}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // The CDN shares the port, as the fake's one host; its URLs need no token, only their signature.
    if (this.cdn?.serve(req, res)) return;
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = (req.method ?? 'GET').toUpperCase();
    // discord.js sends `@original` as `%40original`; Discord decodes the path before routing.
    const pathname = safeDecode(url.pathname);
    const path = pathname.startsWith('/api/v10/') ? pathname.slice('/api/v10'.length) : pathname;
    const raw = await readBody(req);
    let parsed: { body: unknown; files: FileInfo[] };
    try {
      parsed = await parseBody(raw, String(req.headers['content-type'] ?? ''));
    } catch {
      return this.finish(res, { method, path, query: url.search.slice(1), body: raw.toString('utf8'), files: [] },
        apiError(400, 50109, 'The request body contains invalid JSON.'));
    }
    const call = { method, path, query: url.search.slice(1), body: parsed.body, files: parsed.files };
    if (!pathname.startsWith('/api/v10/')) return this.finish(res, call, ERR.notFound());
    const limit = this.rateLimits.findIndex((r) => r.route.test(path));
    if (limit >= 0) {
      const [rule] = this.rateLimits.splice(limit, 1);
      return this.finish(res, call, tooManyRequests(rule?.retryAfter ?? 1));
    }
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.auth !== false && req.headers['authorization'] !== `Bot ${this.token}`) {
        return this.finish(res, call, ERR.unauthorized());
      }
      let result: RouteResult;
      try {
        result = route.handle({ params: m.slice(1), body: (parsed.body ?? {}) as Json, query: url.searchParams, files: parsed.files });
      } catch (err) {
        result = { status: 500, body: { message: `Fake Discord crashed: ${String(err)}`, code: 0 } };
      }
      return this.finish(res, call, result);
    }
    this.finish(res, call, ERR.notFound());
  }

  private finish(res: ServerResponse, call: Omit<RestCall, 'status' | 'at' | 'response'>, result: RouteResult): void {
    const record: RestCall = { ...call, status: result.status, response: result.body, at: Date.now() };
    this.calls.push(record);
    for (const w of [...this.waiters]) if (w.match(record)) w.resolve(record);
    const headers: Record<string, string> = { via: '1.1 fake-discord', ...result.headers };
    if (result.body === undefined) {
      res.writeHead(result.status, headers).end();
      return;
    }
    res.writeHead(result.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(result.body));
  }
}

/** A 429 shaped like Discord's: per-route bucket headers, Retry-After in whole seconds. */
function tooManyRequests(retryAfter: number): RouteResult {
  return {
    status: 429,
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
    headers: {
      'retry-after': String(Math.ceil(retryAfter)),
      'x-ratelimit-limit': '5',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((Date.now() + retryAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-reset-after': retryAfter.toFixed(3),
      'x-ratelimit-bucket': `fake-${nextSnowflake().slice(-8)}`,
      'x-ratelimit-scope': 'user',
    },
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(raw: Buffer, contentType: string): Promise<{ body: unknown; files: FileInfo[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake/', { method: 'POST', headers: { 'content-type': contentType }, body: raw }).formData();
    const files: FileInfo[] = [];
    let body: unknown = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, size: value.size, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString('utf8')), files: [] };
}
