import type { Message } from 'discord.js';
import { z } from 'zod';
import { downloadFile } from '../../src/download.js';
import type { IncomingFile } from '../../src/files.js';
import type { DiscordContext } from './context.js';

/** Discord's attachment hosts; a fake Discord (DISCORD_API_URL) serves attachments from its own host. */
const DISCORD_CDN_HOSTS = ['cdn.discordapp.com', 'media.discordapp.net'];

/**
 * What the bot keeps of a Discord attachment (a message's, or one uploaded in a modal): enough to
 * download it later, while its signed URL lasts (about a day).
 */
export const DiscordAttachment = z.object({
  id: z.string(),
  name: z.string().min(1),
  url: z.string(),
  size: z.number().int().nonnegative(),
  contentType: z.string().nullable(),
});
export type DiscordAttachment = z.infer<typeof DiscordAttachment>;

/**
 * Attachments, for the core to take. The CDN URL is signed, so it needs no token (none is sent),
 * and it is the link a vendor that takes no files gets (it expires after about a day). Only
 * Discord's CDN hosts are downloaded from.
 */
export function attachmentFiles(ctx: DiscordContext, attachments: Iterable<DiscordAttachment>): IncomingFile[] {
  const hosts = [...DISCORD_CDN_HOSTS, new URL(ctx.settings.apiUrl).hostname];
  return [...attachments].map((a) => {
    const contentType = a.contentType ?? 'application/octet-stream';
    return {
      name: a.name,
      contentType,
      size: a.size,
      link: a.url,
      read: async (maxBytes) => {
        try {
          return await downloadFile(a.url, { hosts, maxBytes }, contentType);
        } catch (error) {
          ctx.logger.warn('discord attachment not downloaded', { attachment: a.id, error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      },
    };
  });
}

/** A message's attachments (see `attachmentFiles`). */
export const messageFiles = (ctx: DiscordContext, message: Message): IncomingFile[] => attachmentFiles(ctx, message.attachments.values());
