import { ChannelType, Routes, type APIMessage, type APIThreadChannel } from 'discord.js';
import type { TicketCard } from '../../src/chat.js';
import type { ThreadRef } from '../../src/domain.js';
import { NO_MENTIONS } from './client.js';
import type { DiscordContext } from './context.js';
import { cardMessage } from './embeds.js';
import { threadRef } from './ids.js';
import { sayFor } from './words.js';

const WEEK_MINUTES = 10_080;

interface ThreadPlace {
  /** Where the command was used; the fallback when DISCORD_TICKET_CHANNEL is unset. */
  channelId: string | null;
  /** The requester, added to the thread. */
  userId: string;
}

/**
 * Starts a ticket's thread with the card as its first message: a private thread in a text channel
 * (seen by its members and by roles with Manage Threads, which is how staff see it without being
 * pinged), or a post when the channel is a forum. The requester is added as a thread member.
 */
export async function startTicketThread(ctx: DiscordContext, place: ThreadPlace, card: TicketCard): Promise<{ thread: ThreadRef; cardRef: string }> {
  const { rest } = ctx.client;
  const parentId = await parentChannel(ctx, place.channelId);
  const parent = (await rest.get(Routes.channel(parentId))) as { type: ChannelType };
  const name = `#${card.ticketId} ${card.subject}`.slice(0, 100);
  const message = { ...cardMessage(card, sayFor(ctx.defaultLocale)), allowed_mentions: NO_MENTIONS };

  if (parent.type === ChannelType.GuildForum || parent.type === ChannelType.GuildMedia) {
    const post = (await rest.post(Routes.threads(parentId), { body: { name, auto_archive_duration: WEEK_MINUTES, message } })) as APIThreadChannel & { message?: APIMessage };
    await rest.put(Routes.threadMembers(post.id, place.userId));
    return { thread: threadRef(post.id), cardRef: post.message?.id ?? post.id };
  }
  const thread = (await rest.post(Routes.threads(parentId), {
    body: { name, type: ChannelType.PrivateThread, invitable: false, auto_archive_duration: WEEK_MINUTES },
  })) as APIThreadChannel;
  await rest.put(Routes.threadMembers(thread.id, place.userId));
  const card0 = (await rest.post(Routes.channelMessages(thread.id), { body: message })) as APIMessage;
  return { thread: threadRef(thread.id), cardRef: card0.id };
}

/** DISCORD_TICKET_CHANNEL, else the channel the command came from (a thread's parent, if used in a thread). */
async function parentChannel(ctx: DiscordContext, channelId: string | null): Promise<string> {
  if (ctx.settings.ticketChannel) return ctx.settings.ticketChannel;
  if (!channelId) throw new Error('no channel to start the ticket thread in');
  const channel = (await ctx.client.rest.get(Routes.channel(channelId))) as { type: ChannelType; parent_id?: string | null };
  const isThread = channel.type === ChannelType.PrivateThread || channel.type === ChannelType.PublicThread || channel.type === ChannelType.AnnouncementThread;
  return isThread && channel.parent_id ? channel.parent_id : channelId;
}
