import { afterEach, describe, expect, it } from 'vitest';
import { createProvider as createConsoleconnect } from '../../adapters/consoleconnect/index.js';
import { createProvider as createF5xc } from '../../adapters/f5xc/index.js';
import { createProvider as createSelectel } from '../../adapters/selectel/index.js';
import { createProvider as createSpacebring } from '../../adapters/spacebring/index.js';
import { createProvider as createVerifik } from '../../adapters/verifik/index.js';
import { startConsoleconnectFake } from '../../fakes/providers/consoleconnect.js';
import { startF5xcFake } from '../../fakes/providers/f5xc.js';
import { startSelectelFake } from '../../fakes/providers/selectel.js';
import { startSpacebringFake } from '../../fakes/providers/spacebring.js';
import type { FakeProviderServer } from '../../fakes/providers/types.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import type { IncomingFile } from '../../src/files.js';
import { silentLogger } from '../../src/logger.js';
import type { ProviderFactory } from '../../src/provider.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { startHarness, waitFor } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';
import { ada, FAST } from './rig.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(40, 9)]);
const LINK = 'https://acme.slack.com/files/U1/F1/screen.png';
const screen = (): IncomingFile => ({ name: 'screen.png', contentType: 'image/png', size: PNG.length, link: LINK, read: async () => PNG });

/** Opens a ticket through the whole core on `factory`, replies with a file, and returns what the vendor holds. */
async function replyWithFile(start: () => Promise<FakeProviderServer>, factory: ProviderFactory, env: Record<string, string> = {}) {
  const fake = await start();
  const http = createHttpClient(silentLogger, FAST);
  const h = await startHarness({ provider: (kv) => factory({ http, logger: silentLogger, kv, env: { ...fake.env, ...env } }) });
  cleanups.push(fake.close, () => http.close(), h.close);
  h.bridge.attach(new MemorySink());
  h.bridge.start();
  const snapshot = await h.service.open({ subject: 'Screen is blank', description: 'Since the update', category: undefined }, ada);
  const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
  const result = await h.service.reply({ thread: link.thread, text: 'see the screenshot', author: ada, eventKey: 'ev-file', files: [screen()] });
  const mine = await waitFor(() => fake.comments(link.ticketId).filter((c) => c.byCustomer && /see the screenshot/.test(c.text))[0], 'the comment at the vendor', 8_000);
  return { fake, result, mine, ticketId: link.ticketId };
}

const linkOnly: [string, () => Promise<FakeProviderServer>, ProviderFactory, Record<string, string>][] = [
  ['Selectel', startSelectelFake, createSelectel, {}],
  ['Spacebring', startSpacebringFake, createSpacebring, {}],
  ['Console Connect', startConsoleconnectFake, createConsoleconnect, {}],
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('files at each vendor', () => {
  it('F5: the bytes go base64 in attachments_info, with filename and content type', async () => {
    const { result, mine, fake } = await replyWithFile(startF5xcFake, createF5xc);
    expect(result?.notes).toEqual([]);
    expect(mine.files).toEqual([{ name: 'screen.png', contentType: 'image/png', bytes: PNG }]);
    expect(mine.text).not.toContain(LINK);
    const sent = fake.requests.find((r) => r.path.endsWith('/comment'))?.body as { attachments_info: unknown[] };
    expect(sent.attachments_info).toEqual([{ attachment: PNG.toString('base64'), filename: 'screen.png', content_type: 'image/png' }]);
  });

  it('Verifik: the chat link goes in attachments[{filename,url,size,type}], and the person hears it is a link', async () => {
    const { result, mine } = await replyWithFile(startVerifikFake, createVerifik);
    expect(mine.files).toEqual([{ name: 'screen.png', contentType: 'image/png', url: LINK }]);
    expect(mine.text).toContain(`📎 screen.png (48 B): ${LINK}`);
    expect(result?.notes).toEqual([{ kind: 'links_only', provider: 'Verifik' }]);
  });

  it.each(linkOnly)('%s: the comment names the file with its link', async (_name, start, factory, env) => {
    const { result, mine } = await replyWithFile(start, factory, env);
    expect(mine.text).toContain(`📎 screen.png (48 B): ${LINK}`);
    expect(result?.notes).toHaveLength(1);
  });
});

/** Opens a ticket through the whole core on `factory` with a file posted in the form. */
async function openWithFile(start: () => Promise<FakeProviderServer>, factory: ProviderFactory) {
  const fake = await start();
  const http = createHttpClient(silentLogger, FAST);
  const h = await startHarness({ provider: (kv) => factory({ http, logger: silentLogger, kv, env: fake.env }) });
  cleanups.push(fake.close, () => http.close(), h.close);
  h.bridge.attach(new MemorySink());
  h.bridge.start();
  const { link, notes } = await h.service.openInChat({ subject: 'Screen is blank', description: 'Since the update' }, ada, { place: 'mem:place', submission: 'form-file', files: [screen()] });
  return { fake, notes, ticketId: link.ticketId };
}

describe('files posted with the open form, at each vendor', () => {
  it('Verifik: the create call carries the chat link in attachments, and the description names it', async () => {
    const { fake, notes } = await openWithFile(startVerifikFake, createVerifik);
    const create = fake.requests.find((r) => r.method === 'POST' && r.path === '/v2/support-tickets')?.body as { description: string; attachments: unknown[] };
    expect(create.attachments).toEqual([{ filename: 'screen.png', url: LINK, size: PNG.length, type: 'image/png' }]);
    expect(create.description).toContain(`📎 screen.png (48 B): ${LINK}`);
    expect(notes).toEqual([{ kind: 'links_only', provider: 'Verifik' }]);
  });

  it('F5: the create call takes no files, so the bytes follow as the first comment', async () => {
    const { fake, notes, ticketId } = await openWithFile(startF5xcFake, createF5xc);
    const first = await waitFor(() => fake.comments(ticketId).find((c) => c.byCustomer && c.files?.length), 'the first comment at F5', 8_000);
    expect(first.files).toEqual([{ name: 'screen.png', contentType: 'image/png', bytes: PNG }]);
    expect(notes).toEqual([]);
  });

  it.each(linkOnly)('%s: the first comment names the file with its link', async (_name, start, factory) => {
    const { fake, notes, ticketId } = await openWithFile(start, factory);
    const first = await waitFor(() => fake.comments(ticketId).find((c) => c.byCustomer && c.text.includes(LINK)), 'the first comment', 8_000);
    expect(first.text).toContain(`📎 screen.png (48 B): ${LINK}`);
    expect(notes).toHaveLength(1);
  });
});

describe('the vendor fakes check attachment shapes', () => {
  const post = (url: string, auth: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('F5 refuses attachments_info that is not base64, lacks a filename or carries other fields', async () => {
    const fake = await startF5xcFake();
    const http = createHttpClient(silentLogger, FAST);
    cleanups.push(fake.close, () => http.close());
    const { createTicket } = createF5xc({ http, logger: silentLogger, kv: undefined as never, env: fake.env });
    const { ticket } = await createTicket({ subject: 'A', description: 'B' }, ada);
    const url = `${fake.env['F5XC_BASE_URL']}/api/web/namespaces/system/partner-management/customer_supports/${ticket.id}/comment`;
    const auth = `APIToken ${fake.env['F5XC_API_TOKEN']}`;
    const good = { attachment: PNG.toString('base64'), filename: 'a.png', content_type: 'image/png' };
    for (const bad of [{ ...good, attachment: 'not base64!' }, { ...good, filename: '' }, { ...good, content_type: 'png' }, { ...good, url: 'https://x' }]) {
      expect((await post(url, auth, { tp_id: ticket.id, comment: 'x', attachments_info: [bad] })).status).toBe(400);
    }
    expect((await post(url, auth, { tp_id: ticket.id, comment: 'x', attachments_info: [good] })).status).toBe(200);
  });

  it('Verifik refuses attachments without filename, url, size and type', async () => {
    const fake = await startVerifikFake();
    cleanups.push(fake.close);
    const auth = `Bearer ${fake.env['VERIFIK_TOKEN']}`;
    const base = `${fake.env['VERIFIK_BASE_URL']}/v2/support-tickets`;
    const created = (await (await post(base, auth, { title: 'A', description: 'B', priority: 'low', category: 'technical' })).json()) as { data: { _id: string } };
    const good = { filename: 'a.png', url: LINK, size: 48, type: 'image/png' };
    for (const bad of [{ ...good, url: 'not a url' }, { ...good, size: '48' }, { filename: 'a.png', url: LINK }, { ...good, key: 'k' }]) {
      expect((await post(`${base}/${created.data._id}/thread`, auth, { message: 'x', attachments: [bad] })).status).toBe(400);
    }
    expect((await post(`${base}/${created.data._id}/thread`, auth, { message: 'x', attachments: [good] })).status).toBe(200);
  });
});
