import { createHash } from 'node:crypto';
import { z } from 'zod';
import { FileTooLarge } from './download.js';
import type { LinkStore } from './links.js';
import type { TicketProvider } from './provider.js';
import type { KeyValueStore } from './store/index.js';

/**
 * A file as an outbox job carries it: its bytes stay in the store under `blob`, so the job record
 * stays small and a redelivered event that stores the same bytes again lands on the same key.
 */
export const FileRef = z.object({
  name: z.string().min(1),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  /** The store key of the bytes (`blob:<sha-256>`). */
  blob: z.string(),
  /** Where people who can see the chat can open it (Slack permalink, Discord attachment URL). */
  link: z.string().optional(),
});
export type FileRef = z.infer<typeof FileRef>;

/** A file on its way to the provider; `bytes` is absent when the store no longer holds them. */
export interface OutgoingFile {
  name: string;
  contentType: string;
  size: number;
  bytes?: Buffer | undefined;
  link?: string | undefined;
}

/**
 * A file someone posted in chat, as the front-end offers it: what the platform says about it, and
 * a way to download it that the core calls only for files within the size limit.
 */
export interface IncomingFile {
  name: string;
  contentType: string;
  /** The platform's stated size; the downloaded bytes are checked again. */
  size: number;
  link?: string;
  /** Downloads it, reading at most `maxBytes` (more throws FileTooLarge). */
  read(maxBytes: number): Promise<Buffer>;
}

/**
 * How long a file's bytes stay in the store: long past any retry of the job that carries them (the
 * outbox backs off to five minutes), short enough that the store does not keep every screenshot.
 */
const BLOB_TTL_MS = 30 * 24 * 3_600_000;

/**
 * File bytes in the key-value store, content-addressed. The store rather than a data-directory
 * file: on Redis the outbox job may run on another replica, which shares the store but not a disk,
 * and a backup of the store then holds every queued job whole.
 */
export class BlobStore {
  constructor(private readonly kv: KeyValueStore) {}

  async put(bytes: Buffer): Promise<string> {
    const key = `blob:${createHash('sha256').update(bytes).digest('hex')}`;
    await this.kv.set(key, bytes.toString('base64'), BLOB_TTL_MS);
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    const stored = await this.kv.get<string>(key);
    return typeof stored === 'string' ? Buffer.from(stored, 'base64') : undefined;
  }
}

/** Human size, as people read it next to a file name: 512 B, 3.4 KB, 12.0 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * A line per file for where the file itself cannot go: its name, size (where known) and link
 * (`noLink` when it has none).
 */
export function fileLinksText(files: readonly { name: string; size?: number | undefined; link?: string | undefined }[], noLink = ''): string {
  return files.map((f) => `📎 ${f.name}${f.size === undefined ? '' : ` (${formatSize(f.size)})`}${f.link ? `: ${f.link}` : noLink}`).join('\n');
}

/**
 * Something the person must hear about their files, said in their language by the handlers: a file
 * over the limit, one that could not be fetched, or that the vendor got links instead of files.
 */
export type FileNote =
  | { kind: 'too_large'; file: string; limit: string }
  | { kind: 'not_downloaded'; file: string }
  | { kind: 'links_only'; provider: string };

/** What became of the files of one chat message: those stored for the job, and what to tell the person. */
export interface TakenFiles {
  refs: FileRef[];
  notes: FileNote[];
}

/**
 * Takes the files of a chat message in: a file over the limit is not downloaded, one whose download
 * fails or turns out larger is left out, and each of the rest is stored once. Nothing here stops
 * the text: the comment goes with whatever files could be taken.
 */
export async function takeFiles(files: readonly IncomingFile[], blobs: BlobStore, maxBytes: number): Promise<TakenFiles> {
  const refs: FileRef[] = [];
  const notes: FileNote[] = [];
  const limit = formatSize(maxBytes);
  for (const file of files) {
    const tooLarge: FileNote = { kind: 'too_large', file: file.name, limit };
    if (file.size > maxBytes) {
      notes.push(tooLarge);
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await file.read(maxBytes);
    } catch (error) {
      // The front-end's reader logs why; the person hears which file, not the details.
      notes.push(error instanceof FileTooLarge ? tooLarge : { kind: 'not_downloaded', file: file.name });
      continue;
    }
    if (bytes.length > maxBytes) {
      notes.push(tooLarge);
      continue;
    }
    const blob = await blobs.put(bytes);
    refs.push({ name: file.name, contentType: file.contentType, size: bytes.length, blob, ...(file.link ? { link: file.link } : {}) });
  }
  return { refs, notes };
}

/**
 * Stored files as a vendor call takes them: with their bytes where it takes `bytes`, else name and
 * link only (the text names them). Bytes the store no longer holds (kept 30 days) leave the file
 * out rather than the call; `missing` hears of each.
 */
export async function outgoingFiles(refs: readonly FileRef[], blobs: BlobStore, mode: 'bytes' | 'links', missing: (file: FileRef) => void): Promise<OutgoingFile[]> {
  if (mode !== 'bytes') return refs.map(({ blob: _blob, ...file }) => file);
  const files: OutgoingFile[] = [];
  for (const ref of refs) {
    const { blob, ...file } = ref;
    const bytes = await blobs.get(blob);
    if (bytes) files.push({ ...file, bytes });
    else missing(ref);
  }
  return files;
}

/** A comment's words: where the vendor takes no files, each file's name, size and link follow the text. */
export function commentText(provider: Pick<TicketProvider, 'attachments'>, text: string, files: readonly FileRef[]): string {
  if (!files.length) return text;
  if (provider.attachments === 'bytes') return text || `(${files.map((f) => f.name).join(', ')})`;
  return [text, fileLinksText(files)].filter(Boolean).join('\n\n');
}

/** Where files reach support as links, the person hears it once per ticket. */
export async function noteLinksOnce(deps: { links: LinkStore; provider: Pick<TicketProvider, 'displayName'> }, ticketId: string, notes: FileNote[]): Promise<void> {
  if (await deps.links.firstLinkNotice(ticketId)) notes.push({ kind: 'links_only', provider: deps.provider.displayName });
}
