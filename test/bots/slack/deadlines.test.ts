import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS } from '../../../fakes/slack/index.js';
import { createLogger } from '../../../src/logger.js';
import { waitFor } from '../../support/harness.js';
import { openCard, openTicket, startRig, type Rig } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const C = SLACK_DEFAULTS.channelId;

describe('Slack calls that are never answered', () => {
  it('gives a relayed post up at its deadline and, trying again, finds it posted: one post in the thread', async () => {
    const r = await startRig({ callTimeoutMs: 300 });
    rigs.push(r);
    const cardTs = await openCard(r);
    // Slack stores the post but its answer never comes: only the deadline ends the call.
    r.fake.withholdAnswers('chat.postMessage');
    await r.h.desk.reply('1', 'Have you tried turning it off and on again?', 'Sam');
    const relayed = () => r.fake.messages(C, cardTs).filter((m) => /turning it off/.test(String(m.text)));
    // The retry after the deadline looks in the thread before posting, and finds the post there.
    await r.fake.waitFor('conversations.replies', (c) => c.args.ts === cardTs, 8_000);
    await new Promise((done) => setTimeout(done, 500));
    expect(r.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === cardTs)).toHaveLength(1);
    expect(relayed()).toHaveLength(1);
  });

  it('finds the card whose post was not answered in time instead of posting a second one', async () => {
    const r = await startRig({ callTimeoutMs: 300 });
    rigs.push(r);
    r.fake.withholdAnswers('chat.postMessage');
    await openTicket(r, { subject: 'Printer', description: 'It is on fire' });
    // The retry after the deadline looks in the channel before posting, and finds the card there.
    await r.fake.waitFor('conversations.history', (c) => c.args.channel === C, 8_000);
    const cards = () => r.fake.messages(C).filter((m) => m.thread_ts === undefined && m.blocks !== undefined);
    await waitFor(async () => cards().length === 1 && (await r.h.service.linkByThread(`slack:${C}:${cards()[0]!.ts}`)) !== undefined, 'the card linked', 5_000);
    await new Promise((done) => setTimeout(done, 300));
    expect(cards()).toHaveLength(1);
    expect(r.fake.callsTo('chat.postMessage').filter((c) => c.args.thread_ts === undefined)).toHaveLength(1);
  });

  it('gives a form up when its trigger dies (3 s), not after the 10 s deadline and retries of other calls, and tells the person', async () => {
    const r = await startRig();
    rigs.push(r);
    r.fake.withholdAnswers('views.open');
    const started = Date.now();
    await r.send.command({ text: '' });
    const told = await r.fake.waitFor('response_url', (c) => /could not be opened/.test(String(c.args.text)), 8_000);
    expect(told.args.text).toBe('The ticket form could not be opened. Please run /ticket again.');
    expect(Date.now() - started).toBeLessThan(5_000);
    // A second try could only fail with expired_trigger_id.
    expect(r.fake.callsTo('views.open')).toHaveLength(1);
  });

  it("tells the person when Slack refuses a form, and logs Slack's reason", async () => {
    const lines: string[] = [];
    const r = await startRig({ logger: createLogger({ level: 'warn', write: (line) => lines.push(line) }) });
    rigs.push(r);
    const trigger_id = `${Date.now()}.1.abc`;
    await r.send.command({ text: '', trigger_id });
    await r.fake.waitFor('views.open', (c) => c.status === 200 && c.response['ok'] === true);
    // The same trigger again: Slack answers exchanged_trigger_id.
    await r.send.command({ text: '', trigger_id });
    const told = await r.fake.waitFor('response_url', (c) => /could not be opened/.test(String(c.args.text)), 5_000);
    expect(told.args.text).toBe('The ticket form could not be opened. Please run /ticket again.');
    expect(lines.filter((line) => line.includes('could not open a form'))).toEqual([expect.stringContaining('exchanged_trigger_id')]);
  });
});
