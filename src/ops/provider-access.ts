import { ConfigError, ProviderError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { TicketProvider } from '../provider.js';

/**
 * What the bot last learned about the provider's credentials: `accepted`, `refused` (the vendor
 * answered 401/403), `unknown` (not checked yet, or the check got no usable answer). Readiness
 * reads it; the poller sets it. Each change is one log line, never one per cycle.
 */
export type AccessState = 'accepted' | 'refused' | 'unknown';

export class ProviderAccess {
  private current: AccessState;
  private reason = 'not checked yet';

  constructor(
    private readonly provider: TicketProvider,
    private readonly logger: Logger,
  ) {
    // Nothing to check (the local desk): accepted from the start.
    this.current = provider.access ? 'unknown' : 'accepted';
  }

  get state(): AccessState {
    return this.current;
  }

  /** The setting a refusal is about, e.g. VERIFIK_TOKEN. */
  get variable(): string | undefined {
    return this.provider.access?.variable;
  }

  /** Why it is not accepted, in plain words (for /readyz); undefined when accepted. */
  get problem(): string | undefined {
    return this.current === 'accepted' ? undefined : this.reason;
  }

  /** Runs the provider's access check once and records its outcome; returns the new state. */
  async check(): Promise<AccessState> {
    const access = this.provider.access;
    if (!access) return this.current;
    try {
      await access.check();
      this.set('accepted', '');
    } catch (error) {
      this.fail(error);
    }
    return this.current;
  }

  /**
   * Start-up's check. Refused credentials are a setting to fix: a ConfigError naming it (one line,
   * exit 2), before any front-end starts. No usable answer within `timeoutMs` is logged and
   * start-up goes on, not ready, until the poller's next check passes.
   */
  async checkAtStart(timeoutMs: number): Promise<void> {
    const access = this.provider.access;
    if (!access) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)));
    try {
      await Promise.race([access.check(), late]);
      this.set('accepted', '');
    } catch (error) {
      if (isRefusal(error)) {
        throw new ConfigError(access.variable, `${this.provider.displayName} refused it (HTTP ${error.status ?? 'auth'}); set credentials the vendor accepts (npm run doctor checks them)`);
      }
      this.reason = `${this.provider.displayName} did not answer the credential check: ${messageOf(error)}`;
      this.logger.warn('provider credentials not verified at start-up; starting anyway, not ready until a check passes', { provider: this.provider.id, error: messageOf(error) });
    } finally {
      clearTimeout(timer);
    }
  }

  /** A call failed: a 401/403 means refused; anything else leaves the credentials unproven. */
  fail(error: unknown): void {
    if (isRefusal(error)) this.set('refused', `${this.provider.displayName} refused the credentials in ${this.variable ?? 'its settings'} (HTTP ${error.status ?? 'auth'})`, error);
    else if (this.current !== 'accepted') this.set('unknown', `${this.provider.displayName} did not answer the credential check: ${messageOf(error)}`, error);
  }

  private set(state: AccessState, reason: string, error?: unknown): void {
    const changed = state !== this.current;
    this.current = state;
    this.reason = reason;
    if (!changed) return;
    const fields = { provider: this.provider.id, setting: this.variable, ...(error ? { error: messageOf(error) } : {}) };
    if (state === 'accepted') this.logger.info('provider credentials accepted', fields);
    else if (state === 'refused') this.logger.error('provider refused the credentials; polling backs off until they are fixed', fields);
    else this.logger.warn('provider credentials not verified', fields);
  }
}

/** The vendor said no to who we are (401/403), as opposed to not answering. */
export function isRefusal(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.kind === 'auth';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
