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
