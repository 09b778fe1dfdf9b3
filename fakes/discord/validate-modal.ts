// Modal checks (callback type 9) as Discord applies them: top-level action rows with one text input,
// Labels wrapping one input (text, select, radio group, file upload …) and Text Displays; unique
// custom_ids. A file upload anywhere but inside a Label is refused.
import type { Json } from './state.js';
import { invalidForm, maxLen, required, text, tooMany, type ApiError, type Issue } from './validate.js';

const badType = (path: Issue['path'], out: Issue[], why: string): void => {
  out.push({ path, code: 'UNION_TYPE_CHOICES', message: why });
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

/** What a file upload may be limited to: a group of types, or a dot-prefixed extension. */
const FILE_TYPE = /^(image|video|audio|\.[A-Za-z0-9]{1,16})$/;

/**
 * A file upload (type 19), only ever inside a Label: custom_id, 0–10 files required at least
 * (`min_values`, default 1), 1–10 at most (`max_values`, default 1), `required` a boolean, and
 * at most ten `file_types`.
 */
function fileUpload(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[]): void {
  customIdOf(c, path, seen, out);
  intIn([...path, 'min_values'], c['min_values'], 0, 10, out);
  intIn([...path, 'max_values'], c['max_values'], 1, 10, out);
  const minValues = typeof c['min_values'] === 'number' ? c['min_values'] : 1;
  const maxValues = typeof c['max_values'] === 'number' ? c['max_values'] : 1;
  if (minValues > maxValues) out.push({ path: [...path, 'min_values'], code: 'NUMBER_TYPE_MAX', message: 'Must be less than or equal to max_values.' });
  if (c['required'] !== undefined && typeof c['required'] !== 'boolean') out.push({ path: [...path, 'required'], code: 'BOOLEAN_TYPE_CONVERT', message: 'Must be either true or false.' });
  const types = c['file_types'];
  if (types === undefined) return;
  if (!Array.isArray(types) || types.length > 10) {
    out.push({ path: [...path, 'file_types'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' });
    return;
  }
  types.forEach((t: unknown, i) => {
    if (typeof t !== 'string' || !FILE_TYPE.test(t)) out.push({ path: [...path, 'file_types', i], code: 'BASE_TYPE_CHOICES', message: 'Must be image, video, audio or a dot-prefixed extension.' });
  });
}

/** The component inside a Label (type 18). */
function labelled(c: Json, path: Issue['path'], seen: Set<string>, out: Issue[]): void {
  const type = c['type'];
  if (typeof type !== 'number' || !IN_LABEL.has(type)) return badType([...path, 'type'], out, 'A Label must wrap a text input, a select, a file upload, a radio group or checkboxes.');
  if (type === 4) textInput(c, path, seen, out, true);
  else if (type === 3) stringSelect(c, path, seen, out);
  else if (type === 21) radioGroup(c, path, seen, out);
  else if (type === 19) fileUpload(c, path, seen, out);
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

