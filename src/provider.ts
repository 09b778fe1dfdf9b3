import { createHash } from 'node:crypto';
import type {
  OpenField,
  OpenTicketInput,
  ProviderCapabilities,
  ProviderId,
  Requester,
  Ticket,
  TicketSnapshot,
} from './domain.js';
import type { OutgoingFile } from './files.js';
import type { HttpClient, ProviderRequest } from './provider-kit/http.js';
import type { Limiters } from './limits.js';
import type { Logger } from './logger.js';
import type { Env } from './settings.js';
import type { KeyValueStore } from './store/index.js';

/**
 * A comment written through the bot. `text` is the final body, attribution included (see
 * `attributedText`); adapters send it verbatim so its fingerprint matches what comes back.
 */
interface NewComment {
  text: string;
  author: Requester;
  /** Files posted with it; an adapter whose `attachments` is `links` gets no bytes (the text names them). */
  files?: readonly OutgoingFile[];
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
 * A support desk. Adapters validate every response with zod, writes' answers included, and throw
 * ProviderError (never a raw zod or undici error): an answer that does not fit is `malformed`,
 * whose outcome is unknown. Optional methods exist only where the vendor's API has the feature
 * (`capabilitiesOf` reads them); the service turns a missing one into NotSupportedError with the
 * provider's own wording.
 */
export interface TicketProvider {
  readonly id: ProviderId;
  readonly displayName: string;
  /** The open-ticket form: the vendor's fields, with its limits and enumerations. */
  readonly fields: readonly OpenField[];
  /**
   * Re-reads the choices the vendor lists itself (categories, services) that `fields` and
   * `validateOpen` use; cached by the adapter, and a failed read keeps what it had. Only where
   * the API lists them.
   */
  refreshFields?(): Promise<void>;
  /**
   * Validate input the vendor would reject (length limits, enumerations) before any call.
   * Returns field → message, empty when the input is acceptable.
   */
  validateOpen(input: OpenTicketInput): Record<string, string>;
  /** `files` only where `createFiles` says the create call carries them, in that form. */
  createTicket(input: OpenTicketInput, requester: Requester, files?: readonly OutgoingFile[]): Promise<TicketSnapshot>;
  /** The ticket and all its comments, in the provider's order, each with its origin. */
  getTicket(ticketId: string): Promise<TicketSnapshot>;
  /**
   * Adds a customer comment. Returns the comment's id where the vendor returns one; otherwise the
   * caller remembers a content hash (see `commentFingerprint`).
   */
  addComment(ticketId: string, comment: NewComment): Promise<{ id?: string }>;
  /**
   * The bytes of a file of an agent's comment (`CommentFile.ref`); only where the API hands them
   * out. An adapter that downloads them reads at most `maxBytes` (more throws FileTooLarge).
   */
  readAttachment?(ticketId: string, ref: string, maxBytes: number): Promise<Buffer>;
  closeTicket?(ticketId: string): Promise<void>;
  reopenTicket?(ticketId: string, text: string): Promise<void>;
  /** `score` is 1–5; adapters map it onto the vendor's scale. */
  rateTicket?(ticketId: string, score: number, comment?: string): Promise<void>;
  /**
   * The ticket this bot created whose description carries `marker` (the line `openings.ts` adds),
   * looked up among the vendor's recent tickets; undefined when the vendor has none. How an
   * opening cut off by a crash is found again; only where the API can list tickets.
   */
  findOpened?(marker: string, requester: Requester): Promise<TicketSnapshot | undefined>;
  /** Tickets changed since `cursor` (undefined on the first call), newest high-water mark as cursor. */
  listUpdatedSince?(cursor: string | undefined, knownOpen: readonly string[]): Promise<UpdatedTickets>;
  /**
   * Whether the vendor accepts the configured credentials: one harmless, documented, read-only
   * call. `check` throws the call's ProviderError; only kind `auth` (401/403) means refused, and
   * then `variable` names the setting to fix. Absent where there is nothing to check (the local desk).
   */
  readonly access?: { readonly variable: string; check(): Promise<void> };
  /**
   * How the comment call carries files: `bytes` (the file itself goes with the comment) or `links`
   * (the API takes no file, or only a URL: the comment names each file with its chat link, and the
   * person is told once that support got a link). Absent means `links`.
   */
  readonly attachments?: 'bytes' | 'links';
  /**
   * How the create call carries the files posted with the open form: `bytes` (the files
   * themselves) or `links` (each file's chat link, for the vendor to fetch; the description names
   * them too). Absent: the create call takes none, and the files follow as the ticket's first
   * comment, through the outbox, carried as `attachments` says.
   */
  readonly createFiles?: 'bytes' | 'links';
  /** Words to tell a user when a feature is missing ("<vendor>'s API cannot close tickets …"). */
  readonly unsupported?: Partial<Record<'close' | 'reopen' | 'rate', string>>;
}

/** What a provider can do, read off the methods it has, so a feature is never declared apart from its code. */
export function capabilitiesOf(provider: TicketProvider): ProviderCapabilities {
  return {
    close: provider.closeTicket !== undefined,
    reopen: provider.reopenTicket !== undefined,
    rate: provider.rateTicket !== undefined,
    updatedSince: provider.listUpdatedSince !== undefined,
    fields: provider.fields,
  };
}

/** What every adapter factory receives: its own settings and the shared machinery. */
export interface ProviderDeps {
  http: HttpClient;
  logger: Logger;
  /** Only the local desk uses it: tickets live in the same store as everything else. */
  kv: KeyValueStore;
  env: Env;
  /** Vendor rate limits, shared by every replica on Redis; in process when absent. */
  limiters?: Limiters;
  /** The local clock in ms the update walk settles its mark by; Date.now unless a test sets it. */
  now?: () => number;
}

export type ProviderFactory = (deps: ProviderDeps) => TicketProvider;

/** Reads an adapter's own settings from the environment; a bad one throws ConfigError naming it. */
export type ReadSettings<S> = (env: Env) => S;

/** A vendor's status word as the neutral status, and the words to show for it. */
export type ToStatus = (vendorWord: string) => Pick<Ticket, 'status' | 'vendorStatus'>;

/** One call to a vendor: its method and its path below the base URL. */
export type Route = Pick<ProviderRequest, 'method' | 'path'>;

/** Every call an adapter makes, by name: a route, a function of ids that builds one, or a family of them. */
export interface Routes {
  readonly [name: string]: Route | ((...ids: string[]) => Route) | Routes;
}

/**
 * What every adapter folder exports, under the same names, so knowing one means knowing all. The
 * registry loads each folder as this type: a folder whose exports drift does not compile.
 */
export interface ProviderModule {
  createProvider: ProviderFactory;
  readSettings: ReadSettings<unknown>;
  toStatus: ToStatus;
  routes: Routes;
}

/**
 * A content hash of a comment, for vendors that return no comment id: whitespace is folded the
 * way vendors tend to store text, so what the bot wrote is recognised when it comes back.
 */
export function commentFingerprint(ticketId: string, text: string): string {
  const normalised = text.replace(/\s+/g, ' ').trim();
  return 'h:' + createHash('sha256').update(`${ticketId}\u0000${normalised}`).digest('hex').slice(0, 32);
}
