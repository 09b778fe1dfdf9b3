import type { ButtonInteraction, ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import { z } from 'zod';
import { Draft } from '../../handlers/command.js';
import { draftFromMessage } from '../../handlers/open-ticket.js';
import type { OpenField } from '../../src/domain.js';
import type { FormRequest, Reply } from '../../handlers/types.js';
import { planOpenForm } from './commands.js';
import type { DiscordContext } from './context.js';
import { DiscordAttachment } from './files.js';
import { openModal, rateModal, reopenModal } from './modals.js';
import { answerNow } from './replies.js';
import type { Say } from './words.js';

/** How long the options typed with `/ticket open`, or a refused form, wait to be used again. */
const PENDING_TTL_MS = 30 * 60_000;
const pendingKey = (id: string): string => `discord:open:${id}`;
const refillKey = (id: string): string => `discord:refill:${id}`;
const placeKey = (id: string): string => `discord:place:${id}`;
const uploadsKey = (id: string): string => `discord:uploads:${id}`;
/**
 * A modal must be shown within Discord's 3 s, so a provider slow to list its choices (Selectel's
 * categories) gets this long; after it the form shows the choices it last had.
 */
const FIELDS_DEADLINE_MS = 1_500;

/** Interactions that may answer with a modal: one that is not yet answered, so not deferred either. */
export type ModalCapable = ChatInputCommandInteraction | ButtonInteraction | MessageContextMenuCommandInteraction;

/** Answers at once, without deferring: a form as a modal, anything else as an ephemeral message. */
export async function answerAtOnce(ctx: DiscordContext, interaction: ModalCapable, reply: Reply, say: Say): Promise<void> {
  if ('form' in reply) return showForm(ctx, interaction, reply, say);
  await answerNow(ctx, interaction, reply.text);
}

/** The provider's open form as it is now, or as it last was when the provider takes too long to say. */
async function currentFields(ctx: DiscordContext): Promise<readonly OpenField[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), FIELDS_DEADLINE_MS);
  });
  try {
    return (await Promise.race([ctx.service.openFields(), late])) ?? ctx.service.fields;
  } catch (error) {
    ctx.logger.warn('discord: the provider’s form fields could not be read; showing the last known', { error });
    return ctx.service.fields;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The open form lists the fields `planOpenForm` puts in the modal, prefilled from the draft; what
 * `/ticket open` took as command options waits in the store for the modal's submit.
 */
async function showForm(ctx: DiscordContext, interaction: ModalCapable, form: FormRequest, say: Say): Promise<void> {
  if (form.form === 'rate' || form.form === 'reopen') {
    await interaction.showModal((form.form === 'rate' ? rateModal : reopenModal)(form.ticketId, say));
    return;
  }
  const plan = planOpenForm(await currentFields(ctx));
  const { providerName, maxFileBytes } = ctx.service;
  await interaction.showModal(openModal({ providerName, maxFileBytes, fields: plan.modal, pending: interaction.id, prefill: form.draft, say }));
  const inModal = new Set<string>(plan.modal.map((f) => f.name));
  const options = Object.fromEntries(Object.entries(form.draft).filter(([name, value]) => value && !inModal.has(name)));
  if (Object.keys(options).length > 0) await ctx.kv.set(pendingKey(interaction.id), options, PENDING_TTL_MS);
}

/** The command options kept for the open form `pending` names; empty when there were none or they expired. */
export async function pendingOptions(ctx: DiscordContext, pending: string): Promise<Draft> {
  const kept = Draft.safeParse(await ctx.kv.get(pendingKey(pending)));
  return kept.success ? kept.data : {};
}

export async function forgetPending(ctx: DiscordContext, pending: string): Promise<void> {
  await ctx.kv.delete(pendingKey(pending));
  await ctx.kv.delete(uploadsKey(pending));
}

/**
 * Keeps the files a form of `pending` carried when it did not open a ticket (refused, or waiting on
 * the similar-ticket choice): Discord cannot put them into the upload again, so they stay with the
 * draft and go with the ticket when it opens.
 */
export async function keepUploads(ctx: DiscordContext, pending: string, uploads: readonly DiscordAttachment[]): Promise<void> {
  if (uploads.length) await ctx.kv.set(uploadsKey(pending), uploads, PENDING_TTL_MS);
}

/** The files kept for the form `pending` names; none when there were none or they expired. */
export async function keptUploads(ctx: DiscordContext, pending: string): Promise<DiscordAttachment[]> {
  const stored = await ctx.kv.get(uploadsKey(pending));
  const kept = z.array(DiscordAttachment).safeParse(stored ?? []);
  if (kept.success) return kept.data;
  ctx.logger.warn('discord: the files kept with a form could not be read; it goes on without them', { pending, error: kept.error.message });
  return [];
}

/** A refused form: what was typed, what was wrong with it, and the command options it carried. */
const Refill = z.object({ pending: z.string(), draft: Draft, errors: z.record(z.string(), z.string()) });
export type Refill = z.infer<typeof Refill>;

/** Keeps a refused form for its "Open the form again" button, under the id of the submit that was refused. */
export async function keepRefill(ctx: DiscordContext, submitId: string, refill: Refill): Promise<void> {
  await ctx.kv.set(refillKey(submitId), refill, PENDING_TTL_MS);
}

/** The refill or similar-ticket draft kept under `submitId`, if it has not expired. */
export async function keptRefill(ctx: DiscordContext, submitId: string): Promise<Refill | undefined> {
  const kept = Refill.safeParse(await ctx.kv.get(refillKey(submitId)));
  return kept.success ? kept.data : undefined;
}

/** "Open the form again": the refused form again, as it was typed, each error under its field's label. */
export async function showRefill(ctx: DiscordContext, interaction: ButtonInteraction, submitId: string, say: Say, expired: string): Promise<void> {
  const kept = await keptRefill(ctx, submitId);
  if (!kept) return answerNow(ctx, interaction, expired);
  const { pending, draft, errors } = kept;
  const plan = planOpenForm(await currentFields(ctx));
  const { providerName, maxFileBytes } = ctx.service;
  const files = (await keptUploads(ctx, pending)).map((u) => u.name);
  await interaction.showModal(openModal({ providerName, maxFileBytes, fields: plan.modal, pending, prefill: draft, errors, kept: files, say }));
}

/** Where the thread of the form `pending` names starts: the channel of the message it came from. */
export async function keepPlace(ctx: DiscordContext, pending: string, channelId: string): Promise<void> {
  await ctx.kv.set(placeKey(pending), channelId, PENDING_TTL_MS);
}

export async function placeOf(ctx: DiscordContext, pending: string): Promise<string | undefined> {
  const kept = await ctx.kv.get(placeKey(pending));
  return typeof kept === 'string' ? kept : undefined;
}

/** The open form filled from a message: its first line as the subject, all of it and a link as the description. */
export function messageDraft(ctx: DiscordContext, message: { content: string; url: string; author: { username: string } }, say: Say): Draft {
  const subjectMax = ctx.service.fields.find((f) => f.name === 'subject')?.maxLength ?? 100;
  const source = `(${say('discord.fromMessage', { author: message.author.username, link: message.url })})`;
  return draftFromMessage(message.content, { subjectMax, source });
}

