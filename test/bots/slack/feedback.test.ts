import { afterEach, describe, expect, it } from 'vitest';
import { blockActions } from '../../../fakes/slack/index.js';
import type { TicketProvider } from '../../../src/provider.js';
import type { KeyValueStore } from '../../../src/store/index.js';
import { localProvider, openTicket, startRig, type Rig } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const SLOW_MS = 5_000;

/** The local desk answering opens and closes in 5 s, as a slow vendor does; records when it answered. */
function slowProvider(answered: { created?: number; closed?: number }) {
  return (kv: KeyValueStore): TicketProvider => {
    const local = localProvider(kv);
    const later = () => new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    return {
      ...local,
      async createTicket(input, requester) {
        await later();
        const snapshot = await local.createTicket(input, requester);
        answered.created = Date.now();
        return snapshot;
      },
      async closeTicket(ticketId) {
        await later();
        await local.closeTicket!(ticketId);
        answered.closed = Date.now();
      },
    };
  };
}

describe('Slack feedback while a slow provider works', { timeout: 30_000 }, () => {
  it('says "Opening…" before a 5 s provider answers, then posts the card with its #id; Close says "Closing #1…" at once and the card shows the outcome', async () => {
    const answered: { created?: number; closed?: number } = {};
    const r = await startRig({ provider: slowProvider(answered) });
    rigs.push(r);

    const submitted = Date.now();
    await openTicket(r, { subject: 'VPN drops', description: 'every ten minutes' });
    expect(Date.now() - submitted).toBeLessThan(3_000); // the modal's ack
    const opening = await r.fake.waitFor('chat.postEphemeral', (c) => c.args.text === 'Opening your ticket with Local desk…');
    expect(answered.created).toBeUndefined();
    expect(opening.at - submitted).toBeLessThan(SLOW_MS);

    const card = await r.fake.waitFor('chat.postMessage', (c) => Array.isArray(c.args.blocks) && c.args.thread_ts === undefined, 10_000);
    expect(card.at).toBeGreaterThanOrEqual(answered.created!);
    expect(JSON.stringify(card.args.blocks)).toContain('#1 VPN drops');
    await r.fake.waitFor('chat.postEphemeral', (c) => c.args.text === 'Ticket #1 opened with Local desk.', 10_000);

    const clicked = Date.now();
    await r.send.interaction(
      blockActions({ actions: [{ action_id: 'ticket_close', value: '1' }], message: { ts: String(card.response.ts), text: 'card' }, response_url: r.fake.responseUrl() }),
    );
    expect(Date.now() - clicked).toBeLessThan(3_000);
    const closing = await r.fake.waitFor('response_url', (c) => c.args.text === 'Closing #1…');
    expect(answered.closed).toBeUndefined();
    expect(closing.at - clicked).toBeLessThan(SLOW_MS);
    await r.fake.waitFor('response_url', (c) => c.args.text === 'Ticket #1 is now closed.', 10_000);
    // The card itself is redrawn with the outcome: Reopen instead of Close.
    const redrawn = await r.fake.waitFor('chat.update', (c) => c.args.ts === card.response.ts && JSON.stringify(c.args.blocks).includes('ticket_reopen'), 10_000);
    expect(JSON.stringify(redrawn.args.blocks)).not.toContain('ticket_close');
  });
});
