import type { z } from 'zod';

/** How a provider call failed, from the caller's point of view. */
export type ProviderErrorKind =
  | 'auth'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'invalid'
  | 'unavailable'
  | 'timeout'
  | 'malformed';

interface ProviderErrorInit {
  kind: ProviderErrorKind;
  provider: string;
  method: string;
  path: string;
  status?: number;
  /** The vendor's own words, when it sent any ("Title is required"). */
  vendorMessage?: string;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Every failure of a provider call. Carries the request's method and path (never its headers,
 * query secrets or body) so a log line says what failed without leaking a token.
 */
export class ProviderError extends Error {
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly vendorMessage: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: ProviderErrorInit) {
    const where = `${init.method} ${init.path}`;
    const status = init.status === undefined ? '' : ` ${init.status}`;
    const detail = init.vendorMessage ? `: ${init.vendorMessage}` : '';
    super(`${init.provider} ${init.kind}${status} on ${where}${detail}`, { cause: init.cause });
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.provider = init.provider;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.vendorMessage = init.vendorMessage;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** Worth trying again later: the request may succeed once the provider recovers. */
  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable' || this.kind === 'timeout';
  }
}

/** A capability the provider's API does not have (rating on F5, closing on Console Connect). */
export class NotSupportedError extends Error {
  constructor(
    readonly provider: string,
    readonly feature: 'close' | 'reopen' | 'rate',
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = 'NotSupportedError';
  }
}

/** Input a person typed that cannot be accepted; `fields` maps field name → what it expects. */
export class FieldErrors extends Error {
  constructor(readonly fields: Readonly<Record<string, string>>) {
    super(Object.entries(fields).map(([field, msg]) => `${field}: ${msg}`).join('; '));
    this.name = 'FieldErrors';
  }

  static fromZod(error: z.ZodError): FieldErrors {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) {
      const field = String(issue.path[0] ?? 'input');
      fields[field] ??= issue.message;
    }
    return new FieldErrors(fields);
  }
}

/** The user may not do this to this ticket (not the requester, not staff, unknown ticket). */
export class ForbiddenError extends Error {
  /** `ticketId`: the ticket the actor may not see, so a front-end can say so in the person's language. */
  constructor(
    message: string,
    readonly ticketId?: string,
  ) {
    super(message);
    this.name = 'ForbiddenError';
  }
}

/** A setting that stops start-up: names the variable and what it accepts, nothing else. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expected: string,
    /** The group's other bad settings, after this one. */
    readonly others: readonly ConfigError[] = [],
  ) {
    super(`${variable}: ${expected}`);
    this.name = 'ConfigError';
  }

  /**
   * Every setting wrong in one group, at once (the doctor lists them all); start-up shows the
   * first, since one line is what it prints. Always at least one.
   */
  get problems(): readonly ConfigError[] {
    return this.others.length ? [this, ...this.others] : [this];
  }
}

/**
 * The store (SQLite file or Redis) did not answer within its deadline, refused the connection, or
 * failed the call. Nothing the call was to do can be assumed done, unless `durable`: then the
 * work was saved before the store failed and finishes by itself once the store is back.
 */
export class StoreUnavailable extends Error {
  constructor(
    readonly operation: string,
    readonly reason: string,
    readonly durable = false,
    options?: { cause?: unknown },
  ) {
    super(`the store did not complete ${operation}: ${reason}`, options);
    this.name = 'StoreUnavailable';
  }

  /** The same failure, for a caller whose work was saved before it happened. */
  afterSaved(): StoreUnavailable {
    return new StoreUnavailable(this.operation, this.reason, true, { cause: this });
  }
}

/** The deepest cause's message: "fetch failed" says less than the refused connection under it. */
export function innermostMessage(error: unknown): string {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}
