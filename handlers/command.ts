import { z } from 'zod';
import { OPEN_FIELD_NAMES, type OpenFieldName } from '../src/domain.js';
import { TICKET_FILTERS } from '../src/service.js';
import type { MessageKey, Phrase } from './i18n.js';

/** The open form as typed (strings, blanks kept), so nothing is lost; names the form does not have are dropped. */
export const Draft = z.object(
  Object.fromEntries(OPEN_FIELD_NAMES.map((name) => [name, z.string().optional()])) as Record<OpenFieldName, z.ZodOptional<z.ZodString>>,
);
export type Draft = z.infer<typeof Draft>;

// Issue messages are the usage to show (commands are not translated); `checkCommand` puts them in the person's words.
const ticketId = (usage: string) =>
  z
    .string()
    .transform((id) => id.trim().replace(/^#/, ''))
    .pipe(z.string().min(1, `/ticket ${usage}`));
/** Optional text: nothing typed and an empty string mean the same. */
const optionalText = z
  .string()
  .transform((text) => text || undefined)
  .optional();

/**
 * Every `/ticket` command, whichever front-end it was typed in (Slack's command text, a Discord
 * sub-command, a terminal line). Issue messages are what the person is told, after the field's label.
 */
export const TicketCommand = z.discriminatedUnion('name', [
  z.object({ name: z.literal('open'), fields: Draft }),
  z.object({ name: z.literal('reply'), ticketId: ticketId('reply <id> <text>'), text: z.string().trim().min(1, '/ticket reply <id> <text>') }),
  z.object({ name: z.literal('status'), ticketId: ticketId('status <id>') }),
  z.object({
    name: z.literal('list'),
    /** From 1; absent: the first. */
    page: z.coerce.number().int().min(1).optional(),
    /** Absent: `recent` (open, and closed within FOLLOW_UP_DAYS). */
    which: z.enum(TICKET_FILTERS).optional(),
  }),
  z.object({ name: z.literal('close'), ticketId: ticketId('close <id>') }),
  z.object({ name: z.literal('reopen'), ticketId: ticketId('reopen <id> <text>'), text: optionalText }),
  z.object({
    name: z.literal('rate'),
    ticketId: ticketId('rate <id> <1-5> [comment]'),
    score: z.coerce.string().regex(/^[1-5]$/),
    comment: optionalText,
  }),
  z.object({ name: z.literal('retry'), jobKey: z.string().min(1, '/ticket retry <delivery> as shown by /ticket status') }),
  z.object({ name: z.literal('help') }),
]);
export type TicketCommand = z.infer<typeof TicketCommand>;

/** A command, or why the input is not one (one line naming what was expected; a phrase is said in the person's language). */
export type ParsedCommand = TicketCommand | { name: 'error'; message: string | Phrase };

export const HELP = [
  '/ticket open subject="…" description="…" [priority=low|normal|high|urgent] [category=…]',
  '/ticket reply <id> <text>',
  '/ticket status <id>',
  '/ticket list [page] [open|closed|all]',
  '/ticket close <id>',
  '/ticket reopen <id> <text>',
  '/ticket rate <id> <1-5> [comment]',
  '/ticket retry <delivery>',
  '/ticket help',
].join('\n');

const NAMES = TicketCommand.options.map((option) => option.shape.name.value);
/** What is said when a field is wrong. */
const PROBLEMS: Record<string, MessageKey> = {
  ticketId: 'command.usage.ticketId',
  text: 'command.usage.text',
  jobKey: 'command.usage.delivery',
  score: 'command.score',
  page: 'command.page',
  which: 'command.page',
};

/** Checks a command put together from a platform's input (names in any case); the first problem becomes the error. */
export function checkCommand(raw: { name: string } & Record<string, unknown>): ParsedCommand {
  const parsed = TicketCommand.safeParse({ ...raw, name: raw.name.toLowerCase() });
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const field = String(issue?.path[0] ?? 'name');
  if (!issue || field === 'name') return { name: 'error', message: { key: 'command.unknown', vars: { names: NAMES.join(', '), got: raw.name } } };
  const key = PROBLEMS[field];
  return { name: 'error', message: key ? { key, vars: { usage: issue.message } } : `${field}: ${issue.message}` };
}

/** Parses the text after `/ticket`. Quoted values may hold spaces; `#42` and `42` name the same ticket. */
export function parseTicketCommand(input: string): ParsedCommand {
  const text = input.trim();
  const [word = '', ...restWords] = text.split(/\s+/);
  const rest = text.slice(word.length).trim();
  const [first = '', score = '', ...comment] = restWords;
  if (word === '' || word.toLowerCase() === 'open') return { name: 'open', fields: openFields(rest) };
  if (word.toLowerCase() === 'list') return listCommand(restWords);
  return checkCommand({
    name: word,
    ticketId: first,
    jobKey: first,
    text: rest.slice(first.length).trim(),
    score,
    comment: comment.join(' '),
  });
}

/** `list [page] [open|closed|all]`, in either order. */
function listCommand(words: string[]): ParsedCommand {
  const raw: Record<string, unknown> = { name: 'list' };
  for (const word of words) {
    if (/^\d+$/.test(word) && raw['page'] === undefined) raw['page'] = word;
    else if (raw['which'] === undefined && !/^\d+$/.test(word)) raw['which'] = word.toLowerCase();
    else raw['page'] = 'too many';
  }
  return checkCommand(raw as { name: string });
}

/** `subject="a b" priority=high rest` → the form, with the loose words as the subject when none is given. */
function openFields(text: string): Draft {
  const { fields, words } = keyValues(text);
  if (!fields['subject'] && words.length > 0) fields['subject'] = words.join(' ');
  return Draft.parse(fields);
}

/** `key="a b" k2=v rest` → fields {key: 'a b', k2: 'v'} and the other words ['rest']. */
function keyValues(text: string): { fields: Record<string, string>; words: string[] } {
  const fields: Record<string, string> = {};
  const words: string[] = [];
  const pattern = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const [, key, doubleQuoted, singleQuoted, bare, word] = match;
    if (key) fields[key.toLowerCase()] = (doubleQuoted?.replace(/\\(.)/g, '$1') ?? singleQuoted ?? bare ?? '').trim();
    else if (word) words.push(word);
  }
  return { fields, words };
}
