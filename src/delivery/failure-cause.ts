import { z } from 'zod';
import { ProviderError, type ProviderErrorKind } from '../errors.js';

const KINDS = ['auth', 'not_found', 'conflict', 'rate_limited', 'invalid', 'unavailable', 'timeout', 'malformed', 'other'] as const satisfies readonly (ProviderErrorKind | 'other')[];

/**
 * Why a delivery failed, as a person may be told it: the kind of trouble and the vendor's own
 * words, never the request's method, path or status (those go to the log with the job's key).
 */
export const FailureCause = z.object({ kind: z.enum(KINDS), vendorMessage: z.string().optional() });
export type FailureCause = z.infer<typeof FailureCause>;

export function failureCause(error: unknown): FailureCause {
  if (!(error instanceof ProviderError)) return { kind: 'other' };
  return { kind: error.kind, ...(error.vendorMessage ? { vendorMessage: error.vendorMessage } : {}) };
}
