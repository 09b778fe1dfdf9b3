// Web API method handlers. Each returns the JSON body Slack would send (HTTP 200, ok true/false).
import { LIMITS, validateBlocks, validateHomeView, validateView } from './blocks.js';
import { completeUploadExternal, filesInfo, getUploadUrlExternal } from './files.js';
import type { SlackState, StoredMessage } from './state.js';

export type Args = Record<string, unknown>;
export type Result = Record<string, unknown> & { ok: boolean };

export interface MethodContext {
  state: SlackState;
  /** Issues a one-time Socket Mode URL (apps.connections.open). */
  socketUrl: () => string;
  /** http://127.0.0.1:PORT, for URLs the fake serves (file downloads and uploads). */
  origin: () => string;
}

type Handler = (args: Args, ctx: MethodContext) => Result;

/** Methods that take an app-level token (xapp-…) instead of a bot/user token. */
export const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

export function fail(error: string, messages?: string[]): Result {
  return messages && messages.length > 0 ? { ok: false, error, response_metadata: { messages } } : { ok: false, error };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true' || v === '1' || v === 1;
}

const TRIGGER_TTL_MS = 3000;

/** Trigger ids are single use and expire after 3 s; ours embed their issue time (see payloads.ts). */
function checkTrigger(state: SlackState, trigger: unknown): Result | undefined {
  const id = str(trigger);
  if (!id) return fail('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
  const m = /^(\d+)\.(\d+)\.[0-9a-f]+$/.exec(id);
  if (!m) return fail('invalid_trigger_id');
  if (state.usedTriggers.has(id)) return fail('exchanged_trigger_id');
  const issued = Number(m[1]);
  // Only ids whose first part looks like a ms epoch carry an issue time.
  if (issued > 1e12 && Date.now() - issued > TRIGGER_TTL_MS) return fail('expired_trigger_id');
  state.usedTriggers.add(id);
  return undefined;
}

/** Shared content checks of chat.postMessage / chat.update / chat.postEphemeral. */
function checkContent(args: Args, requireContent: boolean): Result | undefined {
  const { text, blocks, attachments } = args;
  if (text !== undefined && typeof text !== 'string') return fail('invalid_arguments', ['[ERROR] must be a string [json-pointer:/text]']);
  if (requireContent && !str(text) && blocks === undefined && attachments === undefined) return fail('no_text');
  if (typeof text === 'string' && text.length > LIMITS.messageText) return fail('msg_too_long');
  if (blocks !== undefined) {
    const bad = validateBlocks(blocks, { max: LIMITS.messageBlocks });
    if (bad) return fail(bad.error, bad.messages);
  }
  if (attachments !== undefined) {
    if (!Array.isArray(attachments)) return fail('invalid_attachments');
    if (attachments.length > LIMITS.attachments) return fail('too_many_attachments');
  }
  return undefined;
}

function checkMetadata(meta: unknown): Result | undefined {
  if (meta === undefined) return undefined;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return fail('invalid_metadata_format');
  const m = meta as Args;
  if (typeof m.event_type !== 'string' || m.event_type === '') return fail('invalid_metadata_format');
  const p = m.event_payload;
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return fail('invalid_metadata_format');
  return undefined;
}

function publicMessage(m: StoredMessage, withMetadata: boolean, state: SlackState): Record<string, unknown> {
  // Slack omits the channel inside message objects, and metadata unless asked for.
  const out: Record<string, unknown> = { ...m, team: state.team.id };
  delete out.channel;
  if (!withMetadata) delete out.metadata;
  return out;
}

function viewResponse(state: SlackState, stored: { id: string; hash: string; view: Args }, rootId?: string): Result {
  const v = stored.view;
  return {
    ok: true,
    view: {
      id: stored.id,
      team_id: state.team.id,
      type: v.type,
      title: v.title,
      submit: v.submit ?? null,
      close: v.close ?? null,
      blocks: v.blocks,
      private_metadata: v.private_metadata ?? '',
      callback_id: v.callback_id ?? '',
      external_id: v.external_id ?? '',
      state: { values: {} },
      hash: stored.hash,
      clear_on_close: v.clear_on_close ?? false,
      notify_on_close: v.notify_on_close ?? false,
      root_view_id: rootId ?? stored.id,
      previous_view_id: null,
      app_id: state.bot.appId,
      bot_id: state.bot.botId,
    },
  };
}

function storeView(state: SlackState, view: Args, id?: string): { id: string; hash: string; view: Args } {
  const stored = { id: id ?? state.nextId('V'), hash: `${Date.now()}.${state.nextId('')}`, view };
  state.views.set(stored.id, stored);
  return stored;
}

function openOrPush(args: Args, { state }: MethodContext): Result {
  const trig = checkTrigger(state, args.trigger_id);
  if (trig) return trig;
  if (args.view === undefined) return fail('invalid_arguments', ['[ERROR] missing required field: view']);
  const problems = validateView(args.view);
  if (problems.length > 0) return fail('invalid_arguments', problems);
  const view = args.view as Args;
  if (typeof view.external_id === 'string' && [...state.views.values()].some((s) => s.view.external_id === view.external_id)) {
    return fail('duplicate_external_id');
  }
  return viewResponse(state, storeView(state, view));
}

function postMessage(args: Args, { state }: MethodContext): Result {
  const channel = state.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  const refused = state.postRefusal(channel);
  if (refused) return fail(refused);
  const bad = checkContent(args, true) ?? checkMetadata(args.metadata);
  if (bad) return bad;
  let threadTs = str(args.thread_ts);
  if (threadTs) {
    const parent = state.findMessage(channel.id, threadTs);
    // Fake-only strictness: real Slack quietly accepts a thread_ts that matches nothing.
    if (!parent) return fail('thread_not_found');
    // Replying to a reply lands in the parent's thread, as in Slack.
    threadTs = parent.thread_ts ?? parent.ts;
  }
  const msg: StoredMessage = {
    type: 'message',
    channel: channel.id,
    ts: state.nextTs(),
    user: state.bot.userId,
    bot_id: state.bot.botId,
    app_id: state.bot.appId,
    ...(typeof args.text === 'string' ? { text: args.text } : { text: '' }),
    ...(Array.isArray(args.blocks) ? { blocks: args.blocks } : {}),
    ...(Array.isArray(args.attachments) ? { attachments: args.attachments } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(args.metadata !== undefined ? { metadata: args.metadata as NonNullable<StoredMessage['metadata']> } : {}),
  };
  state.messages.push(msg);
  return { ok: true, channel: channel.id, ts: msg.ts, message: publicMessage(msg, true, state) };
}

function chatUpdate(args: Args, { state }: MethodContext): Result {
  const channel = state.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  const refused = state.postRefusal(channel);
  if (refused) return fail(refused);
  const ts = str(args.ts);
  const msg = ts ? state.findMessage(channel.id, ts) : undefined;
  if (!msg) return fail('message_not_found');
  if (msg.user !== state.bot.userId) return fail('cant_update_message');
  const bad = checkContent(args, true) ?? checkMetadata(args.metadata);
  if (bad) return bad;
  if (typeof args.text === 'string') msg.text = args.text;
  if (Array.isArray(args.blocks)) msg.blocks = args.blocks;
  if (Array.isArray(args.attachments)) msg.attachments = args.attachments;
  if (args.metadata !== undefined) msg.metadata = args.metadata as NonNullable<StoredMessage['metadata']>;
  msg.edited = { user: state.bot.userId, ts: state.nextTs() };
  return { ok: true, channel: channel.id, ts: msg.ts, text: msg.text ?? '', message: publicMessage(msg, true, state) };
}

function postEphemeral(args: Args, { state }: MethodContext): Result {
  const channel = state.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  const refused = state.postRefusal(channel);
  if (refused) return fail(refused);
  const user = str(args.user);
  if (!user || !state.users.has(user)) return fail('user_not_found');
  const bad = checkContent(args, true);
  if (bad) return bad;
  return { ok: true, message_ts: state.nextTs() };
}

function getPermalink(args: Args, { state }: MethodContext): Result {
  const channel = state.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  const ts = str(args.message_ts);
  const msg = ts ? state.findMessage(channel.id, ts) : undefined;
  if (!msg) return fail('message_not_found');
  let permalink = `https://${state.team.domain}.slack.com/archives/${channel.id}/p${msg.ts.replace('.', '')}`;
  if (msg.thread_ts && msg.thread_ts !== msg.ts) permalink += `?thread_ts=${msg.thread_ts}&cid=${channel.id}`;
  return { ok: true, channel: channel.id, permalink };
}

function conversationsReplies(args: Args, { state }: MethodContext): Result {
  const channel = state.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  const ts = str(args.ts);
  const target = ts ? state.findMessage(channel.id, ts) : undefined;
  if (!target) return fail('thread_not_found');
  const root = target.thread_ts ?? target.ts;
  const parent = state.findMessage(channel.id, root);
  const replies = state.messages.filter((m) => m.channel === channel.id && m.thread_ts === root && m.ts !== root);
  const withMeta = truthy(args.include_all_metadata);
  const messages = [parent, ...replies]
    .filter((m): m is StoredMessage => m !== undefined)
    .sort((a, b) => a.ts.localeCompare(b.ts))
    .map((m) => publicMessage(m, withMeta, state));
  const head = messages[0];
  if (head && replies.length > 0) {
    Object.assign(head, {
      thread_ts: root,
      reply_count: replies.length,
      reply_users: [...new Set(replies.map((r) => r.user))],
      latest_reply: replies.at(-1)?.ts,
    });
  }
  return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
}

/** A channel's top-level messages newest first, those after `oldest` when given (Slack's history read). */
function conversationsHistory(args: Args, { state }: MethodContext): Result {
  const channel = state.resolveChannel(args.channel);
  if (!channel) return fail('channel_not_found');
  // Reading needs membership as posting does (a private channel is invisible to a non-member).
  const refused = channel.is_archived ? undefined : state.postRefusal(channel);
  if (refused) return fail(refused);
  const oldest = Number(str(args.oldest) ?? '0');
  const limit = Math.min(Math.max(Number(args.limit ?? 100) || 100, 1), 999);
  const top = state.messages
    .filter((m) => m.channel === channel.id && (m.thread_ts === undefined || m.thread_ts === m.ts) && Number(m.ts) > oldest)
    .sort((a, b) => b.ts.localeCompare(a.ts));
  const messages = top.slice(0, limit).map((m) => publicMessage(m, truthy(args.include_all_metadata), state));
  return { ok: true, messages, has_more: top.length > limit, response_metadata: { next_cursor: '' } };
}

/** A 1:1 DM with one user (the only kind the bot opens); `users` is a comma-separated list. */
function conversationsOpen(args: Args, { state }: MethodContext): Result {
  const channelArg = str(args.channel);
  if (channelArg) {
    const c = state.channels.get(channelArg);
    return c?.is_im ? { ok: true, channel: { id: c.id } } : fail('channel_not_found');
  }
  const users = str(args.users)?.split(',').map((u) => u.trim()).filter(Boolean) ?? [];
  if (users.length === 0) return fail('users_list_not_supplied');
  if (users.length > 8) return fail('too_many_users');
  if (users.length > 1) return fail('not_enough_users', ['[ERROR] this fake opens 1:1 DMs only']);
  const user = state.users.get(users[0]!);
  if (!user) return fail('user_not_found');
  if (user.is_bot) return fail('cannot_dm_bot');
  const existed = state.channels.has(`D${user.id.slice(1)}`);
  const dm = state.openDirect(user.id);
  return { ok: true, ...(existed ? { no_op: true, already_open: true } : {}), channel: { id: dm.id } };
}

function usersInfo(args: Args, { state }: MethodContext): Result {
  const id = str(args.user);
  const u = id ? state.users.get(id) : undefined;
  if (!u) return fail('user_not_found');
  const realName = u.real_name ?? u.name;
  return {
    ok: true,
    user: {
      id: u.id,
      team_id: state.team.id,
      name: u.name,
      deleted: false,
      real_name: realName,
      tz: u.tz ?? 'Europe/Paris',
      is_bot: u.is_bot ?? false,
      is_admin: false,
      ...(args.include_locale === true || args.include_locale === 'true' ? { locale: u.locale ?? 'en-US' } : {}),
      profile: {
        real_name: realName,
        display_name: u.display_name ?? u.name,
        real_name_normalized: realName,
        display_name_normalized: u.display_name ?? u.name,
        ...(u.email ? { email: u.email } : {}),
        team: state.team.id,
      },
    },
  };
}

function conversationsInfo(args: Args, { state }: MethodContext): Result {
  const c = state.resolveChannel(args.channel);
  if (!c) return fail('channel_not_found');
  return {
    ok: true,
    channel: {
      id: c.id,
      name: c.name,
      is_channel: !c.is_im && !c.is_private,
      is_group: Boolean(c.is_private),
      is_im: Boolean(c.is_im),
      is_private: Boolean(c.is_private || c.is_im),
      is_archived: Boolean(c.is_archived),
      is_member: c.is_im || c.bot_member !== false,
      created: 1_600_000_000,
      ...(c.user ? { user: c.user } : {}),
    },
  };
}

export const METHODS: Record<string, Handler> = {
  'auth.test': (_args, { state }) => ({
    ok: true,
    url: `https://${state.team.domain}.slack.com/`,
    team: state.team.name,
    user: state.bot.name,
    team_id: state.team.id,
    user_id: state.bot.userId,
    bot_id: state.bot.botId,
    is_enterprise_install: false,
  }),
  'apps.connections.open': (_args, { socketUrl }) => ({ ok: true, url: socketUrl() }),
  'views.open': openOrPush,
  'views.push': openOrPush,
  'views.publish': (args, { state }) => {
    const userId = str(args.user_id);
    if (!userId) return fail('invalid_arguments', ['[ERROR] missing required field: user_id']);
    if (!state.users.has(userId)) return fail('user_not_found');
    if (args.view === undefined) return fail('invalid_arguments', ['[ERROR] missing required field: view']);
    const problems = validateHomeView(args.view);
    if (problems.length > 0) return fail('invalid_arguments', problems);
    const homeId = `home:${userId}`;
    const stored = state.views.get(homeId);
    if (str(args.hash) && stored && args.hash !== stored.hash) return fail('hash_conflict');
    return viewResponse(state, storeView(state, args.view as Args, homeId));
  },
  'views.update': (args, { state }) => {
    const viewId = str(args.view_id);
    const externalId = str(args.external_id);
    if (!viewId && !externalId) return fail('invalid_arguments', ['[ERROR] missing required field: view_id or external_id']);
    if (args.view === undefined) return fail('invalid_arguments', ['[ERROR] missing required field: view']);
    const stored = viewId ? state.views.get(viewId) : [...state.views.values()].find((s) => s.view.external_id === externalId);
    if (!stored) return fail('not_found');
    if (str(args.hash) && args.hash !== stored.hash) return fail('hash_conflict');
    const problems = validateView(args.view);
    if (problems.length > 0) return fail('invalid_arguments', problems);
    return viewResponse(state, storeView(state, args.view as Args, stored.id));
  },
  'chat.postMessage': postMessage,
  'chat.update': chatUpdate,
  'chat.postEphemeral': postEphemeral,
  'chat.getPermalink': getPermalink,
  'users.info': usersInfo,
  'conversations.replies': conversationsReplies,
  'conversations.history': conversationsHistory,
  'conversations.info': conversationsInfo,
  'conversations.open': conversationsOpen,
  'files.info': filesInfo,
  'files.getUploadURLExternal': getUploadUrlExternal,
  'files.completeUploadExternal': completeUploadExternal,
  'usergroups.users.list': (args, { state }) => {
    const id = str(args.usergroup);
    const users = id ? state.usergroups.get(id) : undefined;
    if (!users) return fail('no_such_subteam');
    return { ok: true, users: [...users] };
  },
};
