import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { types, webApi } from '@slack/bolt';
import { Draft } from '../../handlers/command.js';
import { openTicket } from '../../handlers/open-ticket.js';
import { rateTicket } from '../../handlers/rate.js';
import { reopenTicket } from '../../handlers/reopen.js';
import type { Answer, ChatContext, Reply } from '../../handlers/types.js';
import type { OpenField } from '../../src/domain.js';
import { FieldErrors } from '../../src/errors.js';
import { ACTION } from './blocks.js';
import { escapeText } from './mrkdwn.js';
import { translator, type Translate } from '../../handlers/i18n.js';
import { similarOpenTicket, similarPrompt } from '../../handlers/similar.js';
import type { SlackRoutes, ViewArgs } from './routes.js';
import { afterAck, chatContext, tell, wordsFor, type SlackRuntime } from './runtime.js';
import { OpenOrigin, RateOrigin, VIEW, originOf, submittedValues } from './views.js';

const DRAFT_TTL_MS = 7 * 24 * 3600_000;
/** What "Open the form again" finds in the store: the draft, and the channel its form came from. */
const SavedDraft = z.object({ draft: Draft, channel: z.string().optional() });
const draftKey = (id: string): string => `slack:draft:${id}`;

interface Submitted {
  body: { team: { id: string } | null; user: { id: string; name: string; team_id?: string } };
  context: { teamId?: string | undefined };
}

/** Who submitted a modal, and the channel it came from. */
function submitter({ body, context }: Submitted, channel: string) {
  return { teamId: context.teamId ?? body.team?.id ?? body.user.team_id ?? '', userId: body.user.id, userName: body.user.name, channel };
}

/**
 * Modal submissions. Checks that need no remote call run before the ack, so a bad field comes
 * back in the ack as a modal error with the rest of the input kept; the provider is called after
 * the ack, not awaited by the listener, so the modal closes at once however slow it is.
 */
export function registerModals(routes: SlackRoutes, rt: SlackRuntime): void {
  routes.view(VIEW.open, (args) => submitOpen(rt, args));
  routes.view(VIEW.reopen, (args) => submitReopen(rt, args));
  routes.view(VIEW.rate, (args) => submitRate(rt, args));
}

async function submitOpen(rt: SlackRuntime, args: ViewArgs): Promise<void> {
  const { ack, body, view, client } = args;
  const origin = originOf(OpenOrigin, view.private_metadata) ?? { channel: body.user.id };
  const fields = rt.service.fields;
  const draft = Draft.parse(submittedValues(view.state.values));
  const errors = formErrors(rt, fields, draft, wordsFor(rt, body.user.id));
  if (errors) return refuse(args, errors);
  await ack();
  const audience = { client, channel: origin.channel, user: body.user.id };
  afterAck(rt, 'ticket form', audience, async () => {
    const ctx = await chatContext(rt, submitter(args, origin.channel));
    const t = translator(ctx.locale);
    const source = origin.source && (await permalinkLine(rt, client, origin.source, t));
    const form = source ? { ...draft, description: `${draft.description ?? ''}\n\n${source}`.trim() } : draft;
    // A close open ticket of theirs first: they choose to add to it or open anyway (store reads only, no provider).
    const similar = await similarOpenTicket(rt.service, ctx.actor.requester, form);
    if (similar) return tell(rt, audience, { ok: true, text: similarPrompt(similar, ctx.locale) }, similarChoice(similar.ticketId, await saveDraft(rt, form, origin.channel), t));
    // Said at once, while the provider (seconds, for a slow one) is still being asked.
    const opening = tell(rt, audience, { ok: true, text: t('open.opening', { provider: rt.service.providerName }) });
    const reply = await openTicket(rt.service, ctx, form, `slack:view:${view.id}`);
    await opening;
    if (reply.ok || reply.card) return tell(rt, audience, reply);
    rt.logger.warn('ticket not opened; the input is kept for another try', { reason: reply.text });
    await tell(rt, audience, reply, await keepDraft(rt, draft, fields, origin.channel, wordsFor(rt, body.user.id)));
  });
}

async function submitReopen(rt: SlackRuntime, args: ViewArgs): Promise<void> {
  const origin = originOf(RateOrigin, args.view.private_metadata);
  const reason = submittedValues(args.view.state.values).reason?.trim();
  if (!origin || !reason) return refuse(args, { reason: wordsFor(rt, args.body.user.id)('form.reopenWhy') });
  await acceptThen(rt, args, origin.channel, 'reopen form', (ctx) => reopenTicket(rt.service, ctx, origin.ticketId, reason));
}

async function submitRate(rt: SlackRuntime, args: ViewArgs): Promise<void> {
  const origin = originOf(RateOrigin, args.view.private_metadata);
  const { score, comment } = submittedValues(args.view.state.values);
  if (!origin || !/^[1-5]$/.test(score ?? '')) return refuse(args, { score: wordsFor(rt, args.body.user.id)('form.chooseScore') });
  await acceptThen(rt, args, origin.channel, 'rating form', (ctx) => rateTicket(rt.service, ctx, origin.ticketId, { score, comment }));
}

/** Keeps the modal open with `errors` under their fields (by block id). */
async function refuse(args: ViewArgs, errors: Record<string, string>): Promise<void> {
  await args.ack({ response_action: 'errors', errors });
}

/** Closes the modal, then (after the ack) does what it asks for its submitter and tells them how it went. */
async function acceptThen(rt: SlackRuntime, args: ViewArgs, channel: string, what: string, act: (ctx: ChatContext) => Promise<Answer>): Promise<void> {
  await args.ack();
  const audience = { client: args.client, channel, user: args.body.user.id };
  afterAck(rt, what, audience, async () => tell(rt, audience, await act(await chatContext(rt, submitter(args, channel)))));
}

/** "From Slack: <link>" for the message a shortcut opened the form from; empty when Slack gives no link. */
async function permalinkLine(rt: SlackRuntime, client: webApi.WebClient, source: { channel: string; ts: string }, t: Translate): Promise<string> {
  try {
    const { permalink } = await client.chat.getPermalink({ channel: source.channel, message_ts: source.ts });
    return permalink ? t('open.fromSlack', { link: permalink }) : '';
  } catch (error) {
    rt.logger.warn('permalink not available; opening the ticket without it', { error });
    return '';
  }
}

/** The "Open the form again" button: the form with what the person had typed, in the channel it came from. */
export async function savedDraft(rt: SlackRuntime, draftId: string, t: Translate): Promise<Reply | { reply: Reply; formChannel: string }> {
  const saved = await loadDraft(rt, draftId);
  if (!saved) return { ok: false, text: t('form.draftExpired') };
  const reply: Reply = { form: 'open', draft: saved.draft };
  return saved.channel ? { reply, formChannel: saved.channel } : reply;
}

/** Modal errors keyed by block id, in words a person understands; undefined when the form is fine. */
function formErrors(rt: SlackRuntime, fields: readonly OpenField[], draft: Draft, t: Translate): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    if (field.required && !draft[field.name]?.trim()) errors[field.name] = t('form.fillIn', { field: field.label.toLowerCase() });
  }
  if (Object.keys(errors).length === 0) {
    try {
      rt.service.validateOpen(draft);
    } catch (error) {
      if (!(error instanceof FieldErrors)) throw error;
      const blockIds = new Set(fields.map((f) => f.name as string));
      const fallback = fields[0]?.name ?? 'subject';
      for (const [field, message] of Object.entries(error.fields)) {
        const blockId = blockIds.has(field) ? field : fallback;
        errors[blockId] ??= humanize(fields.find((f) => f.name === field), message, t);
      }
    }
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

function humanize(field: OpenField | undefined, message: string, t: Translate): string {
  // zod's own wording ("Too small: expected string…") means nothing to a person in chat.
  if (/^(too small|too big|invalid)/i.test(message)) return t('form.check', { field: field?.label.toLowerCase() ?? 'input' });
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Stores a draft for a week under a fresh id, for a button to find. */
export async function saveDraft(rt: SlackRuntime, draft: Draft, channel: string): Promise<string> {
  const id = randomUUID();
  await rt.kv.set(draftKey(id), { draft, channel }, DRAFT_TTL_MS);
  return id;
}

/** The saved draft behind a button, or undefined once it has expired. */
export async function loadDraft(rt: SlackRuntime, draftId: string): Promise<{ draft: Draft; channel?: string | undefined } | undefined> {
  const saved = SavedDraft.safeParse(await rt.kv.get(draftKey(draftId)));
  return saved.success ? saved.data : undefined;
}

/** "Add to #12" and "Open a new ticket anyway" under the similar-ticket prompt. */
function similarChoice(ticketId: string, draftId: string, t: Translate): types.KnownBlock[] {
  const button = (actionId: string, text: string, value: string, primary = false) => ({
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text },
    value,
    ...(primary ? { style: 'primary' as const } : {}),
  });
  return [
    {
      type: 'actions',
      block_id: 'similar_actions',
      elements: [button(ACTION.addToSimilar, t('similar.add', { id: ticketId }), `${ticketId}:${draftId}`, true), button(ACTION.openAnyway, t('similar.openAnyway'), draftId)],
    },
  ];
}

/** Keeps what was typed for a week and offers it back: the provider being down loses nothing. */
async function keepDraft(rt: SlackRuntime, draft: Draft, fields: readonly OpenField[], channel: string, t: Translate): Promise<types.KnownBlock[]> {
  const id = await saveDraft(rt, draft, channel);
  const quoted = fields
    .filter((f) => draft[f.name])
    .map((f) => `*${escapeText(f.label)}*\n>${escapeText(draft[f.name]!).slice(0, 1200).replace(/\n/g, '\n>')}`)
    .join('\n');
  return [
    { type: 'section', block_id: 'draft_text', text: { type: 'mrkdwn', text: `${t('form.draftKept')}\n${quoted}`.slice(0, 3000), verbatim: true } },
    {
      type: 'actions',
      block_id: 'draft_actions',
      elements: [{ type: 'button', action_id: ACTION.openAgain, text: { type: 'plain_text', text: t('button.openAgain') }, value: id, style: 'primary' }],
    },
  ];
}
