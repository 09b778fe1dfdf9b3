import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ButtonInteraction,
  type MessageReaction,
  type PartialMessageReaction,
  type PartialUser,
  type User,
} from 'discord.js';
import { NO_MENTIONS } from './client.js';
import type { DiscordContext } from './context.js';
import { answerAtOnce, keepPlace, messageDraft } from './forms.js';
import { customId } from './ids.js';
import { answerNow } from './replies.js';
import { sayFor, type Say } from './words.js';

/** The emoji that asks for a ticket: :ticket:. */
export const TICKET_EMOJI = '🎫';
/** One offer per member and message, however often the reaction is added or the event replayed. */
const OFFERED_TTL_MS = 24 * 60 * 60_000;

/**
 * Reacting 🎫 to a message in a server channel sends the reactor a direct message with one button,
 * "Open a ticket from this message" (Discord has no ephemeral answer outside an interaction). The
 * button opens the form filled in from that message, as the message command does.
 */
export function reactionListener(ctx: DiscordContext): (reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser) => void {
  return (reaction, user) => {
    void offer(ctx, reaction, user).catch((error: unknown) => ctx.logger.warn('discord: could not offer a ticket for a reaction', { error }));
  };
}

async function offer(ctx: DiscordContext, reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser): Promise<void> {
  if (reaction.emoji.name !== TICKET_EMOJI || user.bot || !reaction.message.guildId) return;
  const { channelId, id: messageId } = reaction.message;
  const offered = `discord:offered:${messageId}:${user.id}`;
  // Claimed before sending, so two deliveries of one reaction race to one offer.
  if (!(await ctx.kv.setIfAbsent(offered, '1', OFFERED_TTL_MS))) return;
  const say = sayFor(ctx.defaultLocale);
  const channel = reaction.message.channel;
  const name = 'name' in channel && typeof channel.name === 'string' ? channel.name : channelId;
  const open = new ButtonBuilder().setCustomId(customId.fromMessage(channelId, messageId)).setStyle(ButtonStyle.Primary).setLabel(say('discord.reaction.button'));
  const dm = await ctx.client.users.createDM(user.id);
  await dm.send({ content: say('discord.reaction.offer', { channel: name }), components: [new ActionRowBuilder<ButtonBuilder>().addComponents(open)], allowedMentions: NO_MENTIONS });
}

/** The offer's button: the open form, filled in from the message; its thread starts where the message was. */
export async function openFromReaction(ctx: DiscordContext, interaction: ButtonInteraction, source: { channelId: string; messageId: string }, say: Say): Promise<void> {
  let message;
  try {
    const channel = await ctx.client.channels.fetch(source.channelId);
    message = channel?.isTextBased() ? await channel.messages.fetch(source.messageId) : undefined;
  } catch (error) {
    ctx.logger.warn('discord: the message a 🎫 reaction named could not be read', { error });
  }
  if (!message) return answerNow(ctx, interaction, say('discord.reaction.gone'));
  await answerAtOnce(ctx, interaction, { form: 'open', draft: messageDraft(ctx, message, say) }, say);
  await keepPlace(ctx, interaction.id, source.channelId);
}
