import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type InteractionEditReplyOptions,
  type RepliableInteraction,
} from 'discord.js';
import type { Answer, ListPage } from '../../handlers/types.js';
import { NO_MENTIONS } from './client.js';
import type { DiscordContext } from './context.js';
import { cardMessage, typedTextEmbeds } from './embeds.js';
import { customId, decodeThreadRef } from './ids.js';
import { clip, MAX_CONTENT } from './messages.js';
import { say as english, sayFor, type Say } from './words.js';

/** A neutral reply as an ephemeral Discord message: its text, the ticket card, a link to the thread. */
export function renderReply(reply: Answer, typed: readonly { label: string; value: string }[] = [], say: Say = english): InteractionEditReplyOptions {
  const thread = reply.thread ? decodeThreadRef(reply.thread) : undefined;
  const link = !thread ? '' : ` ${thread.dmTicket ? say('discord.followInDm') : say('discord.followHere', { thread: `<#${thread.threadId}>` })}`;
  const card = reply.card && !reply.thread ? cardMessage(reply.card, say) : undefined;
  const quoted = !reply.ok && typed.length > 0 ? typedTextEmbeds(typed) : [];
  const note = quoted.length > 0 ? `\n${say('form.draftKept')}` : '';
  const embeds: APIEmbed[] = [...(card?.embeds ?? []), ...quoted].slice(0, 10);
  // The link completes the answer's first sentence ("Ticket #3 opened …"); notes follow on lines of their own.
  const [first = '', ...rest] = reply.text.split('\n');
  return {
    content: clip([`${first}${link}`, ...rest].join('\n') + note, MAX_CONTENT),
    embeds,
    components: card?.components ?? pageButtons(reply.page, say),
    allowedMentions: NO_MENTIONS,
  };
}

/** Previous and Next under a list of more than one page; the one past an end is disabled. */
function pageButtons(page: ListPage | undefined, say: Say): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  if (!page || page.pages <= 1) return [];
  const turn = (to: number, label: 'button.previous' | 'button.next'): APIButtonComponent => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: customId.listPage(page.which, Math.min(Math.max(1, to), page.pages)),
    label: say(label),
    disabled: to < 1 || to > page.pages,
  });
  return [{ type: ComponentType.ActionRow, components: [turn(page.number - 1, 'button.previous'), turn(page.number + 1, 'button.next')] }];
}

/**
 * Acknowledges at once (an ephemeral "thinking…" state, well inside Discord's 3 s), then does the
 * work and edits the answer in. A slow or failing provider ends as a plain sentence, never as
 * "This interaction failed".
 */
export async function answerLater(
  ctx: DiscordContext,
  interaction: RepliableInteraction,
  work: () => Promise<InteractionEditReplyOptions>,
): Promise<void> {
  try {
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  } catch (error) {
    ctx.logger.warn('discord: could not acknowledge an interaction in time', { error, interaction: interaction.id });
    return;
  }
  let answer: InteractionEditReplyOptions;
  try {
    answer = await work();
  } catch (error) {
    ctx.logger.error('discord: interaction failed', { error, interaction: interaction.id });
    answer = { content: sayFor(interaction.locale)('error.ourFault'), allowedMentions: NO_MENTIONS };
  }
  try {
    await interaction.editReply(answer);
  } catch (error) {
    ctx.logger.warn('discord: could not edit an interaction reply', { error, interaction: interaction.id });
  }
}

/** An immediate ephemeral answer, for things that need no provider call. */
export async function answerNow(ctx: DiscordContext, interaction: RepliableInteraction, text: string): Promise<void> {
  try {
    await interaction.reply({ content: clip(text, MAX_CONTENT), flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS });
  } catch (error) {
    ctx.logger.warn('discord: could not answer an interaction', { error, interaction: interaction.id });
  }
}
