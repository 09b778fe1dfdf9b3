import type { FakeFile } from './files.js';
// The workspace the fake pretends to be: identities, channels, users, and what the bot stored.

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  display_name?: string;
  is_bot?: boolean;
  email?: string;
  tz?: string;
  /** The user's Slack language, e.g. `de-DE`; users.info returns it only with include_locale. */
  locale?: string;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_private?: boolean;
  is_im?: boolean;
  is_archived?: boolean;
  /** Whether the bot was invited; false models a channel nobody invited it to (default true). */
  bot_member?: boolean;
  /** For IM channels: the other user. */
  user?: string;
}

export interface FakeSlackOptions {
  /** Bot/user tokens accepted by Web API methods. Default ['xoxb-test']. */
  tokens?: string[];
  /** App-level tokens accepted by apps.connections.open. Default ['xapp-1-test']. */
  appTokens?: string[];
  team?: { id?: string; name?: string; domain?: string };
  bot?: { userId?: string; botId?: string; name?: string; appId?: string };
  /** Extra users (the default user and the bot user always exist). */
  users?: FakeUser[];
  /** Extra channels (the default channel always exists). */
  channels?: FakeChannel[];
  /** usergroup id → member user ids, for usergroups.users.list. */
  usergroups?: Record<string, string[]>;
  /** How long fake.socket.send waits for the client's ack. Slack allows 3 s. */
  ackTimeoutMs?: number;
  /**
   * The bot token's granted scopes, sent as `x-oauth-scopes` on every bot-token call as Slack does.
   * Default: every bot scope manifest.yml asks for.
   */
  scopes?: string[];
}

/** manifest.yml's bot scopes, what an app installed from it is granted. */
export const MANIFEST_BOT_SCOPES: readonly string[] = [
  'commands',
  'chat:write',
  'users:read',
  'usergroups:read',
  'channels:history',
  'groups:history',
  'im:history',
  'im:write',
  'files:read',
  'files:write',
  'reactions:read',
];

/** Ids the fake and the payload builders agree on, so a default payload matches the default workspace. */
export const SLACK_DEFAULTS = {
  teamId: 'T0000000001',
  teamName: 'Acme',
  teamDomain: 'acme',
  appId: 'A0000000001',
  botUserId: 'U0BOT000001',
  botId: 'B0BOT000001',
  botName: 'ticketbot',
  userId: 'U0000000001',
  userName: 'alice',
  channelId: 'C0000000001',
  channelName: 'general',
  botToken: 'xoxb-test',
  appToken: 'xapp-1-test',
} as const;

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  text?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  user?: string;
  bot_id?: string;
  app_id?: string;
  subtype?: string;
  edited?: { user: string; ts: string };
  /** Ids of the files shared with the message. */
  files?: string[];
}

export interface StoredView {
  id: string;
  hash: string;
  view: Record<string, unknown>;
}

export class SlackState {
  readonly tokens: Set<string>;
  readonly appTokens: Set<string>;
  readonly team: { id: string; name: string; domain: string };
  readonly bot: { userId: string; botId: string; name: string; appId: string };
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  readonly usergroups = new Map<string, string[]>();
  readonly scopes: readonly string[];
  messages: StoredMessage[] = [];
  views = new Map<string, StoredView>();
  usedTriggers = new Set<string>();
  files = new Map<string, FakeFile>();
  private lastTsMicros = 0;
  private idCounter = 0;

  constructor(opts: FakeSlackOptions) {
    const d = SLACK_DEFAULTS;
    this.tokens = new Set(opts.tokens ?? [d.botToken]);
    this.appTokens = new Set(opts.appTokens ?? [d.appToken]);
    this.scopes = opts.scopes ?? MANIFEST_BOT_SCOPES;
    this.team = { id: opts.team?.id ?? d.teamId, name: opts.team?.name ?? d.teamName, domain: opts.team?.domain ?? d.teamDomain };
    this.bot = {
      userId: opts.bot?.userId ?? d.botUserId,
      botId: opts.bot?.botId ?? d.botId,
      name: opts.bot?.name ?? d.botName,
      appId: opts.bot?.appId ?? d.appId,
    };
    this.addUser({ id: d.userId, name: d.userName, real_name: 'Alice Example', display_name: 'alice' });
    this.addUser({ id: this.bot.userId, name: this.bot.name, real_name: this.bot.name, display_name: '', is_bot: true });
    for (const u of opts.users ?? []) this.addUser(u);
    this.addChannel({ id: d.channelId, name: d.channelName });
    for (const c of opts.channels ?? []) this.addChannel(c);
    for (const [id, members] of Object.entries(opts.usergroups ?? {})) this.usergroups.set(id, [...members]);
  }

  addUser(u: FakeUser): void {
    this.users.set(u.id, u);
  }

  addChannel(c: FakeChannel): void {
    this.channels.set(c.id, c);
  }

  /**
   * Why the bot may not post in `channel`, in Slack's words, or undefined when it may: archived, or
   * not invited (a public channel says `not_in_channel`; a private one is invisible to a non-member).
   */
  postRefusal(channel: FakeChannel): string | undefined {
    if (channel.is_archived) return 'is_archived';
    if (channel.is_im || channel.bot_member !== false) return undefined;
    return channel.is_private ? 'channel_not_found' : 'not_in_channel';
  }

  /** The bot's DM with a user, as conversations.open makes (or finds) it. */
  openDirect(userId: string): FakeChannel {
    const id = `D${userId.slice(1)}`;
    if (!this.channels.has(id)) this.addChannel({ id, name: userId, is_im: true, user: userId });
    return this.channels.get(id)!;
  }

  /** Resolves a `channel` argument as Slack does: an id, a name (with or without #), or a user id (→ DM). */
  resolveChannel(ref: unknown): FakeChannel | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    const byId = this.channels.get(ref);
    if (byId) return byId;
    const name = ref.startsWith('#') ? ref.slice(1) : ref;
    for (const c of this.channels.values()) if (!c.is_im && c.name === name) return c;
    if (this.users.has(ref)) return this.openDirect(ref);
    return undefined;
  }

  /** A message ts as Slack makes them: the posting time in Unix seconds and microseconds, unique and rising. */
  nextTs(): string {
    this.lastTsMicros = Math.max(this.lastTsMicros + 1, Date.now() * 1000);
    return `${Math.floor(this.lastTsMicros / 1_000_000)}.${String(this.lastTsMicros % 1_000_000).padStart(6, '0')}`;
  }

  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${String(this.idCounter).padStart(10, '0')}`;
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  reset(): void {
    this.messages = [];
    this.views = new Map();
    this.usedTriggers = new Set();
    this.files = new Map();
  }
}
