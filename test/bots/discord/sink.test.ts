import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rejectsOnRateLimit } from '../../../bots/discord/client.js';
import { renderThreadMessage, splitContent } from '../../../bots/discord/messages.js';
import { DiscordSink } from '../../../bots/discord/sink.js';
import { ChatDeliveryError, type TicketCard } from '../../../src/chat.js';
import { createLimiters } from '../../../src/limits.js';
import { openStore } from '../../../src/store/index.js';
import { DEFAULT_IDS, startFakeDiscord, type FakeDiscord, type Json } from '../../../fakes/discord/index.js';
import { dropRedisPrefix, uniqueRedisUrl } from '../../support/harness.js';
import { startOddServer } from '../../support/odd-server.js';
import { translator } from '../../../handlers/i18n.js';

const channel = DEFAULT_IDS.ticketsChannelId;
const thread = { threadId: channel };
const card: TicketCard = { ticketId: '7', subject: 'Disk full', status: 'open', vendorStatus: 'Open', provider: 'Local desk', requester: 'Cat', actions: ['close', 'rate'] };

describe('Discord sink', () => {
  let fake: FakeDiscord;
  let sink: DiscordSink;
  beforeEach(async () => {
    fake = await startFakeDiscord();
    sink = new DiscordSink(new REST({ api: fake.apiUrl, retries: 0, offset: 0, rejectOnRateLimit: rejectsOnRateLimit }).setToken(fake.token));
  });
  afterEach(async () => {
    await fake.close();
  });

  it('splits a long comment into posts of at most 2,000 characters, in order', async () => {
    const text = Array.from({ length: 90 }, (_, i) => `line ${i} ${'x'.repeat(40)}`).join('\n');
    await sink.postToThread(thread, { kind: 'comment', ticketId: '7', author: 'Grace', text }, 'post:1');
    const posts = fake.messages(channel).map((m) => String(m['content']));
    expect(posts.length).toBeGreaterThan(1);
    for (const p of posts) expect(p.length).toBeLessThanOrEqual(2000);
    expect(posts.join('\n')).toContain('line 0 ');
    expect(posts.at(-1)).toContain('line 89 ');
    expect(splitContent('a'.repeat(4100), translator('en')).map((p) => p.length)).toEqual([2000, 2000, 100]);
    expect(splitContent('', translator('ru'))).toEqual(['(пустое сообщение)']);
  });

  it('posts once when the same idempotency key is retried (nonce + enforce_nonce)', async () => {
    const message = { kind: 'comment', ticketId: '7', author: 'Grace', text: 'Rebooted the box' } as const;
    await sink.postToThread(thread, message, 'post:same');
    await sink.postToThread(thread, message, 'post:same');
    expect(fake.messages(channel)).toHaveLength(1);
    await sink.postToThread(thread, message, 'post:other');
    expect(fake.messages(channel)).toHaveLength(2);
  });

  it('turns a 429 into a transient ChatDeliveryError with Retry-After', async () => {
    // A known bucket first, so discord.js reports the limit instead of waiting it out.
    await sink.postToThread(thread, { kind: 'notice', ticketId: '7', text: 'warm-up' }, 'warm');
    fake.rateLimitNext(/^\/channels\/\d+\/messages$/, 2);
    const error = await sink.postToThread(thread, { kind: 'notice', ticketId: '7', text: 'hello' }, 'n:1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatDeliveryError);
    expect((error as ChatDeliveryError).transient).toBe(true);
    expect((error as ChatDeliveryError).retryAfterMs).toBeGreaterThanOrEqual(1_000);
  });

  it.each([
    ['an HTML page', 'text/html', '<html><body>Bad gateway</body></html>'],
    ['cut-off JSON', 'application/json', '{"id":"12'],
    ['JSON that is not a message', 'application/json', '{"weird":1}'],
  ])('calls a 200 with %s a transient failure, not a post', async (_what, contentType, body) => {
    const odd = await startOddServer({ status: 200, contentType, body });
    try {
      const oddSink = new DiscordSink(new REST({ api: `${odd.origin}/api`, retries: 0, offset: 0 }).setToken('t'));
      const error = await oddSink.postToThread(thread, { kind: 'notice', ticketId: '7', text: 'x' }, 'odd:1').catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ChatDeliveryError', transient: true, message: 'Discord sent an answer that could not be read' });
      expect(odd.requests).toEqual([`POST /api/v10/channels/${channel}/messages`]);
    } finally {
      await odd.close();
    }
  });

  it('shows the real target of a relayed link whose label names another address', () => {
    const text = 'Log in at [https://bank.example/login](http://evil.example/phish), see [the runbook](https://docs.example/r).';
    const [content] = renderThreadMessage({ kind: 'comment', ticketId: '7', author: 'Grace', text }, translator('en')).parts;
    expect(content).toContain('<http://evil.example/phish>');
    expect(content).not.toContain('bank.example');
    expect(content).toContain('[the runbook](https://docs.example/r)');
  });

  it('calls an unknown thread a permanent failure, and an unreachable Discord a transient one', async () => {
    const unknown = await sink.postToThread({ threadId: '1234567890123456789' }, { kind: 'notice', ticketId: '7', text: 'x' }, 'k').catch((e: unknown) => e);
    expect(unknown).toMatchObject({ name: 'ChatDeliveryError', transient: false });
    const dead = new DiscordSink(new REST({ api: 'http://127.0.0.1:9/api', retries: 0, timeout: 2_000 }).setToken('t'));
    const down = await dead.postToThread(thread, { kind: 'notice', ticketId: '7', text: 'x' }, 'k').catch((e: unknown) => e);
    expect(down).toMatchObject({ name: 'ChatDeliveryError', transient: true });
  });

  it('edits the card in place and posts the Retry button under a failed delivery', async () => {
    const posted = (await (await fetch(`${fake.apiUrl}/v10/channels/${channel}/messages`, {
      method: 'POST',
      headers: { authorization: `Bot ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'card' }),
    })).json()) as Json;
    await sink.updateCard(thread, posted['id'] as string, { ...card, status: 'closed', vendorStatus: 'Closed', actions: ['reopen'] });
    const edited = fake.state.messageById.get(posted['id'] as string);
    expect(JSON.stringify(edited?.['embeds'])).toContain('Closed');
    await sink.postToThread(thread, { kind: 'delivery_failed', ticketId: '7', jobKey: 'comment:discord:1', excerpt: 'hi', reason: 'desk down' }, 'f:1');
    const last = fake.messages(channel).at(-1);
    expect(JSON.stringify(last?.['components'])).toContain('tb:retry:comment:discord:1');
  });

  it('shares one channel pace between replicas on Redis: two sinks post at most one a second into a thread', async () => {
    const target = uniqueRedisUrl('discord-pace');
    const stores = [await openStore(target.url), await openStore(target.url)];
    const limiters = await Promise.all(stores.map((kv) => createLimiters(kv)));
    try {
      const replicas = limiters.map((l) => new DiscordSink(new REST({ api: fake.apiUrl, retries: 0, offset: 0, rejectOnRateLimit: rejectsOnRateLimit }).setToken(fake.token), { limiters: l }));
      const started = Date.now();
      await Promise.all(replicas.flatMap((replica, r) => [0, 1].map((i) => replica.postToThread(thread, { kind: 'comment', ticketId: '7', author: 'Grace', text: `r${r} m${i}` }, `post:${r}:${i}`))));
      // Four posts, one per fixed second across both replicas: the last cannot go before 3 s have begun.
      expect(fake.messages(channel)).toHaveLength(4);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    } finally {
      for (const l of limiters) await l.close();
      for (const kv of stores) await kv.close();
      await dropRedisPrefix(target.prefix);
    }
  });
});
