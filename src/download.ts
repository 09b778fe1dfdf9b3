/** undici, loaded with the first transfer: most bots never move a file (see provider-kit/http.ts). */
const undici = () => import('undici');

/** The default deadline of a whole download or upload: a file of some megabytes on a slow link. */
const FILE_DEADLINE_MS = 30_000;

/** Where a file may be downloaded from, and how. */
export interface DownloadRule {
  /** Host names the URL must have; anything else is refused before any request. */
  hosts: readonly string[];
  /** Sent with the request (a bot token); only ever to the hosts above. */
  headers?: Record<string, string>;
  /** The whole download's deadline (default 30 s: a file of some megabytes on a slow link). */
  timeoutMs?: number;
  /** More bytes than this are not read. */
  maxBytes: number;
}

/** A download refused or failed; the message is for the log and never holds a header. */
export class DownloadError extends Error {
  override name = 'DownloadError';

  /** `transient`: the host was away or failed (network, timeout, 5xx, 429); trying later can help. */
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
  }
}

/** The file turned out larger than the platform said, and than the limit. */
export class FileTooLarge extends DownloadError {
  override name = 'FileTooLarge';
}

/**
 * Downloads a chat file. No redirect is followed (a file host that redirects is sending the
 * client to a sign-in page), only a 200 counts, and an HTML answer for a file that is not HTML is
 * a sign-in page too. The whole download has one deadline.
 */
export async function downloadFile(url: string, rule: DownloadRule, declaredType: string): Promise<Buffer> {
  const target = URL.canParse(url) ? new URL(url) : undefined;
  if (!target || !/^https?:$/.test(target.protocol) || !rule.hosts.includes(target.hostname)) {
    throw new DownloadError(`not a file host this bot downloads from: ${target?.hostname ?? 'unparsable URL'}`);
  }
  const signal = AbortSignal.timeout(rule.timeoutMs ?? FILE_DEADLINE_MS);
  let answer;
  try {
    const { request } = await undici();
    answer = await request(target, { method: 'GET', headers: rule.headers ?? {}, signal });
  } catch (error) {
    throw new DownloadError(`download from ${target.hostname} failed: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  const type = String(answer.headers['content-type'] ?? '');
  if (answer.statusCode !== 200 || (/^text\/html\b/i.test(type) && !/^text\/html\b/i.test(declaredType))) {
    await answer.body.dump();
    const hostTrouble = answer.statusCode >= 500 || answer.statusCode === 429;
    throw new DownloadError(`download from ${target.hostname} answered HTTP ${answer.statusCode} ${type || 'without a content type'}`, hostTrouble);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > rule.maxBytes) {
        answer.body.destroy();
        throw new FileTooLarge(`download from ${target.hostname} is larger than ${rule.maxBytes} bytes`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(`download from ${target.hostname} broke off: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  return Buffer.concat(chunks);
}

/**
 * Sends a file's bytes to an upload URL a platform handed out (Slack's external upload), only to
 * the hosts named, without following a redirect, under one deadline; anything but a 200 throws.
 */
export async function uploadBytes(url: string, upload: { bytes: Buffer; contentType: string }, rule: Pick<DownloadRule, 'hosts' | 'timeoutMs'>): Promise<void> {
  const timeoutMs = rule.timeoutMs ?? FILE_DEADLINE_MS;
  const target = URL.canParse(url) ? new URL(url) : undefined;
  if (!target || !/^https?:$/.test(target.protocol) || !rule.hosts.includes(target.hostname)) {
    throw new DownloadError(`not a file host this bot uploads to: ${target?.hostname ?? 'unparsable URL'}`);
  }
  let status: number;
  try {
    const { request } = await undici();
    const answer = await request(target, { method: 'POST', headers: { 'content-type': upload.contentType }, body: upload.bytes, signal: AbortSignal.timeout(timeoutMs) });
    status = answer.statusCode;
    await answer.body.dump();
  } catch (error) {
    throw new DownloadError(`upload to ${target.hostname} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (status !== 200) throw new DownloadError(`upload to ${target.hostname} answered HTTP ${status}`);
}
