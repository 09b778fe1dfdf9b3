import { afterEach, describe, expect, it } from 'vitest';
import { blockActions } from '../../../fakes/slack/index.js';
import { closeSubjects } from '../../../handlers/similar.js';
import { openTicket, startRig, type Rig } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

describe('similar subjects', () => {
  it('match on most shared words, not on short or unrelated ones', () => {
    expect(closeSubjects('VPN drops every ten minutes', 'VPN drops again')).toBe(true);
    expect(closeSubjects('Printer on fire', 'printer ON FIRE!')).toBe(true);
    expect(closeSubjects('VPN drops every ten minutes', 'Printer on fire')).toBe(false);
    expect(closeSubjects('VPN drops', 'Email drops')).toBe(false);
    expect(closeSubjects('Принтер не печатает', 'принтер снова не печатает')).toBe(true);
  });
});

describe('the similar-ticket prompt on Slack', () => {
  it('offers "Add to #1" or "Open a new ticket anyway" before opening a close one', async () => {
    const r = await startRig();
    rigs.push(r);
    await openTicket(r, { subject: 'VPN drops every ten minutes', description: 'since Monday' });
    await r.fake.waitFor('chat.postEphemeral', (c) => c.args.text === 'Ticket #1 opened with Local desk.');

    await openTicket(r, { subject: 'VPN drops again', description: 'now hourly' });
    const prompt = await r.fake.waitFor('chat.postEphemeral', (c) => String(c.args.text).startsWith('You already have'));
    expect(prompt.args.text).toBe("You already have #1 'VPN drops every ten minutes' open.");
    const buttons = (prompt.args.blocks as Array<{ block_id: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>).find(
      (b) => b.block_id === 'similar_actions',
    )!.elements!;
    expect(buttons.map((b) => b.text.text)).toEqual(['Add to #1', 'Open a new ticket anyway']);
    const click = (b: { action_id: string; value: string }) =>
      r.send.interaction(blockActions({ actions: [{ action_id: b.action_id, value: b.value }], message: { ts: '1700000000.000300', text: 'prompt' }, response_url: r.fake.responseUrl() }));

    // Added to #1, once, however often pressed; no second ticket.
    await click(buttons[0]!);
    await click(buttons[0]!);
    await r.fake.waitFor('response_url', (c) => c.args.text === 'Sent to Local desk on #1.');
    await r.fake.waitFor('response_url', (c) => c.args.text === 'Already sent.');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const comments = (await r.h.desk.comments('1')).filter((c) => c.origin === 'customer');
    expect(comments).toHaveLength(1);
    expect(comments[0]!.text).toContain('VPN drops again\n\nnow hourly');
    expect((await r.h.service.listMine({ key: 'slack:T0000000001:U0000000001', name: '' }, 'all')).map((l) => l.ticketId)).toEqual(['1']);

    // Or a new ticket after all.
    await click(buttons[1]!);
    await r.fake.waitFor('response_url', (c) => c.args.text === 'Ticket #2 opened with Local desk.', 8_000);
  });
});
