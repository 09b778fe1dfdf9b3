import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { OpenField } from '../../src/domain.js';
import { TICKET_FILTERS } from '../../src/service.js';
import { FIELD_ROWS } from './modals.js';
import type { MessageKey } from '../../handlers/i18n.js';
import { localizations, say } from './words.js';

export const COMMAND_NAME = say('discord.command.ticket.name');
export const OPEN_FROM_MESSAGE = say('discord.command.from-message.name');

/** Discord allows 25 choices on an option. */
const MAX_CHOICES = 25;

/** Which provider fields go into the modal and which become options of `/ticket open`. */
interface OpenFormPlan {
  modal: OpenField[];
  options: OpenField[];
}

/**
 * Subject and description first, then the provider's other fields, lists included (a modal Label
 * holds a select): four fit in a modal beside the file upload. A field past the fourth becomes an
 * option of `/ticket open`.
 */
export function planOpenForm(fields: readonly OpenField[]): OpenFormPlan {
  const first = (name: string): OpenField[] => fields.filter((f) => f.name === name);
  const ordered = [...first('subject'), ...first('description'), ...fields.filter((f) => f.name !== 'subject' && f.name !== 'description')];
  return { modal: ordered.slice(0, FIELD_ROWS), options: ordered.slice(FIELD_ROWS) };
}

function fieldOption(field: OpenField): APIApplicationCommandBasicOption {
  const choices = field.options && field.options.length <= MAX_CHOICES
    ? { choices: field.options.map((o) => ({ name: o.label.slice(0, 100), value: o.value.slice(0, 100) })) }
    : {};
  return {
    type: ApplicationCommandOptionType.String,
    name: field.name,
    description: field.label.slice(0, 100),
    required: field.required,
    ...choices,
    ...(field.maxLength ? { max_length: Math.min(field.maxLength, 6000) } : {}),
  };
}

type Named = 'ticket' | 'open' | 'status' | 'list' | 'reply' | 'close' | 'reopen' | 'rate' | 'retry' | 'help';
type OptionName = 'ticket' | 'reason' | 'score' | 'comment' | 'text' | 'delivery' | 'page' | 'which';

/** A command's or option's name and description in English, with their translations for German, Spanish and Russian clients. */
function named(kind: 'command' | 'option', name: Named | OptionName) {
  const key = (part: 'name' | 'description') => `discord.${kind}.${name}.${part}` as MessageKey;
  return {
    name: say(key('name')),
    name_localizations: localizations(key('name')),
    description: say(key('description')),
    description_localizations: localizations(key('description')),
  };
}

const textOption = (name: OptionName, required: boolean, maxLength: number): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String,
  ...named('option', name),
  required,
  max_length: maxLength,
});

/** Optional everywhere: used inside a ticket's thread, a command acts on that ticket. Suggested as typed. */
const TICKET_OPTION: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  ...named('option', 'ticket'),
  required: false,
  max_length: 100,
  autocomplete: true,
};

/** `/ticket` with its sub-commands, and the message context-menu command; names and descriptions localized. */
export function ticketCommands(fields: readonly OpenField[]): RESTPostAPIApplicationCommandsJSONBody[] {
  // Discord rejects a required option after an optional one.
  const openOptions = planOpenForm(fields).options.map(fieldOption).sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)));
  const sub = (name: Named, options: APIApplicationCommandBasicOption[] = []) => ({
    type: ApplicationCommandOptionType.Subcommand as const,
    ...named('command', name),
    options,
  });
  const where = { contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall] };
  return [
    {
      type: ApplicationCommandType.ChatInput,
      ...named('command', 'ticket'),
      ...where,
      options: [
        sub('open', openOptions),
        sub('status', [TICKET_OPTION]),
        sub('list', [
          { type: ApplicationCommandOptionType.Integer, ...named('option', 'page'), required: false, min_value: 1 },
          { type: ApplicationCommandOptionType.String, ...named('option', 'which'), required: false, choices: TICKET_FILTERS.map((f) => ({ name: f, value: f })) },
        ]),
        sub('reply', [textOption('text', true, 4000), TICKET_OPTION]),
        sub('close', [TICKET_OPTION]),
        sub('reopen', [TICKET_OPTION, textOption('reason', false, 2000)]),
        sub('rate', [
          {
            type: ApplicationCommandOptionType.Integer,
            ...named('option', 'score'),
            required: true,
            choices: [1, 2, 3, 4, 5].map((n) => ({ name: String(n), value: n })),
          },
          TICKET_OPTION,
          textOption('comment', false, 2000),
        ]),
        sub('retry', [textOption('delivery', true, 200)]),
        sub('help'),
      ],
    },
    {
      type: ApplicationCommandType.Message,
      name: OPEN_FROM_MESSAGE,
      name_localizations: localizations('discord.command.from-message.name'),
      ...where,
    },
  ];
}
