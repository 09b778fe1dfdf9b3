import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  Interaction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
} from 'discord.js';
import { closeTicket } from '../../handlers/close.js';
import { listTickets } from '../../handlers/list.js';
import { openTicket } from '../../handlers/open-ticket.js';
import { mayAct } from '../../handlers/permissions.js';
import { rateTicket } from '../../handlers/rate.js';
import { reopenTicket } from '../../handlers/reopen.js';
import { retryDelivery } from '../../handlers/retry.js';
import { ticketStatus } from '../../handlers/status.js';
import type { ChatContext, Reply } from '../../handlers/types.js';
import { COMMAND_NAME, OPEN_FROM_MESSAGE, planOpenForm } from './commands.js';
import { actorOf, type DiscordContext } from './context.js';
import { parseCustomId, threadRef } from './ids.js';
import { clip } from './messages.js';
import { openModal, rateModal, submittedValues } from './modals.js';
import { answerLater, answerNow, renderReply } from './replies.js';
import { startTicketThread } from './threads.js';

/** How long the options typed with `/ticket open` wait for the modal's submit. */
const PENDING_TTL_MS = 30 * 60_000;
const pendingKey = (id: string): string => `discord:open:${id}`;

type Acting = ChatInputCommandInteraction | ButtonInteraction | ModalSubmitInteraction | MessageContextMenuCommandInteraction;

function chatContext(ctx: DiscordContext, interaction: Acting): ChatContext {
  return {
    actor: actorOf(ctx.settings, interaction.user, interaction.member),
    logger: ctx.logger,
    startThread: (card) => startTicketThread(ctx, { channelId: interaction.channelId, userId: interaction.user.id }, card),
  };
}

/** Routes every interaction; each is answered within Discord's 3 s, whatever the provider does. */
export function interactionListener(ctx: DiscordContext): (interaction: Interaction) => void {
  return (interaction) => {
    void route(ctx, interaction).catch((error: unknown) => ctx.logger.error('discord: interaction handler crashed', { error }));
  };
}

async function route(ctx: DiscordContext, interaction: Interaction): Promise<void> {
  if (interaction.isChatInputCommand() && interaction.commandName === COMMAND_NAME) return slashCommand(ctx, interaction);
  if (interaction.isMessageContextMenuCommand() && interaction.commandName === OPEN_FROM_MESSAGE) return openFromMessage(ctx, interaction);
  if (interaction.isButton()) return button(ctx, interaction);
  if (interaction.isModalSubmit()) return modalSubmit(ctx, interaction);
}

async function slashCommand(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const { service } = ctx;
  const sub = interaction.options.getSubcommand(false);
  if (sub === 'open') {
    const plan = planOpenForm(service.fields, true);
    const options: Record<string, string> = {};
    for (const field of plan.options) {
      const value = interaction.options.getString(field.name);
      if (value) options[field.name] = value;
    }
    await interaction.showModal(openModal(service.providerName, plan.modal, interaction.id));
    if (Object.keys(options).length > 0) await ctx.kv.set(pendingKey(interaction.id), options, PENDING_TTL_MS);
    return;
  }
  const hctx = chatContext(ctx, interaction);
  await answerLater(ctx, interaction, async () => {
    if (sub === 'list') return renderReply(await listTickets(service, hctx));
    const ticketId = await ticketIdFor(ctx, interaction);
    if (!ticketId) return renderReply(failure('ticket: expects a ticket id, e.g. 42 (or use the command inside the ticket’s thread)'));
    switch (sub) {
      case 'status':
        return renderReply(await ticketStatus(service, hctx, ticketId));
      case 'close':
        return renderReply(await closeTicket(service, hctx, ticketId));
      case 'reopen':
        return renderReply(await reopenTicket(service, hctx, ticketId, interaction.options.getString('reason') ?? undefined));
      case 'rate':
        return renderReply(await rateTicket(service, hctx, ticketId, interaction.options.getInteger('score'), interaction.options.getString('comment') ?? undefined));
      default:
        return renderReply(failure(`command: expects one of open, status, list, close, reopen, rate (got "${sub ?? ''}")`));
    }
  });
}

/** The `ticket` option, or the ticket whose thread the command is used in. */
async function ticketIdFor(ctx: DiscordContext, interaction: ChatInputCommandInteraction): Promise<string | undefined> {
  const typed = interaction.options.getString('ticket')?.trim().replace(/^#/, '');
  if (typed) return typed;
  return interaction.channelId ? (await ctx.service.linkByThread(threadRef(interaction.channelId)))?.ticketId : undefined;
}

async function openFromMessage(ctx: DiscordContext, interaction: MessageContextMenuCommandInteraction): Promise<void> {
  const { service } = ctx;
  const message = interaction.targetMessage;
  const text = message.content.trim();
  const firstLine = text.split('\n')[0]?.trim() ?? '';
  const subjectMax = service.fields.find((f) => f.name === 'subject')?.maxLength ?? 100;
  const subject = clip(firstLine, subjectMax);
  const description = `${text}\n\n(From a message by ${message.author.username}: ${message.url})`;
  const plan = planOpenForm(service.fields, false);
  await interaction.showModal(openModal(service.providerName, plan.modal, interaction.id, { subject, description }));
}

async function button(ctx: DiscordContext, interaction: ButtonInteraction): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  const { service } = ctx;
  const hctx = chatContext(ctx, interaction);
  if (parsed?.kind === 'retry') {
    return answerLater(ctx, interaction, async () => renderReply(await retryDelivery(service, hctx, parsed.jobKey)));
  }
  if (parsed?.kind !== 'button') return answerNow(ctx, interaction, 'This button belongs to an older version of the bot; use /ticket instead.');
  const { action, ticketId } = parsed;
  if (action === 'rate') {
    // Refuse before the form, so nobody types a rating that cannot be accepted.
    const refusal = await mayAct(service, ticketId, hctx.actor, 'rate');
    if (refusal) return answerNow(ctx, interaction, refusal.text);
    return interaction.showModal(rateModal(ticketId));
  }
  await answerLater(ctx, interaction, async () =>
    renderReply(action === 'close' ? await closeTicket(service, hctx, ticketId) : await reopenTicket(service, hctx, ticketId)),
  );
}

async function modalSubmit(ctx: DiscordContext, interaction: ModalSubmitInteraction): Promise<void> {
  const parsed = parseCustomId(interaction.customId);
  const { service } = ctx;
  const values = submittedValues(interaction);
  const hctx = chatContext(ctx, interaction);
  if (parsed?.kind === 'rate') {
    const score = values['score']?.trim() ?? '';
    return answerLater(ctx, interaction, async () =>
      renderReply(await rateTicket(service, hctx, parsed.ticketId, score, values['comment']?.trim() || undefined)),
    );
  }
  if (parsed?.kind !== 'open') return answerNow(ctx, interaction, 'This form belongs to an older version of the bot; use /ticket instead.');
  await answerLater(ctx, interaction, async () => {
    const options = (await ctx.kv.get<Record<string, string>>(pendingKey(parsed.pending))) ?? {};
    const form: Record<string, string> = { ...options };
    for (const [name, value] of Object.entries(values)) if (value.trim() !== '') form[name] = value;
    const reply = await openTicket(service, hctx, form);
    if (reply.ok) await ctx.kv.delete(pendingKey(parsed.pending));
    const labels = new Map(service.fields.map((f) => [f.name as string, f.label]));
    const typed = Object.entries(values).map(([name, value]) => ({ label: labels.get(name) ?? name, value }));
    return renderReply(withLabels(reply, labels), typed);
  });
}

/** Field errors name the field as the form shows it ("Subject: must be at most 200 characters"). */
function withLabels(reply: Reply, labels: ReadonlyMap<string, string>): Reply {
  if (!reply.fieldErrors) return reply;
  const text = Object.entries(reply.fieldErrors).map(([field, msg]) => `${labels.get(field) ?? field}: ${msg}`).join('\n');
  return { ...reply, text };
}

const failure = (text: string): Reply => ({ ok: false, ephemeral: true, text });
