import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS, blockActions, messageEvent, viewSubmission, type FakeSlackCall } from '../../../fakes/slack/index.js';
import { waitFor } from '../../support/harness.js';
import { openCard, openTicket, openedView, startRig, type Rig, type RigOptions } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

async function rig(options: RigOptions = {}): Promise<Rig> {
  const r = await startRig(options);
  rigs.push(r);
  return r;
}

const C = SLACK_DEFAULTS.channelId;
const ALICE = SLACK_DEFAULTS.userId;
/** The bot's DM with Alice, as the fake names it. */
const DM = `D${ALICE.slice(1)}`;
const isCard = (c: FakeSlackCall) => Array.isArray(c.args.blocks) && c.args.thread_ts === undefined && c.response.ok === true;
const buttonsOf = (blocks: unknown): string[] =>
  (blocks as Array<{ elements?: Array<{ action_id?: string }> }>).flatMap((b) => b.elements ?? []).flatMap((e) => (e.action_id ? [e.action_id] : []));

describe('Slack: a ticket never goes silent', () => {
  it('posts the card in a DM when the bot is not in the channel, says what to do, and follows the ticket there both ways', async () => {
    // The command comes from #general, which nobody invited the bot to.
    const r = await rig({ fake: { channels: [{ id: C, name: 'general', bot_member: false }] } });
    await openTicket(r, { subject: 'Printer', description: 'It is on fire' });

    const refused = await r.fake.waitFor('chat.postMessage', (c) => c.args.channel === C);
    expect(refused.response).toEqual({ ok: false, error: 'not_in_channel' });
    expect((await r.fake.waitFor('conversations.open')).args.users).toBe(ALICE);
    const card = await r.fake.waitFor('chat.postMessage', (c) => isCard(c) && c.args.channel === DM);
    const cardTs = card.response.ts as string;
    const notice = await r.fake.waitFor('chat.postMessage', (c) => c.args.channel === DM && c.args.thread_ts === cardTs);
    expect(notice.args.text).toContain(`<#${C}>`);
    expect(notice.args.text).toMatch(/not a member of that channel/);
    expect(notice.args.text).toContain(`invite <@${SLACK_DEFAULTS.botUserId}>`);
    // The answer cannot be ephemeral in a channel the bot is not in either: it comes as a DM.
    await r.fake.waitFor('chat.postMessage', (c) => c.args.channel === ALICE && /Ticket #1 opened/.test(String(c.args.text)) && c.response.ok === true);

    // Linked to the person, with the DM thread as its conversation: status and list know it.
    const alice = { key: `slack:${SLACK_DEFAULTS.teamId}:${ALICE}`, name: 'Alice' };
    await waitFor(async () => (await r.h.service.listMine(alice))[0]?.thread, 'the link to move to the DM');
    expect(await r.h.service.listMine(alice)).toEqual([expect.objectContaining({ ticketId: '1', thread: `slack:${DM}:${cardTs}` })]);

    // An agent's answer lands in the DM thread, once.
    await r.h.desk.reply('1', 'Unplug it, please.');
    const answer = await r.fake.waitFor('chat.postMessage', (c) => c.args.channel === DM && c.args.thread_ts === cardTs && /Unplug it/.test(String(c.args.text)));
    expect(answer.response.ok).toBe(true);

    // The person's reply in that thread reaches the desk.
    const msg = r.fake.addMessage({ channel: DM, text: 'Done, it is out.', thread_ts: cardTs });
    await r.send.event(messageEvent({ channel: DM, text: 'Done, it is out.', ts: msg.ts, thread_ts: cardTs }));
    await waitFor(async () => (await r.h.desk.comments('1')).some((c) => c.text.startsWith('Done, it is out.')), 'the reply at the desk');

    await new Promise((done) => setTimeout(done, 400));
    // One card (the private answer, sent to the user id, shows it too but is not the ticket's card).
    expect(r.fake.callsTo('chat.postMessage').filter((c) => isCard(c) && c.args.channel !== ALICE)).toHaveLength(1);
    expect(r.fake.callsTo('chat.postMessage').filter((c) => /Unplug it/.test(String(c.args.text)))).toHaveLength(1);
  });

  it('falls back to the DM at once for an archived channel, without retrying the channel', async () => {
    const r = await rig({ fake: { channels: [{ id: C, name: 'general', is_archived: true }] } });
    await openTicket(r, { subject: 'Archived', description: 'x' });
    const card = await r.fake.waitFor('chat.postMessage', (c) => isCard(c) && c.args.channel === DM);
    const notice = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === card.response.ts);
    expect(notice.args.text).toMatch(/archived/);
    // Refused once, not retried.
    expect(r.fake.callsTo('chat.postMessage').filter((c) => c.args.channel === C)).toHaveLength(1);
  });

  it('relays an answer after close, and a reopen at the vendor brings the card back to its open buttons', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    await r.h.desk.setStatus('1', 'closed');
    const closed = await r.fake.waitFor('chat.update', (c) => c.args.ts === cardTs && buttonsOf(c.args.blocks).includes('ticket_reopen'));
    expect(buttonsOf(closed.args.blocks)).not.toContain('ticket_close');

    await r.h.desk.reply('1', 'One more thing after closing.');
    await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === cardTs && /One more thing/.test(String(c.args.text)));

    await r.h.desk.setStatus('1', 'open');
    const reopened = await r.fake.waitFor('chat.update', (c) => c.args.ts === cardTs && buttonsOf(c.args.blocks).includes('ticket_close'));
    expect(buttonsOf(reopened.args.blocks)).not.toContain('ticket_reopen');
    await new Promise((done) => setTimeout(done, 400));
    expect(r.fake.callsTo('chat.postMessage').filter((c) => /One more thing/.test(String(c.args.text)))).toHaveLength(1);
  });

  it('asks why in a small modal when Reopen is pressed, and the reason reaches the provider', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    await r.h.desk.setStatus('1', 'closed');
    await r.fake.waitFor('chat.update', (c) => c.args.ts === cardTs && buttonsOf(c.args.blocks).includes('ticket_reopen'));

    await r.send.interaction(blockActions({ actions: [{ action_id: 'ticket_reopen', value: '1' }], message: { ts: cardTs } }));
    const view = openedView(await r.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === 'reopen_ticket'));
    const empty = await r.send.interaction(viewSubmission({ view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: { reason: { value: { type: 'plain_text_input', value: ' ' } } } } } }));
    expect(empty).toEqual({ response_action: 'errors', errors: { reason: 'Please say why the ticket is reopened.' } });

    await r.send.interaction(
      viewSubmission({ view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: { reason: { value: { type: 'plain_text_input', value: 'Still smoking' } } } } } }),
    );
    await waitFor(async () => (await r.h.desk.comments('1')).some((c) => c.text.startsWith('Still smoking')), 'the reason at the desk');
    await r.fake.waitFor('chat.update', (c) => c.args.ts === cardTs && buttonsOf(c.args.blocks).includes('ticket_close'));
    expect((await r.h.desk.comments('1')).map((c) => c.text).join('\n')).not.toContain('Reopened from chat.');
  });
});
