import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SLACK_DEFAULTS,
  blockActions,
  messageEvent,
  postEvent,
  postInteraction,
  postSlashCommand,
  slashCommand,
  startFakeSlack,
  triggerId,
  viewSubmission,
  type FakeSlack,
} from '../../../fakes/slack/index.js';

const SECRET = 's3cret';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  // Apps before the fake: a Socket Mode client whose server vanishes tries to reconnect.
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fakeSlack(): Promise<FakeSlack> {
  const fake = await startFakeSlack();
  cleanups.push(() => fake.close());
  return fake;
}

// WebClient logs Slack's response_metadata messages as errors; these tests provoke them on purpose.
const quiet: webApi.Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => webApi.LogLevel.ERROR,
  setName: () => {},
};

function client(fake: FakeSlack, token?: string, extra: webApi.WebClientOptions = {}): webApi.WebClient {
  return new webApi.WebClient(token, { slackApiUrl: fake.url, retryConfig: { retries: 0 }, logger: quiet, ...extra });
}

function registerTicket(app: App): string[] {
  const seen: string[] = [];
  app.command('/ticket', async ({ command, ack, client, respond }) => {
    await ack();
    seen.push(command.text);
    await client.chat.postMessage({
      channel: command.channel_id,
      text: `Ticket opened: ${command.text}`,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*${command.text}*` } }],
      metadata: { event_type: 'ticket_opened', event_payload: { ticket_id: 'T-1' } },
    });
    await respond({ response_type: 'ephemeral', text: 'On it' });
  });
  return seen;
}

async function startHttpApp(fake: FakeSlack): Promise<{ app: App; endpoint: string; seen: string[] }> {
  const app = new App({
    token: SLACK_DEFAULTS.botToken,
    signingSecret: SECRET,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
  });
  const seen = registerTicket(app);
  const server = await app.start(0);
  cleanups.push(() => app.stop());
  return { app, seen, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events` };
}

describe('fake Slack with the real Bolt over HTTP', () => {
  it('delivers a signed slash command and records the reply', async () => {
    const fake = await fakeSlack();
    const { endpoint, seen } = await startHttpApp(fake);
    const res = await postSlashCommand(endpoint, SECRET, slashCommand({ text: 'printer on fire', response_url: fake.responseUrl() }));
    expect(res.status).toBe(200);

    const post = await fake.waitFor('chat.postMessage');
    expect(post.token).toBe('xoxb-test');
    expect(post.response.ok).toBe(true);
    expect(post.args).toMatchObject({
      channel: SLACK_DEFAULTS.channelId,
      text: 'Ticket opened: printer on fire',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*printer on fire*' } }],
      metadata: { event_type: 'ticket_opened', event_payload: { ticket_id: 'T-1' } },
    });
    expect(seen).toEqual(['printer on fire']);
    expect(fake.messages(SLACK_DEFAULTS.channelId)).toHaveLength(1);
    expect(fake.callsTo('auth.test')[0]?.response).toMatchObject({ ok: true, user_id: SLACK_DEFAULTS.botUserId });
    const responded = await fake.waitFor('response_url');
    expect(responded.args).toMatchObject({ response_type: 'ephemeral', text: 'On it' });
  });

  it('refuses a bad signature or a stale timestamp with 401 and runs no handler', async () => {
    const fake = await fakeSlack();
    const { endpoint, seen } = await startHttpApp(fake);
    const cmd = slashCommand({ text: 'x', response_url: fake.responseUrl() });
    expect((await postSlashCommand(endpoint, SECRET, cmd, { badSignature: true })).status).toBe(401);
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect((await postSlashCommand(endpoint, SECRET, cmd, { timestamp: stale })).status).toBe(401);
    expect(seen).toEqual([]);
    expect(fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('passes view_submission errors back in the HTTP response and retries as context.retryNum', async () => {
    const fake = await fakeSlack();
    const { app, endpoint } = await startHttpApp(fake);
    app.view('ticket_modal', async ({ ack }) => {
      await ack({ response_action: 'errors', errors: { title: 'Too short' } });
    });
    const retries: Array<number | undefined> = [];
    app.message(async ({ context }) => {
      retries.push(context.retryNum);
    });
    const submit = viewSubmission({ view: { id: 'V1', callback_id: 'ticket_modal', state: { values: {} } } });
    const res = await postInteraction(endpoint, SECRET, submit);
    expect(res.json()).toEqual({ response_action: 'errors', errors: { title: 'Too short' } });
    await postEvent(endpoint, SECRET, messageEvent({ text: 'hi' }), { retryNum: 1, retryReason: 'http_timeout' });
    expect(retries).toEqual([1]);
  });

  it('opens a modal with the trigger of a block action', async () => {
    const fake = await fakeSlack();
    const { app, endpoint } = await startHttpApp(fake);
    app.action('open', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: { type: 'modal', callback_id: 'ticket_modal', title: { type: 'plain_text', text: 'New ticket' }, blocks: [] },
      });
    });
    const payload = blockActions({ actions: [{ action_id: 'open' }], message: { ts: '1700000000.000100', text: 'hi' } });
    expect((await postInteraction(endpoint, SECRET, payload)).status).toBe(200);
    const open = await fake.waitFor('views.open');
    expect(open.response).toMatchObject({ ok: true, view: { callback_id: 'ticket_modal' } });
  });
});

describe('fake Slack is strict', () => {
  it('checks tokens like Slack', async () => {
    const fake = await fakeSlack();
    await expect(client(fake).auth.test()).rejects.toMatchObject({ data: { error: 'not_authed' } });
    await expect(client(fake, 'xoxb-wrong').auth.test()).rejects.toMatchObject({ data: { error: 'invalid_auth' } });
    await expect(client(fake, 'xapp-1-test').chat.postMessage({ channel: 'C0000000001', text: 'x' })).rejects.toMatchObject({
      data: { error: 'not_allowed_token_type' },
    });
    await expect(client(fake, 'xoxb-test').apps.connections.open()).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    await expect(client(fake, 'xoxb-test').apiCall('nope.nope')).rejects.toMatchObject({ data: { error: 'unknown_method' } });
  });

  it('validates chat.postMessage arguments and Block Kit limits', async () => {
    const fake = await fakeSlack();
    const c = client(fake, 'xoxb-test');
    const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ channel: 'C0000000001' }, 'no_text'],
      [{ channel: 'C0NOPE', text: 'x' }, 'channel_not_found'],
      [{ channel: 'C0000000001', text: 'x'.repeat(40_001) }, 'msg_too_long'],
      [{ channel: 'C0000000001', text: 'x', blocks: Array.from({ length: 51 }, () => section('a')) }, 'invalid_blocks'],
      [{ channel: 'C0000000001', text: 'x', blocks: [section('a'.repeat(3001))] }, 'invalid_blocks'],
      [{ channel: 'C0000000001', text: 'x', thread_ts: '1.000001' }, 'thread_not_found'],
      [{ channel: 'C0000000001', text: 'x', metadata: { event_payload: {} } }, 'invalid_metadata_format'],
    ];
    for (const [args, error] of cases) {
      await expect(c.apiCall('chat.postMessage', args), error).rejects.toMatchObject({ data: { error } });
    }
    await expect(c.chat.postMessage({ channel: 'C0000000001', text: 'x', blocks: Array.from({ length: 50 }, () => section('a')) })).resolves.toMatchObject({ ok: true });
  });

  it('enforces single-use, valid trigger ids and view schema on views.open', async () => {
    const fake = await fakeSlack();
    const c = client(fake, 'xoxb-test');
    const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
    await expect(c.apiCall('views.open', { view })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    const trigger = triggerId();
    await expect(c.views.open({ trigger_id: trigger, view })).resolves.toMatchObject({ ok: true });
    await expect(c.views.open({ trigger_id: trigger, view })).rejects.toMatchObject({ data: { error: 'exchanged_trigger_id' } });
    await expect(c.views.open({ trigger_id: `${Date.now() - 4000}.1.ab`, view })).rejects.toMatchObject({ data: { error: 'expired_trigger_id' } });
    const longTitle = { ...view, title: { type: 'plain_text' as const, text: 'x'.repeat(25) } };
    await expect(c.views.open({ trigger_id: triggerId(), view: longTitle })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
  });

  it('rate limits per channel with HTTP 429 and Retry-After when asked to', async () => {
    const fake = await fakeSlack();
    fake.rateLimit('chat.postMessage', { perChannelPerSec: 1 });
    const c = client(fake, 'xoxb-test', { rejectRateLimitedCalls: true });
    await c.chat.postMessage({ channel: 'C0000000001', text: 'one' });
    await expect(c.chat.postMessage({ channel: 'C0000000001', text: 'two' })).rejects.toMatchObject({ retryAfter: 1 });
    expect(fake.callsTo('chat.postMessage').map((call) => call.status)).toEqual([200, 429]);
  });

  it('keeps threads and returns metadata only with include_all_metadata; accepts JSON bodies', async () => {
    const fake = await fakeSlack();
    const parent = fake.addMessage({ text: 'customer question' });
    const res = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0000000001', text: 'reply', thread_ts: parent.ts, metadata: { event_type: 'relayed', event_payload: { id: 7 } } }),
    });
    const posted = (await res.json()) as { ok: boolean; ts: string };
    expect(posted.ok).toBe(true);
    expect(posted.ts > parent.ts).toBe(true);
    const c = client(fake, 'xoxb-test');
    const plain = await c.conversations.replies({ channel: 'C0000000001', ts: parent.ts });
    expect(plain.messages?.map((m) => m.text)).toEqual(['customer question', 'reply']);
    expect(plain.messages?.[1]?.metadata).toBeUndefined();
    const withMeta = await c.conversations.replies({ channel: 'C0000000001', ts: parent.ts, include_all_metadata: true });
    expect(withMeta.messages?.[1]?.metadata).toEqual({ event_type: 'relayed', event_payload: { id: 7 } });
    await expect(fake.waitFor('chat.update', undefined, 50)).rejects.toThrow(/no matching chat.update call.*\n.*chat.postMessage → ok/);
  });
});

describe('fake Slack with the real Bolt over Socket Mode', () => {
  it('connects, delivers envelopes and returns the acks', async () => {
    const fake = await fakeSlack();
    const app = new App({
      token: SLACK_DEFAULTS.botToken,
      appToken: SLACK_DEFAULTS.appToken,
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
    });
    const seen = registerTicket(app);
    app.view('ticket_modal', async ({ ack }) => {
      await ack({ response_action: 'errors', errors: { title: 'Too short' } });
    });
    await app.start();
    cleanups.push(() => app.stop());
    await fake.socket.connected();
    expect(fake.callsTo('apps.connections.open')[0]?.token).toBe('xapp-1-test');

    const ack = await fake.socket.send('slash_commands', slashCommand({ text: 'via socket', response_url: fake.responseUrl() }));
    expect(ack.envelope_id).toBe(fake.socket.sent[0]?.envelope_id);
    await fake.waitFor('chat.postMessage', (c) => c.args.text === 'Ticket opened: via socket');
    expect(seen).toEqual(['via socket']);

    const submit = viewSubmission({ view: { id: 'V1', callback_id: 'ticket_modal', state: { values: {} } } });
    const viewAck = await fake.socket.send('interactive', submit);
    expect(viewAck.payload).toEqual({ response_action: 'errors', errors: { title: 'Too short' } });
  });
});
