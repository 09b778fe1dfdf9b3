import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Draft } from '../../handlers/command.js';
import type { OpenField } from '../../src/domain.js';

type Block = types.KnownBlock;

export const VIEW = { open: 'open_ticket', rate: 'rate_ticket', reopen: 'reopen_ticket' } as const;

/** Where a modal came from, carried in private_metadata. */
export const OpenOrigin = z.object({ channel: z.string() });
export type OpenOrigin = z.infer<typeof OpenOrigin>;
export const RateOrigin = z.object({ channel: z.string(), ticketId: z.string() });
export type RateOrigin = z.infer<typeof RateOrigin>;

// Slack's own limits: plain_text_input max_length ≤ 3000, static_select ≤ 100 options of ≤ 75 chars.
const INPUT_MAX = 3000;
const SELECT_MAX = 100;
const VALUE = 'value';

function plain(text: string, max = 75): types.PlainTextElement {
  return { type: 'plain_text', text: text.length <= max ? text : `${text.slice(0, max - 1)}…` };
}

function fieldBlock(field: OpenField, initial: string | undefined): types.InputBlock {
  const options = field.options && field.options.length > 0 && field.options.length <= SELECT_MAX ? field.options : undefined;
  let element: types.InputBlock['element'];
  if (options) {
    const choices = options.map((o) => ({ text: plain(o.label), value: o.value.slice(0, 150) }));
    const chosen = choices.find((c) => c.value === initial);
    element = {
      type: 'static_select',
      action_id: VALUE,
      placeholder: plain(`Choose ${field.label.toLowerCase()}`),
      options: choices,
      ...(chosen ? { initial_option: chosen } : {}),
    };
  } else {
    const max = Math.min(field.maxLength ?? INPUT_MAX, INPUT_MAX);
    element = {
      type: 'plain_text_input',
      action_id: VALUE,
      multiline: field.multiline ?? false,
      max_length: max,
      ...(initial ? { initial_value: initial.slice(0, max) } : {}),
    };
  }
  const hint = field.options?.length && !options ? `One of: ${field.options.map((o) => o.value).join(', ')}`.slice(0, 150) : undefined;
  return {
    type: 'input',
    block_id: field.name,
    label: plain(field.label, 2000),
    optional: !field.required,
    element,
    ...(hint ? { hint: plain(hint, 150) } : {}),
  };
}

/** The open-ticket modal: subject, description and the provider's own fields. */
export function openView(fields: readonly OpenField[], providerName: string, origin: OpenOrigin, draft: Draft = {}): types.ModalView {
  const blocks: Block[] = [
    { type: 'context', block_id: 'intro', elements: [{ type: 'plain_text', text: `Your ticket goes to ${providerName}. You can follow it in the thread under its card.` }] },
    ...fields.map((f) => fieldBlock(f, draft[f.name])),
  ];
  return {
    type: 'modal',
    callback_id: VIEW.open,
    title: plain('New ticket', 24),
    submit: plain('Open ticket', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(origin),
    blocks,
  };
}

/** The rating modal: 1–5 and an optional comment. */
export function rateView(origin: RateOrigin): types.ModalView {
  const scores = ['1 – Poor', '2 – Fair', '3 – Good', '4 – Very good', '5 – Excellent'].map((text, i) => ({ text: plain(text), value: String(i + 1) }));
  return {
    type: 'modal',
    callback_id: VIEW.rate,
    title: plain(`Rate #${origin.ticketId}`, 24),
    submit: plain('Send rating', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(origin),
    blocks: [
      { type: 'input', block_id: 'score', label: plain('How did the support team do?'), element: { type: 'static_select', action_id: VALUE, placeholder: plain('Choose 1 to 5'), options: scores } },
      { type: 'input', block_id: 'comment', label: plain('Anything to add?'), optional: true, element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 } },
    ],
  };
}

/** The reopen modal: why the ticket is reopened, which reaches the provider with the reopen. */
export function reopenView(origin: RateOrigin): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.reopen,
    title: plain(`Reopen #${origin.ticketId}`, 24),
    submit: plain('Reopen', 24),
    close: plain('Cancel', 24),
    private_metadata: JSON.stringify(origin),
    blocks: [
      { type: 'input', block_id: 'reason', label: plain('Why reopen it?'), element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 } },
    ],
  };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_option?: { value?: string } | null }>>;

/** The submitted value of each input block, as typed; blank inputs are left out. */
export function submittedValues(values: StateValues): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const input = actions[VALUE];
    const raw = input?.selected_option?.value ?? input?.value ?? undefined;
    if (typeof raw === 'string' && raw.trim() !== '') out[blockId] = raw;
  }
  return out;
}

/** Reads a modal's private_metadata; undefined when it is not what this bot wrote. */
export function originOf<T>(schema: z.ZodType<T>, metadata: string | undefined): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(metadata ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
