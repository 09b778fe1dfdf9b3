import { parseTicketCommand } from '../../handlers/command.js';
import { dispatch } from '../../handlers/dispatch.js';
import type { SlackRoutes } from './routes.js';
import { afterAck, commandOrigin, show, type SlackRuntime } from './runtime.js';

/**
 * `/ticket …`: acked at once, the work done after the ack (the provider may be slow); `open` (or
 * nothing) opens the form, the rest answer privately.
 */
export function registerCommands(routes: SlackRoutes, rt: SlackRuntime): void {
  routes.command('/ticket', async ({ command, ack, client, respond, context }) => {
    await ack();
    const channel = command.channel_id;
    const audience = { client, channel, user: command.user_id, respond };
    afterAck(rt, '/ticket', audience, async () => {
      const who = { teamId: context.teamId ?? command.team_id, userId: command.user_id, userName: command.user_name, channel };
      const origin = commandOrigin(rt, who, `${channel}:command:${command.trigger_id}`);
      const reply = await dispatch(rt.service, parseTicketCommand(command.text), origin);
      await show(rt, audience, reply, { triggerId: command.trigger_id, channel });
    });
  });
}
