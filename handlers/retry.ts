import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import { t } from './i18n.js';
import type { Answer, ChatContext } from './types.js';

/** The Retry button under a delivery that failed for good. */
export async function retryDelivery(service: TicketService, ctx: ChatContext, jobKey: string): Promise<Answer> {
  try {
    const again = await service.retryDelivery(jobKey, ctx.actor);
    return { ok: again, text: t(ctx.locale, again ? 'retry.again' : 'retry.notWaiting') };
  } catch (error) {
    return replyForError(error, service.providerName, ctx);
  }
}
