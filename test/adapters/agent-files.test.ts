import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProvider as createConsoleconnect } from '../../adapters/consoleconnect/index.js';
import { createProvider as createF5xc } from '../../adapters/f5xc/index.js';
import { createProvider as createSelectel } from '../../adapters/selectel/index.js';
import { createProvider as createSpacebring } from '../../adapters/spacebring/index.js';
import { createProvider as createVerifik } from '../../adapters/verifik/index.js';
import { startConsoleconnectFake } from '../../fakes/providers/consoleconnect.js';
import { startF5xcFake } from '../../fakes/providers/f5xc.js';
import { startSelectelFake } from '../../fakes/providers/selectel.js';
import { startSpacebringFake } from '../../fakes/providers/spacebring.js';
import type { AgentFile, FakeProviderServer } from '../../fakes/providers/types.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { DownloadError, FileTooLarge } from '../../src/download.js';
import type { Logger } from '../../src/logger.js';
import type { ProviderFactory, TicketProvider } from '../../src/provider.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { openStore, type KeyValueStore } from '../../src/store/index.js';
import { ada, FAST } from './rig.js';

// A PNG signature and an IHDR chunk for a 2 × 3 image, then filler.
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d494844520000000200000003', 'hex'), Buffer.alloc(32, 5)]);
const chart: AgentFile = { name: 'chart.png', contentType: 'image/png', bytes: PNG };
const log: AgentFile = { name: 'trace.log', contentType: 'text/plain', bytes: Buffer.from('boom at 12:00\n') };

const http = createHttpClient({ debug() {}, info() {}, warn() {}, error() {} }, FAST);
let kv: KeyValueStore;
const fakes: FakeProviderServer[] = [];
const warnings: { msg: string; fields: Record<string, unknown> | undefined }[] = [];
const logger: Logger = { debug() {}, info() {}, warn: (msg, fields) => void warnings.push({ msg, fields }), error() {} };

beforeAll(async () => {
  kv = await openStore('sqlite://:memory:');
});
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
  warnings.length = 0;
});
afterAll(async () => {
  await kv.close();
  await http.close();
});

async function setup<F extends FakeProviderServer>(start: () => Promise<F>, factory: ProviderFactory, env: Record<string, string> = {}) {
  const fake = await start();
  fakes.push(fake);
  const provider: TicketProvider = factory({ http, logger, kv, env: { ...fake.env, ...env } });
  const { ticket } = await provider.createTicket({ subject: 'Printer', description: 'It is on fire' }, ada);
  return { fake, provider, ticketId: ticket.id };
}

describe('F5: attachments_info of agent comments', () => {
  it('become files of the comment, with bytes readable by ref, and the fake holds them as the seed shows', async () => {
    const { fake, provider, ticketId } = await setup(startF5xcFake, createF5xc);
    const id = fake.addAgentComment(ticketId, 'The chart and the log', 'Grace Support', [chart, log]);
    const spec = fake.ticket(ticketId)!.spec as { comments: Record<string, unknown>[] };
    const held = spec.comments.find((c) => c.comment_id === id)!;
    expect(held.attachments_info).toEqual([
      { attachment: PNG.toString('base64'), content_type: 'image/png', filename: 'chart.png', tp_id: `${id}-0` },
      { attachment: log.bytes.toString('base64'), content_type: 'text/plain', filename: 'trace.log', tp_id: `${id}-1` },
    ]);
    expect(held.attachment_ids).toEqual([`${id}-0`, `${id}-1`]);

    const comment = (await provider.getTicket(ticketId)).comments.find((c) => c.id === id)!;
    expect(comment).toMatchObject({ origin: 'agent', text: 'The chart and the log' });
    expect(comment.files?.map(({ ref: _ref, ...f }) => f)).toEqual([
      { name: 'chart.png', contentType: 'image/png', size: PNG.length },
      { name: 'trace.log', contentType: 'text/plain', size: log.bytes.length },
    ]);
    expect(await provider.readAttachment!(ticketId, comment.files![0]!.ref!, 1_000_000)).toEqual(PNG);
    expect(await provider.readAttachment!(ticketId, comment.files![1]!.ref!, 1_000_000)).toEqual(log.bytes);
    await expect(provider.readAttachment!(ticketId, 'f'.repeat(64), 1_000_000)).rejects.toMatchObject({ kind: 'not_found' });
    expect(warnings).toEqual([]);
  });

  it('reads a 5 MB file (its base64 check used to overflow the stack from about 3 MB)', async () => {
    const { fake, provider, ticketId } = await setup(startF5xcFake, createF5xc);
    const big: AgentFile = { name: 'dump.bin', contentType: 'application/octet-stream', bytes: Buffer.alloc(5 * 1024 * 1024, 7) };
    const id = fake.addAgentComment(ticketId, 'The dump', 'Grace Support', [big]);
    const comment = (await provider.getTicket(ticketId)).comments.find((c) => c.id === id)!;
    expect(comment.files?.map(({ ref: _ref, ...f }) => f)).toEqual([{ name: 'dump.bin', contentType: 'application/octet-stream', size: big.bytes.length }]);
    expect((await provider.readAttachment!(ticketId, comment.files![0]!.ref!, 10 * 1024 * 1024)).equals(big.bytes)).toBe(true);
  });

  it('costs a malformed entry that file alone: the text and the other files stay, and the log says which', async () => {
    const { fake, provider, ticketId } = await setup(startF5xcFake, createF5xc);
    const id = fake.addAgentComment(ticketId, 'Three files', 'Grace Support', [chart]);
    const wire = fake.ticket(ticketId)!;
    const spec = wire.spec as { comments: Record<string, unknown>[] };
    const held = spec.comments.find((c) => c.comment_id === id)!;
    held.attachments_info = [
      42,
      { filename: 'notes.txt', content_type: 'text/plain', attachment: 'not base64!' },
      { filename: 'kept-elsewhere.pdf', content_type: 'application/pdf', tp_id: 'zendesk-77' },
      ...(held.attachments_info as unknown[]),
      { filename: 7 },
    ];
    spec.comments.push({ ...held, comment_id: `${id}-ids`, plain_text: 'Ids only', html: '<p>Ids only</p>', attachments_info: [], attachment_ids: ['zendesk-78'] });
    fake.failNext(1, { status: 200, body: wire }, /\/customer_supports\/\d+$/);

    const { comments } = await provider.getTicket(ticketId);
    const three = comments.find((c) => c.id === id)!;
    expect(three.text).toBe('Three files');
    expect(three.files?.map((f) => [f.name, f.contentType, f.size, f.ref !== undefined])).toEqual([
      ['notes.txt', 'text/plain', undefined, false],
      ['kept-elsewhere.pdf', 'application/pdf', undefined, false],
      ['chart.png', 'image/png', PNG.length, true],
    ]);
    expect(comments.find((c) => c.id === `${id}-ids`)?.files).toEqual([{ name: 'attachment zendesk-78', contentType: 'application/octet-stream' }]);
    expect(warnings.map((w) => [w.msg, w.fields?.['index'], w.fields?.['commentId'], w.fields?.['ticketId']])).toEqual([
      ['F5 comment attachment unreadable', 0, id, ticketId],
      ['F5 comment attachment unreadable', 1, id, ticketId],
      ['F5 comment attachment unreadable', 4, id, ticketId],
    ]);
    expect(JSON.stringify(warnings)).not.toContain(PNG.toString('base64'));
  });
});

describe('Spacebring: data.attachments of agent activities', () => {
  it('become files with their URL, size and type, downloaded by key without the API credentials; the text has no links', async () => {
    const { fake, provider, ticketId } = await setup(startSpacebringFake, createSpacebring);
    const id = fake.addAgentComment(ticketId, 'See the chart', 'Grace Hopper', [chart, log]);
    const activity = (fake.ticket(ticketId)!.activities as { id: string; data: { attachments: Record<string, unknown>[] } }[]).find((a) => a.id === id)!;
    const [png, txt] = activity.data.attachments;
    // The seed's attachment object: key, mime, name, size, url, and height and width for an image.
    expect(Object.keys(png!).sort()).toEqual(['height', 'key', 'mime', 'name', 'size', 'url', 'width']);
    expect(png).toMatchObject({ mime: 'image/png', name: 'chart.png', size: PNG.length, width: 2, height: 3 });
    expect(Object.keys(txt!).sort()).toEqual(['key', 'mime', 'name', 'size', 'url']);

    const comment = (await provider.getTicket(ticketId)).comments.find((c) => c.id === id)!;
    expect(comment.text).toBe('See the chart');
    expect(comment.files).toEqual([
      { name: 'chart.png', contentType: 'image/png', size: PNG.length, url: png!.url, ref: png!.key },
      { name: 'trace.log', contentType: 'text/plain', size: log.bytes.length, url: txt!.url, ref: txt!.key },
    ]);
    // What an earlier release relayed for it, so that post is not taken for an edit.
    expect(comment.formerTexts).toEqual([`See the chart\n\n[chart.png](${String(png!.url)})\n\n[trace.log](${String(txt!.url)})`]);

    expect(await provider.readAttachment!(ticketId, String(png!.key), 1_000_000)).toEqual(PNG);
    const download = fake.requests.findLast((r) => r.path.startsWith('/files/'))!;
    expect(download.headers['authorization']).toBeUndefined();
    expect(download.headers['spacebring-network-id']).toBeUndefined();
    await expect(provider.readAttachment!(ticketId, String(png!.key), 10)).rejects.toBeInstanceOf(FileTooLarge);
    await expect(provider.readAttachment!(ticketId, 'support/none', 1_000)).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('keeps a comment of files alone, links a file off the allowed hosts without a ref, and skips a malformed entry with a log', async () => {
    const { fake, provider, ticketId } = await setup(startSpacebringFake, createSpacebring, { SPACEBRING_FILE_HOSTS: 'files.spacebring.example' });
    const id = fake.addAgentComment(ticketId, '', 'Grace Hopper', [chart]);
    const answer = fake.ticket(ticketId)!;
    const activity = (answer.activities as { id: string; data: { attachments: unknown[] } }[]).find((a) => a.id === id)!;
    const url = (activity.data.attachments[0] as { url: string }).url;
    activity.data.attachments.push('not an object', { key: 'k-2', name: 'floor-plan.pdf', size: 2048 });
    const { activities, ...ticket } = answer;
    fake.failNext(1, { status: 200, body: { ticket, activities } }, /^\/support\/tickets\/v1\/[^/]+$/);

    const comment = (await provider.getTicket(ticketId)).comments.find((c) => c.id === id)!;
    expect(comment).toMatchObject({ origin: 'agent', text: '' });
    expect(comment.files).toEqual([
      { name: 'chart.png', contentType: 'image/png', size: PNG.length, url },
      { name: 'floor-plan.pdf', contentType: 'application/octet-stream', size: 2048 },
    ]);
    expect(warnings.map((w) => [w.msg, w.fields?.['activityId'], w.fields?.['index']])).toEqual([['Spacebring activity attachment unreadable', id, 1]]);
  });

  it('refuses to download from a host that is not a file host of the bot', async () => {
    const { fake, provider, ticketId } = await setup(startSpacebringFake, createSpacebring, { SPACEBRING_FILE_HOSTS: 'files.spacebring.example' });
    const id = fake.addAgentComment(ticketId, 'See the chart', 'Grace Hopper', [chart]);
    const key = ((fake.ticket(ticketId)!.activities as { id: string; data: { attachments: { key: string }[] } }[]).find((a) => a.id === id)!.data.attachments[0]!).key;
    const before = fake.requests.filter((r) => r.path.startsWith('/files/')).length;
    await expect(provider.readAttachment!(ticketId, key, 1_000_000)).rejects.toBeInstanceOf(DownloadError);
    expect(fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(before);
  });
});

describe('Selectel: files of agent comments', () => {
  it('are named by their UUIDs, the only thing the seed gives, with nothing to download', async () => {
    const { fake, provider, ticketId } = await setup(startSelectelFake, createSelectel);
    const id = fake.addAgentComment(ticketId, 'Logs attached', 'Selectel Support', [log]);
    const held = (fake.ticket(ticketId)!.comments as { id: number; files: string[] }[]).find((c) => String(c.id) === id)!;
    expect(held.files).toEqual([expect.stringMatching(/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/)]);
    const comment = (await provider.getTicket(ticketId)).comments.find((c) => c.id === id)!;
    expect(comment.text).toBe('Logs attached');
    expect(comment.files).toEqual([{ name: `file ${held.files[0]}`, contentType: 'application/octet-stream' }]);
    expect(provider.readAttachment).toBeUndefined();
  });
});

describe('fakes of vendors whose replies carry no files', () => {
  it.each([
    ['Verifik', startVerifikFake, createVerifik],
    ['Console Connect', startConsoleconnectFake, createConsoleconnect],
  ] as const)('%s: the fake refuses an agent reply with files, as the seed has no place for them', async (_name, start, factory) => {
    const { fake, ticketId } = await setup(start, factory);
    expect(() => fake.addAgentComment(ticketId, 'see attached', undefined, [log])).toThrow(/carry no files/);
  });
});
