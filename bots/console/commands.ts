import { closeTicket } from '../../handlers/close.js';
import { HELP, parseTicketCommand } from '../../handlers/command.js';
import { listTickets } from '../../handlers/list.js';
import { openTicket } from '../../handlers/open-ticket.js';
import { rateTicket } from '../../handlers/rate.js';
import { reopenTicket } from '../../handlers/reopen.js';
import { replyToTicket } from '../../handlers/reply.js';
import { retryDelivery } from '../../handlers/retry.js';
import { ticketStatus } from '../../handlers/status.js';
import type { ChatContext, Reply } from '../../handlers/types.js';
import type { TicketCard } from '../../src/chat.js';
import type { TicketService } from '../../src/service.js';
import { oneLine, printable } from './sink.js';

/**
 * Runs one typed line and returns what to print, one terminal line each. Every line gets an
 * answer; none throws. Vendor text (subjects, statuses, refusals) is printed without control
 * characters, as relayed posts are.
 */
export async function runLine(service: TicketService, ctx: ChatContext, line: string, lineNo: number): Promise<string[]> {
  return (await answer(service, ctx, line, lineNo)).flatMap((text) => text.split('\n')).map(printable);
}

async function answer(service: TicketService, ctx: ChatContext, line: string, lineNo: number): Promise<string[]> {
  const text = line.trim().replace(/^\/ticket\b/, '').trim();
  const command = parseTicketCommand(text);
  switch (command.name) {
    case 'error':
      return [command.message];
    case 'help':
      return [HELP, fieldsHelp(service)];
    case 'open': {
      const form = { ...command.fields };
      // `/ticket open Printer on fire` is a subject, as in Slack's `/ticket open [subject]`.
      if (form['subject'] === undefined && command.rest) form['subject'] = command.rest;
      return render(await openTicket(service, ctx, form));
    }
    case 'reply':
      return render(
        (await replyToTicket(service, {
          ticketId: command.ticketId,
          text: command.text,
          author: ctx.actor.requester,
          isStaff: ctx.actor.isStaff,
          // A terminal line has no platform id: the process start and line number make one.
          eventKey: `console:${runId}:${lineNo}`,
        })) ?? { ok: false, ephemeral: true, text: `No ticket #${command.ticketId}.` },
      );
    case 'status':
      return render(await ticketStatus(service, ctx, command.ticketId));
    case 'list':
      return render(await listTickets(service, ctx));
    case 'close':
      return render(await closeTicket(service, ctx, command.ticketId));
    case 'reopen':
      return render(await reopenTicket(service, ctx, command.ticketId, command.text || undefined));
    case 'rate':
      return render(await rateTicket(service, ctx, command.ticketId, command.score, command.comment || undefined));
    case 'retry':
      return render(await retryDelivery(service, ctx, command.jobKey));
  }
}

const runId = `${process.pid}-${Date.now().toString(36)}`;

function render(reply: Reply): string[] {
  // Field errors on one line: "subject: required; priority: expects one of …".
  if (reply.fieldErrors) return [Object.entries(reply.fieldErrors).map(([f, m]) => `${f}: ${m}`).join('; ')];
  return reply.card && !reply.tickets ? [reply.text, cardLine(reply.card)] : [reply.text];
}

function cardLine(card: TicketCard): string {
  const priority = card.priority ? `, ${card.priority} priority` : '';
  return oneLine(`#${card.ticketId} ${card.subject} [${card.vendorStatus}${priority}] with ${card.provider}, for ${card.requester}`);
}

/** The provider's own choices, so people can type a category the vendor accepts. */
function fieldsHelp(service: TicketService): string {
  return service.fields
    .filter((f) => f.options?.length)
    .map((f) => `${f.name}: ${f.options!.map((o) => o.value).join(' | ')}`)
    .join('\n');
}
