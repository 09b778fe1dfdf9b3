import { failureCause } from './failure-cause.js';
import { cardOf, type ChatSinks } from '../chat.js';
import type { LinkStore } from '../links.js';
import type { Logger } from '../logger.js';
import { capabilitiesOf, commentFingerprint, type TicketProvider } from '../provider.js';
import { failureNoticeJob, type CommentJob, type Delivery } from './jobs.js';
import type { Outbox, OutboxJob } from './outbox.js';

interface DeliveryDeps {
  provider: TicketProvider;
  links: LinkStore;
  sinks: ChatSinks;
  logger: Logger;
}

/** What running a job does, for every kind of delivery; the outbox is given it at construction. */
export function createDeliver(deps: DeliveryDeps): (job: OutboxJob<Delivery>) => Promise<void> {
  const { provider, links, sinks } = deps;
  return async function deliver(job) {
    switch (job.kind) {
      case 'comment':
        return addComment(job, deps);
      case 'post':
      case 'status':
      case 'failure_notice':
        return sinks.for(job.payload.thread).post(job.payload.message, job.key);
      case 'card': {
        // The card shows the link as it is now, not as it was when the job was queued.
        const link = await links.get(job.ticketId);
        if (!link) return;
        return sinks.for(job.payload.thread).updateCard(link.card, cardOf(link, provider.displayName, capabilitiesOf(provider)));
      }
      default: {
        const unhandled: never = job;
        throw new Error(`no delivery for outbox jobs of kind ${(unhandled as { kind: string }).kind}`);
      }
    }
  };
}

/**
 * chat → provider. The fingerprint is remembered before the call, so a poll that races the write
 * already knows the comment is ours. After an attempt whose outcome is unknown (timeout, 5xx, or
 * the process died during it) the provider's copies of this text are counted first and compared
 * with the jobs known to have delivered it, so a slow success is not written twice.
 */
async function addComment(job: OutboxJob<CommentJob>, { provider, links, logger }: DeliveryDeps): Promise<void> {
  const { text, author } = job.payload;
  const fingerprint = commentFingerprint(job.ticketId, text);
  await links.markOurs(job.ticketId, fingerprint);
  const deliveredBy = await links.deliveredBy(job.ticketId, fingerprint);
  if (deliveredBy.includes(job.key)) return;
  if (job.outcomeUnknown) {
    const { comments } = await provider.getTicket(job.ticketId);
    const present = comments.filter((c) => commentFingerprint(job.ticketId, c.text) === fingerprint).length;
    if (present > deliveredBy.length) {
      logger.info('comment had landed despite the error; not sent again', { key: job.key });
      await links.markDelivered(job.ticketId, fingerprint, job.key);
      return;
    }
  }
  const { id } = await provider.addComment(job.ticketId, { text, author });
  if (id) await links.markOurs(job.ticketId, id);
  await links.markDelivered(job.ticketId, fingerprint, job.key);
}

/** What to do when a job fails for good: a reply that could not be delivered is told in its thread. */
export function failureNotice(outbox: Outbox<Delivery>, provider: TicketProvider) {
  return async (job: OutboxJob<Delivery>, error: unknown): Promise<void> => {
    if (job.kind !== 'comment') return;
    const reason = error instanceof Error ? error.message : String(error);
    await outbox.enqueue(failureNoticeJob(provider.id, job, reason, { provider: provider.displayName, cause: failureCause(error) }));
  };
}
