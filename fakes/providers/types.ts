import type { TicketStatus } from '../../src/domain.js';

/** A file a support agent attaches, as a test gives it; each fake keeps it as its vendor shows it. */
export interface AgentFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

/** A canned answer the fake gives instead of its normal one (for fault tests). */
export interface FakeFault {
  status: number;
  /** JSON body (or a string sent as text/plain). */
  body?: unknown;
  /** Sent verbatim, e.g. malformed JSON. */
  raw?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
  /**
   * The vendor acts on the request first (the comment is written), then answers with this fault
   * after `delayMs`: a slow success that the client sees as a timeout or an error.
   */
  afterHandling?: boolean;
  /** A slow vendor: waits `delayMs`, then handles the request and answers as usual (`status` unused). */
  slow?: boolean;
}

/** Picks a fault for a request, or undefined to answer normally (random faults in chaos tests). */
export type FaultPicker = (req: RecordedRequest) => FakeFault | undefined;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  /** When it arrived (Date.now()), and the status it was answered with once answered. */
  at: number;
  status?: number;
}

/**
 * A vendor's support API on 127.0.0.1, strict as the vendor: wrong or missing auth → the vendor's
 * 401, a missing required field → the vendor's 400 body. Tests play the support agent through it.
 */
export interface FakeProviderServer {
  readonly url: string;
  /** The environment that points the adapter at this fake, credentials included. */
  readonly env: Record<string, string>;
  /**
   * A support agent writes on a ticket, with `files` attached the vendor's way; returns the
   * vendor's comment id if it has one. A vendor whose replies carry no files throws on `files`.
   */
  addAgentComment(ticketId: string, text: string, author?: string, files?: readonly AgentFile[]): string | undefined;
  /** Support changes the status; the fake translates the neutral status into the vendor's word. */
  setStatus(ticketId: string, status: TicketStatus): void;
  /** The next `count` requests (matching `path`, when given) get `fault` instead. */
  failNext(count: number, fault: FakeFault, path?: RegExp): void;
  /**
   * The vendor carries out the next request (matching `path`, when given), then answers HTTP 200
   * with `body`, or with no body at all when `body` is undefined: a success the client cannot
   * read, so it cannot know what happened.
   */
  oddSuccess(body: unknown, path?: RegExp): void;
  /** Turns the vendor's own request limit off (seeding a benchmark's data) or back on, where the fake has one. */
  liftLimit?(lifted: boolean): void;
  /** Asks `pick` about every request from now on (undefined stops it); queued `failNext` faults go first. */
  setChaos?(pick: FaultPicker | undefined): void;
  /**
   * Texts of every comment the vendor holds for a ticket, in order, with whether the bot wrote it,
   * and the files the vendor keeps with it (by name; bytes where the vendor holds them, else its link).
   */
  comments(ticketId: string): { text: string; byCustomer: boolean; files?: { name: string; contentType: string; bytes?: Buffer; url?: string }[] }[];
  /** The vendor-shaped ticket record, for assertions on what the adapter sent. */
  ticket(ticketId: string): Record<string, unknown> | undefined;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}
