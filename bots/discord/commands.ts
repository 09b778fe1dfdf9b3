import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { OpenField } from '../../src/domain.js';
import { MODAL_ROWS } from './modals.js';

export const COMMAND_NAME = 'ticket';
export const OPEN_FROM_MESSAGE = 'Open ticket from message';

/** Discord allows 25 choices on an option. */
const MAX_CHOICES = 25;

/** Which provider fields go into the modal and which become options of `/ticket open`. */
interface OpenFormPlan {
  modal: OpenField[];
  options: OpenField[];
}

/**
 * Subject and description first, then the provider's other fields, lists included (a modal Label
 * holds a select): five fit in a modal. A field past the fifth becomes an option of `/ticket open`.
 */
export function planOpenForm(fields: readonly OpenField[]): OpenFormPlan {
  const first = (name: string): OpenField[] => fields.filter((f) => f.name === name);
  const ordered = [...first('subject'), ...first('description'), ...fields.filter((f) => f.name !== 'subject' && f.name !== 'description')];
  return { modal: ordered.slice(0, MODAL_ROWS), options: ordered.slice(MODAL_ROWS) };
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

/** Optional everywhere: used inside a ticket's thread, a command acts on that ticket. Suggested as typed. */
const TICKET_OPTION: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  name: 'ticket',
  description: 'Ticket id, e.g. 42 (default: the ticket of this thread)',
  required: false,
  max_length: 100,
  autocomplete: true,
};

/** `/ticket` with its sub-commands, and the message context-menu command. */
export function ticketCommands(fields: readonly OpenField[]): RESTPostAPIApplicationCommandsJSONBody[] {
  // Discord rejects a required option after an optional one.
  const openOptions = planOpenForm(fields).options.map(fieldOption).sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)));
  const sub = (name: string, description: string, options: APIApplicationCommandBasicOption[] = []) => ({
    type: ApplicationCommandOptionType.Subcommand as const,
    name,
    description,
    options,
  });
  const where = { contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall] };
  return [
    {
      type: ApplicationCommandType.ChatInput,
      name: COMMAND_NAME,
      description: 'Open and follow support tickets',
      ...where,
      options: [
        sub('open', 'Open a support ticket (a form follows)', openOptions),
        sub('status', "Show a ticket's status", [TICKET_OPTION]),
        sub('list', 'List your tickets (only you see the answer)'),
        sub('reply', 'Add a comment to a ticket', [
          { type: ApplicationCommandOptionType.String, name: 'text', description: 'What to tell support', required: true, max_length: 4000 },
          TICKET_OPTION,
        ]),
        sub('close', 'Close a ticket', [TICKET_OPTION]),
        sub('reopen', 'Reopen a ticket', [
          TICKET_OPTION,
          { type: ApplicationCommandOptionType.String, name: 'reason', description: 'Why it needs more work', required: false, max_length: 2000 },
        ]),
        sub('rate', 'Rate how a ticket was handled', [
          {
            type: ApplicationCommandOptionType.Integer,
            name: 'score',
            description: '1 (poor) to 5 (great)',
            required: true,
            choices: [1, 2, 3, 4, 5].map((n) => ({ name: String(n), value: n })),
          },
          TICKET_OPTION,
          { type: ApplicationCommandOptionType.String, name: 'comment', description: 'Anything to add', required: false, max_length: 2000 },
        ]),
        sub('retry', 'Send a failed message again', [
          { type: ApplicationCommandOptionType.String, name: 'delivery', description: 'The delivery, as /ticket status shows it', required: true, max_length: 200 },
        ]),
        sub('help', 'What /ticket can do'),
      ],
    },
    { type: ApplicationCommandType.Message, name: OPEN_FROM_MESSAGE, ...where },
  ];
}
