// Socket Mode endpoint of the fake: the WebSocket @slack/socket-mode connects to after
// apps.connections.open. It speaks the same envelopes as wss://wss-primary.slack.com/link.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export type EnvelopeType = 'events_api' | 'slash_commands' | 'interactive';

export interface SocketSendOptions {
  /** Slack's redelivery counter; events_api envelopes always carry it (0 on first delivery). */
  retryAttempt?: number;
  retryReason?: string;
  /** Defaults to true except for events_api, as Slack does. */
  acceptsResponsePayload?: boolean;
  /** Overrides the fake's ack timeout (Slack waits 3 s). */
  timeoutMs?: number;
}

export interface SocketAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface SocketEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface FakeSocket {
  /** Sends an envelope to the most recently connected client; resolves with its ack. */
  send(type: EnvelopeType, payload: unknown, opts?: SocketSendOptions): Promise<SocketAck>;
  /** Resolves once a client is connected and has been sent `hello`. */
  connected(timeoutMs?: number): Promise<void>;
  /** Asks clients to reconnect, as Slack does before recycling a connection. */
  disconnect(reason?: 'refresh_requested' | 'warning' | 'link_disabled'): void;
  readonly clientCount: number;
  /** Every envelope sent and every frame received, in order. */
  readonly sent: SocketEnvelope[];
  readonly received: unknown[];
}

export interface SocketModeServer extends FakeSocket {
  /** A one-time ws:// URL for apps.connections.open. */
  issueUrl(origin: string): string;
  close(): Promise<void>;
  clearLog(): void;
}

interface Pending {
  resolve: (ack: SocketAck) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

const PING_INTERVAL_MS = 10_000;

export function attachSocketMode(server: Server, opts: { appId: string; ackTimeoutMs: number }): SocketModeServer {
  const wss = new WebSocketServer({ noServer: true });
  const tickets = new Set<string>();
  const clients: WebSocket[] = [];
  const pending = new Map<string, Pending>();
  const waiters: Array<() => void> = [];
  const sent: SocketEnvelope[] = [];
  const received: unknown[] = [];

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket');
    // A ticket is good for one connection, like the URLs real Slack hands out.
    if (url.pathname !== '/socket' || !ticket || !tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    clients.push(ws);
    const ping = setInterval(() => ws.ping(), PING_INTERVAL_MS);
    ping.unref();
    ws.on('close', () => {
      clearInterval(ping);
      clients.splice(clients.indexOf(ws), 1);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let frame: unknown;
      try {
        frame = JSON.parse(String(data));
      } catch {
        received.push(String(data));
        return;
      }
      received.push(frame);
      const id = typeof frame === 'object' && frame !== null ? (frame as { envelope_id?: unknown }).envelope_id : undefined;
      const p = typeof id === 'string' ? pending.get(id) : undefined;
      if (p && typeof id === 'string') {
        pending.delete(id);
        clearTimeout(p.timer);
        p.resolve(frame as SocketAck);
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: clients.length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: opts.appId },
      }),
    );
    waiters.splice(0).forEach((w) => w());
  }

  function connected(timeoutMs = opts.ackTimeoutMs): Promise<void> {
    if (clients.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(done), 1);
        reject(new Error(`fake Slack: no Socket Mode client connected within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      waiters.push(done);
    });
  }

  async function send(type: EnvelopeType, payload: unknown, o: SocketSendOptions = {}): Promise<SocketAck> {
    const timeoutMs = o.timeoutMs ?? opts.ackTimeoutMs;
    await connected(timeoutMs);
    const ws = clients.at(-1);
    if (!ws) throw new Error('fake Slack: Socket Mode client went away');
    const envelope: SocketEnvelope = {
      envelope_id: randomUUID(),
      type,
      payload,
      accepts_response_payload: o.acceptsResponsePayload ?? type !== 'events_api',
    };
    if (type === 'events_api' || o.retryAttempt !== undefined) envelope.retry_attempt = o.retryAttempt ?? 0;
    if (type === 'events_api' || o.retryReason !== undefined) envelope.retry_reason = o.retryReason ?? '';
    sent.push(envelope);
    return new Promise<SocketAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(envelope.envelope_id);
        reject(new Error(`fake Slack: no ack for ${type} envelope ${envelope.envelope_id} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(envelope.envelope_id, { resolve, reject, timer });
      ws.send(JSON.stringify(envelope));
    });
  }

  return {
    send,
    connected,
    disconnect(reason = 'refresh_requested') {
      for (const ws of clients) ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
    },
    get clientCount() {
      return clients.length;
    },
    sent,
    received,
    issueUrl(origin: string) {
      const ticket = randomBytes(12).toString('hex');
      tickets.add(ticket);
      return `${origin.replace(/^http/, 'ws')}/socket?ticket=${ticket}&app_id=${opts.appId}`;
    },
    clearLog() {
      sent.length = 0;
      received.length = 0;
    },
    async close() {
      for (const p of pending.values()) {
        clearTimeout(p.timer);
        p.reject(new Error('fake Slack closed before the ack'));
      }
      pending.clear();
      // Bolt's app.stop() does not wait for the close handshake it starts; finish it here so the
      // client sees a clean 1000/1001 close instead of an abnormal 1006 and an error log.
      await Promise.all(
        [...clients].map(
          (ws) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => {
                ws.terminate();
                resolve();
              }, 1000);
              ws.once('close', () => {
                clearTimeout(timer);
                resolve();
              });
              if (ws.readyState === ws.OPEN) ws.close(1001, 'fake Slack closing');
            }),
        ),
      );
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
