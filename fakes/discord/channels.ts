// Channel, message and thread routes, plus the helpers that store a message and tell the gateway.
import { ChannelType } from 'discord.js';
import type { FileInfo, Hub, Route, RouteResult } from './rest.js';
import { ok } from './rest.js';
import type { Json } from './state.js';
import { isoNow } from './state.js';
import { ATTACHMENT_LIMIT } from './cdn.js';
import { ERR, apiError, invalidForm, validateMessage } from './validate.js';

const S = '(\\d{17,20})';
const NONCE_WINDOW_MS = 5 * 60_000;
const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];
const TEXT_TYPES = new Set<unknown>([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.PublicThread,
  ChannelType.PrivateThread, ChannelType.AnnouncementThread, ChannelType.GuildVoice, ChannelType.DM]);

/** The gateway form of a stored message: adds guild_id and, for non-webhook authors, `member`. */
export function messageEvent(hub: Hub, msg: Json): Json {
  // Gateway message events name their channel's type, which is how a client knows an uncached DM.
  const ch = hub.state.channel(msg['channel_id'] as string);
  const channelType = ch ? { channel_type: ch['type'] } : {};
  // A DM belongs to no guild: its events carry neither guild_id nor member.
  if (hub.state.isDm(ch)) return { ...msg, ...channelType };
  const d: Json = { ...msg, ...channelType, guild_id: hub.state.guildId };
  const authorId = (msg['author'] as Json)['id'] as string;
  const member = hub.state.members.get(authorId);
  if (member && msg['webhook_id'] === undefined) {
    const rest: Json = { ...member };
    delete rest['user'];
    d['member'] = rest;
  }
  return d;
}

export function publishMessage(hub: Hub, msg: Json): void {
  if (!((msg['flags'] as number) & 64)) hub.gateway.dispatch('MESSAGE_CREATE', messageEvent(hub, msg));
}

/** Applies an edit body to a stored message (fields Discord lets you edit) and tells the gateway. */
export function editMessage(hub: Hub, msg: Json, body: Json, files: FileInfo[] = []): Json {
  for (const key of ['content', 'embeds', 'components', 'attachments'] as const) {
    if (body[key] !== undefined) msg[key] = body[key] ?? (key === 'content' ? '' : []);
  }
  if (files.length > 0) msg['attachments'] = attachmentsOf(hub, msg['channel_id'] as string, files);
  const wasLoading = ((msg['flags'] as number) & 128) !== 0;
  msg['flags'] = (msg['flags'] as number) & ~128;
  if (typeof body['flags'] === 'number') msg['flags'] = ((msg['flags'] as number) & 64) | (body['flags'] & ~64);
  if (!wasLoading) msg['edited_timestamp'] = isoNow();
  if (!((msg['flags'] as number) & 64)) hub.gateway.dispatch('MESSAGE_UPDATE', messageEvent(hub, msg));
  return msg;
}

export function deleteMessage(hub: Hub, msg: Json): void {
  hub.state.deletedMessageIds.add(msg['id'] as string);
  if (!((msg['flags'] as number) & 64)) {
    hub.gateway.dispatch('MESSAGE_DELETE', { id: msg['id'], channel_id: msg['channel_id'], guild_id: hub.state.guildId });
  }
}

/** Uploaded files as the message's attachments, each on the fake's CDN. */
export const attachmentsOf = (hub: Hub, channelId: string, files: FileInfo[]): Json[] => hub.cdn.attach(channelId, files);

/** Discord refuses a message whose files exceed the upload limit before it looks at anything else. */
export function oversized(files: FileInfo[]): RouteResult | null {
  return files.some((f) => f.bytes.length > ATTACHMENT_LIMIT) ? apiError(413, 40005, 'Request entity too large') : null;
}

const isResult = (x: Json | RouteResult): x is RouteResult => !('id' in x);

/** Checks that a channel accepts messages; unarchives an archived (unlocked) thread as Discord does. */
export function writableChannel(hub: Hub, channelId: string): Json | RouteResult {
  const ch = visibleChannel(hub, channelId);
  if (isResult(ch)) return ch;
  if (!TEXT_TYPES.has(ch['type'])) return apiError(400, 50008, 'Cannot send messages in a non-text channel');
  const meta = ch['thread_metadata'] as Json | undefined;
  if (meta?.['archived']) {
    if (meta['locked']) return ERR.threadArchived();
    meta['archived'] = false;
    meta['archive_timestamp'] = isoNow();
    hub.gateway.dispatch('THREAD_UPDATE', { ...ch });
  }
  return ch;
}

/** A channel as the bot can reach it: unknown, or one its role cannot view (50001), is an error. */
export function visibleChannel(hub: Hub, channelId: string): Json | RouteResult {
  const ch = hub.state.channel(channelId);
  if (!ch) return ERR.unknownChannel();
  const parent = ch['parent_id'] as string | undefined;
  if (hub.state.hiddenFromBot.has(channelId) || (parent && hub.state.hiddenFromBot.has(parent))) return ERR.missingAccess();
  return ch;
}

function postMessage(hub: Hub, channelId: string, body: Json, files: FileInfo[]): RouteResult {
  const ch = writableChannel(hub, channelId);
  if (isResult(ch)) return ch;
  const tooBig = oversized(files);
  if (tooBig) return tooBig;
  const withFiles = files.length > 0 ? { ...body, attachments: attachmentsOf(hub, channelId, files) } : body;
  const invalid = validateMessage(withFiles);
  if (invalid) return invalid;
  const { state } = hub;
  const nonceKey = body['enforce_nonce'] && body['nonce'] !== undefined ? `${state.applicationId}:${String(body['nonce'])}` : null;
  if (nonceKey) {
    const seen = state.nonces.get(nonceKey);
    const prior = seen && Date.now() - seen.at < NONCE_WINDOW_MS ? state.messageById.get(seen.messageId) : undefined;
    if (prior) return ok(prior);
  }
  const ref = body['message_reference'] as Json | undefined;
  if (ref?.['message_id'] && ref['fail_if_not_exists'] !== false) {
    const target = state.messageById.get(String(ref['message_id']));
    if (!target || state.deletedMessageIds.has(String(ref['message_id']))) {
      return invalidForm([{ path: ['message_reference'], code: 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', message: 'Unknown message' }]);
    }
  }
  const msg = state.storeMessage(channelId, state.members.get(state.applicationId)?.['user'] as Json, withFiles,
    ref ? { type: 19, message_reference: { type: 0, channel_id: channelId, guild_id: state.guildId, ...ref } } : {});
  if (nonceKey) state.nonces.set(nonceKey, { messageId: msg['id'] as string, at: Date.now() });
  publishMessage(hub, msg);
  return ok(msg);
}

function threadIssues(body: Json): RouteResult | null {
  const name = body['name'];
  const issues = [];
  if (typeof name !== 'string' || name.length < 1 || name.length > 100) {
    issues.push({ path: ['name'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
  const dur = body['auto_archive_duration'];
  if (dur !== undefined && dur !== null && !ARCHIVE_DURATIONS.includes(dur as number)) {
    issues.push({ path: ['auto_archive_duration'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of (${ARCHIVE_DURATIONS.join(', ')}).` });
  }
  return issues.length > 0 ? invalidForm(issues) : null;
}

function createThread(hub: Hub, channelId: string, body: Json, files: FileInfo[]): RouteResult {
  const { state, gateway } = hub;
  const parent = visibleChannel(hub, channelId);
  if (isResult(parent)) return parent;
  const invalid = threadIssues(body);
  if (invalid) return invalid;
  const autoArchive = typeof body['auto_archive_duration'] === 'number' ? body['auto_archive_duration'] : undefined;
  const name = body['name'] as string;
  const forum = parent['type'] === ChannelType.GuildForum || parent['type'] === ChannelType.GuildMedia;
  if (forum) {
    const message = body['message'] as Json | undefined;
    if (!message || typeof message !== 'object') {
      return invalidForm([{ path: ['message'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
    }
    const starter = files.length > 0 ? { ...message, attachments: attachmentsOf(hub, channelId, files) } : message;
    const bad = validateMessage(starter, { prefix: ['message'] });
    if (bad) return bad;
    const tags = Array.isArray(body['applied_tags']) ? (body['applied_tags'] as string[]) : [];
    const thread = state.createThread(parent, name, ChannelType.PublicThread, { ...(autoArchive ? { autoArchive } : {}), appliedTags: tags });
    const bot = state.members.get(state.applicationId)?.['user'] as Json;
    const msg = state.storeMessage(thread['id'] as string, bot, starter, { id: thread['id'] });
    const member = state.threadMember(thread['id'] as string, state.applicationId);
    gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true, member });
    publishMessage(hub, msg);
    return { status: 201, body: { ...thread, member, message: msg } };
  }
  if (body['message'] !== undefined) return ERR.wrongChannelType();
  const allowed = parent['type'] === ChannelType.GuildAnnouncement ? [ChannelType.AnnouncementThread]
    : parent['type'] === ChannelType.GuildText ? [ChannelType.PublicThread, ChannelType.PrivateThread] : [];
  if (allowed.length === 0) return ERR.wrongChannelType();
  const type = (body['type'] ?? (allowed.includes(ChannelType.PrivateThread) ? ChannelType.PrivateThread : allowed[0])) as number;
  if (!allowed.includes(type)) {
    return invalidForm([{ path: ['type'], code: 'BASE_TYPE_CHOICES', message: `Value must be one of (${allowed.join(', ')}).` }]);
  }
  const thread = state.createThread(parent, name, type, {
    ...(autoArchive ? { autoArchive } : {}), ...(typeof body['invitable'] === 'boolean' ? { invitable: body['invitable'] } : {}),
  });
  const member = state.threadMember(thread['id'] as string, state.applicationId);
  gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true, member });
  return { status: 201, body: { ...thread, member } };
}

function threadFromMessage(hub: Hub, channelId: string, messageId: string, body: Json): RouteResult {
  const { state, gateway } = hub;
  const parent = state.channel(channelId);
  if (!parent) return ERR.unknownChannel();
  const msg = state.messageById.get(messageId);
  if (!msg || msg['channel_id'] !== channelId || state.deletedMessageIds.has(messageId)) return ERR.unknownMessage();
  if (state.channels.has(messageId)) return ERR.threadExists();
  const invalid = threadIssues(body);
  if (invalid) return invalid;
  const type = parent['type'] === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread
    : parent['type'] === ChannelType.GuildText ? ChannelType.PublicThread : null;
  if (type === null) return ERR.wrongChannelType();
  const autoArchive = typeof body['auto_archive_duration'] === 'number' ? body['auto_archive_duration'] : undefined;
  const thread = state.createThread(parent, body['name'] as string, type, { id: messageId, ...(autoArchive ? { autoArchive } : {}) });
  const member = state.threadMember(messageId, state.applicationId);
  gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true, member });
  msg['flags'] = (msg['flags'] as number) | 32;
  msg['thread'] = thread;
  gateway.dispatch('MESSAGE_UPDATE', messageEvent(hub, msg));
  return { status: 201, body: { ...thread, member } };
}

function patchChannel(hub: Hub, id: string, body: Json): RouteResult {
  const ch = hub.state.channel(id);
  if (!ch) return ERR.unknownChannel();
  if (typeof body['name'] === 'string') ch['name'] = body['name'];
  const meta = ch['thread_metadata'] as Json | undefined;
  if (!meta) {
    if (body['topic'] !== undefined) ch['topic'] = body['topic'];
    hub.gateway.dispatch('CHANNEL_UPDATE', { ...ch });
    return ok(ch);
  }
  if (typeof body['archived'] === 'boolean' && body['archived'] !== meta['archived']) {
    meta['archived'] = body['archived'];
    meta['archive_timestamp'] = isoNow();
  }
  for (const key of ['locked', 'auto_archive_duration', 'invitable'] as const) if (body[key] !== undefined) meta[key] = body[key];
  if (Array.isArray(body['applied_tags'])) ch['applied_tags'] = body['applied_tags'];
  hub.gateway.dispatch('THREAD_UPDATE', { ...ch });
  return ok(ch);
}

function addThreadMember(hub: Hub, threadId: string, userId: string): RouteResult {
  const { state } = hub;
  const thread = state.channel(threadId);
  if (!thread) return ERR.unknownChannel();
  if (!state.isThread(thread)) return ERR.wrongChannelType();
  if ((thread['thread_metadata'] as Json)['archived']) return ERR.threadArchived();
  const member = state.members.get(userId);
  if (!member) return ERR.unknownMember();
  if (state.joinThread(threadId, userId)) {
    hub.gateway.dispatch('THREAD_MEMBERS_UPDATE', {
      id: threadId, guild_id: state.guildId, member_count: thread['member_count'],
      added_members: [{ ...state.threadMember(threadId, userId), member, presence: null }],
    });
  }
  return ok();
}

export function channelRoutes(hub: Hub): Route[] {
  const { state } = hub;
  const inChannel = (channelId: string, messageId: string): Json | undefined => {
    const msg = state.messageById.get(messageId);
    return msg && msg['channel_id'] === channelId && !state.deletedMessageIds.has(messageId) ? msg : undefined;
  };
  return [
    { method: 'GET', pattern: new RegExp(`^/channels/${S}$`), handle: ({ params: [id] }) => { const ch = visibleChannel(hub, id ?? ''); return isResult(ch) ? ch : ok(ch); } },
    { method: 'PATCH', pattern: new RegExp(`^/channels/${S}$`), handle: ({ params: [id], body }) => patchChannel(hub, id ?? '', body) },
    { method: 'POST', pattern: new RegExp(`^/channels/${S}/typing$`), handle: ({ params: [id] }) => (state.channel(id ?? '') ? ok() : ERR.unknownChannel()) },
    { method: 'POST', pattern: new RegExp(`^/channels/${S}/messages$`), handle: ({ params: [id], body, files }) => postMessage(hub, id ?? '', body, files) },
    {
      method: 'GET', pattern: new RegExp(`^/channels/${S}/messages$`),
      handle: ({ params: [id], query }) => {
        if (!state.channel(id ?? '')) return ERR.unknownChannel();
        const limit = Math.min(Number(query.get('limit') ?? 50), 100);
        const before = query.get('before');
        const after = query.get('after');
        const list = state.messagesIn(id ?? '').filter((m) => (!before || BigInt(m['id'] as string) < BigInt(before))
          && (!after || BigInt(m['id'] as string) > BigInt(after)));
        return ok((after ? list.slice(0, limit) : list.slice(-limit)).reverse());
      },
    },
    {
      method: 'GET', pattern: new RegExp(`^/channels/${S}/messages/${S}$`),
      handle: ({ params: [c, m] }) => { const msg = inChannel(c ?? '', m ?? ''); return msg ? ok(msg) : ERR.unknownMessage(); },
    },
    {
      method: 'PATCH', pattern: new RegExp(`^/channels/${S}/messages/${S}$`),
      handle: ({ params: [c, m], body, files }) => {
        const ch = visibleChannel(hub, c ?? '');
        if (isResult(ch)) return ch;
        const msg = inChannel(c ?? '', m ?? '');
        if (!msg) return ERR.unknownMessage();
        if ((msg['author'] as Json)['id'] !== state.applicationId) return ERR.otherAuthor();
        return validateMessage(body, { partial: true }) ?? ok(editMessage(hub, msg, body, files));
      },
    },
    {
      method: 'DELETE', pattern: new RegExp(`^/channels/${S}/messages/${S}$`),
      handle: ({ params: [c, m] }) => { const msg = inChannel(c ?? '', m ?? ''); if (!msg) return ERR.unknownMessage(); deleteMessage(hub, msg); return ok(); },
    },
    { method: 'POST', pattern: new RegExp(`^/channels/${S}/threads$`), handle: ({ params: [id], body, files }) => createThread(hub, id ?? '', body, files) },
    { method: 'POST', pattern: new RegExp(`^/channels/${S}/messages/${S}/threads$`), handle: ({ params: [c, m], body }) => threadFromMessage(hub, c ?? '', m ?? '', body) },
    {
      method: 'PUT', pattern: new RegExp(`^/channels/${S}/thread-members/(\\d{17,20}|@me)$`),
      handle: ({ params: [t, u] }) => addThreadMember(hub, t ?? '', u === '@me' ? state.applicationId : u ?? ''),
    },
    {
      method: 'GET', pattern: new RegExp(`^/channels/${S}/thread-members/${S}$`),
      handle: ({ params: [t, u] }) => (state.threadMembers.get(t ?? '')?.has(u ?? '') ? ok(state.threadMember(t ?? '', u ?? '')) : apiError(404, 10007, 'Unknown Member')),
    },
  ];
}
