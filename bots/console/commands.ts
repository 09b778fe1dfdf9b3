import { parseTicketCommand } from '../../handlers/command.js';
import { dispatch } from '../../handlers/dispatch.js';
import { translator, type Translate } from '../../handlers/i18n.js';
import type { Answer, ChatContext } from '../../handlers/types.js';
import type { TicketCard } from '../../src/chat.js';
import type { TicketService } from '../../src/service.js';
import { oneLine, printable } from './sink.js';

/**
 * Runs one typed line and returns what to print, one terminal line each. Every line gets an
 * answer; none throws. Vendor text (subjects, statuses, refusals) is printed without control
 * characters, as relayed posts are.
 */
export async function runLine(service: TicketService, ctx: ChatContext, line: string, lineNo: number): Promise<string[]> {
  const command = parseTicketCommand(line.trim().replace(/^\/ticket\b/, ''));
  // A terminal has no forms: `/ticket open` opens at once. A line has no platform id: the process start and line number make one.
  const origin = { forms: false, eventKey: `console:${runId}:${lineNo}`, locale: ctx.locale, context: async () => ctx } as const;
  return render(await dispatch(service, command, origin), translator(ctx.locale)).flatMap((text) => text.split('\n')).map(printable);
}

const runId = `${process.pid}-${Date.now().toString(36)}`;

function render(reply: Answer, t: Translate): string[] {
  // Field errors on one line: "subject: required; priority: expects one of …".
  if (reply.fieldErrors) return [Object.entries(reply.fieldErrors).map(([f, m]) => `${f}: ${m}`).join('; ')];
  if (reply.page && reply.page.number < reply.page.pages) {
    const { number, which } = reply.page;
    return [reply.text, t('list.more', { next: number + 1, which: which === 'recent' ? '' : which }).trim()];
  }
  return reply.card && !reply.tickets ? [reply.text, cardLine(reply.card, t)] : [reply.text];
}

function cardLine(card: TicketCard, t: Translate): string {
  const vars = { id: card.ticketId, subject: card.subject, status: card.vendorStatus, provider: card.provider, requester: card.requester };
  return oneLine(card.priority ? t('console.cardPriority', { ...vars, priority: card.priority }) : t('console.card', vars));
}
