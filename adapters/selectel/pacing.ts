import type { Limiters, Pacer, RateLimit } from '../../src/limits.js';
import { TokenBucket } from '../../src/pacing.js';
import { pacedAs } from './routes.js';

/** How many paced writes fit in one window. */
export interface SelectelPacing {
  tickets: number;
  comments: number;
  windowMs: number;
  /** The bucket's clock; tests pass their own so they need not wait a real minute. */
  now: () => number;
}

/** The documented limits [public]: 2 tickets and 60 comments per minute. */
export const SELECTEL_PACING = {
  tickets: 2,
  comments: 60,
  windowMs: 60_000,
  now: () => Date.now(),
} as const satisfies SelectelPacing;

/**
 * The documented limits shared by replicas in Redis: fixed windows of a minute holding half of
 * each limit, so no sliding minute ever holds more than the limit (1 ticket and 30 comments a
 * minute per window).
 */
export const SELECTEL_LIMITS = {
  tickets: { name: 'selectel-tickets', inProcess: { capacity: 2, perMs: 60_000 }, shared: { points: 1, seconds: 60 } },
  comments: { name: 'selectel-comments', inProcess: { capacity: 60, perMs: 60_000 }, shared: { points: 30, seconds: 60 } },
} as const satisfies Record<'tickets' | 'comments', RateLimit>;

/** The documented limits from the deployment's limiters (Redis across replicas, or this process). */
export function sharedSelectelLimiter(limiters: Limiters): (method: string, path: string) => Pacer | undefined {
  const pacers = { tickets: limiters.pacer(SELECTEL_LIMITS.tickets), comments: limiters.pacer(SELECTEL_LIMITS.comments) };
  return (method, path) => {
    const kind = pacedAs(method, path);
    return kind === undefined ? undefined : pacers[kind];
  };
}

/**
 * One bucket per limit for one provider instance (the process builds one). A burst waits its
 * turn instead of earning 429s that the outbox would have to reschedule.
 */
export function selectelLimiter(pacing: SelectelPacing = SELECTEL_PACING): (method: string, path: string) => TokenBucket | undefined {
  const buckets = {
    tickets: new TokenBucket(pacing.tickets, pacing.windowMs, pacing.now),
    comments: new TokenBucket(pacing.comments, pacing.windowMs, pacing.now),
  };
  return (method, path) => {
    const kind = pacedAs(method, path);
    return kind === undefined ? undefined : buckets[kind];
  };
}
