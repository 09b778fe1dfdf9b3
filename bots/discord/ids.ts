// custom_id formats of buttons and modals. Discord caps a custom_id at 100 characters.

type CardAction = 'close' | 'reopen' | 'rate';

const PREFIX = 'tb';

export const customId = {
  button: (action: CardAction, ticketId: string): string => `${PREFIX}:${action}:${ticketId}`.slice(0, 100),
  retry: (jobKey: string): string | undefined => (jobKey.length <= 90 ? `${PREFIX}:retry:${jobKey}` : undefined),
  /** The open-ticket modal; `pending` names the stored command options (priority, category …). */
  openModal: (pending: string): string => `${PREFIX}:open:${pending}`,
  rateModal: (ticketId: string): string => `${PREFIX}:ratemodal:${ticketId}`.slice(0, 100),
  reopenModal: (ticketId: string): string => `${PREFIX}:reopenmodal:${ticketId}`.slice(0, 100),
  /** "Open the form again" under a refused open form; `submit` names the kept draft. */
  refill: (submit: string): string => `${PREFIX}:refill:${submit}`,
  /** "Open a ticket from this message", offered to whoever reacted 🎫 to it. */
  fromMessage: (channelId: string, messageId: string): string => `${PREFIX}:frommsg:${channelId}:${messageId}`,
  /** Previous / Next under `/ticket list`: the page to show and which tickets. */
  listPage: (which: string, page: number): string => `${PREFIX}:list:${which}:${page}`,
  /** Under the similar-ticket prompt: add the kept draft to the open ticket, or open it anyway. */
  similar: (choice: 'add' | 'new', submit: string): string => `${PREFIX}:similar:${choice}:${submit}`,
};

type ParsedCustomId =
  | { kind: 'button'; action: CardAction; ticketId: string }
  | { kind: 'retry'; jobKey: string }
  | { kind: 'open'; pending: string }
  | { kind: 'rate'; ticketId: string }
  | { kind: 'reopen'; ticketId: string }
  | { kind: 'refill'; submit: string }
  | { kind: 'fromMessage'; channelId: string; messageId: string }
  | { kind: 'list'; which: string; page: string }
  | { kind: 'similar'; choice: string; submit: string };

export function parseCustomId(id: string): ParsedCustomId | undefined {
  const match = /^tb:(close|reopen|rate|retry|open|ratemodal|reopenmodal|refill|frommsg|list|similar):(.*)$/s.exec(id);
  if (!match) return undefined;
  const [, kind = '', rest = ''] = match;
  switch (kind) {
    case 'close':
    case 'reopen':
    case 'rate':
      return { kind: 'button', action: kind, ticketId: rest };
    case 'retry':
      return { kind: 'retry', jobKey: rest };
    case 'open':
      return { kind: 'open', pending: rest };
    case 'reopenmodal':
      return { kind: 'reopen', ticketId: rest };
    case 'refill':
      return { kind: 'refill', submit: rest };
    case 'similar': {
      const [choice = '', submit = ''] = rest.split(':');
      return { kind: 'similar', choice, submit };
    }
    case 'list': {
      const [which = '', page = ''] = rest.split(':');
      return { kind: 'list', which, page };
    }
    case 'frommsg': {
      const [channelId = '', messageId = ''] = rest.split(':');
      return { kind: 'fromMessage', channelId, messageId };
    }
    default:
      return { kind: 'rate', ticketId: rest };
  }
}

/**
 * A Discord thread (or forum post), or the DM a ticket's card fell back to: its channel id alone
 * reaches it over REST. A DM has no threads, so the DM itself is the ticket's conversation, and
 * its ref names the ticket too (one DM may hold the cards of several tickets).
 */
export interface DiscordThread {
  threadId: string;
  /** Set for a DM: the ticket whose conversation it is. */
  dmTicket?: string;
}

/** ThreadRef of a Discord thread: `discord:<threadId>`. */
export const threadRef = (threadId: string): string => `discord:${threadId}`;

/** ThreadRef of a ticket followed in a DM: `discord:dm:<channelId>:<ticketId>`. */
export const dmThreadRef = (channelId: string, ticketId: string): string => `discord:dm:${channelId}:${ticketId}`;

/** The thread a ref names (older refs carried guild and parent ids before it), or undefined. */
export function decodeThreadRef(ref: string): DiscordThread | undefined {
  const dm = /^discord:dm:(\d{17,20}):(.+)$/s.exec(ref);
  if (dm?.[1] && dm[2]) return { threadId: dm[1], dmTicket: dm[2] };
  const match = /^discord:(?:\d+:)*(\d{17,20})$/.exec(ref);
  return match?.[1] ? { threadId: match[1] } : undefined;
}

/** Where a new ticket's card goes: a channel (none: straight to the DM), and the requester. */
export interface DiscordPlace {
  channelId: string | undefined;
  userId: string;
}

/** `discord-place:<channelId or ->:<userId>`, the place ref a Discord handler context carries. */
export const placeRef = (place: DiscordPlace): string => `discord-place:${place.channelId ?? '-'}:${place.userId}`;

export function decodePlace(ref: string): DiscordPlace | undefined {
  const match = /^discord-place:(\d{17,20}|-):(\d{17,20})$/.exec(ref);
  return match?.[1] && match[2] ? { channelId: match[1] === '-' ? undefined : match[1], userId: match[2] } : undefined;
}

/** The store key naming the ticket a DM's messages go to: the latest one whose card fell back there. */
export const dmTicketKey = (channelId: string): string => `discord:dm:${channelId}`;
