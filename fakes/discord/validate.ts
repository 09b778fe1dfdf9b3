// Request-body checks the fake applies, with Discord's error bodies. They cover the limits a bot
// realistically hits (lengths, counts, empty messages, nonces), not the whole schema.
import type { Json } from './state.js';

export interface ApiError { status: number; body: Json }

export const apiError = (status: number, code: number, message: string): ApiError => ({ status, body: { message, code } });

export const ERR = {
  unauthorized: (): ApiError => apiError(401, 0, '401: Unauthorized'),
  notFound: (): ApiError => apiError(404, 0, '404: Not Found'),
  unknownChannel: (): ApiError => apiError(404, 10003, 'Unknown Channel'),
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

type Issue = { path: Array<string | number>; code: string; message: string };

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

const maxLen = (path: Issue['path'], value: unknown, max: number, out: Issue[]): void => {
  if (typeof value === 'string' && value.length > max) {
    out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
  }
};

const tooMany = (path: Issue['path'], value: unknown, max: number, out: Issue[]): void => {
  if (Array.isArray(value) && value.length > max) {
    out.push({ path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` });
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

const required = (path: Issue['path'], out: Issue[]): void => {
  out.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
};
const badType = (path: Issue['path'], out: Issue[], why: string): void => {
  out.push({ path, code: 'UNION_TYPE_CHOICES', message: why });
};
const text = (path: Issue['path'], value: unknown, min: number, max: number, out: Issue[]): void => {
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    out.push({ path, code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
  }
};
const intIn = (path: Issue['path'], value: unknown, min: number, max: number, out: Issue[]): void => {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    out.push({ path, code: 'NUMBER_TYPE_OUT_OF_RANGE', message: `Must be between ${min} and ${max}.` });
  }
};

/** Components a Label may wrap in a modal: text input, the selects, file upload, radio group, checkboxes. */
const IN_LABEL = new Set([3, 4, 5, 6, 7, 8, 19, 21, 22, 23]);

/** A modal's custom_ids must be unique; each interactive component needs one of at most 100 characters. */
function customIdOf(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[]): void {
  const id = c['custom_id'];
  if (typeof id !== 'string' || id.length === 0) return required([...path, 'custom_id'], out);
  maxLen([...path, 'custom_id'], id, 100, out);
  if (seen.has(id)) out.push({ path: [...path, 'custom_id'], code: 'COMPONENT_CUSTOM_ID_DUPLICATED', message: 'Component custom id cannot be duplicated' });
  seen.add(id);
}

function textInput(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[], inLabel: boolean): void {
  customIdOf(c, path, seen, out);
  if (c['style'] !== 1 && c['style'] !== 2) badType([...path, 'style'], out, 'Value must be one of {1, 2}.');
  // A bare text input (in an action row) carries its label; inside a Label, the Label does.
  if (!inLabel) text([...path, 'label'], c['label'], 1, 45, out);
  intIn([...path, 'min_length'], c['min_length'], 0, 4000, out);
  intIn([...path, 'max_length'], c['max_length'], 1, 4000, out);
  maxLen([...path, 'placeholder'], c['placeholder'], 100, out);
  const max = typeof c['max_length'] === 'number' ? c['max_length'] : 4000;
  if (c['value'] !== undefined) maxLen([...path, 'value'], c['value'], max, out);
}

/** Options of a string select (1–25) or a radio group (2–10): unique values, labels and values ≤ 100. */
function choiceOptions(c: Json, path: Issue['path'], min: number, max: number, out: Issue[]): number {
  const options = c['options'];
  if (!Array.isArray(options) || options.length < min || options.length > max) {
    out.push({ path: [...path, 'options'], code: 'BASE_TYPE_BAD_LENGTH', message: `Must be between ${min} and ${max} in length.` });
    return 0;
  }
  const values = new Set<unknown>();
  let defaults = 0;
  options.forEach((o: Json, i) => {
    const here = [...path, 'options', i];
    text([...here, 'label'], o['label'], 1, 100, out);
    text([...here, 'value'], o['value'], 1, 100, out);
    maxLen([...here, 'description'], o['description'], 100, out);
    if (values.has(o['value'])) out.push({ path: [...here, 'value'], code: 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', message: 'Select component option values must be unique' });
    values.add(o['value']);
    if (o['default'] === true) defaults += 1;
  });
  return defaults;
}

function stringSelect(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[]): void {
  customIdOf(c, path, seen, out);
  maxLen([...path, 'placeholder'], c['placeholder'], 150, out);
  intIn([...path, 'min_values'], c['min_values'], 0, 25, out);
  intIn([...path, 'max_values'], c['max_values'], 1, 25, out);
  if (c['disabled'] !== undefined) out.push({ path: [...path, 'disabled'], code: 'COMPONENT_INVALID_IN_MODAL', message: 'Select menus in modals cannot be disabled' });
  const defaults = choiceOptions(c, path, 1, 25, out);
  const count = Array.isArray(c['options']) ? c['options'].length : 0;
  const maxValues = typeof c['max_values'] === 'number' ? c['max_values'] : 1;
  const minValues = typeof c['min_values'] === 'number' ? c['min_values'] : 1;
  if (maxValues > count) out.push({ path: [...path, 'max_values'], code: 'NUMBER_TYPE_MAX', message: 'Must be less than or equal to the number of options.' });
  if (minValues > maxValues) out.push({ path: [...path, 'min_values'], code: 'NUMBER_TYPE_MAX', message: 'Must be less than or equal to max_values.' });
  if (defaults > maxValues) out.push({ path: [...path, 'options'], code: 'SELECT_COMPONENT_TOO_MANY_DEFAULTS', message: 'Too many default options' });
}

function radioGroup(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[]): void {
  customIdOf(c, path, seen, out);
  if (choiceOptions(c, path, 2, 10, out) > 1) out.push({ path: [...path, 'options'], code: 'SELECT_COMPONENT_TOO_MANY_DEFAULTS', message: 'Only one option can be the default' });
}

/** The component inside a Label (type 18). */
function labelled(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[]): void {
  const type = c['type'];
  if (typeof type !== 'number' || !IN_LABEL.has(type)) return badType([...path, 'type'], out, 'A Label must wrap a text input, a select, a file upload, a radio group or checkboxes.');
  if (type === 4) textInput(c, path, seen, out, true);
  else if (type === 3) stringSelect(c, path, seen, out);
  else if (type === 21) radioGroup(c, path, seen, out);
  else customIdOf(c, path, seen, out);
}

/** A top-level modal component: an action row holding one text input (the older form), a Label, or a Text Display. */
function modalComponent(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[]): void {
  switch (c['type']) {
    case 1: {
      const inner = c['components'];
      if (!Array.isArray(inner) || inner.length !== 1 || (inner[0] as Json)['type'] !== 4) {
        return badType([...path, 'components'], out, 'An action row in a modal holds exactly one text input; wrap anything else in a Label.');
      }
      return textInput(inner[0] as Json, [...path, 'components', 0], seen, out, false);
    }
    case 18: {
      text([...path, 'label'], c['label'], 1, 45, out);
      maxLen([...path, 'description'], c['description'], 100, out);
      const inner = c['component'];
      if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return required([...path, 'component'], out);
      return labelled(inner as Json, [...path, 'component'], seen, out);
    }
    case 10:
      return text([...path, 'content'], c['content'], 1, 4000, out);
    default:
      return badType([...path, 'type'], out, 'A modal holds action rows with a text input, Labels and Text Displays.');
  }
}

/** Modal (callback type 9) data: custom_id, title ≤ 45, 1–5 top-level components, each checked as Discord does. */
export function validateModal(data: Json): ApiError | null {
  const issues: Issue[] = [];
  const base = ['data'];
  if (typeof data['custom_id'] !== 'string' || data['custom_id'].length === 0) required([...base, 'custom_id'], issues);
  maxLen([...base, 'custom_id'], data['custom_id'], 100, issues);
  if (typeof data['title'] !== 'string' || data['title'].length === 0) required([...base, 'title'], issues);
  maxLen([...base, 'title'], data['title'], 45, issues);
  const comps = data['components'];
  if (!Array.isArray(comps) || comps.length === 0) {
    required([...base, 'components'], issues);
  } else {
    tooMany([...base, 'components'], comps, 5, issues);
    const seen = new Set<string>();
    comps.forEach((c: Json, i) => modalComponent(c, [...base, 'components', i], seen, issues));
  }
  return issues.length > 0 ? invalidForm(issues) : null;
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
