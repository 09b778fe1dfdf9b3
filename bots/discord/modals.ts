import {
  ComponentType,
  FileUploadBuilder,
  LabelBuilder,
  ModalBuilder,
  RadioGroupBuilder,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { OpenField } from '../../src/domain.js';
import { formatSize } from '../../src/files.js';
import type { DiscordAttachment } from './files.js';
import { customId } from './ids.js';
import { clip } from './messages.js';
import { say as english, type Say } from './words.js';

/** Discord's limits inside a modal. */
const MAX_INPUT = 4000;
const MAX_LABEL = 45;
const MAX_DESCRIPTION = 100;
const MAX_PLACEHOLDER = 100;
const MAX_SELECT_OPTIONS = 25;
const MAX_OPTION_TEXT = 100;
/** A modal holds at most five top-level components. */
const MODAL_ROWS = 5;
/** The open form's provider fields: the fifth row is the file upload. */
export const FIELD_ROWS = MODAL_ROWS - 1;
/** The most files the open form takes; Discord allows ten in one upload, five keep the opening quick. */
const MAX_OPEN_FILES = 5;
/** The open form's file upload (no provider field has this name). */
const FILES_ID = 'files';

/** A list Discord can show as a select: 1–25 choices whose values fit a select option. */
export const fitsSelect = (field: OpenField): boolean =>
  field.options !== undefined && field.options.length > 0 && field.options.length <= MAX_SELECT_OPTIONS && field.options.every((o) => o.value.length <= MAX_OPTION_TEXT);

interface Filled {
  value?: string | undefined;
  /** What was wrong with the value last time, shown under the field's label. */
  error?: string | undefined;
}

/**
 * One field of the open form as a Label: a select of the provider's own values when the field is a
 * short list, a text input otherwise. The option values are the provider's words, so what comes
 * back is what the vendor accepts.
 */
function fieldLabel(field: OpenField, say: Say, filled: Filled): LabelBuilder {
  const label = new LabelBuilder().setLabel(clip(field.label, MAX_LABEL));
  if (filled.error) label.setDescription(clip(`⚠ ${filled.error}`, MAX_DESCRIPTION));
  if (fitsSelect(field)) {
    const select = new StringSelectMenuBuilder()
      .setCustomId(field.name)
      .setPlaceholder(clip(say('form.choose', { field: field.label }), MAX_PLACEHOLDER))
      .setRequired(field.required)
      .setMinValues(field.required ? 1 : 0)
      .setMaxValues(1)
      .addOptions((field.options ?? []).map((o) => ({ label: clip(o.label, MAX_OPTION_TEXT), value: o.value, default: o.value === filled.value })));
    return label.setStringSelectMenuComponent(select);
  }
  const maxLength = Math.min(field.maxLength ?? MAX_INPUT, MAX_INPUT);
  const input = new TextInputBuilder()
    .setCustomId(field.name)
    .setStyle((field.multiline ?? field.name === 'description') ? TextInputStyle.Paragraph : TextInputStyle.Short)
    .setRequired(field.required)
    .setMaxLength(maxLength);
  if (filled.value) input.setValue(filled.value.slice(0, maxLength));
  if (field.options?.length) input.setPlaceholder(clip(field.options.map((o) => o.value).join(', '), MAX_PLACEHOLDER));
  return label.setTextInputComponent(input);
}

/**
 * The optional file upload under the fields: up to MAX_OPEN_FILES files, fewer by those a refused
 * form already carries (Discord cannot show them in the upload again, so the description names
 * them); none when those fill it.
 */
function filesLabel(say: Say, maxFileBytes: number, kept: readonly string[]): LabelBuilder | undefined {
  const room = MAX_OPEN_FILES - kept.length;
  if (room <= 0) return undefined;
  const upload = new FileUploadBuilder().setCustomId(FILES_ID).setRequired(false).setMinValues(0).setMaxValues(room);
  const description = kept.length
    ? say('discord.form.filesKept', { files: kept.join(', ') })
    : say('discord.form.filesHint', { count: MAX_OPEN_FILES, limit: formatSize(maxFileBytes) });
  return new LabelBuilder().setLabel(clip(say('discord.form.files'), MAX_LABEL)).setDescription(clip(description, MAX_DESCRIPTION)).setFileUploadComponent(upload);
}

/**
 * The open-ticket form: one Label per field (at most four), prefilled and with last time's errors,
 * then the file upload. `kept` names the files a refused form carries.
 */
export function openModal(input: {
  providerName: string;
  fields: readonly OpenField[];
  pending: string;
  maxFileBytes: number;
  say?: Say;
  prefill?: Partial<Record<string, string>>;
  errors?: Partial<Record<string, string>>;
  kept?: readonly string[];
}): APIModalInteractionResponseCallbackData {
  const say = input.say ?? english;
  const labels = input.fields.slice(0, FIELD_ROWS).map((field) => fieldLabel(field, say, { value: input.prefill?.[field.name], error: input.errors?.[field.name] }));
  const files = filesLabel(say, input.maxFileBytes, input.kept ?? []);
  return new ModalBuilder()
    .setCustomId(customId.openModal(input.pending))
    .setTitle(clip(say('discord.form.title', { provider: input.providerName }), MAX_LABEL))
    .addLabelComponents(files ? [...labels, files] : labels)
    .toJSON();
}

/** The Reopen button's form: why the ticket is reopened (it reaches the provider with the reopen). */
export function reopenModal(ticketId: string, say: Say = english): APIModalInteractionResponseCallbackData {
  const reason = new TextInputBuilder().setCustomId('reason').setStyle(TextInputStyle.Paragraph).setRequired(true).setMaxLength(2000);
  return new ModalBuilder()
    .setCustomId(customId.reopenModal(ticketId))
    .setTitle(clip(say('discord.reopen.title', { id: ticketId }), MAX_LABEL))
    .addLabelComponents(new LabelBuilder().setLabel(clip(say('form.reopenReason'), MAX_LABEL)).setTextInputComponent(reason))
    .toJSON();
}

const SCORES = ['form.score1', 'form.score2', 'form.score3', 'form.score4', 'form.score5'] as const;

/** The rating form behind the Rate button: five choices (a radio group), so no score can be typed wrong. */
export function rateModal(ticketId: string, say: Say = english): APIModalInteractionResponseCallbackData {
  const scores = new RadioGroupBuilder()
    .setCustomId('score')
    .setRequired(true)
    .setOptions([5, 4, 3, 2, 1].map((n) => ({ label: clip(say(SCORES[n - 1] ?? 'form.score5'), MAX_OPTION_TEXT), value: String(n) })));
  const comment = new TextInputBuilder().setCustomId('comment').setStyle(TextInputStyle.Paragraph).setRequired(false).setMaxLength(2000);
  return new ModalBuilder()
    .setCustomId(customId.rateModal(ticketId))
    .setTitle(clip(say('form.rateTitle', { id: ticketId }), MAX_LABEL))
    .addLabelComponents(
      new LabelBuilder().setLabel(clip(say('form.rateQuestion'), MAX_LABEL)).setRadioGroupComponent(scores),
      new LabelBuilder().setLabel(clip(say('form.rateComment'), MAX_LABEL)).setTextInputComponent(comment),
    )
    .toJSON();
}

/** The files uploaded in a submitted modal, with what the bot needs to download them. */
export function uploadedFiles(interaction: ModalSubmitInteraction): DiscordAttachment[] {
  const uploads: DiscordAttachment[] = [];
  for (const field of interaction.fields.fields.values()) {
    if (field.type !== ComponentType.FileUpload) continue;
    // discord.js leaves `attachments` out when nothing was uploaded.
    for (const a of field.attachments?.values() ?? []) uploads.push({ id: a.id, name: a.name, url: a.url, size: a.size, contentType: a.contentType });
  }
  return uploads;
}

/** Every answer of a submitted modal by custom_id: typed text, the chosen option, the picked radio. */
export function submittedValues(interaction: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, field] of interaction.fields.fields) {
    switch (field.type) {
      case ComponentType.TextInput:
        values[id] = field.value;
        break;
      case ComponentType.StringSelect:
        if (field.values?.[0] !== undefined) values[id] = field.values[0];
        break;
      case ComponentType.RadioGroup:
        if (field.value) values[id] = field.value;
        break;
      default:
        break;
    }
  }
  return values;
}
