import type { CommentFile } from '../../src/domain.js';
import { WireAttachment, type TicketAnswer, type WireActivity } from './schemas.js';

/** Hears of an attachment entry that was left out, for the log. */
export type AttachmentProblem = (detail: { activityId: string; index: number; problem: string }) => void;

const UNTYPED = 'application/octet-stream';

/** Only a web address is a link people may be sent to, or the bot may download from. */
function webUrl(url: string | null | undefined): string | undefined {
  const trimmed = url?.trim() ?? '';
  return /^https?:\/\/\S+$/i.test(trimmed) && URL.canParse(trimmed) ? trimmed : undefined;
}

/**
 * An activity's attachments [seed: `data.attachments[{key, mime, name, size, url, height, width}]`]
 * as files. `url` is where the file can be opened; `key` is its handle, the ref `readAttachment`
 * looks the file up by, given only where the URL is on one of `hosts` (elsewhere the post shows the
 * link). The seed names no call that downloads a file by its key, so a file without a URL can only
 * be named [assumed: the URL opens without the API's credentials]. An entry that is not an
 * attachment object is left out; the comment keeps its text and other files.
 */
export function activityFiles(activity: WireActivity, hosts: readonly string[], problem: AttachmentProblem): CommentFile[] {
  const files: CommentFile[] = [];
  for (const [index, raw] of (activity.data?.attachments ?? []).entries()) {
    const parsed = WireAttachment.safeParse(raw);
    if (!parsed.success) {
      problem({ activityId: activity.id, index, problem: `not an attachment: ${parsed.error.issues[0]?.message ?? 'unreadable'}` });
      continue;
    }
    const { key, mime, name, size } = parsed.data;
    const url = webUrl(parsed.data.url);
    files.push({
      name: name?.trim() || 'attachment',
      contentType: mime?.trim() || UNTYPED,
      ...(typeof size === 'number' && Number.isInteger(size) && size >= 0 ? { size } : {}),
      ...(url ? { url } : {}),
      ...(url && key && hosts.includes(new URL(url).hostname) ? { ref: key } : {}),
    });
  }
  return files;
}

/**
 * The text earlier releases relayed for an activity: the attachments as markdown links after it.
 * Comments relayed then are recognised by it, so their posts are not taken for an agent's edit.
 */
export function linkedText(text: string, activity: WireActivity): string {
  const links = (activity.data?.attachments ?? []).flatMap((raw) => {
    const parsed = WireAttachment.safeParse(raw);
    return parsed.success && parsed.data.url ? [`[${parsed.data.name?.trim() || 'attachment'}](${parsed.data.url})`] : [];
  });
  return [text, ...links].filter(Boolean).join('\n\n');
}

/** Where the attachment whose key is `ref` can be downloaded now, from the ticket as read just now. */
export function attachmentUrl(answer: TicketAnswer, ref: string): { url: string; mime: string } | undefined {
  for (const activity of answer.activities ?? []) {
    for (const raw of activity.data?.attachments ?? []) {
      const parsed = WireAttachment.safeParse(raw);
      const url = parsed.success && parsed.data.key === ref ? webUrl(parsed.data.url) : undefined;
      if (url) return { url, mime: parsed.data?.mime?.trim() || UNTYPED };
    }
  }
  return undefined;
}
