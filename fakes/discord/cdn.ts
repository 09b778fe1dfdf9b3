// The fake's attachment CDN: every uploaded or seeded attachment gets a signed URL on the fake's
// own host (as Discord's cdn.discordapp.com URLs carry ex/is/hm), served only while the
// signature matches; anything else answers Discord's "no longer available".
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Json } from './state.js';
import { nextSnowflake } from './state.js';

/** A file as it arrives in a multipart message, or as a test seeds one. */
export interface AttachmentFile { name: string; contentType: string; bytes: Buffer }

/** Discord's upload limit for a bot in an unboosted guild. */
export const ATTACHMENT_LIMIT = 10 * 1024 * 1024;

const SECRET = 'fake-cdn-secret';
const sign = (path: string, ex: string): string => createHmac('sha256', SECRET).update(`${path}\u0000${ex}`).digest('hex');

export class FakeCdn {
  origin = '';
  private readonly files = new Map<string, AttachmentFile>();

  /**
   * Stores the files and returns their attachment objects, URLs signed for a day. Files uploaded
   * in a modal are `ephemeral`: Discord keeps them under /ephemeral-attachments/ and marks them so.
   */
  attach(channelId: string, files: readonly AttachmentFile[], ephemeral = false): Json[] {
    return files.map((f) => {
      const id = nextSnowflake();
      const path = `/${ephemeral ? 'ephemeral-attachments' : 'attachments'}/${channelId}/${id}/${encodeURIComponent(f.name)}`;
      this.files.set(path, f);
      const ex = Math.floor(Date.now() / 1000 + 86_400).toString(16);
      const url = `${this.origin}${path}?ex=${ex}&is=${Math.floor(Date.now() / 1000).toString(16)}&hm=${sign(path, ex)}&`;
      return { id, filename: f.name, size: f.bytes.length, url, proxy_url: url, content_type: f.contentType || 'application/octet-stream', ...(ephemeral ? { ephemeral: true } : {}) };
    });
  }

  /** The bytes behind an attachment URL, for tests. */
  bytesOf(url: string): Buffer | undefined {
    return this.files.get(new URL(url).pathname)?.bytes;
  }

  /** Serves GET /attachments/… and /ephemeral-attachments/…; false when the path is not the CDN's. */
  serve(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (!/^\/(ephemeral-)?attachments\//.test(url.pathname) || req.method !== 'GET') return false;
    const file = this.files.get(url.pathname);
    const ex = url.searchParams.get('ex') ?? '';
    const valid = file && url.searchParams.get('hm') === sign(url.pathname, ex) && parseInt(ex, 16) * 1000 > Date.now();
    if (!valid) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('This content is no longer available.');
      return true;
    }
    res.writeHead(200, { 'content-type': file.contentType, 'content-length': String(file.bytes.length) }).end(file.bytes);
    return true;
  }
}
