import { afterEach, describe, expect, it } from 'vitest';
import { messageEvent, SLACK_DEFAULTS } from '../../../fakes/slack/index.js';
import { downloadFile } from '../../../src/download.js';
import { waitFor } from '../../support/harness.js';
import { openCard, startRig, type Rig, type RigOptions } from './rig.js';

// A real PNG header and one IHDR chunk's worth of bytes.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 7)]);

describe('Slack files through Bolt and the fake Slack', () => {
  const rigs: Rig[] = [];
  afterEach(async () => {
    for (const r of rigs.splice(0)) await r.close();
  });
  async function rig(options: RigOptions = {}): Promise<Rig> {
    const r = await startRig(options);
    rigs.push(r);
    return r;
  }
  const deskComments = async (r: Rig) => waitFor(async () => {
    const comments = await r.h.desk.comments('1');
    return comments.length ? comments : undefined;
  }, 'a comment at the desk', 8_000);

  it('takes a PNG shared in a ticket thread to the desk with its name and bytes, once across redeliveries', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    const file = r.fake.addFile({ name: 'screenshot.png', mimetype: 'image/png', bytes: PNG });
    const msg = r.fake.addMessage({ text: '', thread_ts: cardTs, subtype: 'file_share' });
    const event = messageEvent({ text: '', subtype: 'file_share', ts: msg.ts, thread_ts: cardTs, files: [file] });
    await r.send.event(event);
    await r.send.event(event, 1);
    await r.send.event(messageEvent({ text: '', subtype: 'file_share', ts: msg.ts, thread_ts: cardTs, files: [file] }), 2);
    const [comment] = await deskComments(r);
    await new Promise((done) => setTimeout(done, 400));
    expect(await r.h.desk.comments('1')).toHaveLength(1);
    expect(comment?.files?.map((f) => [f.name, f.contentType, f.size])).toEqual([['screenshot.png', 'image/png', PNG.length]]);
    expect(await r.h.desk.file(comment!.files![0]!)).toEqual(PNG);
    const downloads = r.fake.callsTo('file.download');
    expect(downloads.length).toBeGreaterThan(0);
    expect(downloads.every((d) => d.token === SLACK_DEFAULTS.botToken)).toBe(true);
  });

  it('reads a file the event does not describe through files.info, with the text', async () => {
    const r = await rig();
    const cardTs = await openCard(r);
    const file = r.fake.addFile({ name: 'trace.log', mimetype: 'text/plain', bytes: Buffer.from('boom at 12:00\n') });
    const msg = r.fake.addMessage({ text: 'the log', thread_ts: cardTs });
    await r.send.event(messageEvent({ text: 'the log', subtype: 'file_share', ts: msg.ts, thread_ts: cardTs, files: [{ id: file.id, file_access: 'check_file_info' }] }));
    const [comment] = await deskComments(r);
    expect(comment?.text).toMatch(/^the log/);
    expect(comment?.files?.map((f) => f.name)).toEqual(['trace.log']);
    expect(r.fake.callsTo('files.info').map((c) => c.args.file)).toEqual([file.id]);
  });

  it('answers a file over MAX_ATTACHMENT_MB in the thread, and the text still goes', async () => {
    const r = await rig({ maxAttachmentMb: 1 });
    const cardTs = await openCard(r);
    const file = r.fake.addFile({ name: 'core.dump', mimetype: 'application/octet-stream', bytes: Buffer.alloc(1024 * 1024 + 1) });
    const msg = r.fake.addMessage({ text: 'crash', thread_ts: cardTs });
    await r.send.event(messageEvent({ text: 'crash', subtype: 'file_share', ts: msg.ts, thread_ts: cardTs, files: [file] }));
    const told = await r.fake.waitFor('chat.postEphemeral', (c) => /core\.dump is larger than the 1\.0 MB limit/.test(String(c.args.text)), 8_000);
    expect(told.args).toMatchObject({ thread_ts: cardTs, user: SLACK_DEFAULTS.userId });
    const [comment] = await deskComments(r);
    expect(comment?.text).toMatch(/^crash/);
    expect(comment?.files).toBeUndefined();
    expect(r.fake.callsTo('file.download')).toHaveLength(0);
  });

  it('never follows the sign-in redirect, and sends the token only to the file host', async () => {
    const r = await rig();
    const file = r.fake.addFile({ name: 'a.png', mimetype: 'image/png', bytes: PNG });
    const url = String(file.url_private_download);
    const rule = { hosts: ['127.0.0.1'], timeoutMs: 2_000, maxBytes: 1_000_000 };
    await expect(downloadFile(url, rule, 'image/png')).rejects.toThrow(/HTTP 302/);
    await expect(downloadFile(url, { ...rule, headers: { authorization: 'Bearer xoxb-wrong' } }, 'image/png')).rejects.toThrow(/HTTP 302/);
    await expect(downloadFile(`${r.fake.origin}/signin`, rule, 'image/png')).rejects.toThrow(/text\/html/);
    await expect(downloadFile(url.replace('127.0.0.1', 'localhost'), { ...rule, headers: { authorization: `Bearer ${SLACK_DEFAULTS.botToken}` } }, 'image/png')).rejects.toThrow(/not a file host/);
    expect(await downloadFile(url, { ...rule, headers: { authorization: `Bearer ${SLACK_DEFAULTS.botToken}` } }, 'image/png')).toEqual(PNG);
  });
});

describe('agent files into the Slack thread', () => {
  const rigs: Rig[] = [];
  afterEach(async () => {
    for (const r of rigs.splice(0)) await r.close();
  });

  it('uploads a file of an agent comment into the thread through the external upload, once', async () => {
    const r = await startRig();
    rigs.push(r);
    const cardTs = await openCard(r);
    await r.h.desk.replyWith('1', 'Here is the chart', [{ name: 'chart.png', contentType: 'image/png', bytes: PNG }]);
    const done = await r.fake.waitFor('files.completeUploadExternal', (c) => c.args.thread_ts === cardTs, 8_000);
    expect(done.args.channel_id).toBe(SLACK_DEFAULTS.channelId);
    const id = (done.args.files as { id: string }[])[0]!.id;
    expect(r.fake.file(id)).toMatchObject({ name: 'chart.png', shared: true, bytes: PNG });
    expect(r.fake.callsTo('files.getUploadURLExternal').map((c) => c.args)).toEqual([{ filename: 'chart.png', length: String(PNG.length) }]);
    const text = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === cardTs && /Here is the chart/.test(String(c.args.text)));
    expect(String(text.args.text)).not.toContain('chart.png'); // uploaded, so not also a link
    await new Promise((done) => setTimeout(done, 400));
    expect(r.fake.callsTo('files.completeUploadExternal')).toHaveLength(1);
  });
});
