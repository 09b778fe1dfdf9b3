import type { App } from '@slack/bolt';
import { closeTicket } from '../../handlers/close.js';
import { HELP, parseTicketCommand, type TicketCommand } from '../../handlers/command.js';
import { listTickets } from '../../handlers/list.js';
import { rateTicket } from '../../handlers/rate.js';
import { reopenTicket } from '../../handlers/reopen.js';
import { replyToTicket } from '../../handlers/reply.js';
import { retryDelivery } from '../../handlers/retry.js';
import { ticketStatus } from '../../handlers/status.js';
import { say, type ChatContext, type Reply } from '../../handlers/types.js';
import { OPEN_FIELD_NAMES } from '../../src/domain.js';
import type { Actor } from '../../src/service.js';
import { afterAck, chatContext, tell, type SlackRuntime } from './runtime.js';
import { openView, type Draft } from './views.js';

/**
 * `/ticket …`: acked at once, the work done after the ack (the provider may be slow); `open` (or
 * nothing) opens the form, the rest answer privately.
 */
export function registerCommands(app: App, rt: SlackRuntime): void {
  app.command('/ticket', async ({ command, ack, client, respond, context }) => {
    await ack();
    const audience = { client, channel: command.channel_id, user: command.user_id, respond };
    afterAck(rt, '/ticket', audience, async () => {
      const parsed = parseTicketCommand(command.text);
      if (parsed.name === 'open') {
        try {
          const view = openView(rt.service.fields, rt.service.providerName, { channel: command.channel_id }, draftOf(parsed));
          await client.views.open({ trigger_id: command.trigger_id, view });
        } catch (error) {
          rt.logger.warn('could not open the ticket form', { error });
          await tell(rt, audience, { ok: false, ephemeral: true, text: 'The ticket form could not be opened. Please run /ticket again.' });
        }
        return;
      }
      const teamId = context.teamId ?? command.team_id;
      const actor = await rt.people.actor(teamId, command.user_id, command.user_name);
      const ctx = chatContext(rt, actor, command.channel_id);
      const reply =
        parsed.name === 'error'
          ? { ok: false, ephemeral: true, text: `${parsed.message}\n\n${HELP}` }
          : await run(rt, parsed, ctx, actor, `${command.channel_id}:command:${command.trigger_id}`);
      await tell(rt, audience, reply);
    });
  });
}

function draftOf(command: Extract<TicketCommand, { name: 'open' }>): Draft {
  const draft: Draft = {};
  for (const name of OPEN_FIELD_NAMES) {
    const value = command.fields[name];
    if (value) draft[name] = value;
  }
  if (!draft.subject && command.rest) draft.subject = command.rest;
  return draft;
}

async function run(rt: SlackRuntime, command: Exclude<TicketCommand, { name: 'open' }>, ctx: ChatContext, actor: Actor, eventKey: string): Promise<Reply> {
  const { service } = rt;
  switch (command.name) {
    case 'help':
      return say(`Ticket commands:\n${HELP}`);
    case 'list':
      return listTickets(service, ctx);
    case 'status':
      return ticketStatus(service, ctx, command.ticketId);
    case 'close':
      return closeTicket(service, ctx, command.ticketId);
    case 'reopen':
      return reopenTicket(service, ctx, command.ticketId, command.text);
    case 'rate':
      return rateTicket(service, ctx, command.ticketId, command.score, command.comment || undefined);
    case 'reply': {
      // By ticket id the core lets only the requester and staff write.
      const input = { ticketId: command.ticketId, text: command.text, author: actor.requester, isStaff: actor.isStaff, eventKey };
      return (await replyToTicket(service, input)) ?? say('Nothing to send.');
    }
    case 'retry':
      return retryDelivery(service, ctx, command.jobKey);
  }
}
