import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import { z } from 'zod';
import { ChatDeliveryError, type ChatSink, type ThreadMessage, type TicketCard, type Upload } from '../../src/chat.js';
import type { ThreadRef } from '../../src/domain.js';
import type { KeyValueStore } from '../../src/store/index.js';
import { NO_MENTIONS } from './client.js';
import { cardMessage } from './embeds.js';
import { decodeThreadRef, threadRef, type DiscordThread } from './ids.js';
import { nonceOf, renderThreadMessage } from './messages.js';

const TRANSIENT_RETRY_MS = 5_000;
const POST_REF_TTL_MS = 90 * 24 * 3_600_000;
const postPartKey = (key: string, part: number): string => `discord:post:${key}:${part}`;
/** What a bot may attach to a message in a guild without boosts. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The part of Discord's message object that shows a post or an edit happened. */
const SentMessage = z.object({ id: z.string().min(1) });

const unreadable = (): ChatDeliveryError => new ChatDeliveryError('Discord sent an answer that could not be read', true, TRANSIENT_RETRY_MS);

/**
 * Posts relayed comments and status changes into ticket threads and edits the card. Every post
 * carries `allowed_mentions: {parse: []}` and a nonce from the idempotency key with `enforce_nonce`,
 * so a post retried after a crash is not duplicated (Discord remembers nonces for a few minutes).
 */
export class DiscordSink implements ChatSink<DiscordThread> {
  readonly maxUploadBytes = MAX_UPLOAD_BYTES;

  /** `kv` remembers the message ids of relayed posts, so an agent's edit can edit them. */
  constructor(
    private readonly rest: REST,
    private readonly kv?: KeyValueStore,
  ) {}

  encodeThread(thread: DiscordThread): ThreadRef {
    return threadRef(thread.threadId);
  }

  decodeThread(ref: ThreadRef): DiscordThread | undefined {
    return decodeThreadRef(ref);
  }

  async postToThread(thread: DiscordThread, message: ThreadMessage, idempotencyKey: string, uploads: readonly Upload[] = []): Promise<void> {
    const channelId = thread.threadId;
    const { parts, components } = renderThreadMessage(message);
    for (const [i, content] of parts.entries()) {
      const last = i === parts.length - 1;
      const body = {
        content,
        nonce: nonceOf(idempotencyKey, i),
        enforce_nonce: true,
        allowed_mentions: NO_MENTIONS,
        ...(last && components?.length ? { components } : {}),
      };
      const id = await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body }));
      await this.kv?.set(postPartKey(idempotencyKey, i), id, POST_REF_TTL_MS);
    }
    // Each file its own multipart message after the text, so the limit holds per message; the
    // nonce numbering goes on from the text's parts.
    for (const [i, upload] of uploads.entries()) {
      const body = { nonce: nonceOf(idempotencyKey, parts.length + i), enforce_nonce: true, allowed_mentions: NO_MENTIONS };
      const files = [{ name: upload.name, data: upload.bytes, contentType: upload.contentType }];
      await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body, files }));
    }
  }

  /** An agent's edit: each part of the post the bot remembers is PATCHed to the new text. */
  async editPost(thread: DiscordThread, postKey: string, message: ThreadMessage): Promise<void> {
    const { parts } = renderThreadMessage(message);
    for (const [i, content] of parts.entries()) {
      const id = await this.kv?.get<string>(postPartKey(postKey, i));
      if (!id) continue; // a part the post never had, or one posted before ids were kept
      await this.call(() => this.rest.patch(Routes.channelMessage(thread.threadId, id), { body: { content, allowed_mentions: NO_MENTIONS } }));
    }
  }

  async updateCard(thread: DiscordThread, cardRef: string | undefined, card: TicketCard): Promise<void> {
    const channelId = thread.threadId;
    const body = { ...cardMessage(card), allowed_mentions: NO_MENTIONS };
    if (cardRef) {
      await this.call(() => this.rest.patch(Routes.channelMessage(channelId, cardRef), { body }));
      return;
    }
    // A link without a card (the first post failed): post a fresh one, once per status.
    const nonce = nonceOf(`card:${card.ticketId}:${card.status}`, 0);
    await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body: { ...body, nonce, enforce_nonce: true } }));
  }

  /** Runs a post or an edit; only an answer that is a message counts as done. Returns its id. */
  private async call(request: () => Promise<unknown>): Promise<string> {
    let answer: unknown;
    try {
      answer = await request();
    } catch (error) {
      throw deliveryError(error);
    }
    // discord.js hands back a non-JSON body as raw bytes: a 200 from something that is not
    // Discord (a proxy's page) proves nothing was posted. The nonce makes trying again safe.
    const sent = SentMessage.safeParse(answer);
    if (!sent.success) throw unreadable();
    return sent.data.id;
  }
}

/** 429 and 5xx (and no answer at all) are worth retrying; any other refusal is not. Never includes URLs (interaction tokens). */
export function deliveryError(error: unknown): ChatDeliveryError {
  if (error instanceof ChatDeliveryError) return error;
  if (error instanceof RateLimitError) {
    return new ChatDeliveryError(`Discord rate limit on ${error.method} ${error.route}`, true, Math.max(error.retryAfter, 250));
  }
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    const transient = error.status === 429 || error.status >= 500;
    const code = error instanceof DiscordAPIError ? ` (code ${String(error.code)})` : '';
    const text = `Discord answered ${error.status}${code}: ${error.message}`;
    return transient ? new ChatDeliveryError(text, true, TRANSIENT_RETRY_MS) : new ChatDeliveryError(text, false);
  }
  if (error instanceof SyntaxError) return unreadable();
  const reason = error instanceof Error ? error.message : String(error);
  return new ChatDeliveryError(`Discord could not be reached: ${reason}`, true, TRANSIENT_RETRY_MS);
}
