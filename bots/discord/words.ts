// The Discord front-end's own words, until they join the shared catalogue.
const EN = {
  'discord.form.title': 'New ticket with {{provider}}',
  'discord.form.choose': 'Choose…',
  'discord.rate.title': 'Rate ticket #{{id}}',
  'discord.rate.score': 'How was it handled?',
  'discord.rate.score.1': '1 — poor',
  'discord.rate.score.2': '2 — fair',
  'discord.rate.score.3': '3 — good',
  'discord.rate.score.4': '4 — very good',
  'discord.rate.score.5': '5 — great',
  'discord.rate.comment': 'Anything to add?',
  'discord.refill.button': 'Fix the form',
  'discord.refill.expired': 'That form has expired; use /ticket open again.',
  'discord.reaction.offer': 'You reacted 🎫 to a message in #{{channel}}. Open a support ticket from it?',
  'discord.reaction.button': 'Open a ticket from this message',
  'discord.reaction.gone': 'That message is gone or out of my reach; use /ticket open instead.',
} as const;

export type DiscordKey = keyof typeof EN;
export type Say = (key: DiscordKey, vars?: Record<string, string | number>) => string;

export const say: Say = (key, vars = {}) => EN[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(vars[name] ?? ''));

/** The words for a Discord client's locale (`de`, `es-ES`, `ru` …). */
export const sayFor = (_locale: string | null | undefined): Say => say;
