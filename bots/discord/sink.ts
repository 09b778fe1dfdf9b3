import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import { z } from 'zod';
import { ChatDeliveryError, type ChatSink, type ThreadMessage, type TicketCard } from '../../src/chat.js';
import type { ThreadRef } from '../../src/domain.js';
import { NO_MENTIONS } from './client.js';
import { cardMessage } from './embeds.js';
import { decodeThreadRef, threadRef, type DiscordThread } from './ids.js';
import { nonceOf, renderThreadMessage } from './messages.js';
import { translator, type Translate } from '../../handlers/i18n.js';

const TRANSIENT_RETRY_MS = 5_000;

/** The part of Discord's message object that shows a post or an edit happened. */
const SentMessage = z.object({ id: z.string().min(1) });

const unreadable = (): ChatDeliveryError => new ChatDeliveryError('Discord sent an answer that could not be read', true, TRANSIENT_RETRY_MS);

/**
 * Posts relayed comments and status changes into ticket threads and edits the card. Every post
 * carries `allowed_mentions: {parse: []}` and a nonce from the idempotency key with `enforce_nonce`,
 * so a post retried after a crash is not duplicated (Discord remembers nonces for a few minutes).
 */
export class DiscordSink implements ChatSink<DiscordThread> {
  /** `t`: DEFAULT_LOCALE's words, for posts everyone in the thread reads (English by default). */
  constructor(
    private readonly rest: REST,
    private readonly t: Translate = translator('en'),
  ) {}

  encodeThread(thread: DiscordThread): ThreadRef {
    return threadRef(thread.threadId);
  }

  decodeThread(ref: ThreadRef): DiscordThread | undefined {
    return decodeThreadRef(ref);
  }

  async postToThread(thread: DiscordThread, message: ThreadMessage, idempotencyKey: string): Promise<void> {
    const channelId = thread.threadId;
    const { parts, components } = renderThreadMessage(message, this.t);
    for (const [i, content] of parts.entries()) {
      const last = i === parts.length - 1;
      const body = {
        content,
        nonce: nonceOf(idempotencyKey, i),
        enforce_nonce: true,
        allowed_mentions: NO_MENTIONS,
        ...(last && components?.length ? { components } : {}),
      };
      await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body }));
    }
  }

  async updateCard(thread: DiscordThread, cardRef: string | undefined, card: TicketCard): Promise<void> {
    const channelId = thread.threadId;
    const body = { ...cardMessage(card, this.t), allowed_mentions: NO_MENTIONS };
    if (cardRef) {
      await this.call(() => this.rest.patch(Routes.channelMessage(channelId, cardRef), { body }));
      return;
    }
    // A link without a card (the first post failed): post a fresh one, once per status.
    const nonce = nonceOf(`card:${card.ticketId}:${card.status}`, 0);
    await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body: { ...body, nonce, enforce_nonce: true } }));
  }

  /** Runs a post or an edit; only an answer that is a message counts as done. */
  private async call(request: () => Promise<unknown>): Promise<void> {
    let answer: unknown;
    try {
      answer = await request();
    } catch (error) {
      throw deliveryError(error);
    }
    // discord.js hands back a non-JSON body as raw bytes: a 200 from something that is not
    // Discord (a proxy's page) proves nothing was posted. The nonce makes trying again safe.
    if (!SentMessage.safeParse(answer).success) throw unreadable();
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
