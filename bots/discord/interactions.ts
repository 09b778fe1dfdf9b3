import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionEditReplyOptions,
  type MessageContextMenuCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import { Draft, checkCommand, type ParsedCommand } from '../../handlers/command.js';
import { dispatch, type CommandOrigin } from '../../handlers/dispatch.js';
import { openTicket } from '../../handlers/open-ticket.js';
import { rateTicket, ratingForm } from '../../handlers/rate.js';
import { reopenForm, reopenTicket } from '../../handlers/reopen.js';
import { replyById } from '../../handlers/reply.js';
import { draftAsComment, similarOpenTicket, similarPrompt } from '../../handlers/similar.js';
import type { Answer, ChatContext } from '../../handlers/types.js';
import { suggestTickets } from './autocomplete.js';
import { NO_MENTIONS } from './client.js';
import { COMMAND_NAME, OPEN_FROM_MESSAGE, planOpenForm } from './commands.js';
import { actorOf, type DiscordContext } from './context.js';
import { attachmentFiles } from './files.js';
import { answerAtOnce, forgetPending, keepRefill, keepUploads, keptRefill, keptUploads, messageDraft, pendingOptions, placeOf, showRefill, type ModalCapable } from './forms.js';
import { customId, parseCustomId, placeRef, threadRef } from './ids.js';
import { submittedValues, uploadedFiles } from './modals.js';
import { openFromReaction } from './reactions.js';
import { answerLater, answerNow, renderReply } from './replies.js';
import { localeOf, sayFor, type Say } from './words.js';

type Acting = ModalCapable | ModalSubmitInteraction;

const THREAD_WAIT_MS = 5_000;

/** `channelId`: where a new ticket's thread starts when no ticket channel is set (default: where the interaction happened). */
function chatContext(ctx: DiscordContext, interaction: Acting, channelId = interaction.channelId): ChatContext {
  return {
    actor: actorOf(ctx.settings, interaction.user, interaction.member),
    logger: ctx.logger,
    place: placeRef({ channelId: ctx.settings.ticketChannel ?? channelId ?? undefined, userId: interaction.user.id }),
    // The answer links the new thread: wait a moment for the outbox to post its card.
    threadWaitMs: THREAD_WAIT_MS,
    locale: localeOf(interaction.locale),
  };
}

/** A command answered later: once an interaction is deferred it can show no modal. */
function deferredOrigin(ctx: DiscordContext, interaction: Acting): CommandOrigin & { forms: false } {
  return { forms: false, eventKey: `discord:${interaction.id}`, locale: localeOf(interaction.locale), context: async () => chatContext(ctx, interaction) };
}

/** Routes every interaction; each is answered within Discord's 3 s, whatever the provider does. */
export function interactionListener(ctx: DiscordContext): (interaction: Interaction) => void {
  return (interaction) => {
    void route(ctx, interaction).catch((error: unknown) => ctx.logger.error('discord: interaction handler crashed', { error }));
  };
}

async function route(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete() && interaction.commandName === COMMAND_NAME) return suggestTickets(ctx, interaction);
  if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME) return slashCommand(ctx, interaction);
  if (interaction.isMessageContextMenuCommand() && interaction.commandName === OPEN_FROM_MESSAGE) return openFromMessage(ctx, interaction);
  if (interaction.isButton()) return button(ctx, interaction);
  if (interaction.isModalSubmit()) return modalSubmit(ctx, interaction);
}

/** `/ticket open` answers with its modal and `help` with its text at once; every other sub-command is deferred, then edited in. */
async function slashCommand(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const origin = deferredOrigin(ctx, interaction);
  const say = sayFor(interaction.locale);
  const name = interaction.options.getSubcommand(false);
  if (name === 'open' || name === 'help') {
    const command = name === 'open' ? ({ name, fields: openOptions(ctx, interaction) } as const) : ({ name } as const);
    return answerAtOnce(ctx, interaction, await dispatch(ctx.service, command, { ...origin, forms: true }), say);
  }
  await answerLater(ctx, interaction, async () => renderReply(await dispatch(ctx.service, await commandOf(ctx, interaction, say), origin), [], say));
}

/** Provider fields past what a modal holds, offered as options of `/ticket open`. */
function openOptions(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Draft {
  const options: Record<string, string> = {};
  for (const field of planOpenForm(ctx.service.fields).options) {
    const value = interaction.options.getString(field.name);
    if (value) options[field.name] = value;
  }
  return Draft.parse(options);
}

/** A sub-command other than open and help, as the neutral command; the ticket defaults to the thread's own. */
async function commandOf(ctx: DiscordContext, interaction: ChatInputCommandInteraction, say: Say): Promise<ParsedCommand> {
  const { options } = interaction;
  const name = options.getSubcommand(false) ?? '';
  if (name === 'list') return checkCommand({ name, page: options.getInteger('page') ?? undefined, which: options.getString('which') ?? undefined });
  if (name === 'retry') return checkCommand({ name, jobKey: options.getString('delivery') ?? '' });
  const ticketId = await ticketIdFor(ctx, interaction);
  if (!ticketId) return { name: 'error', message: say('discord.ticketMissing') };
  const text = options.getString(name === 'reply' ? 'text' : 'reason') ?? undefined;
  const comment = options.getString('comment') ?? undefined;
  return checkCommand({ name, ticketId, text, score: options.getInteger('score'), comment });
}

/** The `ticket` option, or the ticket whose thread the command is used in. */
async function ticketIdFor(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<string | undefined> {
  const typed = interaction.options.getString('ticket')?.trim().replace(/^#/, '');
  if (typed) return typed;
  return interaction.channelId ? (await ctx.service.linkByThread(threadRef(interaction.channelId)))?.ticketId : undefined;
}

/** "Open ticket from message": the form, prefilled with the message and where it was written. */
async function openFromMessage(ctx: DiscordContext, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const message = interaction.targetMessage;
  const say = sayFor(interaction.locale);
  await answerAtOnce(ctx, interaction, { form: 'open', draft: messageDraft(ctx, message, say) }, say);
}

/** The card's Close, Reopen and Rate buttons, Retry under a failed delivery, "Open the form again" and the 🎫 offer. */
async function button(ctx: DiscordContext, interaction: ButtonInteraction): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  const origin = deferredOrigin(ctx, interaction);
  const say = sayFor(interaction.locale);
  const later = (command: ParsedCommand) => answerLater(ctx, interaction, async () => renderReply(await dispatch(ctx.service, command, origin), [], say));
  if (parsed?.kind === 'retry') return later({ name: 'retry', jobKey: parsed.jobKey });
  if (parsed?.kind === 'refill') return showRefill(ctx, interaction, parsed.submit, say, say('form.draftExpired'));
  if (parsed?.kind === 'fromMessage') return openFromReaction(ctx, interaction, parsed, say);
  if (parsed?.kind === 'similar') return similarChosen(ctx, interaction, parsed, say);
  if (parsed?.kind === 'list') return turnPage(ctx, interaction, checkCommand({ name: 'list', page: parsed.page, which: parsed.which }), say);
  if (parsed?.kind !== 'button') return answerNow(ctx, interaction, say('discord.stale.button'));
  const { action, ticketId } = parsed;
  if (action === 'rate') return answerAtOnce(ctx, interaction, await ratingForm(ctx.service, chatContext(ctx, interaction), ticketId), say);
  if (action === 'reopen') return answerAtOnce(ctx, interaction, await reopenForm(ctx.service, chatContext(ctx, interaction), ticketId), say);
  await later({ name: action, ticketId });
}

async function modalSubmit(ctx: DiscordContext, interaction: ModalSubmitInteraction): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  const { service } = ctx;
  const values = submittedValues(interaction);
  const say = sayFor(interaction.locale);
  if (parsed?.kind === 'rate') {
    const rating = { score: values['score'] ?? '', comment: values['comment']?.trim() || undefined };
    return answerLater(ctx, interaction, async () => renderReply(await rateTicket(service, chatContext(ctx, interaction), parsed.ticketId, rating), [], say));
  }
  if (parsed?.kind === 'reopen') {
    const reason = values['reason']?.trim() || undefined;
    return answerLater(ctx, interaction, async () => renderReply(await reopenTicket(service, chatContext(ctx, interaction), parsed.ticketId, reason)));
  }
  if (parsed?.kind !== 'open') return answerNow(ctx, interaction, say('discord.stale.form'));
  const { pending } = parsed;
  await answerLater(ctx, interaction, async () => {
    const hctx = chatContext(ctx, interaction, (await placeOf(ctx, pending)) ?? interaction.channelId);
    const form: Record<string, string | undefined> = { ...(await pendingOptions(ctx, pending)) };
    for (const [name, value] of Object.entries(values)) if (value.trim() !== '') form[name] = value;
    // Files a refused form carried, then those uploaded now (the upload took no more than there is room for).
    const uploads = [...(await keptUploads(ctx, pending)), ...uploadedFiles(interaction)];
    const similar = await similarOpenTicket(service, hctx.actor.requester, Draft.parse(form)).catch(() => undefined);
    if (similar) {
      await keepRefill(ctx, interaction.id, { pending, draft: Draft.parse(form), errors: {} });
      await keepUploads(ctx, pending, uploads);
      return similarChoice(similar.ticketId, similarPrompt(similar, hctx.locale), interaction.id, say);
    }
    const reply = await openTicket(service, hctx, form, `discord:${interaction.id}`, attachmentFiles(ctx, uploads));
    if (reply.ok) await forgetPending(ctx, pending);
    const labels = new Map(service.fields.map((f) => [f.name as string, f.label]));
    const typed = Object.entries(values).map(([name, value]) => ({ label: labels.get(name) ?? name, value }));
    if (!reply.fieldErrors) return renderReply(reply, typed, say);
    await keepRefill(ctx, interaction.id, { pending, draft: Draft.parse(values), errors: reply.fieldErrors });
    await keepUploads(ctx, pending, uploads);
    return withFixButton(renderReply(withLabels(reply, labels), typed, say), interaction.id, say('button.openAgain'));
  });
}

/** Previous / Next: the same list message shows the other page (acknowledged at once, then edited in place). */
async function turnPage(ctx: DiscordContext, interaction: ButtonInteraction, command: ParsedCommand, say: Say): Promise<void> {
  try {
    await interaction.deferUpdate();
    await interaction.editReply(renderReply(await dispatch(ctx.service, command, deferredOrigin(ctx, interaction)), [], say));
  } catch (error) {
    ctx.logger.warn('discord: could not turn a list page', { error, interaction: interaction.id });
  }
}

/** "You already have #12 … open": add what was typed to it, or open the new ticket anyway. */
function similarChoice(ticketId: string, prompt: string, submitId: string, say: Say): InteractionEditReplyOptions {
  const add = new ButtonBuilder().setCustomId(customId.similar('add', submitId)).setStyle(ButtonStyle.Primary).setLabel(say('similar.add', { id: ticketId }));
  const anyway = new ButtonBuilder().setCustomId(customId.similar('new', submitId)).setStyle(ButtonStyle.Secondary).setLabel(say('similar.openAnyway'));
  return { content: prompt, components: [new ActionRowBuilder<ButtonBuilder>().addComponents(add, anyway)], allowedMentions: NO_MENTIONS };
}

/**
 * The choice under the similar-ticket prompt: the draft and its files become one comment however
 * often Add is pressed, or the new ticket (Add when that ticket is no longer open opens it too).
 */
async function similarChosen(ctx: DiscordContext, interaction: ButtonInteraction, choice: { choice: string; submit: string }, say: Say): Promise<void> {
  const kept = await keptRefill(ctx, choice.submit);
  if (!kept) return answerNow(ctx, interaction, say('form.draftExpired'));
  const eventKey = `discord:similar:${choice.submit}`;
  await answerLater(ctx, interaction, async () => {
    const files = attachmentFiles(ctx, await keptUploads(ctx, kept.pending));
    const hctx = chatContext(ctx, interaction, (await placeOf(ctx, kept.pending)) ?? interaction.channelId);
    const similar = choice.choice === 'add' ? await similarOpenTicket(ctx.service, hctx.actor.requester, kept.draft) : undefined;
    if (similar) {
      const { actor, logger, locale } = hctx;
      const comment = { ticketId: similar.ticketId, text: draftAsComment(kept.draft), author: actor.requester, isStaff: actor.isStaff, eventKey, files };
      const added = await replyById(ctx.service, comment, logger, locale);
      // Its files went with the comment: an "Open the form again" still showing must not send them a second time.
      if (added.ok) await forgetPending(ctx, kept.pending);
      return renderReply(added, [], say);
    }
    const reply = await openTicket(ctx.service, hctx, kept.draft, eventKey, files);
    if (reply.ok) await forgetPending(ctx, kept.pending);
    return renderReply(reply, [], say);
  });
}

/** Field errors name the field as the form shows it ("Subject: must be at most 200 characters"). */
function withLabels(reply: Answer, labels: ReadonlyMap<string, string>): Answer {
  if (!reply.fieldErrors) return reply;
  const text = Object.entries(reply.fieldErrors).map(([field, msg]) => `${labels.get(field) ?? field}: ${msg}`).join('\n');
  return { ...reply, text };
}

/** A refused form's answer with the button that shows the form again as it was typed. */
function withFixButton(answer: InteractionEditReplyOptions, submitId: string, label: string): InteractionEditReplyOptions {
  const fix = new ButtonBuilder().setCustomId(customId.refill(submitId)).setStyle(ButtonStyle.Primary).setLabel(label);
  return { ...answer, components: [new ActionRowBuilder<ButtonBuilder>().addComponents(fix)] };
}
