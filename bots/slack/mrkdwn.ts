import slackify from 'slackify-markdown';
import { honestLabel } from '../../src/link-labels.js';

/** Slack's limit for a section's text; messages are split to stay under it. */
export const TEXT_LIMIT = 3000;

// A word joiner after the @ keeps "@here" readable but never a keyword, whatever parse mode applies.
const BROADCAST_WORDS = /@(everyone|here|channel)\b/gi;
// The only markup let through: links with an http(s)/mailto target and a label without brackets.
const SAFE_LINK = /^<(?:https?:\/\/|mailto:)[^\s<>|]+(?:\|[^<>]*)?>/;
const ENTITY = /^&(?:amp|lt|gt);/;

/**
 * Plain text made inert for any mrkdwn field: `&` first (so `&lt;` stays literal), then `<` and
 * `>`, so `<!channel>`, `<@U…>` and `<!subteam^…>` show as typed and ping nobody.
 */
export function escapeText(text: string): string {
  return defuseBroadcasts(text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
}

/**
 * Markdown (the neutral comment format) as Slack mrkdwn that cannot mention anyone. slackify
 * passes raw HTML such as `<!here>` through, so its output is sanitised afterwards: only link
 * tokens survive as markup, every other bracket and stray `&` is escaped.
 */
export function markdownToMrkdwn(markdown: string): string {
  // `&` escaped in the source: entities a person typed (`&lt;`) come out as typed.
  const converted = slackify(markdown.replace(/&/g, '&amp;'))
    .replace(/^<!---->\n?/gm, '') // slackify's separator between a list and a code block
    .replace(/\u200b/g, '') // its zero-width spaces around emphasis are noise in relayed text
    .trim();
  return defuseBroadcasts(sanitize(converted));
}

function sanitize(mrkdwn: string): string {
  let out = '';
  let i = 0;
  while (i < mrkdwn.length) {
    const ch = mrkdwn[i]!;
    const rest = mrkdwn.slice(i);
    if (ch === '<') {
      const link = SAFE_LINK.exec(rest)?.[0];
      if (link) {
        // A bare URL's `&` was escaped twice (source pass, then slackify): once is right.
        out += honestLink(link.replace(/&amp;amp;/g, '&amp;').replace(/&(?!(?:amp|lt|gt);)/g, '&amp;'));
        i += link.length;
        continue;
      }
      out += '&lt;';
    } else if (ch === '>') {
      out += '&gt;';
    } else if (ch === '&') {
      out += ENTITY.test(rest) ? '&' : '&amp;';
    } else {
      out += ch;
    }
    i++;
  }
  return out;
}

/** `<url|label>` as is, or `<url>` (Slack then shows the address) when the label names another address. */
function honestLink(link: string): string {
  const bar = link.indexOf('|');
  if (bar < 0) return link;
  const url = link.slice(1, bar);
  const label = link.slice(bar + 1, -1).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return honestLabel(label, url.replace(/&amp;/g, '&')) ? link : `<${url}>`;
}

function defuseBroadcasts(text: string): string {
  return text.replace(BROADCAST_WORDS, '@\u2060$1');
}

/**
 * Splits mrkdwn into parts of at most `limit` characters, preferring paragraph, line and word
 * breaks, never cutting an entity or a link, and closing/reopening a code fence that spans a cut.
 */
export function splitMrkdwn(text: string, limit = TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = text;
  let reopenFence = false;
  while (rest.length > 0) {
    const prefix: string = reopenFence ? '```\n' : '';
    const room = limit - prefix.length - 4; // space for a closing fence
    if (prefix.length + rest.length <= limit) {
      parts.push(prefix + rest);
      break;
    }
    const cut = cutPoint(rest, room);
    let part: string = prefix + rest.slice(0, cut).trimEnd();
    rest = rest.slice(cut).trimStart();
    const fences: number = (part.match(/```/g) ?? []).length;
    reopenFence = fences % 2 === 1;
    if (reopenFence) part += '\n```';
    parts.push(part);
  }
  return parts;
}

function cutPoint(text: string, room: number): number {
  const window = text.slice(0, room);
  for (const sep of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(sep);
    if (at > room / 2) return safeCut(text, at + sep.length);
  }
  return safeCut(text, room);
}

/** Moves a cut back to before an entity or a `<…>` token it would split. */
function safeCut(text: string, at: number): number {
  const amp = text.lastIndexOf('&', at - 1);
  if (amp >= 0 && amp > at - 5 && !text.slice(amp, at).includes(';')) at = amp;
  const open = text.lastIndexOf('<', at - 1);
  if (open >= 0 && text.indexOf('>', open) >= at && at - open < 1000 && open > 0) at = open;
  return Math.max(at, 1);
}

/**
 * Slack's message markup as plain text for a vendor: links as "label (url)", mentions as names
 * where the text carries them, entities decoded.
 */
export function slackToPlain(text: string): string {
  return text
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (label === url ? url : `${label} (${url})`))
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/<@([A-Z0-9]+)\|([^>]+)>/g, '@$2')
    .replace(/<@([A-Z0-9]+)>/g, '@$1')
    .replace(/<#[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]+))?>/g, (_m, label?: string) => label ?? '@group')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
