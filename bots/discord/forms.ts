import type { ButtonInteraction, ChatInputCommandInteraction, MessageContextMenuCommandInteraction } from 'discord.js';
import { Draft } from '../../handlers/command.js';
import type { FormRequest, Reply } from '../../handlers/types.js';
import { planOpenForm } from './commands.js';
import type { DiscordContext } from './context.js';
import { openModal, rateModal, reopenModal } from './modals.js';
import { answerNow } from './replies.js';

/** How long the options typed with `/ticket open` wait for the modal's submit. */
const PENDING_TTL_MS = 30 * 60_000;
const pendingKey = (id: string): string => `discord:open:${id}`;

/** Interactions that may answer with a modal: one that is not yet answered, so not deferred either. */
export type ModalCapable = ChatInputCommandInteraction | ButtonInteraction | MessageContextMenuCommandInteraction;

/** Answers at once, without deferring: a form as a modal, anything else as an ephemeral message. */
export async function answerAtOnce(ctx: DiscordContext, interaction: ModalCapable, reply: Reply): Promise<void> {
  if ('form' in reply) return showForm(ctx, interaction, reply);
  await answerNow(ctx, interaction, reply.text);
}

/**
 * The open form lists the fields `planOpenForm` puts in the modal, prefilled from the draft; what
 * `/ticket open` took as command options waits in the store for the modal's submit.
 */
async function showForm(ctx: DiscordContext, interaction: ModalCapable, form: FormRequest): Promise<void> {
  if (form.form === 'rate' || form.form === 'reopen') {
    await interaction.showModal((form.form === 'rate' ? rateModal : reopenModal)(form.ticketId));
    return;
  }
  const { fields, providerName } = ctx.service;
  const plan = planOpenForm(fields, interaction.isChatInputCommand() ? 'as-options' : 'in-modal');
  await interaction.showModal(openModal(providerName, plan.modal, interaction.id, form.draft));
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
}
