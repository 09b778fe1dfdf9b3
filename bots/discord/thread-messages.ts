import type { Message } from 'discord.js';
import { STORE_DOWN } from '../../handlers/errors.js';
import { replyToTicket } from '../../handlers/reply.js';
import { StoreUnavailable } from '../../src/errors.js';
import { NO_MENTIONS } from './client.js';
import { requesterOf, type DiscordContext } from './context.js';
import { dmThreadRef, dmTicketKey, threadRef } from './ids.js';
import { messageFiles } from './files.js';
import { MAX_CONTENT } from './messages.js';

const NOT_TAKEN = 'This message could not be passed on to support because of a problem on our side. Please send it again.';

/**
 * A member's message in a ticket thread becomes a comment through the outbox. The message id is
 * the event key, so a MESSAGE_CREATE that arrives twice (a resumed gateway replays what it
 * missed) queues one comment.
 */
export function threadMessageListener(ctx: DiscordContext): (message: Message) => void {
  // One chain per channel: messages reach the outbox in the order they were written.
  const chains = new Map<string, Promise<void>>();
  return (message) => {
    const channel = message.channelId;
    const next = (chains.get(channel) ?? Promise.resolve())
      .then(() => onThreadMessage(ctx, message))
      .catch(async (error: unknown) => {
        ctx.logger.error('discord: thread message not taken', { error, message: message.id, channel });
        // Gateway events carry no acknowledgement: Discord does not send again an event the bot
        // received but could not take. Only the author can, so they are asked to.
        const content = error instanceof StoreUnavailable ? STORE_DOWN : NOT_TAKEN;
        await message
          .reply({ content, allowedMentions: { ...NO_MENTIONS, repliedUser: false } })
          .catch(() => undefined);
      });
    chains.set(channel, next);
    void next.then(() => {
      if (chains.get(channel) === next) chains.delete(channel);
    });
  };
}

async function onThreadMessage(ctx: DiscordContext, message: Message): Promise<void> {
  if (message.author.bot || message.webhookId || message.system) return;
  const thread = await conversationOf(ctx, message);
  if (!thread) return;
  const link = await ctx.service.linkByThread(thread);
  if (!link) return;
  const files = messageFiles(ctx, message);
  const text = message.content.trim();
  if (!text && !files.length) return;
  const author = requesterOf(message.author, message.member);
  const reply = await replyToTicket(ctx.service, { thread, text, author, eventKey: `discord:${message.id}`, files }, ctx.logger);
  if (reply && (!reply.ok || reply.later || reply.notice)) {
    await message.reply({ content: reply.text.slice(0, MAX_CONTENT), allowedMentions: { ...NO_MENTIONS, repliedUser: false } });
  }
}

/**
 * The ticket conversation a message was written in: a guild thread, or a DM a ticket's card fell
 * back to (its messages go to the latest ticket whose card went there).
 */
async function conversationOf(ctx: DiscordContext, message: Message): Promise<string | undefined> {
  if (message.inGuild()) return threadRef(message.channelId);
  if (!message.channel.isDMBased()) return undefined;
  const ticketId = await ctx.kv.get<string>(dmTicketKey(message.channelId));
  return ticketId ? dmThreadRef(message.channelId, ticketId) : undefined;
}
