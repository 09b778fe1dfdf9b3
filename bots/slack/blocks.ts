import type { types } from '@slack/bolt';
import type { ThreadMessage, TicketCard } from '../../src/chat.js';
import type { TicketStatus } from '../../src/domain.js';
import type { Answer } from '../../handlers/types.js';
import { escapeText, markdownToMrkdwn, splitMrkdwn, TEXT_LIMIT } from './mrkdwn.js';

type Block = types.KnownBlock;

/** Action ids of every button the bot renders; the actions module listens for exactly these. */
export const ACTION = {
  close: 'ticket_close',
  reopen: 'ticket_reopen',
  rate: 'ticket_rate',
  retry: 'delivery_retry',
  openAgain: 'open_form_again',
} as const;

const STATUS_WORDS: Record<TicketStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  waiting: 'Waiting for you',
  resolved: 'Resolved',
  closed: 'Closed',
};

const BUTTON_WORDS = { close: 'Close', reopen: 'Reopen', rate: 'Rate' } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plain(text: string, max = 150): types.PlainTextElement {
  return { type: 'plain_text', text: clip(text, max) || ' ', emoji: false };
}

function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text: clip(text, TEXT_LIMIT), verbatim: true };
}

function statusWords(status: TicketStatus, vendorStatus: string): string {
  const word = STATUS_WORDS[status];
  return vendorStatus && vendorStatus.toLowerCase() !== word.toLowerCase() && vendorStatus !== status ? `${word} (${vendorStatus})` : word;
}

/** The notification text of a card: what a screen reader or a push notification shows. */
export function cardText(card: TicketCard): string {
  return escapeText(`Ticket #${card.ticketId}: ${card.subject} (${statusWords(card.status, card.vendorStatus)})`);
}

/** The ticket card: subject, id, status, priority, provider, requester and the buttons that apply. */
export function cardBlocks(card: TicketCard): Block[] {
  const field = (label: string, value: string): types.MrkdwnElement => mrkdwn(`*${label}*\n${escapeText(value)}`);
  const fields = [
    field('Status', statusWords(card.status, card.vendorStatus)),
    field('Priority', card.priority ? card.priority[0]!.toUpperCase() + card.priority.slice(1) : 'Not set'),
    field('Provider', card.provider),
    field('Requested by', card.requester),
  ];
  const blocks: Block[] = [
    { type: 'header', block_id: 'card_title', text: plain(`#${card.ticketId} ${card.subject}`) },
    { type: 'section', block_id: 'card_fields', fields },
  ];
  if (card.actions.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'card_actions',
      elements: card.actions.map((action) => ({
        type: 'button' as const,
        action_id: ACTION[action],
        text: plain(BUTTON_WORDS[action]),
        value: card.ticketId,
        ...(action === 'close' ? { style: 'danger' as const } : {}),
      })),
    });
  }
  blocks.push({ type: 'context', block_id: 'card_hint', elements: [mrkdwn('Reply in this thread to write to the support team.')] });
  return blocks;
}

/** One thread post as Slack messages: text parts within the limits, and blocks for buttons. */
export interface RenderedPost {
  parts: string[];
  blocks?: Block[];
}

export function renderThreadMessage(message: ThreadMessage): RenderedPost {
  switch (message.kind) {
    case 'comment': {
      const body = markdownToMrkdwn(message.text) || '_(empty comment)_';
      return { parts: splitMrkdwn(`*${escapeText(message.author)}*\n${body}`) };
    }
    case 'status': {
      const by = message.by ? ` by ${escapeText(message.by)}` : '';
      return { parts: [`Status changed to *${escapeText(statusWords(message.status, message.vendorStatus))}*${by}.`] };
    }
    case 'notice':
      return { parts: splitMrkdwn(escapeText(message.text)) };
    case 'delivery_failed': {
      const text = `:warning: This message could not be delivered: ${escapeText(message.reason)}\n>${escapeText(message.excerpt).replace(/\n/g, '\n>')}`;
      const blocks: Block[] = [
        { type: 'section', block_id: 'failed_text', text: mrkdwn(text) },
        {
          type: 'actions',
          block_id: 'failed_actions',
          elements: [{ type: 'button', action_id: ACTION.retry, text: plain('Retry'), value: clip(message.jobKey, 2000) }],
        },
      ];
      return { parts: [clip(text, TEXT_LIMIT)], blocks };
    }
  }
}

/** A handler's answer as an ephemeral message: its text, the card after a successful action, and Retry for each delivery that failed. */
export function replyBlocks(reply: Answer): Block[] {
  const blocks: Block[] = [{ type: 'section', block_id: 'reply_text', text: mrkdwn(escapeText(reply.text)) }];
  if (reply.card && reply.ok) blocks.push(...cardBlocks(reply.card).filter((b) => b.type !== 'context'));
  for (const [i, failed] of (reply.deliveries?.failed ?? []).slice(0, 10).entries()) {
    blocks.push({
      type: 'section',
      block_id: `failed_${i}`,
      text: mrkdwn(`Not delivered: ${escapeText(failed.reason)}\n>${escapeText(clip(failed.excerpt, 500)).replace(/\n/g, '\n>')}`),
      accessory: { type: 'button', action_id: ACTION.retry, text: plain('Retry'), value: clip(failed.key, 2000) },
    });
  }
  return blocks;
}
