import { excerptOf } from '../src/delivery/jobs.js';
import { ProviderError } from '../src/errors.js';
import type { TicketService, TicketStatusView } from '../src/service.js';
import { replyForError } from './errors.js';
import type { Answer, ChatContext } from './types.js';

/** The ticket as the provider has it now (or as last seen, if it does not answer), with any stuck deliveries. */
export async function ticketStatus(service: TicketService, ctx: ChatContext, ticketId: string): Promise<Answer> {
  let view: TicketStatusView;
  let stale = '';
  try {
    view = await service.refresh(ticketId, ctx.actor);
  } catch (error) {
    if (!(error instanceof ProviderError)) return replyForError(error, service.providerName, ctx.logger);
    try {
      view = await service.status(ticketId, ctx.actor);
    } catch (inner) {
      return replyForError(inner, service.providerName, ctx.logger);
    }
    stale = ` (as last seen: ${service.providerName} is not answering)`;
  }
  const { card, pending, failed } = view;
  const lines = [`#${card.ticketId} ${card.subject}: ${card.vendorStatus}${stale}`];
  if (pending.length) lines.push(`${pending.length} message(s) waiting to be delivered.`);
  for (const job of failed) lines.push(`Not delivered: ${job.lastError ?? 'unknown error'}`);
  return {
    ok: true,
    text: lines.join('\n'),
    card,
    deliveries: {
      pending: pending.length,
      failed: failed.map((job) => ({ key: job.key, excerpt: excerptOf(job), reason: job.lastError ?? '' })),
    },
  };
}
