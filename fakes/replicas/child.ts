/**
 * The bot as a separate process, for the chaos test and the bench's scale run: the real Bridge with
 * the real adapter PROVIDER names (verifik by default) pointed at its fake, the rate limits
 * shared through the store (Redis across replicas), a test front-end whose "platform" is a local HTTP control port
 * (thread replies come in there and are acknowledged only after the outbox holds them), and a
 * sink that posts into a fake chat server with each post's idempotency key.
 *
 * Env: STORE_URL, PROVIDER and the adapter's own variables (its fake's `env`), CHAT_URL, POLL_INTERVAL_MS, LEASE_MS,
 * HTTP_TIMEOUT_MS. Prints `ready <port>` on stdout once it takes requests. SIGTERM stops it
 * gracefully (Bridge.stop) and exits 0.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { providers } from '../../adapters/registry.js';
import { Bridge } from '../../src/bridge.js';
import { ChatDeliveryError, type ChatSink, type ThreadMessage, type TicketCard } from '../../src/chat.js';
import type { FrontEnd } from '../../src/frontend.js';
import type { ProviderId } from '../../src/domain.js';
import { createLimiters } from '../../src/limits.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { createLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/index.js';

const env = process.env;
const logger = createLogger({ level: (env.LOG_LEVEL as 'error' | undefined) ?? 'error' });
const kv = await openStore(env.STORE_URL!);
const timeoutMs = Number(env.HTTP_TIMEOUT_MS ?? 400);
const http = createHttpClient(logger, { timeoutMs, retry: { retries: 2, baseMs: 20, maxMs: 200, maxRetryAfterMs: 1_000 } });
const limiters = await createLimiters(kv);
const provider = (await providers[(env.PROVIDER ?? 'verifik') as ProviderId]())({ http, logger, kv, env, limiters });
const bridge = new Bridge({
  provider,
  kv,
  logger,
  pollIntervalMs: Number(env.POLL_INTERVAL_MS ?? 100),
  outboxRetry: { baseMs: 30, maxMs: 400 },
  outboxIdleMs: 50,
  leaseMs: Number(env.LEASE_MS ?? 1_000),
  pollConcurrency: 16,
});

/** Posts into the fake chat server; its answers map onto ChatDeliveryError like a real sink's. */
class HttpChatSink implements ChatSink<string> {
  encodeThread(thread: string): string {
    return thread;
  }

  decodeThread(ref: string): string | undefined {
    return ref.startsWith('chaos:') ? ref : undefined;
  }

  async postToThread(thread: string, message: ThreadMessage, idempotencyKey: string): Promise<void> {
    await this.send('/post', { thread, message, key: idempotencyKey });
  }

  async updateCard(thread: string, _cardRef: string | undefined, card: TicketCard): Promise<void> {
    await this.send('/card', { thread, card });
  }

  private async send(path: string, body: unknown): Promise<void> {
    let status: number;
    let retryAfter: string | undefined;
    try {
      const res = await request(`${env.CHAT_URL}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.body.dump();
      status = res.statusCode;
      retryAfter = res.headers['retry-after'] as string | undefined;
    } catch (error) {
      throw new ChatDeliveryError(`chat unreachable: ${(error as Error).message}`, true);
    }
    if (status === 429) throw new ChatDeliveryError('chat rate limited', true, Number(retryAfter ?? 1) * 1000);
    if (status >= 500) throw new ChatDeliveryError(`chat ${status}`, true);
    if (status >= 400) throw new ChatDeliveryError(`chat ${status}`, false);
  }
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const requester = { key: 'chaos:tester', name: 'Tess' };
const control = createServer((req, res) => {
  void (async () => {
    try {
      const body = await readJson(req);
      if (req.url === '/open') {
        const snapshot = await bridge.service.open({ subject: String(body.subject), description: String(body.description) }, requester);
        const link = await bridge.service.link(snapshot, `chaos:${String(body.thread)}`, requester);
        return answer(res, 200, { ticketId: link.ticketId, thread: link.thread });
      }
      if (req.url === '/reply') {
        // The platform's event: acknowledged (200) only once the outbox holds the reply.
        const result = await bridge.service.reply({
          thread: String(body.thread),
          text: String(body.text),
          author: requester,
          eventKey: String(body.eventKey),
        });
        return answer(res, result ? 200 : 404, { queued: result?.queued ?? false });
      }
      answer(res, 404, {});
    } catch (error) {
      answer(res, 500, { error: (error as Error).message });
    }
  })();
});
await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

const frontEnd: FrontEnd = {
  name: 'chaos',
  sink: new HttpChatSink(),
  stop: () =>
    new Promise<void>((resolve) => {
      control.close(() => resolve());
      control.closeAllConnections();
    }),
};
bridge.attach(frontEnd);
bridge.start();

let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await bridge.stop();
    await kv.close();
    await http.close();
    await limiters.close();
    process.exit(0);
  })().catch((error: unknown) => {
    process.stderr.write(`stop failed: ${String(error)}\n`);
    process.exit(1);
  });
});

process.stdout.write(`ready ${(control.address() as AddressInfo).port}\n`);
