import { z } from 'zod';
import { cardOf, type ChatSinks, type ThreadMessage } from '../chat.js';
import type { LinkStore } from '../links.js';
import type { Logger } from '../logger.js';
import type { Outbox, OutboxJob } from './outbox.js';
import { capabilitiesOf, commentFingerprint, type TicketProvider } from '../provider.js';
import { laneOf } from '../relay/relay.js';
import { Requester } from '../domain.js';

const CommentPayload = z.object({ thread: z.string(), text: z.string(), author: Requester });
const PostPayload = z.object({ thread: z.string(), message: z.custom<ThreadMessage>((v) => typeof v === 'object' && v !== null) });
const CardPayload = z.object({ thread: z.string() });

export interface DeliveryDeps {
  outbox: Outbox;
  provider: TicketProvider;
  links: LinkStore;
  sinks: ChatSinks;
  logger: Logger;
}

/** Teaches the outbox how to deliver each kind of job. */
export function registerDeliveries({ outbox, provider, links, sinks, logger }: DeliveryDeps): void {
  // chat → provider. The fingerprint is remembered before the call, so a poll that races the
  // write already knows the comment is ours. After an attempt whose outcome is unknown (timeout,
  // 5xx, or the process died during it) the provider's copies of this text are counted first and
  // compared with the jobs known to have delivered it, so a slow success is not written twice.
  outbox.handle('comment', async (job) => {
    const { text, author } = CommentPayload.parse(job.payload);
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
  }, { checksOutcome: true });

  // provider → chat
  outbox.handle('post', async (job) => {
    const { thread, message } = PostPayload.parse(job.payload);
    await sinks.for(thread).postToThread(thread, message, job.key);
  });

  // The card shows the link as it is now, not as it was when the job was queued.
  outbox.handle('card', async (job) => {
    const { thread } = CardPayload.parse(job.payload);
    const link = await links.get(job.ticketId);
    if (!link) return;
    await sinks.for(thread).updateCard(thread, link.card, cardOf(link, provider.displayName, capabilitiesOf(provider)));
  });
}

/** What to do when a job fails for good: a reply that could not be delivered is told in its thread. */
export function deliveryFailureNotice(outbox: Outbox, provider: TicketProvider) {
  return async (job: OutboxJob, error: unknown): Promise<void> => {
    if (job.kind !== 'comment') return;
    const { thread, text } = CommentPayload.parse(job.payload);
    const reason = error instanceof Error ? error.message : String(error);
    await outbox.enqueue({
      key: `failed:${job.key}:${job.attempts}`,
      lane: laneOf('chat', provider.id, job.ticketId),
      kind: 'post',
      ticketId: job.ticketId,
      payload: {
        thread,
        message: { kind: 'delivery_failed', ticketId: job.ticketId, jobKey: job.key, excerpt: text.slice(0, 200), reason },
      },
    });
  };
}
