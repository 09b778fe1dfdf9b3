import { excerptOf } from '../src/delivery/jobs.js';
import { ProviderError } from '../src/errors.js';
import type { TicketService, TicketStatusView } from '../src/service.js';
import { plainFailure, replyForError } from './errors.js';
import { translator } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

/** The ticket as the provider has it now (or as last seen, if it does not answer), with any stuck deliveries. */
export async function ticketStatus(service: TicketService, ctx: ChatContext, ticketId: string): Promise<Answer> {
  const t = translator(ctx.locale);
  let view: TicketStatusView;
  let stale = '';
  try {
    view = await service.refresh(ticketId, ctx.actor);
  } catch (error) {
    if (!(error instanceof ProviderError)) return replyForError(error, service.providerName, ctx);
    try {
      view = await service.status(ticketId, ctx.actor);
    } catch (inner) {
      return replyForError(inner, service.providerName, ctx);
    }
    stale = ` ${t('status.stale', { provider: service.providerName })}`;
  }
  const { card, pending, failed } = view;
  const lines = [`#${card.ticketId} ${card.subject}: ${card.vendorStatus}${stale}`];
  const provider = service.providerName;
  if (pending.length) lines.push(t('status.pending', { count: pending.length }));
  // A reply that has been tried and is waiting for the provider: say so, not the error.
  if (pending.some((job) => job.kind === 'comment' && job.attempts > 0)) lines.push(t('status.stuck', { provider }));
  const reasons = failed.map((job) => plainFailure(job.cause, provider, t));
  for (const reason of reasons) lines.push(t('status.failed', { reason }));
  return {
    ok: true,
    text: lines.join('\n'),
    card,
    deliveries: {
      pending: pending.length,
      failed: failed.map((job, i) => ({ key: job.key, excerpt: excerptOf(job), reason: reasons[i]! })),
    },
  };
}
