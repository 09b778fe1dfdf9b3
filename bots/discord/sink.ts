import { DiscordAPIError, HTTPError, RateLimitError, Routes, type REST } from 'discord.js';
import { z } from 'zod';
import { ChatDeliveryError, type ChatSink, type PlaceNotice, type StartedThread, type ThreadMessage, type TicketCard, type Upload } from '../../src/chat.js';
import type { ThreadRef } from '../../src/domain.js';
import { memoryLimiters, type Limiters, type RateLimit } from '../../src/limits.js';
import type { Logger } from '../../src/logger.js';
import type { KeyValueStore } from '../../src/store/index.js';
import { NO_MENTIONS } from './client.js';
import { cardMessage } from './embeds.js';
import { decodePlace, decodeThreadRef, dmThreadRef, dmTicketKey, threadRef, type DiscordPlace, type DiscordThread } from './ids.js';
import { nonceOf, renderThreadMessage } from './messages.js';
import { startTicketThread } from './threads.js';

/** Discord's codes for a channel the bot cannot use until someone changes it: Missing Access, Unknown Channel. */
const REFUSED_CHANNEL = new Set(['50001', '10003']);
const STARTED_TTL_MS = 30 * 24 * 3600_000;

/** What the sink needs to open tickets' threads (the DM fallback keeps its index in the store). */
interface OpeningDeps {
  kv: KeyValueStore;
  logger: Logger;
}
import { translator, type Translate } from '../../handlers/i18n.js';
import { placeNoticeText } from '../../handlers/notices.js';

const TRANSIENT_RETRY_MS = 5_000;
const POST_REF_TTL_MS = 90 * 24 * 3_600_000;
const postPartKey = (key: string, part: number): string => `discord:post:${key}:${part}`;
/** What a bot may attach to a message in a guild without boosts. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Discord allows about five messages per five seconds in a channel (a thread is a channel).
 * discord.js keeps that bucket per process from Discord's headers; replicas on Redis share this one
 * too, at one a second in fixed windows (a sliding five seconds sees at most six, and a 429 that
 * slips through is retried with its Retry-After).
 */
const CHANNEL_LIMIT: RateLimit = { name: 'discord-channel', inProcess: { capacity: 5, perMs: 5_000 }, shared: { points: 1, seconds: 1 } };

/** The part of Discord's message object that shows a post or an edit happened. */
const SentMessage = z.object({ id: z.string().min(1) });

const unreadable = (): ChatDeliveryError => new ChatDeliveryError('Discord sent an answer that could not be read', true, TRANSIENT_RETRY_MS);

/**
 * Posts relayed comments and status changes into ticket threads and edits the card. Every post
 * carries `allowed_mentions: {parse: []}` and a nonce from the idempotency key with `enforce_nonce`,
 * so a post retried after a crash is not duplicated (Discord remembers nonces for a few minutes).
 */
export class DiscordSink implements ChatSink<DiscordThread, DiscordPlace> {
  readonly maxUploadBytes = MAX_UPLOAD_BYTES;
  private readonly opening: OpeningDeps | undefined;
  private readonly limiters: Limiters;
  private readonly t: Translate;
  private readonly kv: KeyValueStore | undefined;

  /**
   * `opening` lets the sink start tickets' threads; `limiters` holds the channel pace (Redis across
   * replicas); `t` is DEFAULT_LOCALE's words, for posts everyone in the thread reads (English by default);
   * `kv` remembers the message ids of relayed posts, so an agent's edit can edit them.
   */
  constructor(
    private readonly rest: REST,
    deps: { opening?: OpeningDeps; limiters?: Limiters | undefined; t?: Translate; kv?: KeyValueStore } = {},
  ) {
    this.opening = deps.opening;
    this.limiters = deps.limiters ?? memoryLimiters();
    this.t = deps.t ?? translator('en');
    this.kv = deps.kv;
  }

  encodeThread(thread: DiscordThread): ThreadRef {
    return thread.dmTicket ? dmThreadRef(thread.threadId, thread.dmTicket) : threadRef(thread.threadId);
  }

  decodePlace(ref: string): DiscordPlace | undefined {
    return this.opening ? decodePlace(ref) : undefined;
  }

  /**
   * Starts a new ticket's thread with its card. A channel that refuses the bot for good (Missing
   * Access, Unknown Channel) gets no retry: the card goes to a DM with the requester, and the DM
   * becomes the ticket's conversation (their messages there become comments). Where it went is
   * kept under the job's key, so a repeat after a crash past the post does not post again.
   */
  async startThread(place: DiscordPlace, card: TicketCard, key: string): Promise<StartedThread> {
    const { kv, logger } = this.required();
    const mark = `discord:card:${key}`;
    const done = await kv.get<StartedThread>(mark);
    if (done) return done;
    let started: StartedThread;
    try {
      if (!place.channelId) throw new ChatDeliveryError('no channel to start the ticket thread in', false, undefined, '10003');
      const channelId = place.channelId;
      started = await startTicketThread(this.rest, { channelId, userId: place.userId }, card, this.t);
    } catch (error) {
      const refusal = deliveryError(error);
      if (!REFUSED_CHANNEL.has(refusal.code ?? '')) throw refusal;
      logger.error('discord: the ticket channel refuses the bot; the card goes to the requester by DM', {
        channel: place.channelId,
        ticketId: card.ticketId,
        reason: refusal.message,
      });
      started = await this.startInDm(place, card, key);
    }
    await kv.set(mark, started, STARTED_TTL_MS);
    return started;
  }

  async notify(place: DiscordPlace, notice: PlaceNotice): Promise<void> {
    const channelId = await this.dmChannel(place.userId);
    const text = placeNoticeText(notice, this.t);
    await this.send(channelId, { content: text.slice(0, 2000), allowed_mentions: NO_MENTIONS });
  }

  /** The card, and plain words on what happened and what the operator must do, in the requester's DM. */
  private async startInDm(place: DiscordPlace, card: TicketCard, key: string): Promise<StartedThread> {
    const { kv } = this.required();
    const channelId = await this.dmChannel(place.userId);
    const cardPost = await this.send(channelId, { ...cardMessage(card, this.t), allowed_mentions: NO_MENTIONS, nonce: nonceOf(key, 0), enforce_nonce: true });
    const where = place.channelId ? `<#${place.channelId}>` : this.t('discord.dm.noChannel');
    const content = this.t('discord.dm.fellBack', { id: card.ticketId, where });
    await this.send(channelId, { content, allowed_mentions: NO_MENTIONS, nonce: nonceOf(key, 1), enforce_nonce: true });
    // Messages in this DM now go to this ticket (the latest one that fell back here).
    await kv.set(dmTicketKey(channelId), card.ticketId);
    return { thread: dmThreadRef(channelId, card.ticketId), cardRef: cardPost, fellBack: true };
  }

  /** The bot's DM channel with a user (POST /users/@me/channels). */
  private dmChannel(userId: string): Promise<string> {
    return this.call(() => this.rest.post(Routes.userChannels(), { body: { recipient_id: userId } }));
  }

  /** Posts a message and returns its id. */
  private send(channelId: string, body: Record<string, unknown>): Promise<string> {
    return this.call(() => this.rest.post(Routes.channelMessages(channelId), { body }), channelId);
  }

  private required(): OpeningDeps {
    if (!this.opening) throw new ChatDeliveryError('this Discord sink does not open tickets', false);
    return this.opening;
  }

  decodeThread(ref: ThreadRef): DiscordThread | undefined {
    return decodeThreadRef(ref);
  }

  async postToThread(thread: DiscordThread, message: ThreadMessage, idempotencyKey: string, uploads: readonly Upload[] = []): Promise<void> {
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
      const id = await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body }), channelId);
      await this.kv?.set(postPartKey(idempotencyKey, i), id, POST_REF_TTL_MS);
    }
    // Each file its own multipart message after the text, so the limit holds per message; the
    // nonce numbering goes on from the text's parts.
    for (const [i, upload] of uploads.entries()) {
      const body = { nonce: nonceOf(idempotencyKey, parts.length + i), enforce_nonce: true, allowed_mentions: NO_MENTIONS };
      const files = [{ name: upload.name, data: upload.bytes, contentType: upload.contentType }];
      await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body, files }), channelId);
    }
  }

  /** An agent's edit: each part of the post the bot remembers is PATCHed to the new text. */
  async editPost(thread: DiscordThread, postKey: string, message: ThreadMessage): Promise<void> {
    const { parts } = renderThreadMessage(message, this.t);
    for (const [i, content] of parts.entries()) {
      const id = await this.kv?.get<string>(postPartKey(postKey, i));
      if (!id) continue; // a part the post never had, or one posted before ids were kept
      await this.call(() => this.rest.patch(Routes.channelMessage(thread.threadId, id), { body: { content, allowed_mentions: NO_MENTIONS } }), thread.threadId);
    }
  }

  async updateCard(thread: DiscordThread, cardRef: string | undefined, card: TicketCard): Promise<void> {
    const channelId = thread.threadId;
    const body = { ...cardMessage(card, this.t), allowed_mentions: NO_MENTIONS };
    if (cardRef) {
      await this.call(() => this.rest.patch(Routes.channelMessage(channelId, cardRef), { body }), channelId);
      return;
    }
    // A link without a card (the first post failed): post a fresh one, once per status.
    const nonce = nonceOf(`card:${card.ticketId}:${card.status}`, 0);
    await this.call(() => this.rest.post(Routes.channelMessages(channelId), { body: { ...body, nonce, enforce_nonce: true } }), channelId);
  }

  /** Runs a post or an edit (in its channel's turn, when it is one); only an answer that is a message (or channel) counts as done. Returns its id. */
  private async call(request: () => Promise<unknown>, channelId?: string): Promise<string> {
    const pacer = channelId === undefined ? undefined : this.limiters.pacer(CHANNEL_LIMIT, channelId);
    await pacer?.take();
    let answer: unknown;
    try {
      answer = await request();
    } catch (error) {
      if (error instanceof RateLimitError) pacer?.pause?.(error.retryAfter);
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
    const apiCode = error instanceof DiscordAPIError ? String(error.code) : undefined;
    const text = `Discord answered ${error.status}${apiCode ? ` (code ${apiCode})` : ''}: ${error.message}`;
    return transient ? new ChatDeliveryError(text, true, TRANSIENT_RETRY_MS, apiCode) : new ChatDeliveryError(text, false, undefined, apiCode);
  }
  if (error instanceof SyntaxError) return unreadable();
  const reason = error instanceof Error ? error.message : String(error);
  return new ChatDeliveryError(`Discord could not be reached: ${reason}`, true, TRANSIENT_RETRY_MS);
}
