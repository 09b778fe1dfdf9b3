import type { webApi } from '@slack/bolt';
import { z } from 'zod';
import { downloadFile } from '../../src/download.js';
import type { IncomingFile } from '../../src/files.js';
import type { SlackRuntime } from './runtime.js';
import type { SlackSettings } from './settings.js';

/** Slack's own file host; a fake Slack (SLACK_API_URL) serves its files from its own host. */
const SLACK_FILE_HOSTS = ['files.slack.com'];

/** The hosts the bot token and file bytes may go to: Slack's file host, or the fake's. */
export function slackFileHosts(settings: Pick<SlackSettings, 'apiUrl'>): string[] {
  return [...SLACK_FILE_HOSTS, ...(settings.apiUrl ? [new URL(settings.apiUrl).hostname] : [])];
}

/**
 * A file as a message event carries it. Some events say only `file_access: check_file_info`
 * (the file's details are not in the event): files.info has them.
 */
export const SlackFile = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  title: z.string().optional(),
  mimetype: z.string().optional(),
  size: z.number().optional(),
  url_private_download: z.string().optional(),
  permalink: z.string().optional(),
  file_access: z.string().optional(),
});
type SlackFile = z.infer<typeof SlackFile>;

const FileInfo = z.looseObject({ ok: z.literal(true), file: SlackFile });

/**
 * The files of a message, for the core to take: their details (from files.info where the event
 * lacks them), and a download with the bot token that only ever goes to Slack's file host.
 */
export async function messageFiles(rt: SlackRuntime, client: webApi.WebClient, raw: readonly unknown[]): Promise<IncomingFile[]> {
  const hosts = slackFileHosts(rt.settings);
  const files: IncomingFile[] = [];
  for (const item of raw) {
    const parsed = SlackFile.safeParse(item);
    if (!parsed.success) continue;
    let file: SlackFile = parsed.data;
    if (!file.url_private_download || file.size === undefined) {
      const info = FileInfo.safeParse(await client.files.info({ file: file.id }).catch((error: unknown) => rt.logger.warn('files.info failed', { file: file.id, error })));
      if (!info.success) continue;
      file = info.data.file;
    }
    const url = file.url_private_download;
    const contentType = file.mimetype || 'application/octet-stream';
    const name = file.name || file.title || file.id;
    files.push({
      name,
      contentType,
      size: file.size ?? 0,
      ...(file.permalink ? { link: file.permalink } : {}),
      read: async (maxBytes) => {
        try {
          if (!url) throw new Error('the file has no download URL');
          return await downloadFile(url, { hosts, headers: { authorization: `Bearer ${rt.settings.botToken}` }, maxBytes }, contentType);
        } catch (error) {
          rt.logger.warn('slack file not downloaded', { file: file.id, error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      },
    });
  }
  return files;
}
