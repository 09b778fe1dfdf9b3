import {
  ButtonStyle,
  ComponentType,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
} from 'discord.js';
import type { Translate } from '../../handlers/i18n.js';
import type { TicketCard } from '../../src/chat.js';
import type { TicketStatus } from '../../src/domain.js';
import { customId } from './ids.js';
import { clip } from './messages.js';

const STATUS_COLOUR: Record<TicketStatus, number> = {
  open: 0x3b82f6,
  in_progress: 0xf59e0b,
  waiting: 0xa855f7,
  resolved: 0x22c55e,
  closed: 0x6b7280,
};

/** The ticket card as an embed: subject, `#<id>`, status, priority, provider; the vendor's words as they are. */
function cardEmbed(card: TicketCard, t: Translate): APIEmbed {
  return {
    title: clip(card.subject || `${t('card.ticket')} #${card.ticketId}`, 256),
    color: STATUS_COLOUR[card.status],
    fields: [
      { name: t('card.ticket'), value: `#${card.ticketId}`, inline: true },
      { name: t('card.status'), value: clip(card.vendorStatus || card.status, 1024), inline: true },
      { name: t('card.priority'), value: card.priority ?? t('card.noPriority'), inline: true },
      { name: t('card.provider'), value: clip(card.provider, 1024), inline: true },
      { name: t('card.requester'), value: clip(card.requester, 1024), inline: true },
    ],
  };
}

/** Close, Reopen and Rate; the ones that make no sense now are shown disabled. */
function cardButtons(card: TicketCard, t: Translate): APIActionRowComponent<APIComponentInMessageActionRow> {
  const button = (action: 'close' | 'reopen' | 'rate', label: string, style: ButtonStyle.Danger | ButtonStyle.Secondary | ButtonStyle.Primary): APIButtonComponent => ({
    type: ComponentType.Button,
    custom_id: customId.button(action, card.ticketId),
    label,
    style,
    disabled: !card.actions.includes(action),
  });
  return {
    type: ComponentType.ActionRow,
    components: [
      button('close', t('button.close'), ButtonStyle.Danger),
      button('reopen', t('button.reopen'), ButtonStyle.Secondary),
      button('rate', t('button.rate'), ButtonStyle.Primary),
    ],
  };
}

/** The card message body (first message of a ticket thread, and every card edit). */
export function cardMessage(card: TicketCard, t: Translate): { embeds: APIEmbed[]; components: APIActionRowComponent<APIComponentInMessageActionRow>[] } {
  return { embeds: [cardEmbed(card, t)], components: [cardButtons(card, t)] };
}

/**
 * What someone typed into a form that could not be accepted, one embed per field in a code block,
 * so nothing is lost and it can be copied back into a new form.
 */
export function typedTextEmbeds(typed: readonly { label: string; value: string }[]): APIEmbed[] {
  const fence = (value: string): string => '```\n' + value.replace(/```/g, '`\u200b``') + '\n```';
  let budget = 5800; // Discord allows 6,000 characters over all embeds of a message.
  const embeds: APIEmbed[] = [];
  for (const { label, value } of typed.filter((t) => t.value.trim() !== '').slice(0, 10)) {
    const title = clip(label, 256);
    const room = Math.min(4096, budget - title.length) - 8;
    if (room <= 20) break;
    const description = fence(clip(value, room));
    budget -= title.length + description.length;
    embeds.push({ title, description });
  }
  return embeds;
}
