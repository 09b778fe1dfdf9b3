// Request-body checks the fake applies, with Discord's error bodies. They cover the limits a bot
// realistically hits (lengths, counts, empty messages, nonces), not the whole schema.
import type { Json } from './state.js';

export interface ApiError { status: number; body: Json }

export const apiError = (status: number, code: number, message: string): ApiError => ({ status, body: { message, code } });

export const ERR = {
  unauthorized: (): ApiError => apiError(401, 0, '401: Unauthorized'),
  notFound: (): ApiError => apiError(404, 0, '404: Not Found'),
  unknownChannel: (): ApiError => apiError(404, 10003, 'Unknown Channel'),
  missingAccess: (): ApiError => apiError(403, 50001, 'Missing Access'),
  invalidRecipient: (): ApiError => apiError(400, 50033, 'Invalid Recipient(s)'),
  unknownMessage: (): ApiError => apiError(404, 10008, 'Unknown Message'),
  unknownMember: (): ApiError => apiError(404, 10007, 'Unknown Member'),
  unknownWebhook: (): ApiError => apiError(404, 10015, 'Unknown Webhook'),
  unknownApplication: (): ApiError => apiError(404, 10002, 'Unknown Application'),
  unknownGuild: (): ApiError => apiError(404, 10004, 'Unknown Guild'),
  unknownInteraction: (): ApiError => apiError(404, 10062, 'Unknown interaction'),
  alreadyAcked: (): ApiError => apiError(400, 40060, 'Interaction has already been acknowledged'),
  emptyMessage: (): ApiError => apiError(400, 50006, 'Cannot send an empty message'),
  otherAuthor: (): ApiError => apiError(403, 50005, 'Cannot edit a message authored by another user'),
  threadArchived: (): ApiError => apiError(400, 50083, 'Thread is archived'),
  threadExists: (): ApiError => apiError(400, 160004, 'A thread has already been created for this message'),
  wrongChannelType: (): ApiError => apiError(400, 50024, 'Cannot execute action on this channel type'),
};

export type Issue = { path: Array<string | number>; code: string; message: string };

/** Discord's 50035 body: errors nested along the field path, leaves carrying `_errors`. */
export function invalidForm(issues: Issue[]): ApiError {
  const errors: Json = {};
  for (const { path, code, message } of issues) {
    let node = errors;
    for (const key of path) {
      const k = String(key);
      node[k] ??= {};
      node = node[k] as Json;
    }
    const list = (node['_errors'] ??= []) as Json[];
    list.push({ code, message });
  }
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors } };
}

export const maxLen = (path: Issue['path'], value: unknown, max: number, out: Issue[]): void => {
  if (typeof value === 'string' && value.length > max) {
    out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
};

export const tooMany = (path: Issue['path'], value: unknown, max: number, out: Issue[]): void => {
  if (Array.isArray(value) && value.length > max) {
    out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
};

export const required = (path: Issue['path'], out: Issue[]): void => {
  out.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
};
export const text = (path: Issue['path'], value: unknown, min: number, max: number, out: Issue[]): void => {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    out.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
  }
};

const IS_COMPONENTS_V2 = 1 << 15;

/** Checks a message create/edit body. `partial` for edits, where an empty body is allowed. */
export function validateMessage(body: Json, opts: { partial?: boolean; prefix?: string[] } = {}): ApiError | null {
  const pre = opts.prefix ?? [];
  const issues: Issue[] = [];
  maxLen([...pre, 'content'], body['content'], 2000, issues);
  const embeds = body['embeds'];
  tooMany([...pre, 'embeds'], embeds, 10, issues);
  if (Array.isArray(embeds)) {
    embeds.forEach((e: Json, i) => {
      maxLen([...pre, 'embeds', i, 'title'], e['title'], 256, issues);
      maxLen([...pre, 'embeds', i, 'description'], e['description'], 4096, issues);
      tooMany([...pre, 'embeds', i, 'fields'], e['fields'], 25, issues);
    });
  }
  const components = body['components'];
  const flags = typeof body['flags'] === 'number' ? body['flags'] : 0;
  if (!(flags & IS_COMPONENTS_V2)) tooMany([...pre, 'components'], components, 5, issues);
  if (Array.isArray(components)) validateComponents(components as Json[], [...pre, 'components'], issues);
  const nonce = body['nonce'];
  if (typeof nonce === 'string') maxLen([...pre, 'nonce'], nonce, 25, issues);
  if (issues.length > 0) return invalidForm(issues);
  if (opts.partial) return null;
  const hasContent = typeof body['content'] === 'string' && body['content'].length > 0;
  const nonEmpty = (k: string): boolean => Array.isArray(body[k]) && (body[k] as unknown[]).length > 0;
  if (!hasContent && !nonEmpty('embeds') && !nonEmpty('components') && !nonEmpty('attachments')
    && !nonEmpty('sticker_ids') && body['poll'] === undefined) {
    return ERR.emptyMessage();
  }
  return null;
}

function validateComponents(list: Json[], path: Issue['path'], out: Issue[]): void {
  list.forEach((c, i) => {
    const here = [...path, i];
    maxLen([...here, 'custom_id'], c['custom_id'], 100, out);
    maxLen([...here, 'label'], c['label'], c['type'] === 18 ? 45 : 80, out);
    if (c['type'] === 1) tooMany([...here, 'components'], c['components'], 5, out);
    if (Array.isArray(c['components'])) validateComponents(c['components'] as Json[], [...here, 'components'], out);
    if (c['component'] && typeof c['component'] === 'object') validateComponents([c['component'] as Json], [...here, 'component'], out);
  });
}

/** Autocomplete suggestions (callback type 8): at most 25, each name 1–100 characters, a string value ≤ 100 or a number. */
export function validateChoices(data: Json): ApiError | null {
  const issues: Issue[] = [];
  const choices = data['choices'];
  if (!Array.isArray(choices)) {
    required(['data', 'choices'], issues);
  } else {
    tooMany(['data', 'choices'], choices, 25, issues);
    choices.forEach((c: Json, i) => {
      text(['data', 'choices', i, 'name'], c['name'], 1, 100, issues);
      if (typeof c['value'] === 'string') maxLen(['data', 'choices', i, 'value'], c['value'], 100, issues);
      else if (typeof c['value'] !== 'number') required(['data', 'choices', i, 'value'], issues);
    });
  }
  return issues.length > 0 ? invalidForm(issues) : null;
}

const COMMAND_NAME = /^[-_'\p{Ll}\p{Lo}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** The locales Discord accepts as keys of name_localizations and description_localizations. */
const DISCORD_LOCALES = new Set(['id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl',
  'pt-BR', 'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko']);

/** Localized names follow the name's own rules (chat-input names lower case, no spaces); descriptions 1–100. */
function validateLocalizations(o: Json, path: Issue['path'], chatInput: boolean, out: Issue[]): void {
  for (const [field, check] of [
    ['name_localizations', (v: unknown) => typeof v === 'string' && (chatInput ? COMMAND_NAME.test(v) : v.length >= 1 && v.length <= 32)],
    ['description_localizations', (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 100],
  ] as const) {
    const map = o[field];
    if (map === undefined || map === null) continue;
    if (typeof map !== 'object' || Array.isArray(map)) {
      out.push({ path: [...path, field], code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
      continue;
    }
    for (const [locale, value] of Object.entries(map as Json)) {
      if (!DISCORD_LOCALES.has(locale)) out.push({ path: [...path, field, locale], code: 'ENUM_TYPE_COERCE', message: `Value "${locale}" is not a valid enum value.` });
      else if (!check(value)) out.push({ path: [...path, field, locale], code: field === 'name_localizations' ? 'APPLICATION_COMMAND_INVALID_NAME' : 'BASE_TYPE_BAD_LENGTH', message: field === 'name_localizations' ? 'Command name is invalid' : 'Must be between 1 and 100 in length.' });
    }
  }
}

/** Application command create/overwrite bodies: names, descriptions, option counts. */
export function validateCommands(list: Json[]): ApiError | null {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  list.forEach((cmd, i) => {
    const type = typeof cmd['type'] === 'number' ? cmd['type'] : 1;
    const name = cmd['name'];
    if (typeof name !== 'string' || (type === 1 ? !COMMAND_NAME.test(name) : name.length < 1 || name.length > 32)) {
      issues.push({ path: [i, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    } else if (seen.has(`${type}:${name}`)) {
      issues.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
    } else {
      seen.add(`${type}:${name}`);
    }
    if (type === 1) validateDescription(cmd, [i], issues);
    validateLocalizations(cmd, [i], type === 1, issues);
    validateOptions(cmd['options'], [i, 'options'], issues);
  });
  return issues.length > 0 ? invalidForm(issues) : null;
}

function validateDescription(o: Json, path: Issue['path'], out: Issue[]): void {
  const d = o['description'];
  if (typeof d !== 'string' || d.length < 1 || d.length > 100) {
    out.push({ path: [...path, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
}

function validateOptions(options: unknown, path: Issue['path'], out: Issue[]): void {
  if (!Array.isArray(options)) return;
  tooMany(path, options, 25, out);
  options.forEach((o: Json, i) => {
    if (typeof o['name'] !== 'string' || !COMMAND_NAME.test(o['name'])) {
      out.push({ path: [...path, i, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
    }
    validateDescription(o, [...path, i], out);
    validateLocalizations(o, [...path, i], true, out);
    tooMany([...path, i, 'choices'], o['choices'], 25, out);
    if (o['autocomplete'] === true && Array.isArray(o['choices']) && o['choices'].length > 0) {
      out.push({ path: [...path, i, 'autocomplete'], code: 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES', message: 'Autocomplete cannot be set with choices' });
    }
    validateOptions(o['options'], [...path, i, 'options'], out);
  });
  // Discord rejects a required option after an optional one.
  let optionalSeen = false;
  options.forEach((o: Json, i) => {
    if (o['type'] === 1 || o['type'] === 2) return;
    if (o['required'] && optionalSeen) {
      out.push({ path: [...path, i, 'required'], code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (!o['required']) optionalSeen = true;
  });
}
