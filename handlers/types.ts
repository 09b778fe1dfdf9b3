import type { TicketCard } from '../src/chat.js';
import type { ThreadRef } from '../src/domain.js';
import type { Actor } from '../src/service.js';

/** What a front-end tells a handler about where and by whom an action happens. */
export interface ChatContext {
  actor: Actor;
  /** Posts the ticket card where the platform keeps conversations and returns its thread. */
  startThread(card: TicketCard): Promise<{ thread: ThreadRef; cardRef?: string }>;
}

/** A delivery that did not go through, as `/ticket status` shows it. */
export interface DeliveryView {
  key: string;
  excerpt: string;
  reason: string;
}

/** A platform-neutral answer; each bot renders it (Block Kit, embed, a terminal line). */
export interface Reply {
  ok: boolean;
  text: string;
  /** Only the person who acted should see it. */
  ephemeral: boolean;
  card?: TicketCard;
  tickets?: TicketCard[];
  /** Field → what it expects, for forms (modal errors). */
  fieldErrors?: Record<string, string>;
  /** The new ticket's thread, after open. */
  thread?: ThreadRef;
  deliveries?: { pending: number; failed: DeliveryView[] };
  /** Taken, but it goes out later (the store is down): say so even where success is silent. */
  later?: boolean;
}

export function say(text: string, extra: Partial<Reply> = {}): Reply {
  return { ok: true, text, ephemeral: true, ...extra };
}
