import { createHash } from 'node:crypto';
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import { plainFailure } from '../../handlers/errors.js';
import type { Translate } from '../../handlers/i18n.js';
import type { ThreadMessage } from '../../src/chat.js';
import { honestLabel } from '../../src/link-labels.js';
import { customId } from './ids.js';

/** Discord's limit on a message's content. */
export const MAX_CONTENT = 2000;

/** `text` cut to at most `max` characters, with an ellipsis when cut. */
export const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

export interface RenderedPost {
  /** One or more contents of at most 2,000 characters, posted in order. */
  parts: string[];
  /** Components go on the last part. */
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/** A relayed comment, status change or notice as Discord message text, in the language `t` speaks. Markdown passes through; vendor text is not translated. */
export function renderThreadMessage(message: ThreadMessage, t: Translate): RenderedPost {
  switch (message.kind) {
    case 'comment':
      // A comment of files alone is its uploads, under the author's name.
      return { parts: splitContent(`**${oneLine(message.author)}**\n${honestLinks(message.text) || (message.files?.length ? '' : `_${t('thread.emptyComment')}_`)}`, t) };
    case 'status': {
      const status = oneLine(message.vendorStatus || message.status);
      return { parts: splitContent(message.by ? t('thread.statusChangedBy', { status, by: oneLine(message.by) }) : t('thread.statusChanged', { status }), t) };
    }
    case 'delivery_failed': {
      const excerpt = message.excerpt.split('\n').map((l) => `> ${l}`).join('\n');
      const reason = message.cause ? plainFailure(message.cause, message.provider, t) : message.reason;
      const text = `${t('thread.notDelivered', { reason })}\n${excerpt}`;
      const id = customId.retry(message.jobKey);
      const components: RenderedPost['components'] = id
        ? [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: t('button.retry'), custom_id: id }] }]
        : [];
      return { parts: splitContent(text, t), components };
    }
    case 'notice':
      return { parts: splitContent(message.text, t) };
  }
}

/**
 * Splits text into parts of at most `max` characters, preferring a line break, then a space, and
 * cutting hard only inside an unbroken run. Empty text becomes one placeholder part (Discord
 * refuses an empty message), in the language `t` speaks.
 */
export function splitContent(text: string, t: Translate, max = MAX_CONTENT): string[] {
  const parts: string[] = [];
  let rest = text.trimEnd();
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < max / 2) cut = max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]/, '');
  }
  parts.push(rest.length > 0 ? rest : t('thread.emptyMessage'));
  return parts;
}

/**
 * The `nonce` of one part of a post: a hash of the outbox's idempotency key, 25 characters (Discord's
 * maximum). With `enforce_nonce`, a post resent after a crash returns the first message instead.
 */
export function nonceOf(idempotencyKey: string, part: number): string {
  return createHash('sha256').update(`${idempotencyKey}\u0000${part}`).digest('base64url').slice(0, 25);
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

// `[label](target)`, `[label](<target>)` or `[label](target "title")`; a label may hold one level of brackets.
const MASKED_LINK = /\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*<?([^\s<>()]+)>?(?:\s+"[^"]*")?\s*\)/g;

/**
 * Markdown with every masked link whose label names another address than its target replaced by
 * `<target>`: Discord then shows the real address (and no preview) instead of the label.
 */
export function honestLinks(markdown: string): string {
  return markdown.replace(MASKED_LINK, (link, label: string, target: string) => (honestLabel(label, target) ? link : `<${target}>`));
}
