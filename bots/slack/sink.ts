import type { webApi } from '@slack/bolt';
import { ChatDeliveryError, type ChatSink, type PlaceNotice, type StartedThread, type ThreadMessage, type TicketCard, type Upload } from '../../src/chat.js';
import { uploadBytes } from '../../src/download.js';
import type { ThreadRef } from '../../src/domain.js';
import type { Logger } from '../../src/logger.js';
import { memoryLimiters, type Limiters, type RateLimit } from '../../src/limits.js';
import type { KeyValueStore } from '../../src/store/index.js';
import { translator, type MessageKey, type Translate } from '../../handlers/i18n.js';
import { placeNoticeText } from '../../handlers/notices.js';
import type { Locale } from '../../src/config.js';
import { cardBlocks, cardText, renderThreadMessage } from './blocks.js';
import { slackCall } from './delivery-errors.js';
import { lastAnswerOf, rememberLastAnswer, type LastAnswer } from './last-answer.js';
import { escapeText } from './mrkdwn.js';
import { CARD_EVENT_TYPE, POST_EVENT_TYPE, cardPosted, partsPosted } from './posted.js';
import { decodePlace, decodeThreadRef, parseThreadRef, threadRef, type SlackPlace, type SlackThread } from './thread-ref.js';

const ATTEMPT_TTL_MS = 30 * 24 * 3600_000;
/** Answers that say the bot cannot post in a channel until someone changes the channel (a new ticket's card goes to a DM instead), and how the requester is told why. */
const REFUSED_CHANNEL: ReadonlyMap<string, MessageKey> = new Map([
  ['not_in_channel', 'slack.refused.notMember'],
  ['channel_not_found', 'slack.refused.notFound'],
  ['is_archived', 'slack.refused.archived'],
]);
/** Slack takes files up to 1 GB; the outbox holds a relayed file in memory, so the bot stops well before. */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const UPLOAD_TIMEOUT_MS = 60_000;

export interface SlackSinkOptions {
  /** A client that rejects rate-limited calls instead of waiting: the outbox owns the retries. */
  client: webApi.WebClient;
  kv: KeyValueStore;
  logger: Logger;
  /** Spacing of posts per channel after a burst of two; Slack allows about one per second. */
  perChannelMs?: number;
  /** Where the per-channel pacing lives: Redis across replicas, or this process (the default). */
  limiters?: Limiters;
  /** The bot's user id, to name it when the operator must invite it to a channel. */
  botUserId?: string;
  /** Told after a thread's ticket changed (a post or a redrawn card): App Home is refreshed from it. */
  onChange?: (thread: ThreadRef) => void;
  /** DEFAULT_LOCALE: everyone in a channel reads the card and the status lines, so they are in the workspace's language. */
  locale?: Locale;
  /** Hosts an upload URL may point at (Slack's file host, or a fake's); no upload goes elsewhere. */
  fileHosts?: readonly string[];
}

/**
 * Posts relayed comments, status changes and notices into ticket threads, and keeps cards up to
 * date. Every post carries its idempotency key in message metadata; a key seen before is checked
 * against the thread first, so a crash between posting and bookkeeping never posts twice.
 */
export class SlackSink implements ChatSink<SlackThread, SlackPlace> {
  readonly maxUploadBytes = MAX_UPLOAD_BYTES;
  private readonly limiters: Limiters;
  private readonly channelLimit: RateLimit;
  private readonly t: Translate;

  constructor(private readonly options: SlackSinkOptions) {
    this.t = translator(options.locale);
    this.limiters = options.limiters ?? memoryLimiters();
    const perMs = options.perChannelMs ?? 1_000;
    // Slack allows about one post a second per channel "with short bursts over 1 allowed": two at
    // once, then one a second. Across replicas, one per fixed second (a sliding second meets two).
    this.channelLimit = { name: 'slack-channel', inProcess: { capacity: 2, perMs: 2 * perMs }, shared: { points: 1, seconds: Math.max(1, Math.round(perMs / 1000)) } };
  }

  encodeThread(thread: SlackThread): ThreadRef {
    return threadRef(thread);
  }

  decodeThread(ref: ThreadRef): SlackThread | undefined {
    return decodeThreadRef(ref);
  }

  async postToThread(thread: SlackThread, message: ThreadMessage, idempotencyKey: string, uploads: readonly Upload[] = []): Promise<void> {
    const { channel, ts } = thread;
    const post = renderThreadMessage(message, this.t);
    const firstAttempt = await this.options.kv.setIfAbsent(`slack:post:${idempotencyKey}`, '1', ATTEMPT_TTL_MS);
    const posted = firstAttempt ? new Map<number, string>() : await this.partsPostedBefore(thread, idempotencyKey);
    for (const [part, text] of post.parts.entries()) {
      if (posted.has(part)) continue;
      await this.paced(channel, 'chat.postMessage', () =>
        this.options.client.chat.postMessage({
          channel,
          thread_ts: ts,
          text,
          ...(part === 0 && post.blocks ? { blocks: post.blocks } : {}),
          metadata: { event_type: POST_EVENT_TYPE, event_payload: { key: idempotencyKey, part } },
          link_names: false,
          parse: 'none',
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
    }
    for (const [index, upload] of uploads.entries()) await this.upload(thread, upload, `${idempotencyKey}:${index}`);
    await this.noteChange(thread, message);
  }

  /**
   * One file into the thread through Slack's external upload: a URL for its length, the bytes to it,
   * then completion in the thread. An upload completed is marked, so a retried post does not upload
   * it again (only a crash between completion and the mark can).
   */
  private async upload(thread: SlackThread, upload: Upload, key: string): Promise<void> {
    const mark = `slack:upload:${key}`;
    if (await this.options.kv.get(mark)) return;
    const { client } = this.options;
    const target = await slackCall('files.getUploadURLExternal', () => client.files.getUploadURLExternal({ filename: upload.name, length: upload.bytes.length }));
    if (!target.upload_url || !target.file_id) throw new ChatDeliveryError('Slack gave no upload URL', true);
    const { upload_url: url, file_id: id } = target;
    try {
      await uploadBytes(url, upload, { hosts: this.options.fileHosts ?? ['files.slack.com'], timeoutMs: UPLOAD_TIMEOUT_MS });
    } catch (error) {
      throw new ChatDeliveryError(error instanceof Error ? error.message : String(error), true);
    }
    await this.paced(thread.channel, 'files.completeUploadExternal', () =>
      client.files.completeUploadExternal({ files: [{ id, title: upload.name }], channel_id: thread.channel, thread_ts: thread.ts }),
    );
    await this.options.kv.set(mark, '1', ATTEMPT_TTL_MS);
  }

  /** Remembers a relayed agent comment (App Home shows the last one) and tells App Home the ticket changed. */
  private async noteChange(thread: SlackThread, message: ThreadMessage): Promise<void> {
    if (message.kind === 'comment') await rememberLastAnswer(this.options.kv, threadRef(thread), message);
    this.options.onChange?.(threadRef(thread));
  }

  /** The last agent comment relayed into a thread, as App Home shows it. */
  lastAnswer(thread: ThreadRef): Promise<LastAnswer | undefined> {
    return lastAnswerOf(this.options.kv, thread);
  }

  /** An agent's edit: each part of the post, found by its metadata, shows the new text (parts beyond the old ones are posted). */
  async editPost(thread: SlackThread, postKey: string, message: ThreadMessage): Promise<void> {
    const { channel } = thread;
    const post = renderThreadMessage(message, this.t);
    const parts = await this.partsPostedBefore(thread, postKey);
    if (parts.size === 0) return this.options.logger.warn('edited comment: its post is not in the thread; left as it is', { postKey });
    for (const [part, text] of post.parts.entries()) {
      const ts = parts.get(part);
      const content = { text, ...(part === 0 && post.blocks ? { blocks: post.blocks } : {}), link_names: false, parse: 'none' as const };
      const metadata = { event_type: POST_EVENT_TYPE, event_payload: { key: postKey, part } };
      if (ts) await this.paced(channel, 'chat.update', () => this.options.client.chat.update({ channel, ts, ...content }));
      else await this.paced(channel, 'chat.postMessage', () => this.options.client.chat.postMessage({ channel, thread_ts: thread.ts, ...content, metadata, unfurl_links: false, unfurl_media: false }));
    }
  }

  async updateCard(thread: SlackThread, cardRef: string | undefined, card: TicketCard): Promise<void> {
    const { channel, ts } = cardRef === undefined ? thread : parseThreadRef(cardRef);
    await slackCall('chat.update', () =>
      this.options.client.chat.update({ channel, ts, text: cardText(card, this.t), blocks: cardBlocks(card, this.t), link_names: false, parse: 'none' }),
    );
    this.options.onChange?.(threadRef(thread));
  }

  decodePlace(ref: string): SlackPlace | undefined {
    return decodePlace(ref);
  }

  /**
   * Posts a new ticket's card in the place's channel; its thread becomes the ticket's conversation.
   * A channel that refuses the bot for good gets no retry: the card goes to a DM with the requester
   * (answers in its thread), who is told what the operator must do. Where the card went is kept
   * under the job's key, so a repeat after a crash past the post returns it instead of posting
   * again; and each card carries the key in its metadata, so a repeat after a post whose answer
   * was lost (a deadline, a crash before that write) finds the card in the channel.
   */
  async startThread(place: SlackPlace, card: TicketCard, key: string): Promise<StartedThread> {
    const mark = `slack:card:${key}`;
    const done = await this.options.kv.get<StartedThread>(mark);
    if (done) return done;
    let started: StartedThread;
    try {
      started = await this.postCard(place.channel, card, key);
    } catch (error) {
      const why = error instanceof ChatDeliveryError && REFUSED_CHANNEL.get(error.code ?? '');
      if (!why) throw error;
      this.options.logger.error('the ticket channel refuses the bot; the card goes to the requester by DM', {
        channel: place.channel,
        ticketId: card.ticketId,
        reason: error.code,
      });
      const dm = await this.postCard(await this.directChannel(place.user), card, key);
      started = { ...dm, fellBack: true };
      // Our own words with channel and bot links (ids from the settings and Slack, no relayed text).
      const { channel, ts } = parseThreadRef(dm.thread);
      const text = this.refusedNotice(place.channel, why);
      await this.paced(channel, 'chat.postMessage', () => this.options.client.chat.postMessage({ channel, thread_ts: ts, text, link_names: false, unfurl_links: false }));
    }
    await this.options.kv.set(mark, started, ATTEMPT_TTL_MS);
    return started;
  }

  async notify(place: SlackPlace, notice: PlaceNotice): Promise<void> {
    const channel = await this.directChannel(place.user);
    const text = placeNoticeText(notice, this.t);
    await this.paced(channel, 'chat.postMessage', () => this.options.client.chat.postMessage({ channel, text: escapeText(text), link_names: false, parse: 'none' }));
  }

  /** Posts a ticket card in `channel`, once for its key; its thread becomes the ticket's conversation. */
  private async postCard(channel: string, card: TicketCard, key: string): Promise<{ thread: ThreadRef; cardRef: string }> {
    const attempt = `slack:card-attempt:${key}:${channel}`;
    const now = Math.floor(Date.now() / 1000);
    const first = await this.options.kv.setIfAbsent(attempt, String(now), ATTEMPT_TTL_MS);
    const posted = first ? undefined : await cardPosted(this.options.client, channel, key, Number(await this.options.kv.get<string>(attempt)) || now);
    const ts =
      posted ??
      (
        await this.paced(channel, 'chat.postMessage', () =>
          this.options.client.chat.postMessage({
            channel,
            text: cardText(card, this.t),
            blocks: cardBlocks(card, this.t),
            metadata: { event_type: CARD_EVENT_TYPE, event_payload: { key } },
            link_names: false,
            parse: 'none',
          }),
        )
      ).ts;
    if (!ts) throw new ChatDeliveryError('Slack did not return the card message', false);
    const ref = threadRef({ channel, ts });
    return { thread: ref, cardRef: ref };
  }

  /** The bot's DM with a user (conversations.open, which needs `im:write`). */
  private async directChannel(user: string): Promise<string> {
    const opened = await slackCall('conversations.open', () => this.options.client.conversations.open({ users: user }));
    const id = opened.channel?.id;
    if (!id) throw new ChatDeliveryError('Slack did not return the DM channel', false);
    return id;
  }

  /**
   * Plain words for the requester: what happened, that nothing is lost, and what to ask the
   * operator. In the card's language, as the DM card above it is.
   */
  private refusedNotice(channel: string, why: MessageKey): string {
    const bot = this.options.botUserId ? `<@${this.options.botUserId}>` : this.t('slack.refused.theBot');
    return this.t('slack.refused.notice', { channel: `<#${channel}>`, why: this.t(why), bot });
  }

  private async partsPostedBefore(thread: SlackThread, key: string): Promise<Map<number, string>> {
    const parts = await partsPosted(this.options.client, thread, key);
    if (parts.size > 0) this.options.logger.info('post already in the thread; not posted again', { key });
    return parts;
  }

  private async paced<T>(channel: string, method: string, call: () => Promise<T>): Promise<T> {
    const bucket = this.limiters.pacer(this.channelLimit, channel);
    await bucket.take();
    try {
      return await slackCall(method, call);
    } catch (error) {
      if (error instanceof ChatDeliveryError && error.retryAfterMs !== undefined) bucket.pause?.(error.retryAfterMs);
      throw error;
    }
  }
}
