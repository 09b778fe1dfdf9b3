import type { App, BlockButtonAction, RespondFn, webApi } from '@slack/bolt';
import { closeTicket } from '../../handlers/close.js';
import { mayAct } from '../../handlers/permissions.js';
import { reopenTicket } from '../../handlers/reopen.js';
import { retryDelivery } from '../../handlers/retry.js';
import type { Reply } from '../../handlers/types.js';
import { ACTION } from './blocks.js';
import { reopenDraft } from './modals.js';
import { slackToPlain } from './mrkdwn.js';
import { afterAck, chatContext, tell, type SlackRuntime } from './runtime.js';
import { openView, rateView } from './views.js';

export const SHORTCUT_OPEN = 'open_ticket_from_message';
const SUBJECT_FROM_MESSAGE = 80;

interface Clicked {
  rt: SlackRuntime;
  body: BlockButtonAction;
  client: webApi.WebClient;
  respond: RespondFn;
  teamId: string | undefined;
}

/**
 * The card's buttons, the Retry button of a failed delivery, and the message shortcut: each acks
 * at once and does its work (permission checks, the provider) after the ack.
 */
export function registerActions(app: App, rt: SlackRuntime): void {
  const button = (actionId: string, run: (c: Clicked, value: string) => Promise<Reply | undefined>): void => {
    app.action<BlockButtonAction>({ type: 'block_actions', action_id: actionId }, async ({ ack, body, action, client, respond, context }) => {
      await ack();
      const clicked: Clicked = { rt, body, client, respond, teamId: context.teamId };
      const to = audience(clicked);
      afterAck(rt, `button ${actionId}`, to, async () => {
        const reply = await run(clicked, action.value ?? '');
        if (reply) await tell(rt, to, reply);
      });
    });
  };

  button(ACTION.close, async (c, ticketId) => {
    const actor = await actorOf(c);
    return (await mayAct(rt.service, ticketId, actor, 'close')) ?? closeTicket(rt.service, chatContext(rt, actor, channelOf(c)), ticketId);
  });

  button(ACTION.reopen, async (c, ticketId) => {
    const actor = await actorOf(c);
    return (await mayAct(rt.service, ticketId, actor, 'reopen')) ?? reopenTicket(rt.service, chatContext(rt, actor, channelOf(c)), ticketId);
  });

  button(ACTION.rate, async (c, ticketId) => {
    const refusal = await mayAct(rt.service, ticketId, await actorOf(c), 'rate');
    if (refusal) return refusal;
    await c.client.views.open({ trigger_id: c.body.trigger_id, view: rateView({ channel: channelOf(c), ticketId }) });
    return undefined;
  });

  button(ACTION.retry, async (c, jobKey) => retryDelivery(rt.service, chatContext(rt, await actorOf(c), channelOf(c)), jobKey));

  button(ACTION.openAgain, async (c, draftId) => reopenDraft(rt, c.client, c.body.trigger_id, draftId, channelOf(c)));

  app.shortcut({ type: 'message_action', callback_id: SHORTCUT_OPEN }, async ({ ack, shortcut, client, respond }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const channel = shortcut.channel.id;
    const to = { client, channel, user: shortcut.user.id, ...(shortcut.response_url ? { respond } : {}) };
    afterAck(rt, 'message shortcut', to, async () => {
      const text = slackToPlain(shortcut.message.text ?? '').trim();
      let link = '';
      try {
        const result = await client.chat.getPermalink({ channel, message_ts: shortcut.message_ts });
        link = result.permalink ?? '';
      } catch (error) {
        rt.logger.warn('permalink not available; opening the form without it', { error });
      }
      const firstLine = text.split('\n').find((l) => l.trim() !== '') ?? '';
      const subject = firstLine.length > SUBJECT_FROM_MESSAGE ? `${firstLine.slice(0, SUBJECT_FROM_MESSAGE - 1)}…` : firstLine;
      const description = link ? `${text}\n\nFrom Slack: ${link}` : text;
      await client.views.open({
        trigger_id: shortcut.trigger_id,
        view: openView(rt.service.fields, rt.service.providerName, { channel }, { subject, description }),
      });
    });
  });
}

function channelOf(c: Clicked): string {
  return c.body.channel?.id ?? c.body.container.channel_id ?? c.body.user.id;
}

function actorOf(c: Clicked) {
  return c.rt.people.actor(c.teamId ?? c.body.team?.id ?? c.body.user.team_id ?? '', c.body.user.id, c.body.user.name);
}

function audience(c: Clicked) {
  const threadTs = c.body.message?.thread_ts;
  return {
    client: c.client,
    channel: channelOf(c),
    user: c.body.user.id,
    ...(threadTs ? { threadTs } : {}),
    ...(c.body.response_url ? { respond: c.respond } : {}),
  };
}
