import type { AutocompleteInteraction } from 'discord.js';
import { actorOf, type DiscordContext } from './context.js';
import { clip } from './messages.js';

/** Discord shows at most 25 suggestions, each name and value at most 100 characters. */
const MAX_SUGGESTIONS = 25;
const MAX_CHOICE = 100;

/**
 * Suggestions for a `ticket` option as it is typed: the member's own tickets, and for staff every
 * open ticket. Answered within Discord's 3 s window or not at all; a failure suggests nothing.
 */
export async function suggestTickets(ctx: DiscordContext, interaction: AutocompleteInteraction): Promise<void> {
  let choices: { name: string; value: string }[] = [];
  try {
    const focused = interaction.options.getFocused(true);
    if (focused.name === 'ticket') {
      const actor = actorOf(ctx.settings, interaction.user, interaction.member);
      const links = await ctx.service.nameable(actor, String(focused.value), MAX_SUGGESTIONS);
      choices = links.map((l) => ({ name: clip(`#${l.ticketId} ${l.subject}`, MAX_CHOICE), value: l.ticketId.slice(0, MAX_CHOICE) }));
    }
  } catch (error) {
    ctx.logger.warn('discord: ticket suggestions failed', { error });
  }
  try {
    await interaction.respond(choices);
  } catch (error) {
    ctx.logger.warn('discord: could not answer an autocomplete', { error, interaction: interaction.id });
  }
}
