import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS, blockActions, messageEvent, viewSubmission, type FakeSlackCall } from '../../../fakes/slack/index.js';
import { waitFor } from '../../support/harness.js';
import { openFormValues, openedView, startRig, type Rig, type TransportKind } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const C = SLACK_DEFAULTS.channelId;
const isCard = (c: FakeSlackCall) => Array.isArray(c.args.blocks) && c.args.thread_ts === undefined;
const inThread = (ts: string) => (c: FakeSlackCall) => c.args.thread_ts === ts;

describe.each<TransportKind>(['http', 'socket'])('Slack front-end over %s', (transport) => {
  it('runs a ticket from /ticket to a closed card', async () => {
    const rig = await startRig({ transport });
    rigs.push(rig);
    const { fake, send, h } = rig;

    // /ticket acks at once and opens the form with the provider's fields.
    expect(await send.command({ text: '' })).toBeFalsy();
    const view = openedView(await fake.waitFor('views.open'));
    expect(view.callback_id).toBe('open_ticket');
    const inputs = view.blocks.filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.block_id)).toEqual(['subject', 'description', 'priority', 'category']);
    expect(inputs.map((b) => (b.element as { type: string }).type)).toEqual(['plain_text_input', 'plain_text_input', 'static_select', 'static_select']);
    expect(JSON.parse(view.private_metadata)).toEqual({ channel: C });

    // Submit: the modal closes, a card is posted, and the requester hears about it privately.
    const ack = await send.interaction(
      viewSubmission({
        view: {
          id: view.id,
          callback_id: view.callback_id,
          private_metadata: view.private_metadata,
          state: { values: openFormValues({ subject: 'VPN drops', description: 'Every hour, since Monday', priority: 'high' }) },
        },
      }),
    );
    expect(ack).toBeFalsy();
    const card = await fake.waitFor('chat.postMessage', isCard);
    const cardTs = card.response.ts as string;
    expect(card.args.blocks).toMatchObject([
      { type: 'header', text: { text: '#1 VPN drops' } },
      { type: 'section', fields: [{ text: '*Status*\nOpen' }, { text: '*Priority*\nHigh' }, { text: '*Provider*\nLocal desk' }, { text: '*Requested by*\nAlice Example' }] },
      { type: 'actions', elements: [{ action_id: 'ticket_close', value: '1' }, { action_id: 'ticket_rate', value: '1' }] },
      { type: 'context' },
    ]);
    const confirmation = await fake.waitFor('chat.postEphemeral', (c) => /opened/.test(String(c.args.text)));
    expect(confirmation.args).toMatchObject({ channel: C, user: SLACK_DEFAULTS.userId, text: 'Ticket #1 opened with Local desk.' });

    // A reply in the card's thread becomes a comment at the desk, signed with the author's name.
    const reply = fake.addMessage({ text: 'Still dropping &amp; slow', thread_ts: cardTs });
    await send.event(messageEvent({ text: reply.text!, ts: reply.ts, thread_ts: cardTs }));
    const comments = await waitFor(async () => {
      const all = await h.desk.comments('1');
      return all.length === 1 ? all : undefined;
    }, 'comment at the desk');
    expect(comments[0]).toMatchObject({ origin: 'customer', text: 'Still dropping & slow\n\n— Alice Example (via chat)' });

    // The agent answers at the desk; the answer is posted in the thread, author shown, once.
    await h.desk.reply('1', 'Please **restart** the client.');
    const relayed = await fake.waitFor('chat.postMessage', inThread(cardTs), 8_000);
    expect(relayed.args).toMatchObject({
      text: '*Grace (support)*\nPlease *restart* the client.',
      metadata: { event_type: 'ticket_bridge_post', event_payload: { part: 0 } },
      link_names: 'false',
      parse: 'none',
    });

    // Close from the card's button: the desk closes it and the card is updated in place.
    await send.interaction(blockActions({ actions: [{ action_id: 'ticket_close', value: '1', block_id: 'card_actions' }], message: { ts: cardTs, text: 'card' } }));
    const update = await fake.waitFor('chat.update', (c) => c.args.ts === cardTs, 8_000);
    expect(update.args.blocks).toMatchObject([
      { type: 'header' },
      { type: 'section', fields: [{ text: '*Status*\nClosed' }, {}, {}, {}] },
      { type: 'actions', elements: [{ action_id: 'ticket_reopen' }, { action_id: 'ticket_rate' }] },
      { type: 'context' },
    ]);
    const status = await fake.waitFor('chat.postMessage', (c) => inThread(cardTs)(c) && String(c.args.text).startsWith('Status changed'), 8_000);
    expect(status.args.text).toBe('Status changed to *Closed* by Alice Example.');
    expect(fake.messages(C, cardTs).filter((m) => m.bot_id).map((m) => m.text)).toHaveLength(3);
  });
});

describe('Slack front-end over Socket Mode', () => {
  it('turns an envelope redelivered with retry_attempt into one comment', async () => {
    const rig = await startRig({ transport: 'socket' });
    rigs.push(rig);
    const { fake, send, h } = rig;
    await send.command({ text: 'open Printer' });
    const view = openedView(await fake.waitFor('views.open'));
    expect(view.blocks.find((b) => b.block_id === 'subject')).toMatchObject({ element: { initial_value: 'Printer' } });
    await send.interaction(
      viewSubmission({ view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: openFormValues({ subject: 'Printer', description: 'Jammed' }) } } }),
    );
    const cardTs = (await fake.waitFor('chat.postMessage', isCard)).response.ts as string;
    await fake.waitFor('chat.postEphemeral', (c) => /opened/.test(String(c.args.text)));
    const msg = fake.addMessage({ text: 'paper everywhere', thread_ts: cardTs });
    const event = messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs });
    await send.event(event);
    await send.event(event, 1);
    await waitFor(async () => (await h.desk.comments('1')).length === 1, 'the comment');
    await new Promise((done) => setTimeout(done, 400));
    expect(await h.desk.comments('1')).toHaveLength(1);
  });
});
