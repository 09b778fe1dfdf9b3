import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/delivery/jobs.js';
import type { TicketProvider } from '../../../src/provider.js';
import type { KeyValueStore } from '../../../src/store/index.js';
import { SLACK_DEFAULTS, blockActions, messageEvent, postEvent } from '../../../fakes/slack/index.js';
import { waitFor } from '../../support/harness.js';
import { SECRET, localProvider, openCard, openedView, startRig, type Rig, type TransportKind } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const C = SLACK_DEFAULTS.channelId;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
// Slack shows an error when an interaction is not acknowledged within 3 s.
const SLACK_ACK_WINDOW_MS = 3_000;

/** Slows every outbox enqueue by `ms`, and records when each one finished. */
function slowEnqueue(r: Rig, ms: number): { done: Map<string, number> } {
  const { outbox } = r.h.bridge;
  const enqueue = outbox.enqueue.bind(outbox);
  const done = new Map<string, number>();
  outbox.enqueue = async (input: Delivery) => {
    await sleep(ms);
    const queued = await enqueue(input);
    done.set(input.key, Date.now());
    return queued;
  };
  return { done };
}

/** The local desk, answering people's actions (open, comment, close, reopen, rate) after `delay.ms`. */
function slowProvider(delay: { ms: number }) {
  return (kv: KeyValueStore): TicketProvider => {
    const local = localProvider(kv);
    const slow =
      <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        await sleep(delay.ms);
        return call(...args);
      };
    return {
      ...local,
      createTicket: slow(local.createTicket.bind(local)),
      addComment: slow(local.addComment.bind(local)),
      ...(local.closeTicket ? { closeTicket: slow(local.closeTicket.bind(local)) } : {}),
      ...(local.reopenTicket ? { reopenTicket: slow(local.reopenTicket.bind(local)) } : {}),
      ...(local.rateTicket ? { rateTicket: slow(local.rateTicket.bind(local)) } : {}),
    };
  };
}

describe.each<TransportKind>(['http', 'socket'])('Slack acknowledgements over %s', (transport) => {
  it('acknowledges a thread reply only once its comment job is in the outbox', async () => {
    const r = await startRig({ transport });
    rigs.push(r);
    const cardTs = await openCard(r);
    const { done } = slowEnqueue(r, 700);

    const msg = r.fake.addMessage({ text: 'is it fixed?', thread_ts: cardTs });
    const key = `comment:${C}:${msg.ts}`;
    const sent = Date.now();
    await r.send.event(messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs }));
    const acked = Date.now();
    // The ack reached Slack after the job was written, and the job is there to be delivered.
    expect(await r.h.bridge.outbox.get(key)).toMatchObject({ kind: 'comment', ticketId: '1' });
    expect(done.get(key)).toBeLessThanOrEqual(acked);
    expect(acked - sent).toBeGreaterThanOrEqual(650);

    // A command during the same slow outbox is acknowledged at once: only the reply waits.
    const before = Date.now();
    await r.send.command({ text: 'help' });
    expect(Date.now() - before).toBeLessThan(500);
    await waitFor(async () => (await r.h.desk.comments('1')).length === 1, 'the comment at the desk');
  });

  it('acknowledges /ticket and Close at once while the provider takes 5 s', async () => {
    const delay = { ms: 0 };
    const r = await startRig({ transport, provider: slowProvider(delay) });
    rigs.push(r);
    const cardTs = await openCard(r);
    delay.ms = 5_000;

    const typed = Date.now();
    expect(await r.send.command({ text: '' })).toBeFalsy();
    expect(Date.now() - typed).toBeLessThan(1_000);
    const form = await r.fake.waitFor('views.open', (c) => c.at >= typed, SLACK_ACK_WINDOW_MS);
    expect(openedView(form).callback_id).toBe('open_ticket');
    expect(form.at - typed).toBeLessThan(SLACK_ACK_WINDOW_MS);

    const clicked = Date.now();
    await r.send.interaction(blockActions({ actions: [{ action_id: 'ticket_close', value: '1', block_id: 'card_actions' }], message: { ts: cardTs, text: 'card' } }));
    expect(Date.now() - clicked).toBeLessThan(1_000);
    // The result comes later, once the provider has answered: the card shows the ticket closed.
    const update = await r.fake.waitFor('chat.update', (c) => c.args.ts === cardTs, 9_000);
    expect(update.at - clicked).toBeGreaterThanOrEqual(4_900);
    expect(update.args.blocks).toMatchObject([{ type: 'header' }, { type: 'section', fields: [{ text: '*Status*\nClosed' }, {}, {}, {}] }, {}, {}]);
  });
});

describe('Slack acknowledgements when the outbox cannot take a reply', () => {
  const failingOnce = (r: Rig) => {
    const { outbox } = r.h.bridge;
    const enqueue = outbox.enqueue.bind(outbox);
    let failures = 1;
    outbox.enqueue = async (input: Delivery) => {
      if (input.kind === 'comment' && failures-- > 0) throw new Error('store unavailable');
      return enqueue(input);
    };
  };

  it('answers HTTP 500 so that Slack delivers the event again, which then makes one comment', async () => {
    const r = await startRig({ transport: 'http' });
    rigs.push(r);
    const cardTs = await openCard(r);
    failingOnce(r);
    const msg = r.fake.addMessage({ text: 'second try', thread_ts: cardTs });
    const event = messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs });
    expect((await postEvent(r.endpoint!, SECRET, event)).status).toBe(500);
    expect(r.fake.callsTo('chat.postEphemeral').filter((c) => c.args.thread_ts === cardTs)).toEqual([]);
    expect((await postEvent(r.endpoint!, SECRET, event, { retryNum: 1, retryReason: 'http_error' })).status).toBe(200);
    await waitFor(async () => (await r.h.desk.comments('1')).length === 1, 'the comment');
    await sleep(300);
    expect(await r.h.desk.comments('1')).toHaveLength(1);
  });

  it('takes the event on a later redelivery when the store failed before its mark could be given back', async () => {
    const r = await startRig({ transport: 'http', eventMarkMs: 400 });
    rigs.push(r);
    const cardTs = await openCard(r);
    failingOnce(r);
    const { kv } = r.h;
    const release = kv.release.bind(kv);
    let releases = 0;
    kv.release = async (key, owner) => {
      if (releases++ === 0) throw new Error('store unavailable');
      return release(key, owner);
    };
    const msg = r.fake.addMessage({ text: 'third time lucky', thread_ts: cardTs });
    const event = messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs });
    expect((await postEvent(r.endpoint!, SECRET, event)).status).toBe(500);
    // Slack's first retry comes at once: the mark still stands and nothing is queued, so it is not acked.
    expect((await postEvent(r.endpoint!, SECRET, event, { retryNum: 1, retryReason: 'http_error' })).status).toBe(500);
    await sleep(500); // the mark runs out, as it has long before Slack's retry a minute later
    expect((await postEvent(r.endpoint!, SECRET, event, { retryNum: 2, retryReason: 'http_error' })).status).toBe(200);
    await waitFor(async () => (await r.h.desk.comments('1')).length === 1, 'the comment');
    // Slack's last retry, should it still come: acknowledged, nothing added.
    expect((await postEvent(r.endpoint!, SECRET, event, { retryNum: 3, retryReason: 'http_error' })).status).toBe(200);
    await sleep(300);
    expect(await r.h.desk.comments('1')).toHaveLength(1);
  });

  it('sends no Socket Mode ack, so that Slack delivers the envelope again', async () => {
    const r = await startRig({ transport: 'socket' });
    rigs.push(r);
    const cardTs = await openCard(r);
    failingOnce(r);
    const msg = r.fake.addMessage({ text: 'second try', thread_ts: cardTs });
    const event = messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs });
    await expect(r.fake.socket.send('events_api', event, { timeoutMs: 1_000 })).rejects.toThrow(/no ack/);
    await r.fake.socket.send('events_api', event, { retryAttempt: 1, retryReason: 'timeout' });
    await waitFor(async () => (await r.h.desk.comments('1')).length === 1, 'the comment');
  });
});
