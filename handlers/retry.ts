import type { TicketService } from '../src/service.js';
import { replyForError } from './errors.js';
import type { Answer, ChatContext } from './types.js';

/** The Retry button under a delivery that failed for good. */
export async function retryDelivery(service: TicketService, ctx: ChatContext, jobKey: string): Promise<Answer> {
  try {
    const again = await service.retryDelivery(jobKey, ctx.actor);
    return { ok: again, text: again ? 'Trying again.' : 'That message is not waiting for a retry.' };
  } catch (error) {
    return replyForError(error, service.providerName, ctx.logger);
  }
}
