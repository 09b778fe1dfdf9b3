import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/domain.js';
import type { IncomingFile } from '../../src/files.js';
import { createProvider as createLocal } from '../../adapters/local/index.js';
import { silentLogger } from '../../src/logger.js';
import type { TicketProvider } from '../../src/provider.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(32, 7)]);
const form = { subject: 'Screen is blank', description: 'Since the update' };

/** The local desk on the harness's store and files directory, as a vendor whose create call takes no files. */
function deskWithoutCreateFiles(kv: Harness['kv'], env: Record<string, string>): TicketProvider {
  const { createFiles: _none, ...desk } = createLocal({ http: createHttpClient(silentLogger), logger: silentLogger, kv, env });
  return desk;
}

function offered(name: string, bytes: Buffer, size = bytes.length): IncomingFile & { reads: number } {
  const file = { name, contentType: 'image/png', size, link: `https://chat.example/files/${name}`, reads: 0, read: async () => (file.reads++, bytes) };
  return file;
}

describe('files posted with the open form', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(options: { provider?: (kv: Harness['kv'], env: Record<string, string>) => TicketProvider; maxAttachmentMb?: number } = {}) {
    const h = await startHarness({ ...(options.provider ? { provider: options.provider } : {}), ...(options.maxAttachmentMb ? { maxAttachmentMb: options.maxAttachmentMb } : {}) });
    cleanups.push(h.close);
    h.bridge.attach(new MemorySink());
    h.bridge.start();
    return h;
  }

  it('go with the create call where the vendor takes them: the desk keeps them with the description', async () => {
    const h = await setup();
    const { link, notes } = await h.service.openInChat(form, ada, { place: 'mem:place', submission: 'form-1', files: [offered('screen.png', PNG)] });
    expect(notes).toEqual([]);
    const ticket = await h.desk.ticket(link.ticketId);
    expect(ticket.files?.map((f) => [f.name, f.contentType, f.size])).toEqual([['screen.png', 'image/png', PNG.length]]);
    expect(await h.desk.file(ticket.files![0]!)).toEqual(PNG);
    await new Promise((r) => setTimeout(r, 300));
    expect(await h.desk.comments(link.ticketId)).toEqual([]);
  });

  it('leave out a file over MAX_ATTACHMENT_MB, unread, and the ticket still opens', async () => {
    const h = await setup({ maxAttachmentMb: 1 });
    const big = offered('dump.bin', PNG, 2 * 1024 * 1024);
    const { link, notes } = await h.service.openInChat(form, ada, { place: 'mem:place', submission: 'form-2', files: [big, offered('ok.png', PNG)] });
    expect(notes).toEqual([{ kind: 'too_large', file: 'dump.bin', limit: '1.0 MB' }]);
    expect(big.reads).toBe(0);
    expect((await h.desk.ticket(link.ticketId)).files?.map((f) => f.name)).toEqual(['ok.png']);
  });

  it('follow as the first comment, once, where the create call takes none', async () => {
    const h = await setup({ provider: deskWithoutCreateFiles });
    const { link, notes } = await h.service.openInChat(form, ada, { place: 'mem:place', submission: 'form-3', files: [offered('screen.png', PNG)] });
    expect(notes).toEqual([]);
    const [comment] = await waitFor(async () => ((await h.desk.comments(link.ticketId)).length ? h.desk.comments(link.ticketId) : undefined), 'the first comment');
    expect(comment?.text).toMatch(/^Files sent with the ticket from chat\.\n\n— Ada \(via chat\)$/);
    expect(comment?.files?.map((f) => f.name)).toEqual(['screen.png']);
    expect(await h.desk.file(comment!.files![0]!)).toEqual(PNG);
    expect((await h.desk.ticket(link.ticketId)).files).toBeUndefined();

    // The reconciliation finishing the same opening again (racing the create's answer) queues no second comment.
    const again = { submission: 'form-3', marker: 'm', input: form, requester: ada, place: 'mem:place', startedAt: Date.now(), files: [{ name: 'screen.png', contentType: 'image/png', size: PNG.length, blob: 'blob:x' }] };
    await h.service.finishOpening(again, await h.bridge.options.provider.getTicket(link.ticketId));
    await new Promise((r) => setTimeout(r, 400));
    expect(await h.desk.comments(link.ticketId)).toHaveLength(1);
  });

  it('follow as links where the vendor takes no files, and the person hears it once', async () => {
    const links = (kv: Harness['kv'], env: Record<string, string>): TicketProvider => ({ ...deskWithoutCreateFiles(kv, env), attachments: 'links' });
    const h = await setup({ provider: links });
    const { link, notes } = await h.service.openInChat(form, ada, { place: 'mem:place', submission: 'form-4', files: [offered('a.png', PNG)] });
    expect(notes).toEqual([{ kind: 'links_only', provider: 'Local desk' }]);
    const [comment] = await waitFor(async () => ((await h.desk.comments(link.ticketId)).length ? h.desk.comments(link.ticketId) : undefined), 'the first comment');
    expect(comment?.text).toContain(`📎 a.png (${PNG.length} B): https://chat.example/files/a.png`);
    expect(comment?.files).toBeUndefined();
    const later = await h.service.reply({ thread: '', ticketId: link.ticketId, text: 'and b', author: ada, eventKey: 'ev-b', files: [offered('b.png', PNG)] });
    expect(later?.notes).toEqual([]);
  });
});
