import { randomUUID } from 'node:crypto';
import type { App, types, webApi } from '@slack/bolt';
import { openTicket } from '../../handlers/open-ticket.js';
import { rateTicket } from '../../handlers/rate.js';
import type { Reply } from '../../handlers/types.js';
import type { OpenField } from '../../src/domain.js';
import { FieldErrors } from '../../src/errors.js';
import { ACTION } from './blocks.js';
import { escapeText } from './mrkdwn.js';
import { afterAck, chatContext, tell, type SlackRuntime } from './runtime.js';
import { OpenOrigin, RateOrigin, VIEW, openView, originOf, submittedValues, type Draft } from './views.js';

const DRAFT_TTL_MS = 7 * 24 * 3600_000;

/**
 * Modal submissions. Checks that need no remote call run before the ack, so a bad field comes
 * back in the ack as a modal error with the rest of the input kept; the provider is called after
 * the ack, not awaited by the listener, so the modal closes at once however slow it is.
 */
export function registerModals(app: App, rt: SlackRuntime): void {
  app.view(VIEW.open, async ({ ack, body, view, client, context }) => {
    const origin = originOf(OpenOrigin, view.private_metadata) ?? { channel: body.user.id };
    const fields = rt.service.fields;
    const draft = draftFrom(fields, submittedValues(view.state.values));
    const errors = formErrors(rt, fields, draft);
    if (errors) {
      await ack({ response_action: 'errors', errors });
      return;
    }
    await ack();
    const audience = { client, channel: origin.channel, user: body.user.id };
    afterAck(rt, 'ticket form', audience, async () => {
      const teamId = context.teamId ?? body.team?.id ?? body.user.team_id ?? '';
      const actor = await rt.people.actor(teamId, body.user.id, body.user.name);
      const reply = await openTicket(rt.service, chatContext(rt, actor, origin.channel), draft);
      if (reply.ok || reply.card) return tell(rt, audience, reply);
      rt.logger.warn('ticket not opened; the input is kept for another try', { reason: reply.text });
      await tell(rt, audience, reply, await keepDraft(rt, draft, fields, origin.channel));
    });
  });

  app.view(VIEW.rate, async ({ ack, body, view, client, context }) => {
    const origin = originOf(RateOrigin, view.private_metadata);
    const values = submittedValues(view.state.values);
    if (!origin || !/^[1-5]$/.test(values.score ?? '')) {
      await ack({ response_action: 'errors', errors: { score: 'Choose a score from 1 to 5.' } });
      return;
    }
    await ack();
    const audience = { client, channel: origin.channel, user: body.user.id };
    afterAck(rt, 'rating form', audience, async () => {
      const teamId = context.teamId ?? body.team?.id ?? body.user.team_id ?? '';
      const actor = await rt.people.actor(teamId, body.user.id, body.user.name);
      const reply = await rateTicket(rt.service, chatContext(rt, actor, origin.channel), origin.ticketId, values.score, values.comment);
      await tell(rt, audience, reply);
    });
  });
}

/** Opens the ticket form again with what the person had typed (the "Open the form again" button). */
export async function reopenDraft(rt: SlackRuntime, client: webApi.WebClient, triggerId: string, draftId: string, fallbackChannel: string): Promise<Reply | undefined> {
  const saved = await rt.kv.get<{ draft: Draft; channel?: string }>(`slack:draft:${draftId}`);
  if (!saved) return { ok: false, ephemeral: true, text: 'That draft has expired. Please run /ticket again.' };
  await client.views.open({
    trigger_id: triggerId,
    view: openView(rt.service.fields, rt.service.providerName, { channel: saved.channel ?? fallbackChannel }, saved.draft),
  });
  return undefined;
}

function draftFrom(fields: readonly OpenField[], values: Record<string, string>): Draft {
  const draft: Draft = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value !== undefined) draft[field.name] = value;
  }
  return draft;
}

/** Modal errors keyed by block id, in words a person understands; undefined when the form is fine. */
function formErrors(rt: SlackRuntime, fields: readonly OpenField[], draft: Draft): Record<string, string> | undefined {
  const errors: Record<string, string> = {};
  for (const field of fields) {
    if (field.required && !draft[field.name]?.trim()) errors[field.name] = `Please fill in the ${field.label.toLowerCase()}.`;
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
        errors[blockId] ??= humanize(fields.find((f) => f.name === field), message);
      }
    }
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

function humanize(field: OpenField | undefined, message: string): string {
  // zod's own wording ("Too small: expected string…") means nothing to a person in chat.
  if (/^(too small|too big|invalid)/i.test(message)) return `Please check the ${field?.label.toLowerCase() ?? 'input'}.`;
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Keeps what was typed for a week and offers it back: the provider being down loses nothing. */
async function keepDraft(rt: SlackRuntime, draft: Draft, fields: readonly OpenField[], channel: string): Promise<types.KnownBlock[]> {
  const id = randomUUID();
  await rt.kv.set(`slack:draft:${id}`, { draft, channel }, DRAFT_TTL_MS);
  const quoted = fields
    .filter((f) => draft[f.name])
    .map((f) => `*${escapeText(f.label)}*\n>${escapeText(draft[f.name]!).slice(0, 1200).replace(/\n/g, '\n>')}`)
    .join('\n');
  return [
    { type: 'section', block_id: 'draft_text', text: { type: 'mrkdwn', text: `Nothing you typed is lost:\n${quoted}`.slice(0, 3000), verbatim: true } },
    {
      type: 'actions',
      block_id: 'draft_actions',
      elements: [{ type: 'button', action_id: ACTION.openAgain, text: { type: 'plain_text', text: 'Open the form again' }, value: id, style: 'primary' }],
    },
  ];
}
