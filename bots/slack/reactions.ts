import type { types } from '@slack/bolt';
import { translator } from '../../handlers/i18n.js';
import { draftFromMessage } from '../../handlers/open-ticket.js';
import { ACTION } from './blocks.js';
import { saveDraft } from './modals.js';
import { slackToPlain } from './mrkdwn.js';
import type { SlackRoutes } from './routes.js';
import { tell, type SlackRuntime } from './runtime.js';

/** The reaction that offers a ticket: 🎫 (`:ticket:`). */
export const TICKET_REACTION = 'ticket';
const SUBJECT_FROM_MESSAGE = 80;

/**
 * Reacting with :ticket: to a message offers the reactor, privately, a one-click "Open a ticket
 * from this message". The message is read and its draft saved after the ack, so the button's
 * click opens the prefilled form on its own trigger with no look-up in between.
 */
export function registerReactions(routes: SlackRoutes, rt: SlackRuntime): void {
  routes.event('reaction_added', async ({ event, client }) => {
    if (event.reaction !== TICKET_REACTION || event.item.type !== 'message') return;
    const { channel, ts } = event.item;
    const to = { client, channel, user: event.user };
    rt.background.run('ticket reaction', async () => {
      const found = await client.conversations.replies({ channel, ts, limit: 200 });
      const message = found.messages?.find((m) => m.ts === ts);
      if (!message?.text) return;
      const t = translator(await rt.people.locale(event.user));
      const link = (await client.chat.getPermalink({ channel, message_ts: ts }).catch(() => undefined))?.permalink;
      const draft = draftFromMessage(slackToPlain(message.text), { subjectMax: SUBJECT_FROM_MESSAGE, source: link && t('open.fromSlack', { link }) });
      const draftId = await saveDraft(rt, draft, channel);
      const offer: types.KnownBlock = {
        type: 'actions',
        block_id: 'reaction_offer',
        elements: [{ type: 'button', action_id: ACTION.openAgain, text: { type: 'plain_text', text: t('reaction.offer') }, value: draftId, style: 'primary' }],
      };
      await tell(rt, to, { ok: true, text: t('reaction.prompt') }, [offer]);
    });
  });
}
