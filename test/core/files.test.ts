import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/domain.js';
import type { IncomingFile } from '../../src/files.js';
import type { TicketProvider } from '../../src/provider.js';
import { localProvider } from '../bots/slack/rig.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

function offered(name: string, bytes: Buffer, extra: Partial<IncomingFile> = {}): IncomingFile & { reads: number } {
  const file: IncomingFile & { reads: number } = {
    name,
    contentType: 'image/png',
    size: bytes.length,
    link: `https://chat.example/files/${name}`,
    reads: 0,
    read: async () => {
      file.reads++;
      return bytes;
    },
    ...extra,
  };
  return file;
}

describe('files from chat to the provider', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(options: { provider?: (h: Harness['kv']) => TicketProvider; maxAttachmentMb?: number } = {}) {
    const h = await startHarness({ ...(options.provider ? { provider: options.provider } : {}), ...(options.maxAttachmentMb ? { maxAttachmentMb: options.maxAttachmentMb } : {}) });
    cleanups.push(h.close);
    const sink = new MemorySink();
    h.bridge.attach(sink);
    h.bridge.start();
    const snapshot = await h.service.open({ subject: 'Screen', description: 'Looks wrong' }, ada);
    const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
    return { h, thread: link.thread, ticketId: link.ticketId };
  }

  it('keeps the bytes and name at the desk, once per event, and a file alone still goes', async () => {
    const { h, thread } = await setup();
    const file = offered('screen.png', PNG);
    const first = await h.service.reply({ thread, text: '', author: ada, eventKey: 'ev-1', files: [file] });
    expect(first).toMatchObject({ queued: true, notes: [] });
    const again = await h.service.reply({ thread, text: '', author: ada, eventKey: 'ev-1', files: [file] });
    expect(again?.queued).toBe(false);
    const [comment] = await waitFor(async () => ((await h.desk.comments('1')).length ? h.desk.comments('1') : undefined), 'the comment');
    await new Promise((r) => setTimeout(r, 200));
    expect(await h.desk.comments('1')).toHaveLength(1);
    expect(comment?.text).toMatch(/^\(screen\.png\)/);
    expect(comment?.files?.map((f) => f.name)).toEqual(['screen.png']);
    expect(await h.desk.file(comment!.files![0]!)).toEqual(PNG);
  });

  it('leaves out a file over MAX_ATTACHMENT_MB without downloading it, and the text still goes', async () => {
    const { h, thread } = await setup({ maxAttachmentMb: 1 });
    const big = offered('dump.bin', PNG, { size: 2 * 1024 * 1024 });
    const result = await h.service.reply({ thread, text: 'see the dump', author: ada, eventKey: 'ev-2', files: [big] });
    expect(result?.notes).toEqual([{ kind: 'too_large', file: 'dump.bin', limit: '1.0 MB' }]);
    expect(big.reads).toBe(0);
    const [comment] = await waitFor(async () => ((await h.desk.comments('1')).length ? h.desk.comments('1') : undefined), 'the comment');
    expect(comment?.text).toMatch(/^see the dump/);
    expect(comment?.files).toBeUndefined();
  });

  it('says which file could not be downloaded', async () => {
    const { h, thread } = await setup();
    const broken = offered('log.txt', PNG, { read: () => Promise.reject(new Error('login page')) });
    const result = await h.service.reply({ thread, text: 'and a log', author: ada, eventKey: 'ev-3', files: [broken] });
    expect(result?.notes).toEqual([{ kind: 'not_downloaded', file: 'log.txt' }]);
  });

  it('names each file with its link where the vendor takes no files, and tells the thread once', async () => {
    const links = (kv: Harness['kv']): TicketProvider => ({ ...localProvider(kv), attachments: 'links' });
    const { h, thread } = await setup({ provider: links });
    const one = await h.service.reply({ thread, text: 'first', author: ada, eventKey: 'ev-4', files: [offered('a.png', PNG)] });
    const two = await h.service.reply({ thread, text: 'second', author: ada, eventKey: 'ev-5', files: [offered('b.png', PNG)] });
    expect(one?.notes).toEqual([{ kind: 'links_only', provider: 'Local desk' }]);
    expect(two?.notes).toEqual([]);
    const comments = await waitFor(async () => ((await h.desk.comments('1')).length === 2 ? h.desk.comments('1') : undefined), 'the comments');
    expect(comments[0]?.text).toContain('📎 a.png (16 B): https://chat.example/files/a.png');
    expect(comments[0]?.files).toBeUndefined();
  });
});
