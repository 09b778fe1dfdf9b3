import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  InteractionContextType,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { OpenField } from '../../src/domain.js';

export const COMMAND_NAME = 'ticket';
export const OPEN_FROM_MESSAGE = 'Open ticket from message';

/** Discord allows five rows in a modal and 25 choices on an option. */
const MODAL_ROWS = 5;
const MAX_CHOICES = 25;

/** Which provider fields go into the modal and which become options of `/ticket open`. */
interface OpenFormPlan {
  modal: OpenField[];
  options: OpenField[];
}

/**
 * Subject and description always go into the modal. Enumerations become string options with
 * choices when the command can carry them (`as-options`); everything else fills the remaining
 * modal rows. Without command options (`in-modal`: the message context menu) enumerations take
 * modal rows too.
 */
export function planOpenForm(fields: readonly OpenField[], enumerations: 'as-options' | 'in-modal'): OpenFormPlan {
  const withOptions = enumerations === 'as-options';
  const first = (name: string): OpenField[] => fields.filter((f) => f.name === name);
  const modal = [...first('subject'), ...first('description')];
  const options: OpenField[] = [];
  for (const field of fields.filter((f) => f.name !== 'subject' && f.name !== 'description')) {
    const enumeration = field.options !== undefined && field.options.length <= MAX_CHOICES;
    if (withOptions && enumeration) options.push(field);
    else if (modal.length < MODAL_ROWS) modal.push(field);
    else if (withOptions) options.push(field);
  }
  return { modal, options };
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

/** Optional everywhere: used inside a ticket's thread, a command acts on that ticket. */
const TICKET_OPTION: APIApplicationCommandBasicOption = {
  type: ApplicationCommandOptionType.String,
  name: 'ticket',
  description: 'Ticket id, e.g. 42 (default: the ticket of this thread)',
  required: false,
  max_length: 100,
};

/** `/ticket` with its sub-commands, and the message context-menu command. */
export function ticketCommands(fields: readonly OpenField[]): RESTPostAPIApplicationCommandsJSONBody[] {
  // Discord rejects a required option after an optional one.
  const openOptions = planOpenForm(fields, 'as-options').options.map(fieldOption).sort((a, b) => Number(Boolean(b.required)) - Number(Boolean(a.required)));
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
      ],
    },
    { type: ApplicationCommandType.Message, name: OPEN_FROM_MESSAGE, ...where },
  ];
}
