import type { ChatSink, PlaceNotice, StartedThread, ThreadMessage, TicketCard } from '../../src/chat.js';
import type { Locale } from '../../src/config.js';
import type { ThreadRef } from '../../src/domain.js';
import { plainFailure } from '../../handlers/errors.js';
import { translator, type Translate } from '../../handlers/i18n.js';
import { placeNoticeText } from '../../handlers/notices.js';

/** A ticket's "thread" at the terminal is the ticket itself: `console:<ticket id>`. */
interface ConsoleThread {
  ticketId: string;
}

/** Where a ticket opened at the terminal goes: the terminal (`console-place:<user>`). */
interface ConsolePlace {
  user: string;
}

/** Relayed posts as terminal lines: one line each, `[#<id>] author: text`. */
export class ConsoleSink implements ChatSink<ConsoleThread, ConsolePlace> {
  /** Keys printed by this process; the outbox may repeat a post whose bookkeeping a crash cut off. */
  private readonly printed = new Set<string>();
  private readonly t: Translate;

  constructor(
    private readonly print: (line: string) => void,
    locale?: Locale,
  ) {
    this.t = translator(locale);
  }

  encodeThread(thread: ConsoleThread): ThreadRef {
    return `console:${thread.ticketId}`;
  }

  decodeThread(ref: ThreadRef): ConsoleThread | undefined {
    const ticketId = /^console:(.+)$/s.exec(ref)?.[1];
    return ticketId ? { ticketId } : undefined;
  }

  async postToThread(_thread: ConsoleThread, message: ThreadMessage, idempotencyKey: string): Promise<void> {
    if (this.printed.has(idempotencyKey)) return;
    this.printed.add(idempotencyKey);
    this.print(`[#${message.ticketId}] ${lineOf(message, this.t)}`);
  }

  /** A terminal has no card to edit: the status line the relay posts says it all. */
  async updateCard(): Promise<void> {}

  encodePlace(place: ConsolePlace): string {
    return `console-place:${place.user}`;
  }

  decodePlace(ref: string): ConsolePlace | undefined {
    const user = /^console-place:(.+)$/s.exec(ref)?.[1];
    return user ? { user } : undefined;
  }

  /** The ticket's "card" at the terminal is one line; its thread is the ticket itself. */
  async startThread(_place: ConsolePlace, card: TicketCard, idempotencyKey: string): Promise<StartedThread> {
    const thread: ConsoleThread = { ticketId: card.ticketId };
    const line = `following: ${oneLine(card.subject)} [${oneLine(card.vendorStatus)}] with ${oneLine(card.provider)}`;
    await this.postToThread(thread, { kind: 'notice', ticketId: card.ticketId, text: line }, idempotencyKey);
    return { thread: this.encodeThread(thread) };
  }

  async notify(_place: ConsolePlace, notice: PlaceNotice): Promise<void> {
    this.print(oneLine(placeNoticeText(notice, this.t)));
  }
}

function lineOf(message: ThreadMessage, t: Translate): string {
  switch (message.kind) {
    case 'comment':
      return `${oneLine(message.author)}: ${oneLine(message.text)}`;
    case 'status': {
      const status = oneLine(message.vendorStatus);
      return message.by ? t('console.statusBy', { status, by: oneLine(message.by) }) : t('console.status', { status });
    }
    case 'delivery_failed':
      return t('console.notDelivered', { excerpt: oneLine(message.excerpt), reason: oneLine(plainFailure(message.cause, message.provider, t)), key: message.jobKey });
    case 'notice':
      return oneLine(message.text);
  }
}

/**
 * Keeps every relayed post on one line, so a reader (or a pipe) can split them, and drops control
 * characters, so a comment cannot move the cursor or recolour the terminal.
 */
export function oneLine(text: string): string {
  return printable(text.replace(/\r?\n/g, ' ⏎ ')).trim();
}

/**
 * `text` without control characters (newlines included) and without bidirectional overrides,
 * embeddings, isolates and marks: nothing printed can steer the terminal, and no line can be
 * made to read right-to-left so that it shows something other than what it holds.
 */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
}
