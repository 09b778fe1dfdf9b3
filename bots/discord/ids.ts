// custom_id formats of buttons and modals. Discord caps a custom_id at 100 characters.

type CardAction = 'close' | 'reopen' | 'rate';

const PREFIX = 'tb';

export const customId = {
  button: (action: CardAction, ticketId: string): string => `${PREFIX}:${action}:${ticketId}`.slice(0, 100),
  retry: (jobKey: string): string | undefined => (jobKey.length <= 90 ? `${PREFIX}:retry:${jobKey}` : undefined),
  /** The open-ticket modal; `pending` names the stored command options (priority, category …). */
  openModal: (pending: string): string => `${PREFIX}:open:${pending}`,
  rateModal: (ticketId: string): string => `${PREFIX}:ratemodal:${ticketId}`.slice(0, 100),
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
  | { kind: 'refill'; submit: string }
  | { kind: 'fromMessage'; channelId: string; messageId: string }
  | { kind: 'list'; which: string; page: string }
  | { kind: 'similar'; choice: string; submit: string };

export function parseCustomId(id: string): ParsedCustomId | undefined {
  const match = /^tb:(close|reopen|rate|retry|open|ratemodal|refill|frommsg|list|similar):(.*)$/s.exec(id);
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

/** A Discord thread (or forum post): its channel id alone reaches it over REST. */
export interface DiscordThread {
  threadId: string;
}

/** ThreadRef of a Discord thread: `discord:<threadId>`. */
export const threadRef = (threadId: string): string => `discord:${threadId}`;

/** The thread a ref names (older refs carried guild and parent ids before it), or undefined. */
export function decodeThreadRef(ref: string): DiscordThread | undefined {
  const match = /^discord:(?:\d+:)*(\d{17,20})$/.exec(ref);
  return match?.[1] ? { threadId: match[1] } : undefined;
}

export function threadIdOf(ref: string): string {
  const thread = decodeThreadRef(ref);
  if (!thread) throw new Error(`not a Discord thread ref: ${ref}`);
  return thread.threadId;
}
