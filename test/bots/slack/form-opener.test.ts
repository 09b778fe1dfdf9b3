import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FormNotOpened, FormOpener } from '../../../bots/slack/form-opener.js';

const servers: Server[] = [];
const openers: FormOpener[] = [];
afterEach(async () => {
  await Promise.all(openers.splice(0).map((o) => o.close()));
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

type Answer = Record<string, unknown> | undefined;

/** A Web API on 127.0.0.1 that answers views.open with `answer` (the nth call's, given a function), or never when it is undefined. */
async function slack(answer: Answer | ((n: number) => Answer)): Promise<{ url: string; seen: { auth: string | undefined; form: URLSearchParams }[] }> {
  const seen: { auth: string | undefined; form: URLSearchParams }[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    seen.push({ auth: req.headers.authorization, form: new URLSearchParams(body) });
    const reply = typeof answer === 'function' ? answer(seen.length) : answer;
    if (reply) res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, seen };
}

function opener(url: string, timeoutMs = 10_000): FormOpener {
  const forms = new FormOpener(url, 'xoxb-form-test', timeoutMs);
  openers.push(forms);
  return forms;
}

describe('FormOpener (views.open on a worker thread)', () => {
  it('posts the trigger and the view with the bot token, and resolves when Slack opened the form', async () => {
    const api = await slack({ ok: true, view: { id: 'V1' } });
    await opener(api.url).open('123.456.abc', '{"type":"modal"}');
    expect(api.seen).toHaveLength(1);
    expect(api.seen[0]!.auth).toBe('Bearer xoxb-form-test');
    expect(Object.fromEntries(api.seen[0]!.form)).toEqual({ trigger_id: '123.456.abc', view: '{"type":"modal"}' });
  });

  it("rejects with Slack's error code, and with a plain reason for an unreadable answer", async () => {
    const refused = opener((await slack({ ok: false, error: 'expired_trigger_id' })).url);
    await expect(refused.open('1.2.a', '{}')).rejects.toEqual(new FormNotOpened('expired_trigger_id'));
    const garbled = opener((await slack({ fine: 'yes' })).url);
    await expect(garbled.open('1.2.a', '{}')).rejects.toThrow(/unreadable answer \(HTTP 200\)/);
  });

  it('gives up within the trigger life (3 s) even when given a longer deadline', async () => {
    const api = await slack(undefined);
    const started = Date.now();
    await expect(opener(api.url, 60_000).open('1.2.a', '{}')).rejects.toThrow('no answer within 3000 ms');
    expect(Date.now() - started).toBeLessThan(4_500);
  });

  it('gives up what is opening when closed, and opens again on a new thread afterwards', async () => {
    const api = await slack((n) => (n === 1 ? undefined : { ok: true }));
    const forms = opener(api.url);
    const opening = forms.open('1.2.a', '{}');
    await waitUntil(() => api.seen.length === 1);
    await forms.close();
    await expect(opening).rejects.toThrow('the form thread stopped');
    // Closing is for stopping; a form asked for afterwards still opens.
    await forms.open('1.2.b', '{}');
    expect(api.seen).toHaveLength(2);
  });
});

describe('FormOpener while its thread is stopping', () => {
  it('opens a form asked for before the stop has finished, on a new thread', async () => {
    const api = await slack((n) => (n === 1 ? undefined : { ok: true }));
    const forms = opener(api.url);
    const first = forms.open('1.2.a', '{}');
    await waitUntil(() => api.seen.length === 1);
    const closing = forms.close();
    // The old thread's exit must give up only what it held, not this form.
    const second = forms.open('1.2.b', '{}');
    await expect(first).rejects.toThrow('the form thread stopped');
    await closing;
    await second;
    expect(api.seen.map((s) => s.form.get('trigger_id'))).toEqual(['1.2.a', '1.2.b']);
  });
});

async function waitUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(done()).toBe(true);
}
