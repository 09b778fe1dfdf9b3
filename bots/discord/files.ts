import type { Attachment, Message } from 'discord.js';
import { downloadFile } from '../../src/download.js';
import type { IncomingFile } from '../../src/files.js';
import type { DiscordContext } from './context.js';

/** Discord's attachment hosts; a fake Discord (DISCORD_API_URL) serves attachments from its own host. */
const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];
const DOWNLOAD_TIMEOUT_MS = 30_000;

/**
 * A message's attachments, for the core to take. The CDN URL is signed, so it needs no token (none
 * is sent), and it is the link a vendor that takes no files gets (it expires after about a day).
 */
export function messageFiles(ctx: DiscordContext, message: Message): IncomingFile[] {
  const hosts = [...DISCORD_CDN_HOSTS, new URL(ctx.settings.apiUrl).hostname];
  return [...message.attachments.values()].map((a: Attachment) => {
    const contentType = a.contentType ?? 'application/octet-stream';
    return {
      name: a.name,
      contentType,
      size: a.size,
      link: a.url,
      read: async (maxBytes) => {
        try {
          return await downloadFile(a.url, { hosts, timeoutMs: DOWNLOAD_TIMEOUT_MS, maxBytes }, contentType);
        } catch (error) {
          ctx.logger.warn('discord attachment not downloaded', { attachment: a.id, error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      },
    };
  });
}
