// Files in the fake workspace: files.info, the private download URL (a sign-in redirect without
// the bot token) and the external upload flow (files.getUploadURLExternal, the upload POST,
// files.completeUploadExternal), as strict as Slack about each step.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, type Args, type MethodContext, type Result } from './methods.js';
import type { SlackState } from './state.js';

export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  bytes: Buffer;
  user: string;
  /** Set once an external upload was completed, or for files seeded as shared. */
  shared: boolean;
  /** The length files.getUploadURLExternal was told, until the upload arrives. */
  expectedLength?: number;
  uploaded: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The file object as Slack shows it in events and files.info. */
export function publicFile(f: FakeFile, state: SlackState, origin: string): Record<string, unknown> {
  const path = `${state.team.id}-${f.id}/${encodeURIComponent(f.name)}`;
  return {
    id: f.id,
    created: 1_700_000_000,
    name: f.name,
    title: f.title,
    mimetype: f.mimetype,
    filetype: f.name.split('.').pop() ?? 'binary',
    user: f.user,
    mode: 'hosted',
    size: f.bytes.length,
    url_private: `${origin}/files-pri/${path}`,
    url_private_download: `${origin}/files-pri/${state.team.id}-${f.id}/download/${encodeURIComponent(f.name)}`,
    permalink: `https://${state.team.domain}.slack.com/files/${f.user}/${f.id}/${encodeURIComponent(f.name)}`,
  };
}

export function filesInfo(args: Args, { state, origin }: MethodContext): Result {
  const id = str(args.file);
  if (!id) return fail('invalid_arguments', ['[ERROR] missing required field: file']);
  const f = state.files.get(id);
  if (!f || !f.uploaded) return fail('file_not_found');
  return { ok: true, file: publicFile(f, state, origin()) };
}

export function getUploadUrlExternal(args: Args, { state, origin }: MethodContext): Result {
  const filename = str(args.filename);
  const length = Number(args.length);
  if (!filename) return fail('invalid_arguments', ['[ERROR] missing required field: filename']);
  if (args.length === undefined || !Number.isInteger(length) || length < 1) return fail('invalid_arguments', ['[ERROR] missing or bad field: length']);
  const id = state.nextId('F');
  state.files.set(id, { id, name: filename, title: filename, mimetype: 'application/octet-stream', bytes: Buffer.alloc(0), user: state.bot.userId, shared: false, expectedLength: length, uploaded: false });
  return { ok: true, upload_url: `${origin()}/upload/v1/${id}`, file_id: id };
}

export function completeUploadExternal(args: Args, ctx: MethodContext): Result {
  const { state } = ctx;
  const files = args.files;
  if (!Array.isArray(files) || files.length === 0) return fail('invalid_arguments', ['[ERROR] missing required field: files']);
  const found: FakeFile[] = [];
  for (const item of files as Args[]) {
    const f = state.files.get(String(item?.id ?? ''));
    if (!f) return fail('file_not_found');
    if (!f.uploaded) return fail('file_upload_size_mismatch'); // completed before its bytes arrived
    if (str(item.title)) f.title = String(item.title);
    found.push(f);
  }
  const channelId = str(args.channel_id);
  if (str(args.thread_ts) && !channelId) return fail('invalid_arguments', ['[ERROR] thread_ts requires channel_id']);
  if (channelId) {
    const channel = state.resolveChannel(channelId);
    if (!channel) return fail('channel_not_found');
    const thread = str(args.thread_ts);
    if (thread && !state.findMessage(channel.id, thread)) return fail('invalid_thread_ts');
    state.messages.push({
      type: 'message',
      channel: channel.id,
      ts: state.nextTs(),
      user: state.bot.userId,
      bot_id: state.bot.botId,
      subtype: 'file_share',
      ...(str(args.initial_comment) ? { text: String(args.initial_comment) } : {}),
      ...(thread ? { thread_ts: thread } : {}),
      files: found.map((f) => f.id),
    });
  }
  for (const f of found) f.shared = Boolean(channelId);
  return { ok: true, files: found.map((f) => ({ id: f.id, title: f.title })) };
}

/**
 * GET of a private file URL: the bytes with a valid bot token, else what a browser gets, a 302
 * to the sign-in page (an HTML page answered 200).
 */
export function serveDownload(req: IncomingMessage, res: ServerResponse, state: SlackState, fileId: string, origin: string): void {
  const token = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const f = state.files.get(fileId);
  if (!token || !state.tokens.has(token)) {
    res.writeHead(302, { location: `${origin}/signin?redir=${encodeURIComponent(req.url ?? '/')}` });
    res.end();
    return;
  }
  if (!f || !f.uploaded) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('file not found');
    return;
  }
  res.writeHead(200, { 'content-type': f.mimetype, 'content-length': String(f.bytes.length) });
  res.end(f.bytes);
}

export function serveSignin(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end('<!DOCTYPE html><html><head><title>Sign in | Slack</title></head><body>Sign in to your workspace</body></html>');
}

/**
 * The upload POST: the raw bytes (or a multipart form with them), exactly the length announced.
 * Slack answers `OK - <length>` as plain text.
 */
export function receiveUpload(req: IncomingMessage, res: ServerResponse, state: SlackState, fileId: string, body: Buffer): string | undefined {
  const f = state.files.get(fileId);
  const answer = (status: number, text: string): string => {
    res.writeHead(status, { 'content-type': 'text/plain' });
    res.end(text);
    return text;
  };
  if (!f || f.uploaded) return answer(404, 'upload URL not found or used');
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const bytes = type.startsWith('multipart/form-data') ? multipartFile(body, type) : body;
  if (!bytes) return answer(400, 'no file in the form');
  if (bytes.length !== f.expectedLength) return answer(400, `length ${bytes.length} does not match the ${String(f.expectedLength)} announced`);
  f.bytes = bytes;
  f.uploaded = true;
  const announced = /^([\w.+-]+\/[\w.+-]+)/.exec(type)?.[1];
  if (announced && !announced.startsWith('multipart/') && announced !== 'application/x-www-form-urlencoded') f.mimetype = announced;
  return answer(200, `OK - ${bytes.length}`);
}

/** The first part's content of a multipart body (enough for the one-file form the upload takes). */
function multipartFile(body: Buffer, type: string): Buffer | undefined {
  const boundary = /boundary=("?)([^";]+)\1/.exec(type)?.[2];
  if (!boundary) return undefined;
  const start = body.indexOf('\r\n\r\n', body.indexOf(`--${boundary}`));
  const end = body.indexOf(`\r\n--${boundary}`, start);
  return start < 0 || end < 0 ? undefined : body.subarray(start + 4, end);
}

/** A file someone shared, as a test seeds it; returns the file object an event carries. */
export function seedFile(state: SlackState, origin: string, file: { name: string; mimetype: string; bytes: Buffer; user?: string }): Record<string, unknown> {
  const id = state.nextId('F');
  const f: FakeFile = { id, name: file.name, title: file.name, mimetype: file.mimetype, bytes: file.bytes, user: file.user ?? 'U0000000001', shared: true, uploaded: true };
  state.files.set(id, f);
  return publicFile(f, state, origin);
}
