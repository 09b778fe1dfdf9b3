// The fake's data model: one guild, its channels/threads/roles/members, messages, application
// commands and interactions, kept as raw API objects (snake_case) exactly as Discord would send them.
import { randomBytes } from 'node:crypto';
import { ChannelType, PermissionFlagsBits } from 'discord.js';

export type Json = Record<string, unknown>;

const DISCORD_EPOCH = 1_420_070_400_000n;
let lastTs = 0n;
let increment = 0n;

/** Time-based snowflake, strictly increasing within the process (ids sort like Discord's). */
export function nextSnowflake(): string {
  let ts = BigInt(Date.now()) - DISCORD_EPOCH;
  if (ts <= lastTs) {
    ts = lastTs;
    increment += 1n;
    if (increment > 4095n) { ts += 1n; increment = 0n; }
  } else {
    increment = 0n;
  }
  lastTs = ts;
  return ((ts << 22n) | (1n << 17n) | increment).toString();
}

// Fixed ids for the defaults, minted at 2024-01-01T00:00:00Z so they are valid, older than
// anything created at run time, and stable across runs (tests and bot config can hard-code them).
const fixed = (n: number): string => (((1_704_067_200_000n - DISCORD_EPOCH) << 22n) + BigInt(n)).toString();

export const DEFAULT_IDS = {
  applicationId: fixed(1), // also the bot user's id, as for every real bot
  guildId: fixed(2), // also the @everyone role's id
  supportRoleId: fixed(3),
  botRoleId: fixed(4),
  ticketsChannelId: fixed(5),
  forumChannelId: fixed(6),
  staffUserId: fixed(7),
  customerUserId: fixed(8),
} as const;

export const DEFAULT_TOKEN = 'fake-bot-token.0123456789.abcdefghijklmnopqrstuvwxyz';

export const randomToken = (bytes = 48): string => randomBytes(bytes).toString('base64url');
export const isoNow = (): string => new Date().toISOString();

export interface UserInput { id: string; username: string; bot?: boolean; globalName?: string }
export interface MemberInput { user: UserInput; roles?: string[]; nick?: string }
export interface RoleInput { id: string; name: string; permissions?: bigint; managed?: boolean }
export interface ChannelInput {
  id: string;
  name: string;
  /** ChannelType: 0 text (default), 15 forum, 4 category, 5 announcement. */
  type?: number;
  parentId?: string;
  topic?: string;
}
export interface GuildInput {
  id?: string;
  name?: string;
  channels?: ChannelInput[];
  roles?: RoleInput[];
  members?: MemberInput[];
}

const P = PermissionFlagsBits;
export const EVERYONE_PERMS = P.ViewChannel | P.SendMessages | P.SendMessagesInThreads | P.CreatePublicThreads
  | P.CreatePrivateThreads | P.ReadMessageHistory | P.EmbedLinks | P.AttachFiles | P.AddReactions
  | P.UseApplicationCommands;
const STAFF_PERMS = EVERYONE_PERMS | P.ManageThreads | P.ManageMessages;

export const userObject = (u: UserInput): Json => ({
  id: u.id, username: u.username, discriminator: '0', global_name: u.globalName ?? null, avatar: null,
  bot: u.bot ?? false, system: false, public_flags: 0, flags: 0, banner: null, accent_color: null,
});

export interface FakeInteraction {
  id: string;
  token: string;
  /** InteractionType: 2 command, 3 component, 5 modal submit. */
  type: number;
  payload: Json;
  channelId: string;
  /** For components: the message the component sits on (target of callback types 6/7). */
  sourceMessageId?: string;
  dispatchedAt: number;
  /** First (and only accepted) callback. */
  callback?: { type: number; data: unknown; at: number };
  /** Callbacks that came too late (after the ack window) or twice, with the status they got. */
  rejectedCallbacks: Array<{ type: number; status: number; at: number }>;
  /** True once the ack window passed without a callback, or a callback arrived too late. */
  expired: boolean;
  /** Id of the @original message (reply, deferred reply, or the updated component message). */
  originalId?: string;
  followUpIds: string[];
  /** Every PATCH to @original or a follow-up, in order. */
  edits: Array<{ messageId: string; body: unknown; at: number }>;
}

export class FakeState {
  readonly botUser: Json;
  readonly guildId: string;
  guildName: string;
  readonly roles: Json[];
  /** Guild member objects (with `user`) keyed by user id. */
  readonly members = new Map<string, Json>();
  /** Channels and threads by id. */
  readonly channels = new Map<string, Json>();
  /** Every message (including deleted ones, flagged `deleted`) by id. */
  readonly messageById = new Map<string, Json>();
  readonly channelMessages = new Map<string, string[]>();
  readonly threadMembers = new Map<string, Map<string, string>>();
  readonly globalCommands: Json[] = [];
  readonly guildCommands = new Map<string, Json[]>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly interactionByToken = new Map<string, string>();
  /** `${authorId}:${nonce}` → message id and when it was created (enforce_nonce dedupe). */
  readonly nonces = new Map<string, { messageId: string; at: number }>();
  readonly deletedMessageIds = new Set<string>();

  constructor(readonly token: string, readonly applicationId: string, botName: string, guild: GuildInput) {
    this.botUser = { ...userObject({ id: applicationId, username: botName, bot: true }), verified: true, mfa_enabled: false };
    this.guildId = guild.id ?? DEFAULT_IDS.guildId;
    this.guildName = guild.name ?? 'Fake Support Guild';
    const roles = guild.roles ?? [
      { id: DEFAULT_IDS.supportRoleId, name: 'Support', permissions: STAFF_PERMS },
      { id: DEFAULT_IDS.botRoleId, name: botName, permissions: STAFF_PERMS, managed: true },
    ];
    this.roles = [{ id: this.guildId, name: '@everyone', permissions: EVERYONE_PERMS }, ...roles.filter((r) => r.id !== this.guildId)]
      .map((r, i) => this.roleObject(r, i));
    const members = guild.members ?? [
      { user: { id: DEFAULT_IDS.staffUserId, username: 'staff-sam', globalName: 'Sam (Support)' }, roles: [DEFAULT_IDS.supportRoleId] },
      { user: { id: DEFAULT_IDS.customerUserId, username: 'customer-cat', globalName: 'Cat' } },
    ];
    const botRoles = this.roles.some((r) => r['id'] === DEFAULT_IDS.botRoleId) ? [DEFAULT_IDS.botRoleId] : [];
    this.addMember({ user: { id: applicationId, username: botName, bot: true }, roles: botRoles });
    for (const m of members) if (m.user.id !== applicationId) this.addMember(m);
    const channels = guild.channels ?? [
      { id: DEFAULT_IDS.ticketsChannelId, name: 'tickets', type: ChannelType.GuildText, topic: 'Support tickets' },
      { id: DEFAULT_IDS.forumChannelId, name: 'support-forum', type: ChannelType.GuildForum },
    ];
    channels.forEach((c, i) => this.channels.set(c.id, this.channelObject(c, i)));
  }

  private roleObject(r: RoleInput, position: number): Json {
    return {
      id: r.id, name: r.name, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false, icon: null, unicode_emoji: null, position, permissions: String(r.permissions ?? 0n),
      managed: r.managed ?? false, mentionable: false, flags: 0,
      ...(r.managed ? { tags: { bot_id: this.applicationId } } : {}),
    };
  }

  addMember(m: MemberInput): Json {
    const member = {
      user: userObject(m.user), nick: m.nick ?? null, avatar: null, banner: null, roles: m.roles ?? [],
      joined_at: '2024-01-01T00:00:00.000Z', premium_since: null, deaf: false, mute: false, flags: 0,
      pending: false, communication_disabled_until: null,
    };
    this.members.set(m.user.id, member);
    return member;
  }

  private channelObject(c: ChannelInput, position: number): Json {
    const type = c.type ?? ChannelType.GuildText;
    const base: Json = {
      id: c.id, type, guild_id: this.guildId, name: c.name, position, parent_id: c.parentId ?? null,
      permission_overwrites: [], nsfw: false, flags: 0,
    };
    if (type === ChannelType.GuildCategory) return base;
    Object.assign(base, {
      topic: c.topic ?? null, rate_limit_per_user: 0, last_message_id: null, default_auto_archive_duration: 1440,
      default_thread_rate_limit_per_user: 0,
    });
    if (type === ChannelType.GuildForum || type === ChannelType.GuildMedia) {
      Object.assign(base, {
        available_tags: [], default_reaction_emoji: null, default_sort_order: null, default_forum_layout: 0,
        template: '',
      });
    }
    return base;
  }

  /** Permissions of a member as the interaction payload carries them (no overwrites applied). */
  permissionsOf(userId: string): bigint {
    const member = this.members.get(userId);
    const roleIds = new Set([this.guildId, ...((member?.['roles'] as string[] | undefined) ?? [])]);
    let perms = 0n;
    for (const r of this.roles) if (roleIds.has(r['id'] as string)) perms |= BigInt(r['permissions'] as string);
    return perms & P.Administrator ? 0xffff_ffff_ffffn : perms;
  }

  /** The bot's DM channel with a user (type 1), opened on first use. */
  dmWith(user: Json): Json {
    const existing = [...this.channels.values()].find((c) => c['type'] === ChannelType.DM && (c['recipients'] as Json[])[0]?.['id'] === user['id']);
    if (existing) return existing;
    const dm: Json = { id: nextSnowflake(), type: ChannelType.DM, last_message_id: null, flags: 0, recipients: [user] };
    this.channels.set(dm['id'] as string, dm);
    return dm;
  }

  channel(id: string): Json | undefined {
    return this.channels.get(id);
  }

  isThread(ch: Json): boolean {
    const t = ch['type'];
    return t === ChannelType.PublicThread || t === ChannelType.PrivateThread || t === ChannelType.AnnouncementThread;
  }

  threads(): Json[] {
    return [...this.channels.values()].filter((c) => this.isThread(c));
  }

  messagesIn(channelId: string): Json[] {
    return (this.channelMessages.get(channelId) ?? [])
      .filter((id) => !this.deletedMessageIds.has(id))
      .map((id) => this.messageById.get(id))
      .filter((m): m is Json => m !== undefined);
  }

  /** Builds and stores a message. `ephemeral` messages are kept out of the channel's history. */
  storeMessage(channelId: string, author: Json, body: Json, extra: Json = {}): Json {
    const id = typeof extra['id'] === 'string' ? extra['id'] : nextSnowflake();
    const content = typeof body['content'] === 'string' ? body['content'] : '';
    const message: Json = {
      id, channel_id: channelId, author, content, timestamp: isoNow(), edited_timestamp: null, tts: Boolean(body['tts']),
      mention_everyone: this.mentionsEveryone(content, body['allowed_mentions']),
      mentions: this.mentionsIn(content, body['allowed_mentions']), mention_roles: this.roleMentionsIn(content, body['allowed_mentions']),
      mention_channels: [], attachments: body['attachments'] ?? [], embeds: body['embeds'] ?? [],
      components: body['components'] ?? [], pinned: false, type: 0, flags: body['flags'] ?? 0, ...extra,
    };
    if (body['nonce'] !== undefined) message['nonce'] = body['nonce'];
    if (body['message_reference'] !== undefined) message['message_reference'] = body['message_reference'];
    this.messageById.set(id, message);
    if (!((message['flags'] as number) & 64)) {
      const list = this.channelMessages.get(channelId) ?? [];
      list.push(id);
      this.channelMessages.set(channelId, list);
      const ch = this.channels.get(channelId);
      if (ch) {
        ch['last_message_id'] = id;
        if (this.isThread(ch)) {
          ch['message_count'] = (ch['message_count'] as number) + 1;
          ch['total_message_sent'] = (ch['total_message_sent'] as number) + 1;
        }
      }
    }
    return message;
  }

  /** Whether `@everyone`/`@here` in the content pings: only when `allowed_mentions` is absent or parses `everyone`. */
  private mentionsEveryone(content: string, allowed: unknown): boolean {
    if (!/@(everyone|here)\b/.test(content)) return false;
    const a = allowed as { parse?: string[] } | undefined;
    return !a || (a.parse ?? []).includes('everyone');
  }

  /** `<@&id>` role mentions that ping, filtered the way `allowed_mentions` asks. */
  private roleMentionsIn(content: string, allowed: unknown): string[] {
    const ids = [...content.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1] ?? '');
    const a = allowed as { parse?: string[]; roles?: string[] } | undefined;
    const ok = (id: string): boolean => !a || (a.parse ?? []).includes('roles') || (a.roles ?? []).includes(id);
    return [...new Set(ids)].filter((id) => ok(id) && this.roles.some((r) => r['id'] === id));
  }

  /** `<@id>` mentions of guild members, filtered the way `allowed_mentions` asks. */
  private mentionsIn(content: string, allowed: unknown): Json[] {
    const ids = [...content.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1] ?? '');
    const a = allowed as { parse?: string[]; users?: string[] } | undefined;
    const ok = (id: string): boolean => !a || (a.parse ?? []).includes('users') || (a.users ?? []).includes(id);
    return [...new Set(ids)].filter(ok).map((id) => this.members.get(id)?.['user'] as Json | undefined)
      .filter((u): u is Json => u !== undefined);
  }

  createThread(parent: Json, name: string, type: number, opts: { id?: string; autoArchive?: number; invitable?: boolean; appliedTags?: string[]; ownerId?: string }): Json {
    const now = isoNow();
    const ownerId = opts.ownerId ?? this.applicationId;
    const thread: Json = {
      id: opts.id ?? nextSnowflake(), type, guild_id: this.guildId, parent_id: parent['id'], owner_id: ownerId, name,
      last_message_id: null, rate_limit_per_user: 0, flags: 0, message_count: 0, member_count: 1, total_message_sent: 0,
      thread_metadata: {
        archived: false, auto_archive_duration: opts.autoArchive ?? 1440, archive_timestamp: now, locked: false,
        create_timestamp: now, ...(type === ChannelType.PrivateThread ? { invitable: opts.invitable ?? true } : {}),
      },
      ...(opts.appliedTags ? { applied_tags: opts.appliedTags } : {}),
    };
    this.channels.set(thread['id'] as string, thread);
    this.threadMembers.set(thread['id'] as string, new Map([[ownerId, now]]));
    return thread;
  }

  /** Adds a user to a thread; returns false when they already were a member. */
  joinThread(threadId: string, userId: string): boolean {
    const members = this.threadMembers.get(threadId) ?? new Map<string, string>();
    this.threadMembers.set(threadId, members);
    if (members.has(userId)) return false;
    members.set(userId, isoNow());
    const thread = this.channels.get(threadId);
    if (thread) thread['member_count'] = members.size;
    return true;
  }

  /** The thread member object Discord returns (`member` on a thread, entries of THREAD_MEMBERS_UPDATE). */
  threadMember(threadId: string, userId: string): Json {
    return { id: threadId, user_id: userId, join_timestamp: this.threadMembers.get(threadId)?.get(userId) ?? isoNow(), flags: 0 };
  }

  guildObject(): Json {
    return {
      id: this.guildId, name: this.guildName, icon: null, splash: null, discovery_splash: null, banner: null,
      description: null, owner_id: [...this.members.keys()].find((id) => id !== this.applicationId) ?? this.applicationId, afk_channel_id: null, afk_timeout: 300,
      verification_level: 0, default_message_notifications: 1, explicit_content_filter: 0, mfa_level: 0, nsfw_level: 0,
      premium_tier: 0, premium_subscription_count: 0, premium_progress_bar_enabled: false, system_channel_id: null,
      system_channel_flags: 0, rules_channel_id: null, public_updates_channel_id: null, safety_alerts_channel_id: null,
      vanity_url_code: null, preferred_locale: 'en-US', max_members: 500000, max_video_channel_users: 25,
      max_stage_video_channel_users: 50, application_id: null, widget_enabled: false, widget_channel_id: null,
      features: [], roles: this.roles, emojis: [], stickers: [], incidents_data: null,
    };
  }
}
