import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS, blockActions, eventCallback } from '../../../fakes/slack/index.js';
import { openedView, startRig, type Rig } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const C = SLACK_DEFAULTS.channelId;
const reacted = (reaction: string, ts: string) =>
  eventCallback({ type: 'reaction_added', user: SLACK_DEFAULTS.userId, reaction, item: { type: 'message', channel: C, ts }, item_user: 'U0000000002', event_ts: `${Date.now() / 1000}` });

describe('open a ticket by reacting with :ticket: on Slack', () => {
  it('offers the reactor privately a one-click form, prefilled as the message shortcut does', async () => {
    const r = await startRig();
    rigs.push(r);
    const msg = r.fake.addMessage({ text: 'The VPN drops every ten minutes\nsince Monday', user: 'U0000000002' });

    await r.send.event(reacted('thumbsup', msg.ts));
    await r.send.event(reacted('ticket', msg.ts));
    const offer = await r.fake.waitFor('chat.postEphemeral', (c) => c.args.user === SLACK_DEFAULTS.userId && c.args.text === 'Open a support ticket from this message?');
    const button = (offer.args.blocks as Array<{ block_id: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>).find(
      (b) => b.block_id === 'reaction_offer',
    )!.elements![0]!;
    expect(button.text.text).toBe('Open a ticket from this message');
    // One offer: the thumbs-up asked for nothing.
    expect(r.fake.callsTo('chat.postEphemeral')).toHaveLength(1);

    await r.send.interaction(blockActions({ actions: [{ action_id: button.action_id, value: button.value }], message: { ts: '1700000000.000400', text: 'offer' } }));
    const view = openedView(await r.fake.waitFor('views.open'));
    const [subject, description] = view.blocks.filter((b) => b.type === 'input').map((b) => (b.element as { initial_value?: string }).initial_value);
    expect(subject).toBe('The VPN drops every ten minutes');
    expect(description).toBe(`The VPN drops every ten minutes\nsince Monday\n\nFrom Slack: https://acme.slack.com/archives/${C}/p${msg.ts.replace('.', '')}`);
  });
});
