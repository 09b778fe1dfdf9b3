// A strict fake Discord for tests: REST under /api/v10 and the gateway WebSocket on one port of
// 127.0.0.1. Point discord.js at it with `rest: { api: fake.apiUrl, retries: 0, offset: 0 }`.
import { FakeCdn, type AttachmentFile } from './cdn.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeGateway } from './gateway.js';
import type { Hub, RestCall } from './rest.js';
import { FakeRest } from './rest.js';
import { miscRoutes } from './routes.js';
import { channelRoutes, publishMessage, writableChannel } from './channels.js';
import { interactionRoutes } from './interactions.js';
import type { InteractionReplies } from './payloads.js';
import { InteractionHelpers } from './payloads.js';
import type { GuildInput, Json } from './state.js';
import { DEFAULT_IDS, DEFAULT_TOKEN, FakeState } from './state.js';
import { validateMessage } from './validate.js';

export { DEFAULT_IDS, DEFAULT_TOKEN, nextSnowflake } from './state.js';
export type { ChannelInput, FakeInteraction, GuildInput, Json, MemberInput, RoleInput, UserInput } from './state.js';
export type { RestCall, FileInfo } from './rest.js';
export type { AttachmentFile } from './cdn.js';
export type { CloseRecord, IdentifyRecord } from './gateway.js';
export type { AutocompleteInput, CommandInput, ComponentInput, DispatchedInteraction, InteractionReplies, MessageContextMenuInput, ModalAnswer, ModalSubmitInput, RawOption, SelectInput } from './payloads.js';
export type { FakeGateway, FakeState, InteractionHelpers };

export interface FakeDiscordOptions {
  token?: string;
  /** Also the bot user's id. */
  applicationId?: string;
  botName?: string;
  guild?: GuildInput;
  /** Intent bits the app may not use, e.g. `[GatewayIntentBits.MessageContent]`: IDENTIFY with one → close 4014. */
  denyIntents?: number[];
  /** Ack window for interaction callbacks (Discord: 3000). */
  interactionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
}

export interface SendMessageInput {
  channelId: string;
  /** Author's user id (a guild member; default: the customer member). */
  author?: string;
  content?: string;
  embeds?: Json[];
  /** Reply to this message id. */
  replyTo?: string;
  /** Files the member attaches; each gets a signed URL on the fake's CDN. */
  files?: AttachmentFile[];
}

export interface ReactInput {
  messageId: string;
  /** Who reacts (a guild member; default: the customer member). */
  user?: string;
  /** A unicode emoji (default 🎫). */
  emoji?: string;
}

export interface FakeDiscord {
  /** Give this to discord.js as `rest.api`: `http://127.0.0.1:PORT/api`. */
  readonly apiUrl: string;
  /** `ws://127.0.0.1:PORT`, as returned by GET /gateway/bot and used as resume_gateway_url. */
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly guildId: string;
  readonly state: FakeState;
  readonly gateway: FakeGateway;
  readonly interaction: InteractionHelpers;
  /** Every REST request, in arrival order (401s, 404s and 429s included). */
  readonly calls: RestCall[];
  waitForCall(method: string, path: RegExp, predicate?: (c: RestCall) => boolean, timeoutMs?: number): Promise<RestCall>;
  /** The next request whose path (after /api/v10) matches gets one 429; discord.js retries it. */
  rateLimitNext(route: RegExp, retryAfterSec: number): void;
  /** Non-ephemeral, non-deleted messages of a channel or thread, oldest first. */
  messages(channelId: string): Json[];
  threads(): Json[];
  channelByName(name: string): Json | undefined;
  /** A member posts a message: stored and dispatched as MESSAGE_CREATE. */
  sendMessage(input: SendMessageInput): Json;
  /** The bytes behind an attachment URL of this fake's CDN. */
  attachmentBytes(url: string): Buffer | undefined;
  /** A member adds a reaction to a message: counted on it and dispatched as MESSAGE_REACTION_ADD (GuildMessageReactions intent). */
  react(input: ReactInput): Json;
  /** Resolves once the interaction was answered (or expired): callback, @original, follow-ups, edits. */
  interactionReplies(id: string, timeoutMs?: number): Promise<InteractionReplies>;
  close(): Promise<void>;
}

export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = opts.token ?? DEFAULT_TOKEN;
  const applicationId = opts.applicationId ?? DEFAULT_IDS.applicationId;
  const state = new FakeState(token, applicationId, opts.botName ?? 'TicketBridge', opts.guild ?? {});
  const gateway = new FakeGateway(state, {
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 41_250,
    denyIntents: (opts.denyIntents ?? []).reduce((a, b) => a | b, 0),
  });
  const cdn = new FakeCdn();
  const hub: Hub = { state, gateway, interactionTimeoutMs: opts.interactionTimeoutMs ?? 3000, cdn };
  const timers = new Set<NodeJS.Timeout>();
  let port = 0;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}`;
  const rest = new FakeRest(token, [...miscRoutes(hub, gatewayUrl), ...channelRoutes(hub), ...interactionRoutes(hub)], cdn);
  const server = createServer((req, res) => void rest.handle(req, res));
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').startsWith('/api')) socket.destroy();
    else gateway.handleUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  cdn.origin = `http://127.0.0.1:${port}`;
  gateway.url = gatewayUrl();
  const interaction = new InteractionHelpers(hub, timers);

  const sendMessage = (input: SendMessageInput): Json => {
    const ch = writableChannel(hub, input.channelId);
    if (!('id' in ch)) throw new Error(`sendMessage: ${JSON.stringify(ch.body)}`);
    const authorId = input.author ?? (state.members.has(DEFAULT_IDS.customerUserId) ? DEFAULT_IDS.customerUserId : applicationId);
    const member = state.members.get(authorId);
    if (!member) throw new Error(`sendMessage: no member ${authorId}`);
    const attachments = input.files?.length ? cdn.attach(input.channelId, input.files) : [];
    const body: Json = { content: input.content ?? '', ...(input.embeds ? { embeds: input.embeds } : {}), ...(attachments.length ? { attachments } : {}) };
    const invalid = validateMessage(body);
    if (invalid) throw new Error(`sendMessage: ${JSON.stringify(invalid.body)}`);
    const ref = input.replyTo
      ? { type: 19, message_reference: { type: 0, message_id: input.replyTo, channel_id: input.channelId, guild_id: state.guildId } }
      : {};
    const msg = state.storeMessage(input.channelId, member['user'] as Json, body, ref);
    if (state.isThread(ch)) state.joinThread(input.channelId, authorId);
    publishMessage(hub, msg);
    return msg;
  };

  const react = (input: ReactInput): Json => {
    const msg = state.messageById.get(input.messageId);
    if (!msg) throw new Error(`react: no message ${input.messageId}`);
    const userId = input.user ?? DEFAULT_IDS.customerUserId;
    const member = state.members.get(userId);
    if (!member) throw new Error(`react: no member ${userId}`);
    const emoji = { id: null, name: input.emoji ?? '🎫' };
    const reactions = (msg['reactions'] ??= []) as Json[];
    const existing = reactions.find((r) => (r['emoji'] as Json)['name'] === emoji.name);
    if (existing) existing['count'] = (existing['count'] as number) + 1;
    else reactions.push({ emoji, count: 1, count_details: { burst: 0, normal: 1 }, me: false, me_burst: false, burst_colors: [] });
    const { user, ...rest } = member;
    const event: Json = {
      type: 0, user_id: userId, channel_id: msg['channel_id'], message_id: msg['id'], guild_id: state.guildId,
      member: { ...rest, user }, emoji, burst: false, message_author_id: (msg['author'] as Json)['id'],
    };
    gateway.dispatch('MESSAGE_REACTION_ADD', event);
    return event;
  };

  return {
    react,
    apiUrl: `http://127.0.0.1:${port}/api`,
    gatewayUrl: gatewayUrl(),
    token,
    applicationId,
    guildId: state.guildId,
    state,
    gateway,
    interaction,
    calls: rest.calls,
    waitForCall: (method, path, predicate, timeoutMs) => rest.waitForCall(method, path, predicate, timeoutMs),
    rateLimitNext: (route, retryAfterSec) => rest.rateLimitNext(route, retryAfterSec),
    messages: (channelId) => state.messagesIn(channelId),
    threads: () => state.threads(),
    channelByName: (name) => [...state.channels.values()].find((c) => c['name'] === name),
    sendMessage,
    attachmentBytes: (url) => cdn.bytesOf(url),
    interactionReplies: (id, timeoutMs) => interaction.replies(id, timeoutMs),
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
