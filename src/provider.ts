import { createHash } from 'node:crypto';
import type {
  OpenTicketInput,
  ProviderCapabilities,
  ProviderId,
  Requester,
  TicketSnapshot,
} from './domain.js';
import type { HttpClient } from './provider-kit/http.js';
import type { Logger } from './logger.js';
import type { KeyValueStore } from './store/index.js';

/**
 * A comment written through the bot. `text` is the final body, attribution included (see
 * `attributedText`); adapters send it verbatim so its fingerprint matches what comes back.
 */
interface NewComment {
  text: string;
  author: Requester;
}

/** The body the vendor receives for a chat message: the text, then who wrote it and where. */
export function attributedText(text: string, author: Requester): string {
  return `${text.trim()}\n\n— ${author.name} (via chat)`;
}

/** The chat user's name when `text` ends with the line `attributedText` adds, else undefined. */
export function attributionOf(text: string): string | undefined {
  return /(?:^|\s)— ([^\n]+?) \(via chat\)\s*$/u.exec(text)?.[1];
}

/** Result of `listUpdatedSince`: the ticket ids that changed and the cursor to ask from next. */
export interface UpdatedTickets {
  ticketIds: string[];
  cursor: string;
}

/**
 * A support desk. Adapters validate every response with zod and throw ProviderError (never a raw
 * zod or undici error). Optional methods exist only where the vendor's API has the feature; the
 * service turns a missing one into NotSupportedError with the provider's own wording.
 */
export interface TicketProvider {
  readonly id: ProviderId;
  readonly displayName: string;
  readonly capabilities: ProviderCapabilities;
  /**
   * Validate input the vendor would reject (length limits, enumerations) before any call.
   * Returns field → message, empty when the input is acceptable.
   */
  validateOpen(input: OpenTicketInput): Record<string, string>;
  createTicket(input: OpenTicketInput, requester: Requester): Promise<TicketSnapshot>;
  /** The ticket and all its comments, in the provider's order, each with its origin. */
  getTicket(ticketId: string): Promise<TicketSnapshot>;
  /**
   * Adds a customer comment. Returns the comment's id where the vendor returns one; otherwise the
   * caller remembers a content hash (see `commentFingerprint`).
   */
  addComment(ticketId: string, comment: NewComment): Promise<{ id?: string }>;
  closeTicket?(ticketId: string): Promise<void>;
  reopenTicket?(ticketId: string, text: string): Promise<void>;
  /** `score` is 1–5; adapters map it onto the vendor's scale. */
  rateTicket?(ticketId: string, score: number, comment?: string): Promise<void>;
  /** Tickets changed since `cursor` (undefined on the first call), newest high-water mark as cursor. */
  listUpdatedSince?(cursor: string | undefined, knownOpen: readonly string[]): Promise<UpdatedTickets>;
  /** Words to tell a user when a feature is missing ("Console Connect's API cannot close tickets …"). */
  readonly unsupported?: Partial<Record<'close' | 'reopen' | 'rate', string>>;
}

/** What every adapter factory receives: its own settings and the shared machinery. */
export interface ProviderDeps {
  http: HttpClient;
  logger: Logger;
  /** Only the local desk uses it: tickets live in the same store as everything else. */
  kv: KeyValueStore;
  env: Readonly<Record<string, string | undefined>>;
}

export type ProviderFactory = (deps: ProviderDeps) => TicketProvider;

/**
 * A content hash of a comment, for vendors that return no comment id: whitespace is folded the
 * way vendors tend to store text, so what the bot wrote is recognised when it comes back.
 */
export function commentFingerprint(ticketId: string, text: string): string {
  const normalised = text.replace(/\s+/g, ' ').trim();
  return 'h:' + createHash('sha256').update(`${ticketId}\u0000${normalised}`).digest('hex').slice(0, 32);
}
