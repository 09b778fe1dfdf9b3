import { translator } from '../../handlers/i18n.js';
import { placeNoticeText } from '../../handlers/notices.js';
import type { ChatSink, PlaceNotice, StartedThread, ThreadMessage, TicketCard, Upload } from '../../src/chat.js';
import type { FrontEnd } from '../../src/frontend.js';

/**
 * A front-end that records what the core posts, for tests of the core alone. Its threads are
 * `mem:<anything>`; a ticket opened from place `mem:<anything>` gets thread `mem:<ticket id>`.
 */
export class MemorySink implements ChatSink<string, string>, FrontEnd {
  readonly name = 'memory';
  readonly posts: { thread: string; message: ThreadMessage; key: string; uploads: readonly Upload[] }[] = [];
  readonly edits: { thread: string; postKey: string; message: ThreadMessage }[] = [];
  readonly cards: { thread: string; card: TicketCard }[] = [];
  readonly started: { place: string; card: TicketCard; key: string }[] = [];
  readonly notices: { place: string; text: string }[] = [];
  /** Make the next posts fail, as a platform outage would. */
  failures = 0;
  readonly sink = this;
  /** Files up to this size are posted as uploads; 0 (the default) takes none, as a platform without uploads. */
  readonly maxUploadBytes: number;

  constructor(options: { maxUploadBytes?: number } = {}) {
    this.maxUploadBytes = options.maxUploadBytes ?? 0;
  }

  encodeThread(thread: string): string {
    return thread;
  }

  decodeThread(ref: string): string | undefined {
    return ref.startsWith('mem:') ? ref : undefined;
  }

  async postToThread(thread: string, message: ThreadMessage, key: string, uploads: readonly Upload[] = []): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('chat platform unavailable');
    }
    this.posts.push({ thread, message, key, uploads });
  }

  async editPost(thread: string, postKey: string, message: ThreadMessage): Promise<void> {
    this.edits.push({ thread, postKey, message });
  }

  async updateCard(thread: string, _cardRef: string | undefined, card: TicketCard): Promise<void> {
    this.cards.push({ thread, card });
  }

  decodePlace(ref: string): string | undefined {
    return ref.startsWith('mem:') ? ref : undefined;
  }

  async startThread(place: string, card: TicketCard, key: string): Promise<StartedThread> {
    this.started.push({ place, card, key });
    return { thread: `mem:${card.ticketId}` };
  }

  /** Worded as the front-ends word it in English. */
  async notify(place: string, notice: PlaceNotice): Promise<void> {
    this.notices.push({ place, text: placeNoticeText(notice, translator('en')) });
  }

  comments(): string[] {
    return this.posts.flatMap((p) => (p.message.kind === 'comment' ? [p.message.text] : []));
  }

  async stop(): Promise<void> {}
}
