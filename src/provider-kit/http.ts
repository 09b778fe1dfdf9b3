import type { Agent, request } from 'undici';
import type { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../errors.js';
import type { Logger } from '../logger.js';
import { noTelemetry, type Telemetry } from '../ops/telemetry.js';
import type { Pacer } from '../limits.js';
import { backoffMs, sleep } from '../pacing.js';

export interface RetryPolicy {
  /** Retries after the first attempt, for calls safe to repeat. */
  retries: number;
  baseMs: number;
  maxMs: number;
  /** A Retry-After longer than this is not waited out here; the caller (the outbox) reschedules. */
  maxRetryAfterMs: number;
}

export interface HttpDefaults {
  timeoutMs: number;
  retry: RetryPolicy;
}

const HTTP_DEFAULTS = {
  timeoutMs: 10_000,
  retry: { retries: 3, baseMs: 300, maxMs: 5_000, maxRetryAfterMs: 30_000 },
} as const satisfies HttpDefaults;

export interface ProviderHttpOptions {
  provider: string;
  baseUrl: string;
  /** Auth and other fixed headers. Never logged, never put in an error. */
  headers: Readonly<Record<string, string>>;
  /** Picks the vendor's human message out of an error body; the default reads error/message/detail. */
  errorMessage?: (body: unknown) => string | undefined;
  /** Pacing for the vendor's documented limits: the bucket a request must take a token from. */
  limiter?: (method: string, path: string) => Pacer | undefined;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

export interface ProviderRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  body?: unknown;
  /**
   * Whether repeating the call is harmless. GET/PUT/DELETE are by default; a POST is only when
   * the adapter says so. A non-idempotent call is still retried when the provider certainly did
   * not act on it (429, connection refused).
   */
  idempotent?: boolean;
}

/** A provider's view of the shared client: its base URL, its auth, its error dialect. */
export interface ProviderHttp {
  /**
   * Makes the call and checks its answer against `schema`, a write's as much as a read's. A
   * success that does not fit (an empty 200, the wrong shape) throws `malformed`: for a write the
   * vendor may or may not have acted, so its outcome is unknown, never a quiet success.
   */
  request<S extends z.ZodType>(schema: S, req: ProviderRequest): Promise<z.infer<S>>;
}

export interface HttpClient {
  forProvider(options: ProviderHttpOptions): ProviderHttp;
  close(): Promise<void>;
}

/**
 * The one HTTP client of the process: one undici pool, one retry and error policy. undici is
 * loaded with the first call, not before: it is a large library (about 15 MB of resident memory
 * once loaded), and a bot on the local desk never calls out.
 */
export function createHttpClient(logger: Logger, defaults: HttpDefaults = HTTP_DEFAULTS, telemetry: Telemetry = noTelemetry): HttpClient {
  let loaded: Promise<Pool> | undefined;
  let closed = false;
  const pool = () =>
    (loaded ??= import('undici').then(({ Agent, request }) => {
      const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
      // Closed before its first call: the call fails as on any closed client.
      if (closed) void agent.close();
      return { agent, request };
    }));
  return {
    forProvider: (options) => new VendorHttp(pool, logger, defaults, options, telemetry),
    close: async () => {
      closed = true;
      if (loaded) await (await loaded).agent.close();
    },
  };
}

/** undici's pool, and its request function to call through it. */
interface Pool {
  agent: Agent;
  request: typeof request;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

class VendorHttp implements ProviderHttp {
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(
    private readonly pool: () => Promise<Pool>,
    private readonly logger: Logger,
    defaults: HttpDefaults,
    private readonly options: ProviderHttpOptions,
    private readonly telemetry: Telemetry,
  ) {
    this.retry = { ...defaults.retry, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? defaults.timeoutMs;
  }

  async request<S extends z.ZodType>(schema: S, req: ProviderRequest): Promise<z.infer<S>> {
    const { status, body } = await this.send(req);
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : '(root)';
    throw this.fail(req, 'malformed', {
      status,
      vendorMessage: `unexpected response: ${field}: ${issue?.message ?? 'invalid'}`,
    });
  }

  /** The call with its retries; the parsed body of the first answer below 400 (undefined when empty). */
  private async send(req: ProviderRequest): Promise<{ status: number; body: unknown }> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(req);
        if (res.status < 400) {
          return { status: res.status, body: parseBody(res.text, () => this.fail(req, 'malformed', { status: res.status })) };
        }
        throw this.statusError(req, res);
      } catch (err) {
        const error = err instanceof ProviderError ? err : this.networkError(req, err);
        const wait = this.retryDelay(error, attempt, idempotent);
        if (wait === undefined) throw error;
        this.logger.debug('provider call retried', { provider: error.provider, kind: error.kind, path: req.path, wait });
        await sleep(wait);
      }
    }
  }

  /** How long to wait before the next attempt, or undefined when the error is final here. */
  private retryDelay(error: ProviderError, attempt: number, idempotent: boolean): number | undefined {
    if (attempt >= this.retry.retries) return undefined;
    if (error.kind === 'rate_limited') {
      const wait = error.retryAfterMs ?? backoffMs(attempt, this.retry.baseMs, this.retry.maxMs);
      return wait <= this.retry.maxRetryAfterMs ? wait : undefined;
    }
    const certainlyNotSent = error.kind === 'unavailable' && error.status === undefined && isRefused(error.cause);
    if (!idempotent && !certainlyNotSent) return undefined;
    if (error.kind === 'unavailable' || error.kind === 'timeout') {
      return backoffMs(attempt, this.retry.baseMs, this.retry.maxMs);
    }
    return undefined;
  }

  private async once(req: ProviderRequest): Promise<RawResponse> {
    await this.options.limiter?.(req.method, req.path)?.take();
    const url = new URL(this.options.baseUrl.replace(/\/$/, '') + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (req.body !== undefined) headers['content-type'] = 'application/json';
    const { agent, request } = await this.pool();
    // Every attempt is counted, retries included: what the vendor saw, not what the caller asked.
    const res = await request(url, {
      method: req.method,
      headers,
      body: req.body === undefined ? null : JSON.stringify(req.body),
      dispatcher: agent,
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((error: unknown) => {
      this.telemetry.providerCall(this.options.provider, undefined);
      throw error;
    });
    this.telemetry.providerCall(this.options.provider, res.statusCode);
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  }

  private statusError(req: ProviderRequest, res: RawResponse): ProviderError {
    const body = parseBody(res.text, () => res.text);
    const vendorMessage = (this.options.errorMessage ?? defaultErrorMessage)(body);
    const retryAfterMs = parseRetryAfter(header(res.headers, 'retry-after'));
    return this.fail(req, kindOfStatus(res.status), {
      status: res.status,
      ...(vendorMessage ? { vendorMessage } : {}),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }

  private networkError(req: ProviderRequest, err: unknown): ProviderError {
    // By code, not class: undici may not be loaded when the call failed before reaching it.
    const code = (err as { code?: unknown } | undefined)?.code;
    const timedOut =
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'));
    return this.fail(req, timedOut ? 'timeout' : 'unavailable', { cause: err });
  }

  private fail(
    req: ProviderRequest,
    kind: ProviderErrorKind,
    extra: { status?: number; vendorMessage?: string; retryAfterMs?: number; cause?: unknown },
  ): ProviderError {
    return new ProviderError({ kind, provider: this.options.provider, method: req.method, path: req.path, ...extra });
  }
}

function kindOfStatus(status: number): ProviderErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 429) return 'rate_limited';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

/** Reads `error`, then `message`, then `detail` of a JSON error body, or a short plain-text body. */
export function defaultErrorMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['error', 'message', 'detail']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 300);
  }
  return undefined;
}

/** Retry-After is either delta-seconds or an HTTP date. */
function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseBody<T>(text: string, onError: () => T): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const fallback = onError();
    if (fallback instanceof Error) throw fallback;
    return fallback;
  }
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isRefused(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}
