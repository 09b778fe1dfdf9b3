// Block Kit checks the fake applies before accepting a message or a view. They cover the
// limits a bot realistically hits (counts, lengths, text objects), not the whole schema.
// Messages are reported the way Slack does: `[ERROR] <what> [json-pointer:<where>]`.

type Json = Record<string, unknown>;

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  actionsElements: 25,
  contextElements: 10,
  blockId: 255,
  actionId: 255,
  inputLabel: 2000,
  messageText: 40000,
  attachments: 100,
  viewTitle: 24,
  privateMetadata: 3000,
  callbackId: 255,
} as const;

const BLOCK_TYPES = new Set([
  'section', 'divider', 'image', 'actions', 'context', 'input', 'header', 'rich_text',
  'file', 'video', 'markdown', 'table',
]);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function err(what: string, pointer: string): string {
  return `[ERROR] ${what} [json-pointer:${pointer}]`;
}

/** Checks a text object; `plainOnly` for places Slack only takes plain_text (header, labels, buttons). */
function checkText(t: unknown, ptr: string, max: number, plainOnly: boolean, out: string[]): void {
  if (!isObject(t)) {
    out.push(err('must be a text object', ptr));
    return;
  }
  const allowed = plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (typeof t.type !== 'string' || !allowed.includes(t.type)) {
    out.push(err(`must be one of ${allowed.join(', ')}`, `${ptr}/type`));
  }
  if (typeof t.text !== 'string' || t.text.length === 0) {
    out.push(err('must be a non-empty string', `${ptr}/text`));
  } else if (t.text.length > max) {
    out.push(err(`must be less than ${max + 1} characters`, `${ptr}/text`));
  }
}

function checkElement(el: unknown, ptr: string, out: string[]): void {
  if (!isObject(el) || typeof el.type !== 'string') {
    out.push(err('must provide an element with a type', ptr));
    return;
  }
  if (el.action_id !== undefined && (typeof el.action_id !== 'string' || el.action_id.length > LIMITS.actionId)) {
    out.push(err(`must be a string of at most ${LIMITS.actionId} characters`, `${ptr}/action_id`));
  }
  if (el.type === 'button') {
    checkText(el.text, `${ptr}/text`, LIMITS.buttonText, true, out);
    if (typeof el.value === 'string' && el.value.length > LIMITS.buttonValue) {
      out.push(err(`must be less than ${LIMITS.buttonValue + 1} characters`, `${ptr}/value`));
    }
  }
}

function checkElements(els: unknown, ptr: string, max: number, out: string[]): void {
  if (!Array.isArray(els) || els.length === 0) {
    out.push(err('must provide a non-empty array', ptr));
    return;
  }
  if (els.length > max) out.push(err(`no more than ${max} items allowed`, ptr));
  const ids = new Set<string>();
  els.forEach((el, i) => {
    checkElement(el, `${ptr}/${i}`, out);
    const id = isObject(el) ? el.action_id : undefined;
    if (typeof id === 'string') {
      if (ids.has(id)) out.push(err(`action_id ${id} is already used`, `${ptr}/${i}/action_id`));
      ids.add(id);
    }
  });
}

function checkBlock(b: unknown, ptr: string, out: string[]): void {
  if (!isObject(b) || typeof b.type !== 'string') {
    out.push(err('must provide an object with a type', ptr));
    return;
  }
  if (!BLOCK_TYPES.has(b.type)) {
    out.push(err(`unsupported type: ${b.type}`, `${ptr}/type`));
    return;
  }
  if (b.block_id !== undefined && (typeof b.block_id !== 'string' || b.block_id.length > LIMITS.blockId)) {
    out.push(err(`must be a string of at most ${LIMITS.blockId} characters`, `${ptr}/block_id`));
  }
  switch (b.type) {
    case 'section': {
      if (b.text === undefined && b.fields === undefined) {
        out.push(err('must provide either text or fields', ptr));
      }
      if (b.text !== undefined) checkText(b.text, `${ptr}/text`, LIMITS.sectionText, false, out);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) out.push(err('must be an array', `${ptr}/fields`));
        else {
          if (b.fields.length > LIMITS.sectionFields) {
            out.push(err(`no more than ${LIMITS.sectionFields} items allowed`, `${ptr}/fields`));
          }
          b.fields.forEach((f, i) => checkText(f, `${ptr}/fields/${i}`, LIMITS.sectionFieldText, false, out));
        }
      }
      if (b.accessory !== undefined) checkElement(b.accessory, `${ptr}/accessory`, out);
      break;
    }
    case 'header':
      checkText(b.text, `${ptr}/text`, LIMITS.headerText, true, out);
      break;
    case 'actions':
      checkElements(b.elements, `${ptr}/elements`, LIMITS.actionsElements, out);
      break;
    case 'context':
      if (!Array.isArray(b.elements) || b.elements.length === 0) {
        out.push(err('must provide a non-empty array', `${ptr}/elements`));
      } else if (b.elements.length > LIMITS.contextElements) {
        out.push(err(`no more than ${LIMITS.contextElements} items allowed`, `${ptr}/elements`));
      }
      break;
    case 'input':
      checkText(b.label, `${ptr}/label`, LIMITS.inputLabel, true, out);
      checkElement(b.element, `${ptr}/element`, out);
      break;
    default:
      break;
  }
}

/**
 * Returns Slack's error code and messages for a `blocks` argument, or undefined when valid.
 * `blocks` arrives as a JSON string in form bodies; an undecodable one is invalid_blocks_format.
 */
export function validateBlocks(
  blocks: unknown,
  opts: { max: number; pointer?: string },
): { error: string; messages: string[] } | undefined {
  const ptr = opts.pointer ?? '/blocks';
  if (!Array.isArray(blocks)) {
    return { error: 'invalid_blocks_format', messages: [err('must be an array', ptr)] };
  }
  const out: string[] = [];
  if (blocks.length > opts.max) out.push(err(`no more than ${opts.max} items allowed`, ptr));
  const ids = new Set<string>();
  blocks.forEach((b, i) => {
    checkBlock(b, `${ptr}/${i}`, out);
    const id = isObject(b) ? b.block_id : undefined;
    if (typeof id === 'string') {
      if (ids.has(id)) out.push(err(`block_id ${id} is already used`, `${ptr}/${i}/block_id`));
      ids.add(id);
    }
  });
  return out.length > 0 ? { error: 'invalid_blocks', messages: out } : undefined;
}

/** Validates a modal view for views.open/update/push; returns invalid_arguments messages. */
/** A Home tab view as views.publish takes it: type home, no title or buttons of a modal, at most 100 blocks. */
export function validateHomeView(view: unknown): string[] {
  if (!isObject(view)) return [err('must provide an object', '/view')];
  const out: string[] = [];
  if (view.type !== 'home') out.push(err('must be home', '/view/type'));
  for (const key of ['title', 'submit', 'close'] as const) if (view[key] !== undefined) out.push(err('must not be provided for home views', `/view/${key}`));
  const blocks = validateBlocks(view.blocks, { max: LIMITS.viewBlocks, pointer: '/view/blocks' });
  if (blocks) out.push(...blocks.messages);
  return out;
}

export function validateView(view: unknown): string[] {
  if (!isObject(view)) return [err('must provide an object', '/view')];
  const out: string[] = [];
  if (view.type !== 'modal') out.push(err('must be modal', '/view/type'));
  checkText(view.title, '/view/title', LIMITS.viewTitle, true, out);
  if (view.submit !== undefined) checkText(view.submit, '/view/submit', LIMITS.viewTitle, true, out);
  if (view.close !== undefined) checkText(view.close, '/view/close', LIMITS.viewTitle, true, out);
  const blocks = validateBlocks(view.blocks, { max: LIMITS.viewBlocks, pointer: '/view/blocks' });
  if (blocks) out.push(...blocks.messages);
  const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
  if (hasInput && view.submit === undefined) {
    out.push(err('must provide submit when input blocks are present', '/view/submit'));
  }
  for (const [key, max] of [
    ['private_metadata', LIMITS.privateMetadata],
    ['callback_id', LIMITS.callbackId],
    ['external_id', LIMITS.callbackId],
  ] as const) {
    const v = view[key];
    if (v !== undefined && (typeof v !== 'string' || v.length > max)) {
      out.push(err(`must be a string of at most ${max} characters`, `/view/${key}`));
    }
  }
  return out;
}
