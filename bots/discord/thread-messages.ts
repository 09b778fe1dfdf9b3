import type { Message, PartialMessage } from 'discord.js';
import { DELETED_TEXT, editedText, replyToTicket } from '../../handlers/reply.js';
import { StoreUnavailable } from '../../src/errors.js';
import { NO_MENTIONS } from './client.js';
import { requesterOf, type DiscordContext } from './context.js';
import { dmThreadRef, dmTicketKey, threadRef } from './ids.js';
import { messageFiles } from './files.js';
import { MAX_CONTENT } from './messages.js';
import { sayFor } from './words.js';

/** What to tell the author when a thread event could not be taken; none for a deleted message. */
type Work = { channel: string; answer?: Message; run: () => Promise<void> };

/**
 * A member's message in a ticket thread becomes a comment through the outbox, and so do their
 * edits (a follow-up quoting the new text) and deletions (a short note). The message id (with the
 * edit time for an edit) is the event key, so an event that arrives twice (a resumed gateway
 * replays what it missed) queues one comment.
 */
export function threadMessageListeners(ctx: DiscordContext) {
  const say = sayFor(ctx.defaultLocale);
  // One chain per channel: messages reach the outbox in the order they were written.
  const chains = new Map<string, Promise<void>>();
  const queue = ({ channel, answer, run }: Work): void => {
    const next = (chains.get(channel) ?? Promise.resolve())
      .then(run)
      .catch(async (error: unknown) => {
        ctx.logger.error('discord: thread message not taken', { error, message: answer?.id, channel });
        // Gateway events carry no acknowledgement: Discord does not send again an event the bot
        // received but could not take. Only the author can, so they are asked to (a message
        // carries no language: DEFAULT_LOCALE's words).
        const content = say(error instanceof StoreUnavailable ? 'error.storeDown' : 'discord.notTaken');
        await answer?.reply({ content, allowedMentions: { ...NO_MENTIONS, repliedUser: false } }).catch(() => undefined);
      });
    chains.set(channel, next);
    void next.then(() => {
      if (chains.get(channel) === next) chains.delete(channel);
    });
  };
  return {
    created: (message: Message): void => queue({ channel: message.channelId, answer: message, run: () => onThreadMessage(ctx, message) }),
    updated: (before: Message | PartialMessage, after: Message | PartialMessage): void =>
      queue({ channel: after.channelId, run: () => onEdit(ctx, before, after) }),
    deleted: (message: Message | PartialMessage): void => queue({ channel: message.channelId, run: () => onDelete(ctx, message) }),
  };
}

/** A member's edit: once per edit time, and only when the words changed (an embed appearing is no edit). */
async function onEdit(ctx: DiscordContext, before: Message | PartialMessage, after: Message | PartialMessage): Promise<void> {
  const now = after.partial ? await after.fetch() : after;
  if (!now.editedTimestamp || (!before.partial && before.content === now.content)) return;
  await takeAct(ctx, now, editedText(now.content.trim()), `discord:${now.id}:edited:${now.editedTimestamp}`);
}

/** A deleted message the bot never saw (not cached) has no author to name: it is left alone. */
async function onDelete(ctx: DiscordContext, message: Message | PartialMessage): Promise<void> {
  if (message.partial) return ctx.logger.debug('discord: a message the bot had not seen was deleted', { message: message.id });
  await takeAct(ctx, message, DELETED_TEXT, `discord:${message.id}:deleted`);
}

async function takeAct(ctx: DiscordContext, message: Message, text: string, eventKey: string): Promise<void> {
  const thread = await ticketThreadOf(ctx, message);
  if (!thread) return;
  await replyToTicket(ctx.service, { thread, text, author: requesterOf(message.author, message.member), eventKey }, ctx.logger, ctx.defaultLocale);
}

async function onThreadMessage(ctx: DiscordContext, message: Message): Promise<void> {
  const thread = await ticketThreadOf(ctx, message);
  if (!thread) return;
  const files = messageFiles(ctx, message);
  const text = message.content.trim();
  if (!text && !files.length) return;
  const author = requesterOf(message.author, message.member);
  // A message carries no language: the answer is in DEFAULT_LOCALE.
  const reply = await replyToTicket(ctx.service, { thread, text, author, eventKey: `discord:${message.id}`, files }, ctx.logger, ctx.defaultLocale);
  if (reply && (!reply.ok || reply.later || reply.notice)) {
    await message.reply({ content: reply.text.slice(0, MAX_CONTENT), allowedMentions: { ...NO_MENTIONS, repliedUser: false } });
  }
}

/** The ticket conversation a member's message is in; undefined for bots, system messages and other channels. */
async function ticketThreadOf(ctx: DiscordContext, message: Message): Promise<string | undefined> {
  if (message.author.bot || message.webhookId || message.system) return undefined;
  const thread = await conversationOf(ctx, message);
  return thread && (await ctx.service.linkByThread(thread)) ? thread : undefined;
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
