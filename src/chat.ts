import type { Priority, ThreadRef, TicketLink, TicketStatus } from './domain.js';

/** The ticket card every front-end renders its own way (Block Kit, embed, a terminal line). */
export interface TicketCard {
  ticketId: string;
  subject: string;
  status: TicketStatus;
  vendorStatus: string;
  priority?: Priority;
  provider: string;
  requester: string;
  /** Which buttons make sense now; a closed ticket offers Reopen and Rate, an open one Close. */
  actions: ('close' | 'reopen' | 'rate')[];
}

/** What the relay and the outbox post into a ticket's thread. */
export type ThreadMessage =
  | { kind: 'comment'; ticketId: string; author: string; text: string }
  | { kind: 'status'; ticketId: string; status: TicketStatus; vendorStatus: string; by?: string }
  | { kind: 'delivery_failed'; ticketId: string; jobKey: string; excerpt: string; reason: string }
  | { kind: 'notice'; ticketId: string; text: string };

/**
 * A chat platform's way into threads. Implementations escape everything they post so that no
 * relayed text can mention anyone, pace themselves within the platform's limits, and make a
 * repeated `postToThread` with the same `idempotencyKey` post at most once where the platform
 * gives a way (Slack metadata, Discord nonce).
 */
export interface ChatSink {
  /** The ThreadRef prefix this sink owns, e.g. `slack`. */
  readonly platform: string;
  postToThread(thread: ThreadRef, message: ThreadMessage, idempotencyKey: string): Promise<void>;
  updateCard(thread: ThreadRef, cardRef: string | undefined, card: TicketCard): Promise<void>;
}

/** A failure to post that says whether trying again can help. */
export class ChatDeliveryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChatDeliveryError';
  }
}

/** Routes a thread to the sink of the platform that owns it. */
export class ChatSinks {
  private readonly sinks = new Map<string, ChatSink>();

  register(sink: ChatSink): void {
    this.sinks.set(sink.platform, sink);
  }

  for(thread: ThreadRef): ChatSink {
    const platform = thread.slice(0, thread.indexOf(':'));
    const sink = this.sinks.get(platform);
    if (!sink) throw new ChatDeliveryError(`no front-end for ${platform} threads is running`, true, 30_000);
    return sink;
  }
}

export function cardOf(link: TicketLink, providerName: string, can: { close: boolean; reopen: boolean; rate: boolean }): TicketCard {
  const closed = link.status === 'closed' || link.status === 'resolved';
  const actions: TicketCard['actions'] = [];
  if (!closed && can.close) actions.push('close');
  if (closed && can.reopen) actions.push('reopen');
  if (can.rate) actions.push('rate');
  return {
    ticketId: link.ticketId,
    subject: link.subject,
    status: link.status,
    vendorStatus: link.vendorStatus,
    ...(link.priority ? { priority: link.priority } : {}),
    provider: providerName,
    requester: link.requester.name,
    actions,
  };
}
