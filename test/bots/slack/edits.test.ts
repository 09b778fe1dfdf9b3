import { afterEach, describe, expect, it } from 'vitest';
import { messageChangedEvent, messageDeletedEvent, messageEvent } from '../../../fakes/slack/index.js';
import { waitFor } from '../../support/harness.js';
import { openCard, startRig, type Rig } from './rig.js';

describe('Slack edits and deletions in a ticket thread', () => {
  const rigs: Rig[] = [];
  afterEach(async () => {
    for (const r of rigs.splice(0)) await r.close();
  });

  it('sends an edit as a follow-up quoting the new text and a deletion as a note, each once', async () => {
    const r = await startRig();
    rigs.push(r);
    const cardTs = await openCard(r);
    const msg = r.fake.addMessage({ text: 'the printer is on fire', thread_ts: cardTs });
    await r.send.event(messageEvent({ text: msg.text!, ts: msg.ts, thread_ts: cardTs }));
    const edit = { ts: msg.ts, thread_ts: cardTs, previousText: msg.text!, text: 'the printer was on fire', editedTs: '1700000100.000100' };
    await r.send.event(messageChangedEvent(edit));
    await r.send.event(messageChangedEvent(edit), 1); // the same edit, delivered again under a new event id
    // An unfurl changes the message without an edit by the person: nothing to send.
    await r.send.event(messageChangedEvent({ ...edit, text: edit.previousText, editedTs: '1700000200.000100' }));
    const deletion = { ts: msg.ts, thread_ts: cardTs, previousText: edit.text };
    await r.send.event(messageDeletedEvent(deletion));
    await r.send.event(messageDeletedEvent(deletion), 2);
    await waitFor(async () => (await r.h.desk.comments('1')).length === 3, 'three comments', 8_000);
    await new Promise((done) => setTimeout(done, 400));
    const texts = (await r.h.desk.comments('1')).map((c) => c.text.split('\n')[0]);
    expect(texts).toEqual(['the printer is on fire', 'edited: the printer was on fire', 'deleted a message']);
  });
});

describe('an agent edit in Slack', () => {
  const rigs: Rig[] = [];
  afterEach(async () => {
    for (const r of rigs.splice(0)) await r.close();
  });

  it('edits the relayed post with chat.update instead of posting again', async () => {
    const r = await startRig();
    rigs.push(r);
    const cardTs = await openCard(r);
    await r.h.desk.reply('1', 'Restart the router');
    const post = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === cardTs && /Restart the router/.test(String(c.args.text)), 8_000);
    await r.h.desk.editLast('1', 'Restart the router, then the laptop');
    const update = await r.fake.waitFor('chat.update', (c) => /then the laptop/.test(String(c.args.text)), 8_000);
    expect(update.args.ts).toBe(post.response.ts);
    await new Promise((done) => setTimeout(done, 500));
    expect(r.fake.callsTo('chat.postMessage').filter((c) => /Restart the router/.test(String(c.args.text)))).toHaveLength(1);
    expect(r.fake.callsTo('chat.update').filter((c) => /then the laptop/.test(String(c.args.text)))).toHaveLength(1);
  });
});
