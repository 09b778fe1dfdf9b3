import type { types } from '@slack/bolt';
import type { ThreadMessage, TicketCard } from '../../src/chat.js';
import type { TicketStatus } from '../../src/domain.js';
import { plainFailure } from '../../handlers/errors.js';
import type { Translate } from '../../handlers/i18n.js';
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
  addToSimilar: 'similar_add',
  openAnyway: 'similar_open_anyway',
  listPrevious: 'list_previous',
  listNext: 'list_next',
} as const;


function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function plain(text: string, max = 150): types.PlainTextElement {
  return { type: 'plain_text', text: clip(text, max) || ' ', emoji: false };
}

function mrkdwn(text: string): types.MrkdwnElement {
  return { type: 'mrkdwn', text: clip(text, TEXT_LIMIT), verbatim: true };
}

/** Our word for the status, with the vendor's own (untranslated) where it says more. */
export function statusWords(status: TicketStatus, vendorStatus: string, t: Translate): string {
  const word = t(`status.${status}`);
  return vendorStatus && vendorStatus.toLowerCase() !== word.toLowerCase() && vendorStatus !== status ? `${word} (${vendorStatus})` : word;
}

/** The notification text of a card: what a screen reader or a push notification shows. */
export function cardText(card: TicketCard, t: Translate): string {
  return escapeText(t('card.text', { id: card.ticketId, subject: card.subject, status: statusWords(card.status, card.vendorStatus, t) }));
}

/** The ticket card: subject, id, status, priority, provider, requester and the buttons that apply. */
export function cardBlocks(card: TicketCard, t: Translate): Block[] {
  const field = (label: string, value: string): types.MrkdwnElement => mrkdwn(`*${label}*\n${escapeText(value)}`);
  const fields = [
    field(t('card.status'), statusWords(card.status, card.vendorStatus, t)),
    field(t('card.priority'), card.priority ? card.priority[0]!.toUpperCase() + card.priority.slice(1) : t('card.noPriority')),
    field(t('card.provider'), card.provider),
    field(t('card.requester'), card.requester),
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
        text: plain(t(`button.${action}`)),
        value: card.ticketId,
        ...(action === 'close' ? { style: 'danger' as const } : {}),
      })),
    });
  }
  blocks.push({ type: 'context', block_id: 'card_hint', elements: [mrkdwn(t('card.hint'))] });
  return blocks;
}

/** One thread post as Slack messages: text parts within the limits, and blocks for buttons. */
export interface RenderedPost {
  parts: string[];
  blocks?: Block[];
}

export function renderThreadMessage(message: ThreadMessage, t: Translate): RenderedPost {
  switch (message.kind) {
    case 'comment': {
      // A comment of files alone is its uploads, under the author's name.
      const body = markdownToMrkdwn(message.text) || (message.files?.length ? '' : `_${t('thread.emptyComment')}_`);
      return { parts: splitMrkdwn(`*${escapeText(message.author)}*\n${body}`) };
    }
    case 'status': {
      const status = escapeText(statusWords(message.status, message.vendorStatus, t));
      return { parts: [message.by ? t('thread.statusChangedBy', { status, by: escapeText(message.by) }) : t('thread.statusChanged', { status })] };
    }
    case 'notice':
      return { parts: splitMrkdwn(escapeText(message.text)) };
    case 'delivery_failed': {
      const reason = escapeText(plainFailure(message.cause, message.provider, t));
      const text = `:warning: ${t('thread.notDelivered', { reason })}\n>${escapeText(message.excerpt).replace(/\n/g, '\n>')}`;
      const blocks: Block[] = [
        { type: 'section', block_id: 'failed_text', text: mrkdwn(text) },
        {
          type: 'actions',
          block_id: 'failed_actions',
          elements: [{ type: 'button', action_id: ACTION.retry, text: plain(t('button.retry')), value: clip(message.jobKey, 2000) }],
        },
      ];
      return { parts: [clip(text, TEXT_LIMIT)], blocks };
    }
  }
}

/** A handler's answer as an ephemeral message: its text, the card after a successful action, and Retry for each delivery that failed. */
export function replyBlocks(reply: Answer, t: Translate): Block[] {
  const blocks: Block[] = [{ type: 'section', block_id: 'reply_text', text: mrkdwn(escapeText(reply.text)) }];
  if (reply.card && reply.ok) blocks.push(...cardBlocks(reply.card, t).filter((b) => b.type !== 'context'));
  const page = reply.page;
  if (page && page.pages > 1) {
    const turn = (action: 'listPrevious' | 'listNext', to: number, label: 'button.previous' | 'button.next') =>
      ({ type: 'button' as const, action_id: ACTION[action], text: plain(t(label)), value: `${to}:${page.which}` });
    const elements = [];
    if (page.number > 1) elements.push(turn('listPrevious', page.number - 1, 'button.previous'));
    if (page.number < page.pages) elements.push(turn('listNext', page.number + 1, 'button.next'));
    blocks.push({ type: 'actions', block_id: 'list_pages', elements });
  }
  for (const [i, failed] of (reply.deliveries?.failed ?? []).slice(0, 10).entries()) {
    blocks.push({
      type: 'section',
      block_id: `failed_${i}`,
      text: mrkdwn(`${t('status.failed', { reason: escapeText(failed.reason) })}\n>${escapeText(clip(failed.excerpt, 500)).replace(/\n/g, '\n>')}`),
      accessory: { type: 'button', action_id: ACTION.retry, text: plain(t('button.retry')), value: clip(failed.key, 2000) },
    });
  }
  return blocks;
}
