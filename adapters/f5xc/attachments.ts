import { createHash } from 'node:crypto';
import type { CommentFile } from '../../src/domain.js';
import { WireAttachment, type WireComment, type WireTicket } from './schemas.js';

/** Hears of an attachment entry that was left out, or named without its bytes, for the log. */
export type AttachmentProblem = (detail: { commentId: string; index: number; problem: string }) => void;

// A character class and a length check, not a grouped repetition: V8 backtracks through a
// repeated group once per 4 characters, and overflows its stack on a file of a few MB.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const UNTYPED = 'application/octet-stream';

/** The entry's base64, line breaks and spaces taken out (MIME-style wrapping); empty when it has none. */
function contentOf(entry: WireAttachment): string {
  return entry.attachment?.replace(/\s+/g, '') ?? '';
}

function isBase64(content: string): boolean {
  return content.length % 4 === 0 && BASE64.test(content);
}

/**
 * A file's ref: the hash of its base64, so it is the same on every read and `readAttachment`
 * finds it again without a file id, which F5 does not always give (`tp_id` is optional [seed]).
 */
function refOf(content: string): string {
  return createHash('sha256').update(content).digest('hex');
}

function decodedSize(content: string): number {
  const padding = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  return (content.length / 4) * 3 - padding;
}

/**
 * The files of a comment: each `attachments_info` entry with its bytes inline becomes a file the
 * chat can receive; one without bytes (only F5's handle) or with content that is not base64 is
 * named, and the post says support has it. An entry that is not an attachment object at all is left
 * out. When a comment lists `attachment_ids` but no `attachments_info`, each id is named
 * [assumed: the ids are those of files F5 did not inline].
 */
export function commentFiles(comment: WireComment, commentId: string, problem: AttachmentProblem): CommentFile[] {
  const files: CommentFile[] = [];
  for (const [index, raw] of (comment.attachments_info ?? []).entries()) {
    const parsed = WireAttachment.safeParse(raw);
    if (!parsed.success) {
      problem({ commentId, index, problem: `not an attachment: ${parsed.error.issues[0]?.message ?? 'unreadable'}` });
      continue;
    }
    const name = parsed.data.filename?.trim() || 'attachment';
    const contentType = parsed.data.content_type?.trim() || UNTYPED;
    const content = contentOf(parsed.data);
    if (content && isBase64(content)) {
      files.push({ name, contentType, size: decodedSize(content), ref: refOf(content) });
      continue;
    }
    if (content) problem({ commentId, index, problem: 'content is not base64; named without it' });
    files.push({ name, contentType });
  }
  if (files.length === 0 && !comment.attachments_info?.length) {
    for (const id of comment.attachment_ids ?? []) {
      if (typeof id === 'string' && id.trim()) files.push({ name: `attachment ${id.trim()}`, contentType: UNTYPED });
    }
  }
  return files;
}

/** The bytes of the attachment whose ref is `ref`, wherever in the ticket's comments it is. */
export function attachmentBytes(wire: WireTicket, ref: string): Buffer | undefined {
  for (const comment of wire.spec.comments) {
    for (const raw of comment.attachments_info ?? []) {
      const parsed = WireAttachment.safeParse(raw);
      const content = parsed.success ? contentOf(parsed.data) : '';
      if (content && isBase64(content) && refOf(content) === ref) return Buffer.from(content, 'base64');
    }
  }
  return undefined;
}
