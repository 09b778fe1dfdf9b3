import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ThreadMessage } from '../../src/chat.js';

export interface ChatPost {
  thread: string;
  key: string;
  message: ThreadMessage;
}

export interface ChaosChat {
  url: string;
  /** Messages that appeared in threads, in arrival order (a resent key makes none). */
  posts: ChatPost[];
  /** Posts that repeated a key already posted: absorbed, as Slack metadata or a Discord nonce would. */
  resends: number;
  cards: number;
  faults: number;
  /** Fraction of posts answered 503, 429 + Retry-After, or accepted and then answered too late. */
  faultRate: number;
  close(): Promise<void>;
}

/**
 * A chat platform for the chaos test: records every post with its idempotency key and, like
 * Discord's `nonce` + `enforce_nonce`, makes a post whose key it has seen a no-op.
 */
export async function startChaosChat(): Promise<ChaosChat> {
  const keys = new Set<string>();
  const chat: ChaosChat = {
    url: '',
    posts: [],
    resends: 0,
    cards: 0,
    faults: 0,
    faultRate: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as ChatPost;
      const roll = Math.random();
      const fault = roll < chat.faultRate;
      if (fault) chat.faults++;
      if (fault && roll < chat.faultRate / 3) return void res.writeHead(503).end();
      if (fault && roll < (2 * chat.faultRate) / 3) return void res.writeHead(429, { 'retry-after': '0.1' }).end();
      if (req.url === '/card') chat.cards++;
      else if (keys.has(body.key)) chat.resends++;
      else {
        keys.add(body.key);
        chat.posts.push(body);
      }
      // The last third of faults: the post is made, but the answer comes after the sink gave up.
      if (fault) return void setTimeout(() => res.destroyed || res.writeHead(504).end(), 600);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  chat.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return chat;
}
