import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDesk } from '../../adapters/local/desk.js';
import { createProvider as createLocalProvider } from '../../adapters/local/index.js';
import { Bridge } from '../../src/bridge.js';
import type { NewDeskFile } from '../../adapters/local/files.js';
import type { DeskComment, DeskFile, DeskTicket } from '../../adapters/local/schemas.js';
import type { TicketStatus } from '../../src/domain.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { TicketProvider } from '../../src/provider.js';
import type { TicketService } from '../../src/service.js';
import { openStore, type KeyValueStore } from '../../src/store/index.js';

export interface HarnessOptions {
  /** Defaults to a fresh in-memory SQLite store. */
  storeUrl?: string;
  /** A store already open (e.g. one made to fail); closed with the harness. */
  kv?: KeyValueStore;
  /** Defaults to the local desk on the same store; `deskEnv` points a local desk at the harness's files. */
  provider?: (kv: KeyValueStore, deskEnv: Record<string, string>) => TicketProvider;
  pollIntervalMs?: number;
  /** Poller and outbox leases (default: the Bridge's). */
  leaseMs?: number;
  logger?: Logger;
  /** Reconciliation of unfinished openings (default: the Bridge's). */
  openings?: { intervalMs?: number; graceMs?: number };
  /** MAX_ATTACHMENT_MB (default the Bridge's). */
  maxAttachmentMb?: number;
}

export interface Harness {
  bridge: Bridge;
  service: TicketService;
  kv: KeyValueStore;
  /** The support agent's side of the local desk. */
  desk: {
    reply(ticketId: string, text: string, author?: string): Promise<void>;
    setStatus(ticketId: string, status: TicketStatus): Promise<void>;
    comments(ticketId: string): Promise<DeskComment[]>;
    /** The ticket as the desk keeps it, files of its description included. */
    ticket(ticketId: string): Promise<DeskTicket>;
    /** The bytes the desk keeps for a file of a comment or description. */
    file(file: DeskFile): Promise<Buffer>;
    /** The agent edits the last comment of a ticket. */
    editLast(ticketId: string, text: string): Promise<void>;
    /** An agent's reply with files, as `npm run desk -- reply --attach` writes it. */
    replyWith(ticketId: string, text: string, files: NewDeskFile[]): Promise<void>;
  };
  /** The env the local desk's provider reads (its files directory, a fresh temporary one). */
  deskEnv: Record<string, string>;
  close(): Promise<void>;
}

/** The whole core on an in-memory store with a fast poll, for end-to-end tests of front-ends. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const kv = options.kv ?? (await openStore(options.storeUrl ?? 'sqlite://:memory:'));
  const http = createHttpClient(silentLogger);
  const logger = options.logger ?? silentLogger;
  const filesDir = mkdtempSync(join(tmpdir(), 'desk-files-'));
  const deskEnv = { LOCAL_FILES_DIR: filesDir };
  const provider = options.provider?.(kv, deskEnv) ?? createLocalProvider({ http, logger, kv, env: deskEnv });
  const bridge = new Bridge({
    provider,
    kv,
    logger,
    pollIntervalMs: options.pollIntervalMs ?? 100,
    outboxRetry: { baseMs: 20, maxMs: 200 },
    outboxIdleMs: 50,
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.openings ? { openings: options.openings } : {}),
    ...(options.maxAttachmentMb ? { maxAttachmentMb: options.maxAttachmentMb } : {}),
  });
  const desk = new LocalDesk(kv, filesDir);
  return {
    bridge,
    service: bridge.service,
    kv,
    desk: {
      reply: async (ticketId, text, author = 'Grace (support)') => void (await desk.comment(ticketId, 'agent', author, text)),
      setStatus: async (ticketId, status) => void (await desk.setStatus(ticketId, status)),
      comments: (ticketId) => desk.comments(ticketId),
      ticket: (ticketId) => desk.get(ticketId),
      file: (file) => desk.files.read(file),
      editLast: async (ticketId, text) => desk.editComment(ticketId, (await desk.comments(ticketId)).at(-1)!.id, text),
      replyWith: async (ticketId, text, files) => void (await desk.comment(ticketId, 'agent', 'Grace (support)', text, files)),
    },
    deskEnv,
    async close() {
      await bridge.stop();
      await kv.close();
      await http.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what = 'condition', timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits for `cycles` more reads of the vendor's list or ticket (GETs whose path matches `path`):
 * a comment that was to be posted twice would have been by then.
 */
export async function morePolls(fake: { readonly requests: readonly { method: string; path: string }[] }, path: RegExp, cycles = 2): Promise<void> {
  const reads = () => fake.requests.filter((r) => r.method === 'GET' && path.test(r.path)).length;
  const target = reads() + cycles;
  await waitFor(() => reads() >= target, `${cycles} more poll cycles`, 8_000);
}

export { dropRedisPrefix, REDIS_URL, uniqueRedisUrl } from '../../fakes/redis.js';
