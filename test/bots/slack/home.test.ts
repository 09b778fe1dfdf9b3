import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS, eventCallback, messageEvent } from '../../../fakes/slack/index.js';
import type { FakeSlackCall } from '../../../fakes/slack/index.js';
import { ProviderError } from '../../../src/errors.js';
import type { TicketProvider } from '../../../src/provider.js';
import type { KeyValueStore } from '../../../src/store/index.js';
import { localProvider, openCard, startRig, type Rig, type RigOptions } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

async function rig(options: RigOptions = {}): Promise<Rig> {
  const r = await startRig(options);
  rigs.push(r);
  return r;
}

const SAM = 'U0000000003'; // in the staff user group
const homeOpened = (user: string) => eventCallback({ type: 'app_home_opened', user, channel: 'D0000000001', tab: 'home', event_ts: `${Date.now() / 1000}` });
const publishedTo = (user: string, text: string) => (c: FakeSlackCall) => c.args.user_id === user && c.status === 200 && JSON.stringify(c.args.view).includes(text);

/** The local desk refusing the first comment for good, as a vendor may. */
function refusesFirstComment(kv: KeyValueStore): TicketProvider {
  const local = localProvider(kv);
  let calls = 0;
  return {
    ...local,
    async addComment(ticketId, comment) {
      if (++calls === 1) throw new ProviderError({ kind: 'invalid', provider: 'local', method: 'POST', path: `/tickets/${ticketId}/comments`, status: 422, vendorMessage: 'comment rejected' });
      return local.addComment(ticketId, comment);
    },
  };
}

describe('Slack App Home', () => {
  it('publishes "My tickets" with status, the last answer, a link to the thread and a failed delivery with Retry; refreshed when the ticket changes', async () => {
    const r = await rig({ provider: refusesFirstComment });
    const cardTs = await openCard(r);
    const alice = SLACK_DEFAULTS.userId;

    await r.send.event(homeOpened(alice));
    const first = await r.fake.waitFor('views.publish', publishedTo(alice, '#1 Printer'));
    const view = first.args.view as { type: string; blocks: Array<{ block_id?: string; accessory?: { url?: string; text: { text: string } } }> };
    expect(view.type).toBe('home');
    expect(JSON.stringify(view)).toContain('My tickets');
    expect(JSON.stringify(view)).toContain('No answer from support yet.');
    const head = view.blocks.find((b) => b.block_id === 'ticket_1')!;
    expect(head.accessory).toMatchObject({ text: { text: 'Open thread' }, url: `https://acme.slack.com/archives/${SLACK_DEFAULTS.channelId}/p${cardTs.replace('.', '')}` });

    // Support answers: the Home is published again, with the answer.
    await r.h.desk.reply('1', 'We are on our way', 'Grace (support)');
    await r.fake.waitFor('views.publish', publishedTo(alice, 'Last answer from Grace (support): We are on our way'), 8_000);

    // A reply the provider refuses for good shows with its Retry.
    const msg = r.fake.addMessage({ text: 'please call me back', thread_ts: cardTs });
    await r.send.event(messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs }));
    const failed = await r.fake.waitFor('views.publish', publishedTo(alice, 'delivery_retry'), 8_000);
    expect(JSON.stringify(failed.args.view)).toContain('Local desk did not accept your message.');
    expect(JSON.stringify(failed.args.view)).not.toContain('422');
  });

  it('shows staff the open tickets of everyone, and others only their own', async () => {
    const r = await rig();
    await openCard(r);
    await r.send.event(homeOpened(SAM));
    const staff = await r.fake.waitFor('views.publish', publishedTo(SAM, 'Open tickets of everyone'));
    expect(JSON.stringify(staff.args.view)).toContain('#1 Printer — Alice Example');
    await r.send.event(homeOpened('U0000000002'));
    const other = await r.fake.waitFor('views.publish', (c) => c.args.user_id === 'U0000000002');
    expect(JSON.stringify(other.args.view)).not.toContain('Printer');
    expect(JSON.stringify(other.args.view)).toContain('You have no open or recently closed tickets.');
  });

  it('publishes once more after answers that come while it publishes, not once per answer', async () => {
    const r = await rig({ callTimeoutMs: 600 });
    await openCard(r);
    const alice = SLACK_DEFAULTS.userId;
    const toAlice = () => r.fake.callsTo('views.publish').filter((c) => c.args.user_id === alice);
    const before = toAlice().length;
    r.fake.withholdAnswers('views.publish'); // the first publish hangs until its deadline
    for (let i = 1; i <= 4; i++) await r.h.desk.reply('1', `Answer ${i}`, 'Grace (support)');
    await r.fake.waitFor('views.publish', publishedTo(alice, 'Answer 4'), 8_000);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a publish per answer would have come by now
    // The stuck publish, the Web API client's retry of it, and one more with every answer; one
    // publish per answer would be four, and five with that retry.
    expect(toAlice().length - before).toBeLessThanOrEqual(3);
  });
});
