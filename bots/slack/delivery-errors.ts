import { webApi } from '@slack/bolt';
import { ChatDeliveryError } from '../../src/chat.js';

/** Slack's answers that are worth trying again. */
const TRANSIENT_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/** Makes a Web API call, any failure turned into a ChatDeliveryError (see deliveryError). */
export async function slackCall<T>(method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw deliveryError(method, error);
  }
}

/** Slack's failure as a ChatDeliveryError that says whether trying again can help. */
function deliveryError(method: string, error: unknown): ChatDeliveryError {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string } };
  switch (e.code) {
    case webApi.ErrorCode.RateLimitedError:
      return new ChatDeliveryError(`Slack rate limited ${method}`, true, Math.max(1, e.retryAfter ?? 1) * 1000);
    case webApi.ErrorCode.PlatformError: {
      const code = e.data?.error;
      // The client reports a body it could not parse (a proxy's HTML page, a cut-off answer) as a
      // platform error whose "code" is that body. Slack did not refuse anything: the post may or
      // may not have happened, and the idempotency key makes trying again safe.
      if (!isSlackErrorCode(code)) return new ChatDeliveryError(`Slack sent an answer to ${method} that could not be read`, true);
      return new ChatDeliveryError(`Slack refused ${method}: ${code}`, TRANSIENT_ERRORS.has(code), code === 'ratelimited' ? 1000 : undefined, code);
    }
    case webApi.ErrorCode.HTTPError: {
      const status = e.statusCode ?? 0;
      return new ChatDeliveryError(`Slack answered HTTP ${status} to ${method}`, status >= 500 || status === 429, status === 429 ? 1000 : undefined);
    }
    case webApi.ErrorCode.RequestError:
      // The deadline's abort (bots/slack/app.ts) is a TimeoutError; anything else did not connect.
      return new ChatDeliveryError(isTimeout(error) ? `Slack did not answer ${method} in time` : `Slack could not be reached for ${method}`, true);
    default:
      return new ChatDeliveryError(`${method} failed: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

function isTimeout(error: unknown): boolean {
  return (error as { original?: { name?: unknown } }).original?.name === 'TimeoutError';
}

/**
 * Whether a Web API error's `error` field is one of Slack's codes (`channel_not_found`). The client
 * reports a body it could not parse with that body in the field: then Slack did not say anything.
 */
export function isSlackErrorCode(code: unknown): code is string {
  return typeof code === 'string' && /^[a-z0-9_.]{1,80}$/.test(code);
}
