// The fake gateway: HELLO → IDENTIFY/RESUME → READY/RESUMED, heartbeats, per-session sequence
// numbers and a replay buffer (so a RESUME gets every dispatch it missed), intent filtering and
// MessageContent stripping, op 7 reconnect requests, and close codes for bad identifies.
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import { GatewayIntentBits as I } from 'discord.js';
import type { FakeState, Json } from './state.js';

interface Session {
  id: string;
  intents: number;
  seq: number;
  buffer: Array<{ s: number; t: string; d: unknown }>;
  socket: WebSocket | null;
}

export interface IdentifyRecord { intents: number; token: string; at: number; accepted: boolean; properties: unknown }
export interface CloseRecord { code: number; reason: string; at: number }

// Which intent a dispatch needs; events not listed (READY, INTERACTION_CREATE, …) always go out.
const EVENT_INTENT: Record<string, number> = {
  GUILD_CREATE: I.Guilds, GUILD_UPDATE: I.Guilds, GUILD_DELETE: I.Guilds, GUILD_ROLE_CREATE: I.Guilds,
  CHANNEL_CREATE: I.Guilds, CHANNEL_UPDATE: I.Guilds, CHANNEL_DELETE: I.Guilds, THREAD_CREATE: I.Guilds,
  THREAD_UPDATE: I.Guilds, THREAD_DELETE: I.Guilds, THREAD_LIST_SYNC: I.Guilds, THREAD_MEMBER_UPDATE: I.Guilds,
  THREAD_MEMBERS_UPDATE: I.Guilds, GUILD_MEMBER_ADD: I.GuildMembers, GUILD_MEMBER_UPDATE: I.GuildMembers,
  GUILD_MEMBER_REMOVE: I.GuildMembers, MESSAGE_CREATE: I.GuildMessages, MESSAGE_UPDATE: I.GuildMessages,
  MESSAGE_DELETE: I.GuildMessages, MESSAGE_DELETE_BULK: I.GuildMessages,
  MESSAGE_REACTION_ADD: I.GuildMessageReactions, MESSAGE_REACTION_REMOVE: I.GuildMessageReactions,
};

export interface GatewayOptions {
  heartbeatIntervalMs: number;
  /** Intent bits the application is not allowed to use (IDENTIFY with any of them → close 4014). */
  denyIntents: number;
}

export class FakeGateway extends EventEmitter {
  readonly identifies: IdentifyRecord[] = [];
  /** Close codes the fake sent (4014, 4004, …). */
  readonly closes: CloseRecord[] = [];
  /** Every gateway payload received from clients except heartbeats. */
  readonly received: Json[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  url = '';

  constructor(private readonly state: FakeState, readonly opts: GatewayOptions) {
    super();
    this.wss.on('connection', (ws, req) => this.onConnection(ws, req));
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.wss.emit('connection', ws, req));
  }

  /** Number of sockets currently attached to a session. */
  get connectedSessions(): number {
    return [...this.sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN).length;
  }

  /** Sends a dispatch to every session whose intents allow it; buffered for replay on RESUME. */
  dispatch(t: string, d: Json): void {
    for (const session of this.sessions.values()) this.dispatchTo(session, t, d);
  }

  private dispatchTo(session: Session, t: string, d: Json): void {
    // Messages in DMs carry no guild_id and need the DirectMessages intent instead.
    const dm = t.startsWith('MESSAGE_') && d['guild_id'] === undefined;
    const needed = dm ? I.DirectMessages : EVENT_INTENT[t];
    if (needed !== undefined && !(session.intents & needed)) return;
    const data = t === 'MESSAGE_CREATE' || t === 'MESSAGE_UPDATE' ? this.maybeStripContent(session, d) : d;
    session.seq += 1;
    const frame = { s: session.seq, t, d: data };
    session.buffer.push(frame);
    if (session.buffer.length > 2000) session.buffer.shift();
    this.send(session.socket, { op: 0, ...frame });
  }

  // Without MessageContent, Discord blanks content/embeds/attachments/components unless the
  // message is the app's own or mentions it.
  private maybeStripContent(session: Session, d: Json): Json {
    if (session.intents & I.MessageContent) return d;
    const author = d['author'] as Json | undefined;
    const me = this.state.applicationId;
    const mentioned = Array.isArray(d['mentions']) && (d['mentions'] as Json[]).some((u) => u['id'] === me);
    if (author?.['id'] === me || mentioned) return d;
    return { ...d, content: '', embeds: [], attachments: [], components: [] };
  }

  /**
   * Sends op 7 to every connected session, then waits for the client to close the socket
   * (force-closing with 4000 after 2 s). Dispatches made meanwhile are replayed on RESUME.
   */
  async requestReconnect(): Promise<void> {
    const waits = [...this.sessions.values()].map(async (s) => {
      const ws = s.socket;
      if (!ws || ws.readyState !== WebSocket.OPEN) return;
      const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      this.send(ws, { op: 7, d: null });
      const timer = setTimeout(() => this.closeSocket(ws, 4000, 'Reconnect requested'), 2000);
      await closed;
      clearTimeout(timer);
    });
    await Promise.all(waits);
  }

  /** Sends op 9 (invalid session, not resumable) and forgets the sessions: clients re-identify. */
  invalidateSessions(): void {
    for (const s of this.sessions.values()) this.send(s.socket, { op: 9, d: false });
    this.sessions.clear();
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private send(ws: WebSocket | null, payload: unknown): void {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  private closeSocket(ws: WebSocket, code: number, reason: string): void {
    this.closes.push({ code, reason, at: Date.now() });
    this.emit('closeSent', code);
    if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    if (query.get('v') !== '10') return this.closeSocket(ws, 4012, 'Invalid API version');
    if ((query.get('encoding') ?? 'json') !== 'json') return this.closeSocket(ws, 4002, 'Error while decoding payload.');
    let session: Session | null = null;
    ws.on('close', () => {
      if (session?.socket === ws) session.socket = null;
    });
    ws.on('message', (raw) => {
      let msg: Json;
      try {
        msg = JSON.parse(String(raw)) as Json;
      } catch {
        return this.closeSocket(ws, 4002, 'Error while decoding payload.');
      }
      const op = msg['op'];
      if (op === 1) return this.send(ws, { op: 11 });
      this.received.push(msg);
      const d = (msg['d'] ?? {}) as Json;
      if (op === 2) {
        if (session) return this.closeSocket(ws, 4005, 'Already authenticated.');
        session = this.identify(ws, d);
        return;
      }
      if (op === 6) {
        if (session) return this.closeSocket(ws, 4005, 'Already authenticated.');
        session = this.resume(ws, d);
        return;
      }
      if (!session) return this.closeSocket(ws, 4003, 'Not authenticated.');
      if (op === 8) return this.requestMembers(session, d);
      if (op === 3 || op === 4) return;
      this.closeSocket(ws, 4001, 'Unknown opcode.');
    });
    this.send(ws, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: ['fake-gateway'] } });
  }

  private identify(ws: WebSocket, d: Json): Session | null {
    const intents = d['intents'];
    const token = String(d['token'] ?? '');
    const record: IdentifyRecord = { intents: Number(intents), token, at: Date.now(), accepted: false, properties: d['properties'] };
    this.identifies.push(record);
    this.emit('identify', record);
    if (token !== this.state.token) { this.closeSocket(ws, 4004, 'Authentication failed.'); return null; }
    if (typeof intents !== 'number' || intents < 0 || intents >= 1 << 26) { this.closeSocket(ws, 4013, 'Invalid intent(s).'); return null; }
    if (intents & this.opts.denyIntents) { this.closeSocket(ws, 4014, 'Disallowed intent(s).'); return null; }
    record.accepted = true;
    const session: Session = { id: randomBytes(16).toString('hex'), intents, seq: 0, buffer: [], socket: ws };
    this.sessions.set(session.id, session);
    this.dispatchTo(session, 'READY', {
      v: 10, user: this.state.botUser, guilds: [{ id: this.state.guildId, unavailable: true }],
      session_id: session.id, resume_gateway_url: this.url, shard: [0, 1],
      application: { id: this.state.applicationId, flags: 0 }, private_channels: [], relationships: [],
      presences: [], guild_join_requests: [], user_settings: {}, geo_ordered_rtc_regions: ['fake'],
      auth_session_id_hash: 'fake', _trace: ['fake-gateway'],
    });
    this.emit('ready', session.id);
    this.dispatchTo(session, 'GUILD_CREATE', this.guildCreate(intents));
    return session;
  }

  private guildCreate(intents: number): Json {
    const me = this.state.applicationId;
    // Without GuildMembers, GUILD_CREATE carries only the bot's own member, as on Discord.
    const members = [...this.state.members.entries()]
      .filter(([id]) => (intents & I.GuildMembers) !== 0 || id === me).map(([, m]) => m);
    const channels = [...this.state.channels.values()].filter((c) => !this.state.isThread(c));
    const threads = this.state.threads().filter((t) => !(t['thread_metadata'] as Json)['archived']);
    return {
      ...this.state.guildObject(), unavailable: false, joined_at: '2024-01-01T00:00:00.000Z', large: false,
      member_count: this.state.members.size, lazy: true, channels, threads, members, presences: [],
      voice_states: [], stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
    };
  }

  private resume(ws: WebSocket, d: Json): Session | null {
    if (d['token'] !== this.state.token) { this.closeSocket(ws, 4004, 'Authentication failed.'); return null; }
    const session = this.sessions.get(String(d['session_id']));
    if (!session) {
      this.send(ws, { op: 9, d: false });
      return null;
    }
    if (session.socket && session.socket !== ws) this.closeSocket(session.socket, 4000, 'Session resumed elsewhere');
    session.socket = ws;
    const from = Number(d['seq'] ?? 0);
    const missed = session.buffer.filter((f) => f.s > from);
    for (const f of missed) this.send(ws, { op: 0, ...f });
    this.dispatchTo(session, 'RESUMED', { _trace: ['fake-gateway'] });
    this.emit('resumed', { sessionId: session.id, replayed: missed.length });
    return session;
  }

  private requestMembers(session: Session, d: Json): void {
    const ids = Array.isArray(d['user_ids']) ? (d['user_ids'] as string[]) : typeof d['user_ids'] === 'string' ? [d['user_ids']] : null;
    const query = typeof d['query'] === 'string' ? d['query'].toLowerCase() : '';
    const members = [...this.state.members.values()].filter((m) => {
      const user = m['user'] as Json;
      return ids ? ids.includes(user['id'] as string) : String(user['username']).toLowerCase().startsWith(query);
    });
    this.dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
      guild_id: this.state.guildId, members, chunk_index: 0, chunk_count: 1, not_found: [],
      ...(d['nonce'] !== undefined ? { nonce: d['nonce'] } : {}),
    });
  }
}
