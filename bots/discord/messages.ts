import { createHash } from 'node:crypto';
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
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

/** A relayed comment, status change or notice as Discord message text. Markdown passes through. */
export function renderThreadMessage(message: ThreadMessage): RenderedPost {
  switch (message.kind) {
    case 'comment':
      return { parts: splitContent(`**${oneLine(message.author)}** replied:\n${honestLinks(message.text)}`) };
    case 'status': {
      const by = message.by ? ` by ${oneLine(message.by)}` : '';
      return { parts: splitContent(`Status changed to **${oneLine(message.vendorStatus || message.status)}**${by}.`) };
    }
    case 'delivery_failed': {
      const excerpt = message.excerpt.split('\n').map((l) => `> ${l}`).join('\n');
      const text = `This message could not be delivered to the support desk (${message.reason}):\n${excerpt}`;
      const id = customId.retry(message.jobKey);
      const components: RenderedPost['components'] = id
        ? [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: 'Retry', custom_id: id }] }]
        : [];
      return { parts: splitContent(text), components };
    }
    case 'notice':
      return { parts: splitContent(message.text) };
  }
}

/**
 * Splits text into parts of at most `max` characters, preferring a line break, then a space, and
 * cutting hard only inside an unbroken run. Empty text becomes one placeholder part.
 */
export function splitContent(text: string, max = MAX_CONTENT): string[] {
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
  parts.push(rest.length > 0 ? rest : '(empty message)');
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
