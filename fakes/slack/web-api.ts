// A strict, in-process fake of Slack's Web API (+ Socket Mode and response_url) for tests.
// Point Bolt at it with `clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } }`.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { receiveUpload, seedFile, serveDownload, serveSignin } from './files.js';
import { APP_TOKEN_METHODS, METHODS, fail, type Args, type Result } from './methods.js';
import { attachSocketMode, type FakeSocket } from './socket-mode.js';
import { SLACK_DEFAULTS, SlackState, type FakeChannel, type FakeSlackOptions, type FakeUser, type StoredMessage } from './state.js';

export interface FakeSlackCall {
  /** Web API method, or 'response_url' for posts to a response_url. */
  method: string;
  /** Arguments with JSON fields (blocks, view, metadata, …) decoded; the token is in `token`. */
  args: Args;
  at: number;
  token: string | undefined;
  /** HTTP status the fake answered (200, or 429 when rate limited). */
  status: number;
  response: Record<string, unknown>;
}

export interface FakeSlack {
  /** Base for `clientOptions.slackApiUrl`, e.g. http://127.0.0.1:PORT/api/ */
  readonly url: string;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly calls: readonly FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** Resolves with the first recorded (past or future) call to `method` matching `predicate`. */
  waitFor(method: string, predicate?: (call: FakeSlackCall) => boolean, timeoutMs?: number): Promise<FakeSlackCall>;
  /** Stored messages of a channel (top level and replies), or of one thread (parent first). */
  messages(channel: string, threadTs?: string): StoredMessage[];
  /** Seeds a message as if a user had posted it (default user and channel); returns it with its ts. */
  addMessage(m: Partial<StoredMessage> & { text: string }): StoredMessage;
  addUser(u: FakeUser): void;
  addChannel(c: FakeChannel): void;
  /** The views opened or updated, by view id. */
  view(id: string): Record<string, unknown> | undefined;
  /** A fresh response_url served by this fake; posts to it are recorded as 'response_url' calls. */
  responseUrl(): string;
  /** Answers HTTP 429 (Retry-After: 1) once a channel exceeds `perChannelPerSec` calls of `method`. */
  rateLimit(method: string, limit: { perChannelPerSec: number }): void;
  /**
   * The next `times` calls of `method` do what they ask (a post is stored) but are never
   * answered: Slack slow or cut off after acting, when only a client's deadline ends the wait.
   */
  withholdAnswers(method: string, times?: number): void;
  /** Seeds a file someone shared; returns the file object a `file_share` event carries. */
  addFile(file: { name: string; mimetype: string; bytes: Buffer; user?: string }): Record<string, unknown>;
  /** A file's stored bytes and details (uploads by the bot included), or undefined. */
  file(id: string): { name: string; title: string; mimetype: string; bytes: Buffer; shared: boolean } | undefined;
  /** Forgets calls, messages, views, used triggers and rate limits (workspace config stays). */
  reset(): void;
  readonly socket: FakeSocket;
  close(): Promise<void>;
}

// Fields Slack expects as JSON strings inside form bodies.
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'user_auth_blocks', 'files']);
const RESPONSE_URL_USES = 5;

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/** Parses a Web API request body the way Slack does; returns an error code for bad bodies. */
function parseArgs(contentType: string | undefined, body: string, query: URLSearchParams): Args | string {
  const args: Args = Object.fromEntries(query);
  if (body === '') return args;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (!type) return 'missing_post_type';
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return 'invalid_json';
      return { ...args, ...(parsed as Args) };
    } catch {
      return 'invalid_json';
    }
  }
  if (type !== 'application/x-www-form-urlencoded') return 'invalid_post_type';
  for (const [k, v] of new URLSearchParams(body)) {
    if (JSON_FIELDS.has(k)) {
      try {
        args[k] = JSON.parse(v);
      } catch {
        args[k] = v; // left undecoded; the method's validation reports it
      }
    } else {
      args[k] = v;
    }
  }
  return args;
}

function bearer(req: IncomingMessage, args: Args): string | undefined {
  const h = req.headers.authorization;
  if (h) return /^Bearer\s+(.+)$/i.exec(h)?.[1];
  // Slack also takes the token as a POST parameter.
  return typeof args.token === 'string' && args.token !== '' ? args.token : undefined;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const state = new SlackState(options);
  const calls: FakeSlackCall[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const limits = new Map<string, number>();
  const withheld = new Map<string, number>();
  const windows = new Map<string, number[]>();
  const responseUrls = new Map<string, number>();
  let origin = '';
  let responseCounter = 0;

  function record(call: FakeSlackCall): void {
    calls.push(call);
    events.emit('call', call);
  }

  function rateLimited(method: string, args: Args): boolean {
    const perSec = limits.get(method);
    if (perSec === undefined) return false;
    const key = `${method}\u0000${String(args.channel ?? '')}`;
    const now = Date.now();
    const recent = (windows.get(key) ?? []).filter((t) => now - t < 1000);
    const limited = recent.length >= perSec;
    if (!limited) recent.push(now);
    windows.set(key, recent);
    return limited;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const parsed = parseArgs(req.headers['content-type'], await readBody(req), url.searchParams);
    const args: Args = typeof parsed === 'string' ? {} : parsed;
    const token = bearer(req, args);
    delete args.token;
    const reply = (response: Result, status = 200, headers: Record<string, string> = {}): void => {
      record({ method, args, at: Date.now(), token, status, response });
      const left = withheld.get(method) ?? 0;
      if (left > 0 && response.ok === true) return void withheld.set(method, left - 1);
      send(res, status, response, headers);
    };
    if (typeof parsed === 'string') return reply(fail(parsed));
    const handler = METHODS[method];
    if (!handler) return reply({ ok: false, error: 'unknown_method', req_method: method });
    if (!token) return reply(fail('not_authed'));
    const wantsApp = APP_TOKEN_METHODS.has(method);
    const known = state.tokens.has(token) || state.appTokens.has(token);
    if (!known) return reply(fail('invalid_auth'));
    if (wantsApp !== state.appTokens.has(token)) return reply(fail('not_allowed_token_type'));
    if (rateLimited(method, args)) return reply(fail('ratelimited'), 429, { 'retry-after': '1' });
    const granted = state.tokens.has(token) ? { 'x-oauth-scopes': state.scopes.join(',') } : {};
    reply(handler(args, { state, socketUrl: () => socket.issueUrl(origin), origin: () => origin }), 200, granted);
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(req);
    let args: Args;
    try {
      args = raw === '' ? {} : (JSON.parse(raw) as Args);
    } catch {
      args = { raw };
    }
    const used = responseUrls.get(id);
    let status = 200;
    let response: Record<string, unknown> = { ok: true };
    if (used === undefined) [status, response] = [404, { ok: false, error: 'invalid_url' }];
    else if (used >= RESPONSE_URL_USES) [status, response] = [404, { ok: false, error: 'used_url' }];
    else responseUrls.set(id, used + 1);
    record({ method: 'response_url', args: { ...args, response_url_id: id }, at: Date.now(), token: undefined, status, response });
    send(res, status, response);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    const resp = /^\/response\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    const download = /^\/files-pri\/[A-Z0-9]+-(F[0-9]+)\/download\/[^/]+$/.exec(url.pathname);
    const upload = /^\/upload\/v1\/(F[0-9]+)$/.exec(url.pathname);
    let work: Promise<void> | undefined;
    if (download?.[1] && req.method === 'GET') {
      record({ method: 'file.download', args: { file: download[1] }, at: Date.now(), token: /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1], status: 200, response: { ok: true } });
      return serveDownload(req, res, state, download[1], origin);
    }
    if (url.pathname === '/signin' && req.method === 'GET') return serveSignin(res);
    if (upload?.[1] && req.method === 'POST') {
      const id = upload[1];
      work = readBytes(req).then((body) => {
        const answer = receiveUpload(req, res, state, id, body);
        record({ method: 'file.upload', args: { file: id, bytes: body.length }, at: Date.now(), token: undefined, status: res.statusCode, response: { ok: res.statusCode === 200, text: answer } });
      });
    }
    else if (api?.[1] && (req.method === 'POST' || req.method === 'GET')) work = handleApi(req, res, api[1], url);
    else if (resp?.[1] && req.method === 'POST') work = handleResponseUrl(req, res, resp[1]);
    if (!work) {
      send(res, 404, { ok: false, error: 'not_found' });
      return;
    }
    work.catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: 'fatal_error', detail: String(e) });
    });
  });

  const socket = attachSocketMode(server, { appId: state.bot.appId, ackTimeoutMs: options.ackTimeoutMs ?? 3000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function describe(c: FakeSlackCall): string {
    const outcome = c.response.ok === true ? 'ok' : `${String(c.response.error)} (HTTP ${c.status})`;
    const args = JSON.stringify(c.args);
    return `  ${c.method} → ${outcome} ${args.length > 200 ? `${args.slice(0, 200)}…` : args}`;
  }

  return {
    url: `${origin}/api/`,
    origin,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitFor(method, predicate = () => true, timeoutMs = 5000) {
      const match = (c: FakeSlackCall): boolean => c.method === method && predicate(c);
      const found = calls.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const onCall = (c: FakeSlackCall): void => {
          if (!match(c)) return;
          clearTimeout(timer);
          events.off('call', onCall);
          resolve(c);
        };
        const timer = setTimeout(() => {
          events.off('call', onCall);
          const seen = calls.length === 0 ? '  (no calls at all)' : calls.map(describe).join('\n');
          reject(new Error(`fake Slack: no matching ${method} call within ${timeoutMs} ms. Calls seen:\n${seen}`));
        }, timeoutMs);
        events.on('call', onCall);
      });
    },
    messages(channel, threadTs) {
      const id = state.resolveChannel(channel)?.id ?? channel;
      return state.messages.filter(
        (m) => m.channel === id && (threadTs === undefined || m.ts === threadTs || m.thread_ts === threadTs),
      );
    },
    addMessage(m) {
      const channel = state.resolveChannel(m.channel ?? SLACK_DEFAULTS.channelId);
      if (!channel) throw new Error(`fake Slack: addMessage to unknown channel ${String(m.channel)}; addChannel() it first`);
      const msg: StoredMessage = { user: SLACK_DEFAULTS.userId, ...m, type: 'message', channel: channel.id, ts: m.ts ?? state.nextTs() };
      state.messages.push(msg);
      return msg;
    },
    addUser: (u) => state.addUser(u),
    addChannel: (c) => state.addChannel(c),
    view: (id) => state.views.get(id)?.view,
    responseUrl() {
      responseCounter += 1;
      const id = `R${String(responseCounter).padStart(6, '0')}`;
      responseUrls.set(id, 0);
      return `${origin}/response/${id}`;
    },
    addFile: (file) => seedFile(state, origin, file),
    file(id) {
      const f = state.files.get(id);
      return f ? { name: f.name, title: f.title, mimetype: f.mimetype, bytes: f.bytes, shared: f.shared } : undefined;
    },
    rateLimit(method, { perChannelPerSec }) {
      limits.set(method, perChannelPerSec);
    },
    withholdAnswers(method, times = 1) {
      withheld.set(method, times);
    },
    reset() {
      calls.length = 0;
      state.reset();
      limits.clear();
      withheld.clear();
      windows.clear();
      socket.clearLog();
    },
    socket,
    async close() {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
