import type { TicketCard } from '../src/chat.js';
import type { ThreadRef } from '../src/domain.js';
import type { Logger } from '../src/logger.js';
import type { TicketFilter } from '../src/service.js';
import type { Actor } from '../src/service.js';
import type { Draft } from './command.js';
import type { Locale } from './i18n.js';

/** What a front-end tells a handler about where and by whom an action happens. */
export interface ChatContext {
  actor: Actor;
  /** For failures a handler answers the user about itself rather than passing them on. */
  logger: Logger;
  /**
   * Where a new ticket's card goes, as the front-end's sink encodes it (a channel, and who asked,
   * for the DM fallback): the card is posted by the outbox, not by the handler.
   */
  place: string;
  /**
   * How long an open waits for its card to be posted, so the answer can point at its thread (the
   * card is posted by the outbox); 0 or absent answers at once. Only where the answer shows a link.
   */
  threadWaitMs?: number;
  /** The person's language, as their platform says (Slack's users.info, Discord's interaction.locale, the terminal's LANG); English when unknown. */
  locale?: Locale | undefined;
}

/** A delivery that did not go through, as `/ticket status` shows it. */
interface DeliveryView {
  key: string;
  excerpt: string;
  reason: string;
}

/** A page of `/ticket list`: from 1 to `pages`, of the tickets `which` names. */
export interface ListPage {
  number: number;
  pages: number;
  which: TicketFilter;
}

/** A platform-neutral answer, for the person who acted only; each bot renders it (Block Kit, embed, a terminal line). */
export interface Answer {
  ok: boolean;
  text: string;
  card?: TicketCard;
  tickets?: TicketCard[];
  /** Field → what it expects, for forms (modal errors). */
  fieldErrors?: Record<string, string>;
  /** The new ticket's thread, after open. */
  thread?: ThreadRef;
  deliveries?: { pending: number; failed: DeliveryView[] };
  /** Which page of a list this is, so a front-end can offer the previous and the next. */
  page?: ListPage;
  /** Taken, but it goes out later (the store is down): say so even where success is silent. */
  later?: boolean;
  /** Taken, with something the person must hear (a file left out): say it even where success is silent. */
  notice?: boolean;
}

/** A form for the person to fill in, which the front-end shows as its own modal. */
export type FormRequest = { form: 'open'; draft: Draft } | { form: 'rate'; ticketId: string } | { form: 'reopen'; ticketId: string };

/** What a handler hands back for the front-end to render. */
export type Reply = Answer | FormRequest;
