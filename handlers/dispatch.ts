import type { TicketService } from '../src/service.js';
import { closeTicket } from './close.js';
import { HELP, type ParsedCommand } from './command.js';
import { say, translator, type Locale } from './i18n.js';
import { listTickets } from './list.js';
import { openTicket } from './open-ticket.js';
import { rateTicket } from './rate.js';
import { reopenTicket } from './reopen.js';
import { replyById } from './reply.js';
import { retryDelivery } from './retry.js';
import { ticketStatus } from './status.js';
import type { Answer, ChatContext, Reply } from './types.js';

/** Where a command comes from, as the handlers need to know it. */
export interface CommandOrigin {
  /**
   * Whether the answer may be a form: true where the front-end can still show a modal. Where it
   * cannot (a terminal, a Discord interaction already deferred) `/ticket open` opens at once.
   */
  forms: boolean;
  /** The platform's id of the command: a reply it carries becomes one comment however often it arrives. */
  eventKey: string;
  /** The person's language as known without a look-up (Slack's cache, Discord's interaction, LANG): help and parse errors answer without one. */
  locale?: Locale | undefined;
  /** Who acts and where a new ticket's thread starts; asked only by commands that need it (a form opens without it). */
  context(): Promise<ChatContext>;
}

/**
 * Runs a `/ticket` command, whichever front-end it came from, and says what to show the person.
 * Every front-end parses its own input into the command and renders the reply; none decides
 * what a command does.
 */
export function dispatch(service: TicketService, command: ParsedCommand, origin: CommandOrigin & { forms: false }): Promise<Answer>;
export function dispatch(service: TicketService, command: ParsedCommand, origin: CommandOrigin): Promise<Reply>;
export async function dispatch(service: TicketService, command: ParsedCommand, origin: CommandOrigin): Promise<Reply> {
  const ctx = () => origin.context();
  switch (command.name) {
    case 'error':
      return { ok: false, text: typeof command.message === 'string' ? command.message : say(origin.locale, command.message) };
    case 'help':
      return { ok: true, text: help(service, origin.locale) };
    case 'open':
      return origin.forms ? { form: 'open', draft: command.fields } : openTicket(service, await ctx(), command.fields, origin.eventKey);
    case 'reply': {
      const { actor, logger, locale } = await ctx();
      const { ticketId, text } = command;
      return replyById(service, { ticketId, text, author: actor.requester, isStaff: actor.isStaff, eventKey: origin.eventKey }, logger, locale);
    }
    case 'status':
      return ticketStatus(service, await ctx(), command.ticketId);
    case 'list':
      return listTickets(service, await ctx(), { page: command.page, which: command.which });
    case 'close':
      return closeTicket(service, await ctx(), command.ticketId);
    case 'reopen':
      return reopenTicket(service, await ctx(), command.ticketId, command.text);
    case 'rate':
      return rateTicket(service, await ctx(), command.ticketId, { score: command.score, comment: command.comment });
    case 'retry':
      return retryDelivery(service, await ctx(), command.jobKey);
    default: {
      const unknown: never = command;
      throw new Error(`no handler for ${JSON.stringify(unknown)}`);
    }
  }
}

/** The commands, and the provider's own choices so people can type a value the vendor accepts. */
function help(service: TicketService, locale: Locale | undefined): string {
  const choices = service.fields.filter((f) => f.options?.length).map((f) => `${f.name}: ${f.options!.map((o) => o.value).join(' | ')}`);
  return [translator(locale)('help.title'), HELP, ...choices].join('\n');
}
