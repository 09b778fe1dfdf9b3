// custom_id formats of buttons and modals. Discord caps a custom_id at 100 characters.

type CardAction = 'close' | 'reopen' | 'rate';

const PREFIX = 'tb';

export const customId = {
  button: (action: CardAction, ticketId: string): string => `${PREFIX}:${action}:${ticketId}`.slice(0, 100),
  retry: (jobKey: string): string | undefined => (jobKey.length <= 90 ? `${PREFIX}:retry:${jobKey}` : undefined),
  /** The open-ticket modal; `pending` names the stored command options (priority, category …). */
  openModal: (pending: string): string => `${PREFIX}:open:${pending}`,
  rateModal: (ticketId: string): string => `${PREFIX}:ratemodal:${ticketId}`.slice(0, 100),
};

type ParsedCustomId =
  | { kind: 'button'; action: CardAction; ticketId: string }
  | { kind: 'retry'; jobKey: string }
  | { kind: 'open'; pending: string }
  | { kind: 'rate'; ticketId: string };

export function parseCustomId(id: string): ParsedCustomId | undefined {
  const match = /^tb:(close|reopen|rate|retry|open|ratemodal):(.*)$/s.exec(id);
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
