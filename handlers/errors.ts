import { FieldErrors, ForbiddenError, NotSupportedError, ProviderError, StoreUnavailable } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import type { Answer } from './types.js';

/** What every front-end says when something unexpected failed on its side. */
export const OUR_FAULT = 'Something went wrong on our side; nothing you typed was sent. Please try again.';

/** What every front-end says while the store cannot be reached and nothing was kept. */
export const STORE_DOWN = 'The ticket store is unreachable; nothing was sent. Please try again in a minute.';

/** …and when what the person sent was saved before the store failed. */
export function storeDownButSaved(providerName: string): string {
  return `The ticket store is unreachable right now, but your message is saved: it will go out to ${providerName} when the store is back.`;
}

/**
 * Turns what went wrong into words for the person in chat. An unknown error is logged here; the
 * person gets a plain sentence, never a stack trace.
 */
export function replyForError(error: unknown, providerName: string, logger: Logger): Answer {
  if (error instanceof FieldErrors) {
    const text = Object.entries(error.fields)
      .map(([field, msg]) => `${field}: ${msg}`)
      .join('\n');
    return { ok: false, text, fieldErrors: { ...error.fields } };
  }
  if (error instanceof ForbiddenError || error instanceof NotSupportedError) {
    return { ok: false, text: error.message };
  }
  if (error instanceof ProviderError) return { ok: false, text: providerTrouble(error, providerName) };
  if (error instanceof StoreUnavailable) {
    // Saved work counts as taken: the front-end must not ask the platform or the person to send it again.
    return error.durable ? { ok: true, later: true, text: storeDownButSaved(providerName) } : { ok: false, text: STORE_DOWN };
  }
  logger.error('an action failed unexpectedly', { error });
  return { ok: false, text: OUR_FAULT };
}

function providerTrouble(error: ProviderError, providerName: string): string {
  const vendorSays = error.vendorMessage ? ` ${providerName} says: "${error.vendorMessage}".` : '';
  switch (error.kind) {
    case 'auth':
      return `${providerName} refused the bot's credentials. Ask the operator to check them.`;
    case 'not_found':
      return `${providerName} does not know that ticket.${vendorSays}`;
    case 'invalid':
    case 'conflict':
      return `${providerName} did not accept that.${vendorSays}`;
    case 'rate_limited':
      return `${providerName} asks us to slow down. Please try again in a minute.`;
    case 'malformed':
      return `${providerName} sent an answer we could not read. Please try again later.`;
    case 'timeout':
    case 'unavailable':
      return `${providerName} is not answering right now. Please try again in a minute.`;
  }
}
