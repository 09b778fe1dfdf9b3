import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Draft } from '../../handlers/command.js';
import { translator, type Translate } from '../../handlers/i18n.js';
import type { Locale } from '../../src/config.js';
import type { OpenField } from '../../src/domain.js';

type Block = types.KnownBlock;

export const VIEW = { open: 'open_ticket', rate: 'rate_ticket', reopen: 'reopen_ticket' } as const;

/** Where a modal came from, carried in private_metadata. */
export const OpenOrigin = z.object({
  channel: z.string(),
  /** The message a shortcut opened the form from: its link is looked up after the submission's ack and added to the description. */
  source: z.object({ channel: z.string(), ts: z.string() }).optional(),
});
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

function fieldBlock(field: OpenField, initial: string | undefined, t: Translate): types.InputBlock {
  const options = field.options && field.options.length > 0 && field.options.length <= SELECT_MAX ? field.options : undefined;
  let element: types.InputBlock['element'];
  if (options) {
    const choices = options.map((o) => ({ text: plain(o.label), value: o.value.slice(0, 150) }));
    const chosen = choices.find((c) => c.value === initial);
    element = {
      type: 'static_select',
      action_id: VALUE,
      placeholder: plain(t('form.choose', { field: field.label.toLowerCase() })),
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
  const hint = field.options?.length && !options ? t('form.oneOf', { values: field.options.map((o) => o.value).join(', ') }).slice(0, 150) : undefined;
  return {
    type: 'input',
    block_id: field.name,
    label: plain(field.label, 2000),
    optional: !field.required,
    element,
    ...(hint ? { hint: plain(hint, 150) } : {}),
  };
}

/**
 * Open forms without a draft, by provider fields and language: the same for everyone who reads
 * that language, and built once rather than for each of a burst of `/ticket` commands (the
 * translations and blocks were most of the garbage a form left behind).
 */
const blankForms = new WeakMap<readonly OpenField[], Map<string, types.ModalView>>();

/** The open-ticket modal: subject, description and the provider's own fields (their labels are the provider's, untranslated). */
export function openView(fields: readonly OpenField[], providerName: string, origin: OpenOrigin, locale: Locale, draft: Draft = {}): types.ModalView {
  const private_metadata = JSON.stringify(origin);
  if (Object.values(draft).some((value) => value)) return { ...buildOpenView(fields, providerName, translator(locale), draft), private_metadata };
  let forms = blankForms.get(fields);
  if (!forms) blankForms.set(fields, (forms = new Map()));
  const key = `${locale}:${providerName}`;
  let form = forms.get(key);
  if (!form) forms.set(key, (form = buildOpenView(fields, providerName, translator(locale), {})));
  return { ...form, private_metadata };
}

function buildOpenView(fields: readonly OpenField[], providerName: string, t: Translate, draft: Draft): types.ModalView {
  const blocks: Block[] = [
    { type: 'context', block_id: 'intro', elements: [{ type: 'plain_text', text: t('form.intro', { provider: providerName }) }] },
    ...fields.map((f) => fieldBlock(f, draft[f.name], t)),
  ];
  return {
    type: 'modal',
    callback_id: VIEW.open,
    title: plain(t('form.newTicket'), 24),
    submit: plain(t('form.submitOpen'), 24),
    close: plain(t('form.cancel'), 24),
    blocks,
  };
}

/** The rating modal: 1–5 and an optional comment. */
export function rateView(origin: RateOrigin, t: Translate): types.ModalView {
  const scores = (['form.score1', 'form.score2', 'form.score3', 'form.score4', 'form.score5'] as const).map((key, i) => ({ text: plain(t(key)), value: String(i + 1) }));
  return {
    type: 'modal',
    callback_id: VIEW.rate,
    title: plain(t('form.rateTitle', { id: origin.ticketId }), 24),
    submit: plain(t('form.submitRate'), 24),
    close: plain(t('form.cancel'), 24),
    private_metadata: JSON.stringify(origin),
    blocks: [
      { type: 'input', block_id: 'score', label: plain(t('form.rateQuestion')), element: { type: 'static_select', action_id: VALUE, placeholder: plain(t('form.rateChoose')), options: scores } },
      { type: 'input', block_id: 'comment', label: plain(t('form.rateComment')), optional: true, element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 } },
    ],
  };
}

/** The reopen modal: why the ticket is reopened, which reaches the provider with the reopen. */
export function reopenView(origin: RateOrigin, t: Translate): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW.reopen,
    title: plain(t('form.reopenTitle', { id: origin.ticketId }), 24),
    submit: plain(t('button.reopen'), 24),
    close: plain(t('form.cancel'), 24),
    private_metadata: JSON.stringify(origin),
    blocks: [
      { type: 'input', block_id: 'reason', label: plain(t('form.reopenReason')), element: { type: 'plain_text_input', action_id: VALUE, multiline: true, max_length: 2000 } },
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
