import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData, type ModalSubmitInteraction } from 'discord.js';
import type { OpenField } from '../../src/domain.js';
import { customId } from './ids.js';
import { clip } from './messages.js';

/** Discord's limits on a text input. */
const MAX_INPUT = 4000;
const MAX_LABEL = 45;
const MAX_PLACEHOLDER = 100;

function textRow(input: { id: string; label: string; required: boolean; paragraph: boolean; maxLength?: number; value?: string; placeholder?: string }) {
  const value = input.value ? input.value.slice(0, input.maxLength ?? MAX_INPUT) : undefined;
  return {
    type: ComponentType.ActionRow as const,
    components: [
      {
        type: ComponentType.TextInput as const,
        custom_id: input.id,
        label: clip(input.label, MAX_LABEL),
        style: input.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
        required: input.required,
        max_length: Math.min(input.maxLength ?? MAX_INPUT, MAX_INPUT),
        ...(value ? { value } : {}),
        ...(input.placeholder ? { placeholder: clip(input.placeholder, MAX_PLACEHOLDER) } : {}),
      },
    ],
  };
}

/** The open-ticket form: one row per planned field (at most five), optionally prefilled. */
export function openModal(
  providerName: string,
  fields: readonly OpenField[],
  pending: string,
  prefill: Partial<Record<string, string>> = {},
): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId.openModal(pending),
    title: clip(`New ticket with ${providerName}`, 45),
    components: fields.slice(0, 5).map((field) => {
      const value = prefill[field.name];
      const placeholder = field.options ? `One of: ${field.options.map((o) => o.value).join(', ')}` : undefined;
      return textRow({
        id: field.name,
        label: field.label,
        required: field.required,
        paragraph: field.multiline ?? field.name === 'description',
        ...(field.maxLength ? { maxLength: field.maxLength } : {}),
        ...(value ? { value } : {}),
        ...(placeholder ? { placeholder } : {}),
      });
    }),
  };
}

/** The rating form behind the Rate button. */
export function rateModal(ticketId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId.rateModal(ticketId),
    title: clip(`Rate ticket #${ticketId}`, 45),
    components: [
      textRow({ id: 'score', label: 'Score from 1 (poor) to 5 (great)', required: true, paragraph: false, maxLength: 1, placeholder: '5' }),
      textRow({ id: 'comment', label: 'Anything to add?', required: false, paragraph: true, maxLength: 2000 }),
    ],
  };
}

/** The Reopen button's form: why the ticket is reopened (it reaches the provider with the reopen). */
export function reopenModal(ticketId: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId.reopenModal(ticketId),
    title: clip(`Reopen ticket #${ticketId}`, 45),
    components: [textRow({ id: 'reason', label: 'Why reopen it?', required: true, paragraph: true, maxLength: 2000 })],
  };
}

/** Every text input of a submitted modal, by custom_id. */
export function submittedValues(interaction: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, component] of interaction.fields.fields) {
    if ('value' in component && typeof component.value === 'string') values[id] = component.value;
  }
  return values;
}
