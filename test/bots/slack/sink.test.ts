import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackSink } from '../../../bots/slack/sink.js';
import type { SlackThread } from '../../../bots/slack/thread-ref.js';
import { slackSettings } from '../../../bots/slack/settings.js';
import { ChatDeliveryError } from '../../../src/chat.js';
import { ConfigError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import { openStore, type KeyValueStore } from '../../../src/store/index.js';
import { SLACK_DEFAULTS, startFakeSlack, type FakeSlack } from '../../../fakes/slack/index.js';
import { startOddServer } from '../../support/odd-server.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(perChannelMs = 20): Promise<{ fake: FakeSlack; kv: KeyValueStore; sink: SlackSink; thread: SlackThread }> {
  const fake = await startFakeSlack();
  const kv = await openStore('sqlite://:memory:');
  cleanups.push(() => fake.close(), () => kv.close());
  const client = new webApi.WebClient(SLACK_DEFAULTS.botToken, { slackApiUrl: fake.url, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
  const sink = new SlackSink({ client, kv, logger: silentLogger, perChannelMs });
  const parent = fake.addMessage({ text: 'card', user: SLACK_DEFAULTS.botUserId });
  return { fake, kv, sink, thread: { channel: SLACK_DEFAULTS.channelId, ts: parent.ts } };
}

const comment = (text: string) => ({ kind: 'comment' as const, ticketId: '1', author: 'Grace', text });

describe('Slack sink', () => {
  it('does not post again when a retry finds the post already in the thread', async () => {
    const { fake, sink, thread } = await setup();
    await sink.postToThread(thread, comment('hello'), 'post:1');
    // The process died before the outbox marked the job done: the same job runs again.
    await sink.postToThread(thread, comment('hello'), 'post:1');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.callsTo('conversations.replies')[0]?.args).toMatchObject({ include_all_metadata: 'true' });
  });

  it('splits long text at Slack’s limits and finishes a half-posted split on retry', async () => {
    const { fake, sink, thread } = await setup();
    const long = Array.from({ length: 400 }, (_, i) => `word${i} & more text here`).join(' ');
    fake.rateLimit('chat.postMessage', { perChannelPerSec: 2 });
    const first = await sink.postToThread(thread, comment(long), 'post:long').catch((e: unknown) => e);
    expect(first).toBeInstanceOf(ChatDeliveryError);
    expect(first).toMatchObject({ transient: true, retryAfterMs: 1000 });
    fake.rateLimit('chat.postMessage', { perChannelPerSec: 100 });
    await sink.postToThread(thread, comment(long), 'post:long');
    const posted = fake.messages(SLACK_DEFAULTS.channelId).filter((m) => m.metadata?.event_payload.key === 'post:long');
    expect(posted.map((m) => m.metadata?.event_payload.part)).toEqual([0, 1, 2, 3]);
    for (const m of posted) expect(m.text!.length).toBeLessThanOrEqual(3000);
    expect(posted.map((m) => m.text).join(' ')).toContain('word399 &amp; more text here');
  });

  it('paces posts per channel without dropping a burst', async () => {
    const { fake, sink, thread } = await setup(500);
    await Promise.all([1, 2, 3, 4].map((n) => sink.postToThread(thread, comment(`n${n}`), `burst:${n}`)));
    const times = fake.callsTo('chat.postMessage').map((c) => c.at);
    expect(times).toHaveLength(4);
    // Two at once (Slack allows short bursts), then 500 ms apart: the burst spreads over 1 s (a
    // burst of three would spread over 0.5 s). Measured where the fake receives them, so a late
    // first post (a busy machine) shortens the spread by its delay.
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(750);
  });

  it('reports a refusal Slack will repeat as a permanent failure', async () => {
    const { sink } = await setup();
    const error = await sink.postToThread({ channel: 'C0NOPE00001', ts: '1700000000.000100' }, comment('x'), 'k').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ChatDeliveryError', transient: false, message: 'Slack refused chat.postMessage: channel_not_found' });
  });

  it.each([
    ['an HTML page', 'text/html', '<html><body>Bad gateway</body></html>'],
    ['cut-off JSON', 'application/json', '{"ok":tr'],
    ['JSON without ok or error', 'application/json', '{}'],
    ['JSON null', 'application/json', 'null'],
  ])('reports a 200 with %s as a transient failure, to be tried again', async (_what, contentType, body) => {
    const odd = await startOddServer({ status: 200, contentType, body });
    const kv = await openStore('sqlite://:memory:');
    cleanups.push(() => odd.close(), () => kv.close());
    const client = new webApi.WebClient(SLACK_DEFAULTS.botToken, { slackApiUrl: `${odd.origin}/api/`, rejectRateLimitedCalls: true, retryConfig: { retries: 0 } });
    const sink = new SlackSink({ client, kv, logger: silentLogger, perChannelMs: 1 });
    const error = await sink.postToThread({ channel: SLACK_DEFAULTS.channelId, ts: '1700000000.000100' }, comment('x'), 'odd:1').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ChatDeliveryError', transient: true });
    expect(odd.requests).toEqual(['POST /api/chat.postMessage']);
  });

  it('renders a delivery failure with a Retry button', async () => {
    const { fake, sink, thread } = await setup();
    await sink.postToThread(thread, { kind: 'delivery_failed', ticketId: '1', jobKey: 'comment:C1:1.2', excerpt: 'my <!here> note', reason: 'rejected' }, 'f:1');
    const post = await fake.waitFor('chat.postMessage');
    expect(JSON.stringify(post.args.blocks)).toContain('"action_id":"delivery_retry","text":{"type":"plain_text","text":"Retry","emoji":false},"value":"comment:C1:1.2"');
    expect(post.args.text).toContain('my &lt;!here&gt; note');
  });
});

describe('Slack settings', () => {
  const base = { SLACK_BOT_TOKEN: 'xoxb-1-2', SLACK_SIGNING_SECRET: 'abcdef0123456789' };

  it('picks the transport and names a bad variable without echoing it', () => {
    expect(slackSettings(base).transport).toEqual({ kind: 'http', signingSecret: base.SLACK_SIGNING_SECRET, port: 3000 });
    expect(slackSettings({ ...base, SLACK_APP_TOKEN: 'xapp-1-x' }).transport.kind).toBe('socket');
    expect(slackSettings({ ...base, SLACK_API_URL: 'http://127.0.0.1:9/api' }).apiUrl).toBe('http://127.0.0.1:9/api/');
    const bad = (env: Record<string, string>) => {
      try {
        slackSettings(env);
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(bad({ SLACK_BOT_TOKEN: 'xoxp-secret-user-token', SLACK_SIGNING_SECRET: 'abcdef0123456789' })).toMatchObject({ variable: 'SLACK_BOT_TOKEN' });
    expect(String(bad({ SLACK_BOT_TOKEN: 'xoxp-secret-user-token' }))).not.toContain('secret-user');
    expect(bad({ SLACK_BOT_TOKEN: 'xoxb-1' })).toEqual(new ConfigError('SLACK_SIGNING_SECRET', 'required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)'));
    expect(bad({ ...base, PORT: 'eighty' })).toMatchObject({ variable: 'PORT' });
    expect(bad({ ...base, SLACK_TICKET_CHANNEL: '#support' })).toMatchObject({ variable: 'SLACK_TICKET_CHANNEL' });
  });
});
