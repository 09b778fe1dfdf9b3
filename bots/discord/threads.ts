import { ChannelType, Routes, type APIMessage, type APIThreadChannel, type REST } from 'discord.js';
import type { TicketCard } from '../../src/chat.js';
import type { ThreadRef } from '../../src/domain.js';
import { NO_MENTIONS } from './client.js';
import { cardMessage } from './embeds.js';
import { threadRef } from './ids.js';
import type { Say } from './words.js';

const WEEK_MINUTES = 10_080;

interface ThreadPlace {
  /** DISCORD_TICKET_CHANNEL, else where the command was used (a thread there means its parent). */
  channelId: string;
  /** The requester, added to the thread. */
  userId: string;
}

/**
 * Starts a ticket's thread with the card as its first message: a private thread in a text channel
 * (seen by its members and by roles with Manage Threads, which is how staff see it without being
 * pinged), or a post when the channel is a forum. The requester is added as a thread member. The
 * card is in `say`'s language (DEFAULT_LOCALE: everyone in the thread reads it).
 */
export async function startTicketThread(rest: REST, place: ThreadPlace, card: TicketCard, say: Say): Promise<{ thread: ThreadRef; cardRef: string }> {
  const parent = await parentChannel(rest, place.channelId);
  const parentId = parent.id;
  const name = `#${card.ticketId} ${card.subject}`.slice(0, 100);
  const message = { ...cardMessage(card, say), allowed_mentions: NO_MENTIONS };

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

/** The channel itself, or its parent when it is a thread (a command used inside a thread). */
async function parentChannel(rest: REST, channelId: string): Promise<{ id: string; type: ChannelType }> {
  const channel = (await rest.get(Routes.channel(channelId))) as { type: ChannelType; parent_id?: string | null };
  const isThread = channel.type === ChannelType.PrivateThread || channel.type === ChannelType.PublicThread || channel.type === ChannelType.AnnouncementThread;
  if (!isThread || !channel.parent_id) return { id: channelId, type: channel.type };
  const parent = (await rest.get(Routes.channel(channel.parent_id))) as { type: ChannelType };
  return { id: channel.parent_id, type: parent.type };
}
