import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORM_CONTENT_TYPE, JSON_CONTENT_TYPE, encodeForm, eventCallback, messageEvent, signedRequest, slackSignature, slashCommand, type SignedResponse } from '../../../fakes/slack/index.js';
import { SECRET, openCard, startRig, type Rig } from './rig.js';

/** The answer to a request, or 'no answer' when the app leaves it hanging (as Bolt did for a `null` body). */
async function answered(request: Promise<SignedResponse>, ms = 5_000): Promise<number | 'no answer'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'no answer'>((resolve) => (timer = setTimeout(() => resolve('no answer'), ms)));
  const outcome = await Promise.race([request.then((r) => r.status), late]);
  clearTimeout(timer);
  return outcome;
}

describe('hostile requests to the Slack HTTP endpoint, signed as Slack signs them', { timeout: 60_000 }, () => {
  let r: Rig;
  let url: string;
  const now = () => Math.floor(Date.now() / 1000);
  const event = () => eventCallback(messageEvent({ text: 'top level' }));

  beforeAll(async () => {
    r = await startRig({ transport: 'http' });
    url = r.endpoint!;
  });
  afterAll(async () => {
    await r.close();
  });

  it('takes a correctly signed request of now', async () => {
    expect(await answered(signedRequest(url, SECRET, event(), { contentType: JSON_CONTENT_TYPE }))).toBe(200);
  });

  it.each([
    ['10 minutes ahead', 10 * 60],
    ['a year ahead', 365 * 24 * 3600],
    ['10 minutes ago', -10 * 60],
  ])('refuses a request timestamped %s with 401, however well it is signed', async (_when, offset) => {
    expect(await answered(signedRequest(url, SECRET, event(), { contentType: JSON_CONTENT_TYPE, timestamp: now() + offset }))).toBe(401);
  });

  it('still takes a request 4 minutes ahead (clocks drift)', async () => {
    expect(await answered(signedRequest(url, SECRET, event(), { contentType: JSON_CONTENT_TYPE, timestamp: now() + 4 * 60 }))).toBe(200);
  });

  it.each([
    ['a JSON null', 'null', JSON_CONTENT_TYPE],
    ['a JSON number', '42', JSON_CONTENT_TYPE],
    ['a JSON string', '"hello"', JSON_CONTENT_TYPE],
    ['a JSON list', '[{"type":"event_callback"}]', JSON_CONTENT_TYPE],
    ['payload=null', 'payload=null', FORM_CONTENT_TYPE],
    ['payload=[]', 'payload=%5B%5D', FORM_CONTENT_TYPE],
  ])('answers a signed body that is %s with 400', async (_what, body, contentType) => {
    expect(await answered(signedRequest(url, SECRET, body, { contentType }))).toBe(400);
  });

  it('still refuses an unsigned body with 401 and an unparseable one with 400', async () => {
    expect(await answered(signedRequest(url, SECRET, 'null', { contentType: JSON_CONTENT_TYPE, badSignature: true }))).toBe(401);
    expect(await answered(signedRequest(url, SECRET, '{"type":', { contentType: JSON_CONTENT_TYPE }))).toBe(400);
  });

  it('refuses a request without signature headers with 401, and answers an ssl_check without acting on what else it carries', async () => {
    const post = async (body: string, headers: Record<string, string> = {}) =>
      (await request(url, { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE, ...headers }, body })).statusCode;
    const smuggled = `payload=${encodeURIComponent(JSON.stringify(eventCallback(messageEvent({ text: 'smuggled' }))))}`;
    expect(await post(smuggled)).toBe(401);
    expect(await post(smuggled, { 'x-slack-request-timestamp': String(now()), 'x-slack-signature': 'v0=00' })).toBe(401);
    const calls = r.fake.calls.length;
    // A slash command riding on an ssl_check: processed, it would answer at the response_url.
    expect(await post(`ssl_check=1&${encodeForm(slashCommand({ text: 'help', response_url: r.fake.responseUrl() }))}`)).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(r.fake.calls.slice(calls)).toEqual([]);
  });

  it('refuses signatures that miss by a little with 401: another timestamp or body, one digit, upper case, another version', async () => {
    const body = JSON.stringify(event());
    const stamp = now();
    const post = async (signature: string, timestamp = stamp, sent = body) =>
      (await request(url, { method: 'POST', headers: { 'content-type': JSON_CONTENT_TYPE, 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': signature }, body: sent })).statusCode;
    const good = slackSignature(SECRET, stamp, body);
    const hex = good.slice('v0='.length);
    expect(await post(slackSignature(SECRET, stamp - 1, body))).toBe(401);
    expect(await post(good, stamp, `${body} `)).toBe(401);
    expect(await post(`v0=${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`)).toBe(401);
    expect(await post(`v0=${hex.toUpperCase()}`)).toBe(401);
    expect(await post(`v1=${hex}`)).toBe(401);
    expect(await post(`${good}0`)).toBe(401);
    expect(await post(good)).toBe(200);
  });

  it('keeps serving after all that', async () => {
    expect(await answered(signedRequest(url, SECRET, event(), { contentType: JSON_CONTENT_TYPE }))).toBe(200);
  });
});

describe('an agent link whose label names another address', { timeout: 60_000 }, () => {
  let r: Rig;
  beforeAll(async () => {
    r = await startRig({ transport: 'http' });
  });
  afterAll(async () => {
    await r.close();
  });

  it('is posted showing its real target, and an honest one as written', async () => {
    const cardTs = await openCard(r);
    await r.h.desk.reply('1', 'Please log in at [https://bank.example/login](http://evil.example/phish) and read [the runbook](https://docs.example/runbook).');
    const post = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === cardTs, 8_000);
    const text = String(post.args.text);
    expect(text).toContain('<http://evil.example/phish>');
    expect(text).not.toContain('bank.example');
    expect(text).toContain('<https://docs.example/runbook|the runbook>');
  });
});
