import { afterEach, describe, expect, it } from 'vitest';
import {
  SLACK_DEFAULTS,
  blockActions,
  messageEvent,
  messageShortcut,
  postSlashCommand,
  slashCommand,
  viewSubmission,
  type FakeSlackCall,
} from '../../../fakes/slack/index.js';
import { waitFor } from '../../support/harness.js';
import { ProviderError } from '../../../src/errors.js';
import type { TicketProvider } from '../../../src/provider.js';
import type { KeyValueStore } from '../../../src/store/index.js';
import { LocalDesk } from '../../../adapters/local/desk.js';
import { SECRET, localProvider, openCard, openFormValues, openTicket, openedView, startRig, type Rig, type RigOptions } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const C = SLACK_DEFAULTS.channelId;
const MALLORY = { id: 'U0000000002', name: 'mallory' };
const SAM = { id: 'U0000000003', name: 'sam' };

async function rig(options: RigOptions = {}): Promise<Rig> {
  const r = await startRig(options);
  rigs.push(r);
  return r;
}

/** The local desk, refusing the first comment for good (HTTP 422), as a vendor may. */
function refusesFirstComment(calls: { addComment: number }) {
  return (kv: KeyValueStore): TicketProvider => {
    const local = localProvider(kv);
    return {
      ...local,
      async addComment(ticketId, comment) {
        calls.addComment += 1;
        if (calls.addComment === 1) {
          throw new ProviderError({ kind: 'invalid', provider: 'local', method: 'POST', path: `/tickets/${ticketId}/comments`, status: 422, vendorMessage: 'comment rejected' });
        }
        return local.addComment(ticketId, comment);
      },
    };
  };
}

const ephemeralTo = (user: string, pattern: RegExp) => (c: FakeSlackCall) =>
  (c.method === 'chat.postEphemeral' ? c.args.user === user : true) && pattern.test(String(c.args.text));

describe('Slack front-end', () => {
  it('refuses a badly signed request with 401 and does nothing', async () => {
    const r = await rig();
    const res = await postSlashCommand(r.endpoint!, SECRET, slashCommand({ response_url: r.fake.responseUrl() }), { badSignature: true });
    expect(res.status).toBe(401);
    await new Promise((done) => setTimeout(done, 200));
    expect(r.fake.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('shows a bad field as a modal error, in words, and creates nothing', async () => {
    const r = await rig();
    const { ack } = await openTicket(r, { subject: '   ', description: 'x'.repeat(20), priority: 'low' });
    expect(ack).toEqual({ response_action: 'errors', errors: { subject: 'Please fill in the subject.' } });
    const long = await openTicket(r, { subject: 'y'.repeat(201), description: 'fine' });
    expect(long.ack).toEqual({ response_action: 'errors', errors: { subject: 'Must be at most 200 characters.' } });
    await new Promise((done) => setTimeout(done, 200));
    expect(r.fake.callsTo('chat.postMessage')).toEqual([]);
  });

  it('keeps what was typed when the provider is down, and offers the form again', async () => {
    const r = await rig({ providerDown: true });
    const { ack } = await openTicket(r, { subject: 'VPN drops', description: 'Since the update <!here>', priority: 'urgent' });
    expect(ack).toBeFalsy();
    await r.fake.waitFor('chat.postEphemeral', (c) => c.args.text === 'Opening your ticket with Local desk…');
    const told = await r.fake.waitFor('chat.postEphemeral', (c) => c.args.text !== 'Opening your ticket with Local desk…');
    expect(told.args.text).toBe('Local desk is not answering right now. Please try again in a minute.');
    const blocks = told.args.blocks as Array<{ block_id: string; text?: { text: string }; elements?: Array<{ action_id: string; value: string }> }>;
    const draft = blocks.find((b) => b.block_id === 'draft_text')!.text!.text;
    expect(draft).toContain('>VPN drops');
    expect(draft).toContain('>Since the update &lt;!here&gt;');
    const again = blocks.find((b) => b.block_id === 'draft_actions')!.elements![0]!;
    expect(again.action_id).toBe('open_form_again');

    await r.send.interaction(blockActions({ actions: [{ action_id: again.action_id, value: again.value }], message: { ts: '1700000000.000100', text: 'x' } }));
    const reopened = openedView(await r.fake.waitFor('views.open', (c) => r.fake.callsTo('views.open').indexOf(c) === 1));
    const initial = reopened.blocks.filter((b) => b.type === 'input').map((b) => {
      const el = b.element as { initial_value?: string; initial_option?: { value: string } };
      return el.initial_value ?? el.initial_option?.value;
    });
    expect(initial).toEqual(['VPN drops', 'Since the update <!here>', 'urgent', undefined]);
  });

  it('turns a redelivered event into one comment (X-Slack-Retry-Num)', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    const msg = r.fake.addMessage({ text: 'once only', thread_ts: cardTs });
    const event = messageEvent({ text: 'once only', ts: msg.ts, thread_ts: cardTs });
    await r.send.event(event);
    await r.send.event(event, 1);
    // Slack may also send the same message under a new event id: the message ts keeps it one comment.
    await r.send.event(messageEvent({ text: 'once only', ts: msg.ts, thread_ts: cardTs }), 2);
    await waitFor(async () => (await r.h.desk.comments('1')).length === 1, 'the comment');
    await new Promise((done) => setTimeout(done, 400));
    expect(await r.h.desk.comments('1')).toHaveLength(1);
  });

  it('does not relay its own posts, other bots, edits, or messages outside ticket threads', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    const base = { thread_ts: cardTs };
    await r.send.event(messageEvent({ ...base, text: 'from a bot', bot_id: 'B0OTHER0001' }));
    await r.send.event(messageEvent({ ...base, text: 'own', user: SLACK_DEFAULTS.botUserId, bot_id: SLACK_DEFAULTS.botId }));
    await r.send.event(messageEvent({ ...base, text: 'edited', subtype: 'message_changed' }));
    await r.send.event(messageEvent({ text: 'top level' }));
    await r.send.event(messageEvent({ text: 'another thread', thread_ts: '1700000000.999900' }));
    await new Promise((done) => setTimeout(done, 400));
    expect(await r.h.desk.comments('1')).toEqual([]);
  });

  it('relays an agent comment that tries to ping everyone, inert', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    await r.h.desk.reply('1', 'Hi <!channel> <!here> <!everyone> <@U0000000001> <!subteam^S123> @everyone @here &lt;!here&gt; [x](https://a.example/?q=<!here>)', '<@U0000000001> Grace');
    const post = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === cardTs, 8_000);
    const text = String(post.args.text);
    expect(text).toBe(
      '*&lt;@U0000000001&gt; Grace*\nHi &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U0000000001&gt; &lt;!subteam^S123&gt; ' +
        '@\u2060everyone @\u2060here &amp;lt;!here&amp;gt; <https://a.example/?q=%3C!here%3E|x>',
    );
    // Whatever is left of markup is a link: nothing can start a mention.
    expect(text.replace(/<https:\/\/[^<>]*>/g, '')).not.toMatch(/[<>]/);
    expect(post.args).toMatchObject({ link_names: 'false', parse: 'none' });
  });

  it('refuses Close from someone who is neither the requester nor staff; staff may', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    const click = (user: { id: string; name: string }, action_id = 'ticket_close') =>
      r.send.interaction(blockActions({ user, actions: [{ action_id, value: '1' }], message: { ts: cardTs, text: 'card' } }));
    await click(MALLORY);
    const refusal = await r.fake.waitFor('chat.postEphemeral', ephemeralTo(MALLORY.id, /Only/));
    expect(refusal.args.text).toBe('Only the person who opened ticket #1, or support staff, can close it.');
    await click(MALLORY, 'ticket_rate');
    await r.fake.waitFor('chat.postEphemeral', ephemeralTo(MALLORY.id, /can rate it/));
    expect(r.fake.callsTo('views.open')).toHaveLength(1); // only the ticket form, no rating form
    expect((await r.h.service.linkByThread(`slack:${C}:${cardTs}`))?.status).toBe('open');

    await click(SAM);
    await r.fake.waitFor('chat.update', (c) => c.args.ts === cardTs, 8_000);
    expect((await r.h.service.linkByThread(`slack:${C}:${cardTs}`))?.status).toBe('closed');
    expect(r.fake.callsTo('usergroups.users.list').length).toBe(1); // cached between the clicks
  });

  it('takes /ticket reply by id only from the requester or staff', async () => {
    const r = await rig();
    await openCard(r);
    await r.send.command({ text: 'reply 1 let me in', user_id: MALLORY.id, user_name: MALLORY.name });
    await r.fake.waitFor('response_url', (c) => c.args.text === 'No ticket #1 that you can see.');
    await r.send.command({ text: 'reply 1 on it', user_id: SAM.id, user_name: SAM.name });
    await r.fake.waitFor('response_url', (c) => String(c.args.text).startsWith('Sent to'));
    const comments = await waitFor(async () => {
      const all = await r.h.desk.comments('1');
      return all.length > 0 ? all : undefined;
    }, 'the staff comment');
    expect(comments.map((c) => c.text)).toEqual([expect.stringContaining('on it')]);
  });

  it('rates a ticket through the small modal', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    await r.send.interaction(blockActions({ actions: [{ action_id: 'ticket_rate', value: '1' }], message: { ts: cardTs, text: 'card' } }));
    const view = openedView(await r.fake.waitFor('views.open', (c) => openedView(c).callback_id === 'rate_ticket'));
    const values = {
      score: { value: { type: 'static_select', selected_option: { value: '5' } } },
      comment: { value: { type: 'plain_text_input', value: 'Quick fix' } },
    };
    expect(await r.send.interaction(viewSubmission({ view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values } } }))).toBeFalsy();
    await r.fake.waitFor('chat.postEphemeral', (c) => c.args.text === 'Thanks! Rated #1 5/5.');
  });

  it('opens the form from a message shortcut at once, prefilled with the text; the permalink joins the ticket after submission', async () => {
    const r = await rig();
    const msg = r.fake.addMessage({ text: 'Checkout fails with <https://shop.example|the shop> &amp; error 500\nsecond line' });
    await r.send.interaction(messageShortcut({ callback_id: 'open_ticket_from_message', message: { ts: msg.ts, text: msg.text! }, response_url: r.fake.responseUrl() }));
    const view = openedView(await r.fake.waitFor('views.open'));
    // No look-up stands between the shortcut and its form.
    expect(r.fake.callsTo('chat.getPermalink')).toHaveLength(0);
    const [subject, description] = view.blocks.filter((b) => b.type === 'input').map((b) => (b.element as { initial_value?: string }).initial_value);
    expect(subject).toBe('Checkout fails with the shop (https://shop.example) & error 500');
    expect(description).toBe('Checkout fails with the shop (https://shop.example) & error 500\nsecond line');
    await r.send.interaction(
      viewSubmission({ view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: openFormValues({ subject: subject!, description: description! }) } } }),
    );
    await r.fake.waitFor('chat.postEphemeral', (c) => /opened/.test(String(c.args.text)));
    // What was typed, where it was written, then the marker by which an opening cut off by a crash is found again.
    expect((await new LocalDesk(r.h.kv).get('1')).description).toMatch(
      new RegExp(`^Checkout fails with the shop \\(https://shop\\.example\\) & error 500\nsecond line\n\nFrom Slack: https://acme\\.slack\\.com/archives/${C}/p${msg.ts.replace('.', '')}\n\nticket-bridge-ref: [0-9a-f]{20}$`),
    );
  });

  it('answers /ticket list, status, help and retry privately', async () => {
    const r = await rig();
    await openCard(r);
    await r.send.command({ text: 'list' });
    const list = await r.fake.waitFor('response_url', (c) => String(c.args.text).startsWith('#1'));
    expect(list.args).toMatchObject({ response_type: 'ephemeral', text: '#1 Printer (open)' });
    await r.send.command({ text: 'status 1', user_id: MALLORY.id, user_name: MALLORY.name });
    await r.fake.waitFor('response_url', (c) => c.args.text === 'No ticket #1 that you can see.');
    await r.send.command({ text: 'status #1' });
    await r.fake.waitFor('response_url', (c) => String(c.args.text).startsWith('#1 Printer: open'));
    await r.send.command({ text: 'help' });
    await r.fake.waitFor('response_url', (c) => String(c.args.text).includes('/ticket rate &lt;id&gt;'));
    // `retry` is a command of its own, not a fall-through to the help text.
    await r.send.command({ text: 'retry comment:nothing-here' });
    await r.fake.waitFor('response_url', (c) => c.args.text === 'That message is not waiting for a retry.');
  });

  it('announces a reply that failed for good with a Retry button, and Retry delivers it once', async () => {
    const calls = { addComment: 0 };
    const r = await rig({ provider: refusesFirstComment(calls) });
    const cardTs = await openCard(r);
    const msg = r.fake.addMessage({ text: 'please call me back', thread_ts: cardTs });
    await r.send.event(messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs }));

    const notice = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === cardTs && String(c.args.text).startsWith(':warning:'), 8_000);
    expect(notice.args.text).toContain('could not be delivered');
    // Plain words and what to do; the vendor's method, path and status stay in the log.
    expect(notice.args.text).toContain('Local desk did not accept your message. Change it and send it again, or press Retry.');
    expect(notice.args.text).not.toMatch(/\b422\b|POST|\/comments|invalid/);
    expect(notice.args.text).toContain('\n>please call me back');
    const blocks = notice.args.blocks as Array<{ block_id: string; elements?: Array<{ action_id: string; value: string }> }>;
    const retry = blocks.find((b) => b.block_id === 'failed_actions')!.elements![0]!;
    expect(retry).toMatchObject({ action_id: 'delivery_retry', value: `comment:${C}:${msg.ts}` });
    expect(await r.h.desk.comments('1')).toEqual([]);

    const ack = await r.send.interaction(
      blockActions({
        actions: [{ action_id: retry.action_id, value: retry.value, block_id: 'failed_actions' }],
        message: { ts: notice.response.ts as string, thread_ts: cardTs, text: String(notice.args.text) },
      }),
    );
    expect(ack).toBeFalsy();
    await r.fake.waitFor('chat.postEphemeral', (c) => c.args.text === 'Trying again.' && c.args.thread_ts === cardTs);
    const comments = await waitFor(async () => {
      const all = await r.h.desk.comments('1');
      return all.length > 0 ? all : undefined;
    }, 'the retried comment');
    expect(comments[0]).toMatchObject({ origin: 'customer', text: 'please call me back\n\n— Alice Example (via chat)' });
    await new Promise((done) => setTimeout(done, 400));
    expect(await r.h.desk.comments('1')).toHaveLength(1);
    expect(calls.addComment).toBe(2);
  });
});
