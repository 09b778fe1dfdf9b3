import type { FailureCause } from '../src/delivery/failure-cause.js';
import { FieldErrors, ForbiddenError, NotSupportedError, ProviderError, StoreUnavailable } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import { translator, type Locale, type Translate } from './i18n.js';
import type { Answer } from './types.js';

/** Who is told about a failure: their language, and the log that gets the details. */
export interface Listener {
  logger: Logger;
  locale?: Locale | undefined;
}

/**
 * Turns what went wrong into words for the person in chat. An unknown error is logged here; the
 * person gets a plain sentence, never a stack trace.
 */
export function replyForError(error: unknown, providerName: string, to: Listener): Answer {
  const t = translator(to.locale);
  if (error instanceof FieldErrors) {
    const text = Object.entries(error.fields)
      .map(([field, msg]) => `${field}: ${msg}`)
      .join('\n');
    return { ok: false, text, fieldErrors: { ...error.fields } };
  }
  if (error instanceof ForbiddenError) return { ok: false, text: error.ticketId ? t('error.noTicket', { id: error.ticketId }) : error.message };
  // The vendor's own words on what it cannot do: vendor text is not translated.
  if (error instanceof NotSupportedError) return { ok: false, text: error.message };
  if (error instanceof ProviderError) {
    to.logger.warn('the provider refused or failed an action', { kind: error.kind, error });
    return { ok: false, text: providerTrouble(error, providerName, t) };
  }
  if (error instanceof StoreUnavailable) {
    // Saved work counts as taken: the front-end must not ask the platform or the person to send it again.
    return error.durable ? { ok: true, later: true, text: t('error.storeDownSaved', { provider: providerName }) } : { ok: false, text: t('error.storeDown') };
  }
  to.logger.error('an action failed unexpectedly', { error });
  return { ok: false, text: t('error.ourFault') };
}

/** The provider's trouble in plain words; its own message (vendor text, untranslated) where it gave one a person can act on. */
export function providerTrouble(error: ProviderError, provider: string, t: Translate): string {
  const vendorSays = error.vendorMessage ? ` ${t('error.vendorSays', { provider, message: error.vendorMessage })}` : '';
  switch (error.kind) {
    case 'auth':
      return t('error.provider.auth', { provider });
    case 'not_found':
      return t('error.provider.notFound', { provider }) + vendorSays;
    case 'invalid':
    case 'conflict':
      return t('error.provider.invalid', { provider }) + vendorSays;
    case 'rate_limited':
      return t('error.provider.rateLimited', { provider });
    case 'malformed':
      return t('error.provider.malformed', { provider });
    case 'timeout':
    case 'unavailable':
      return t('error.provider.unavailable', { provider });
  }
}

/**
 * A delivery that failed for good, in plain words: what happened and what to do, with the vendor's
 * own sentence where it gave one. Never the request's path or status (the log has them, by key).
 */
export function plainFailure(cause: FailureCause | undefined, provider: string | undefined, t: Translate): string {
  if (!cause || !provider) return t('failure.unknown');
  const vendorSays = cause.vendorMessage ? ` ${t('error.vendorSays', { provider, message: cause.vendorMessage })}` : '';
  switch (cause.kind) {
    case 'auth':
      return t('failure.auth', { provider });
    case 'not_found':
      return t('failure.notFound', { provider }) + vendorSays;
    case 'invalid':
    case 'conflict':
      return t('failure.invalid', { provider }) + vendorSays;
    case 'malformed':
      return t('failure.malformed', { provider });
    case 'rate_limited':
    case 'timeout':
    case 'unavailable':
      return t('failure.unavailable', { provider });
    case 'other':
      return t('failure.other', { provider });
  }
}
