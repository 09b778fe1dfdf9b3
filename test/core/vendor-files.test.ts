import { afterEach, describe, expect, it } from 'vitest';
import { createProvider as createF5xc } from '../../adapters/f5xc/index.js';
import { createProvider as createLocal } from '../../adapters/local/index.js';
import { createProvider as createSelectel } from '../../adapters/selectel/index.js';
import { createProvider as createSpacebring } from '../../adapters/spacebring/index.js';
import { startF5xcFake } from '../../fakes/providers/f5xc.js';
import { startSelectelFake } from '../../fakes/providers/selectel.js';
import { startSpacebringFake } from '../../fakes/providers/spacebring.js';
import type { AgentFile, FakeProviderServer } from '../../fakes/providers/types.js';
import type { Requester } from '../../src/domain.js';
import { ProviderError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { commentFingerprint, type ProviderFactory } from '../../src/provider.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { FAST } from '../adapters/rig.js';
import { morePolls, startHarness, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(40, 1)]);
const chart: AgentFile = { name: 'chart.png', contentType: 'image/png', bytes: PNG };

describe('agent files from the vendors into the thread', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** The whole core on a vendor's fake, a ticket opened and linked; the bridge starts when `run` is called. */
  async function setup<F extends FakeProviderServer>(start: () => Promise<F>, factory: ProviderFactory, maxUploadBytes = 1024 * 1024) {
    const fake = await start();
    const http = createHttpClient(silentLogger, FAST);
    const h = await startHarness({ provider: (kv) => factory({ http, logger: silentLogger, kv, env: fake.env }), pollIntervalMs: 150 });
    cleanups.push(fake.close, () => http.close(), h.close);
    const sink = new MemorySink({ maxUploadBytes });
    h.bridge.attach(sink);
    const snapshot = await h.service.open({ subject: 'Printer', description: 'It is on fire' }, ada);
    const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
    return { fake, h, sink, ticketId: link.ticketId, run: () => h.bridge.start() };
  }

  const commentPosts = (sink: MemorySink) => sink.posts.filter((p) => p.message.kind === 'comment');
  const textOf = (post: MemorySink['posts'][number]) => (post.message.kind === 'comment' ? post.message.text : '');

  /** Waits until the relay has read the vendor `cycles` more times (list or ticket reads), so a repeat would have shown. */
  it('F5: a file of an agent comment goes as an upload with its post, once across poll cycles', async () => {
    const { fake, sink, ticketId, run } = await setup(startF5xcFake, createF5xc);
    run();
    fake.addAgentComment(ticketId, 'Here is the chart', 'Grace Support', [chart]);
    const [post] = await waitFor(() => (commentPosts(sink).length ? commentPosts(sink) : undefined), 'the post', 8_000);
    expect(textOf(post!)).toBe('Here is the chart');
    expect(post!.uploads).toEqual([{ name: 'chart.png', contentType: 'image/png', bytes: PNG }]);
    await morePolls(fake, /customer_supports$/);
    expect(commentPosts(sink)).toHaveLength(1);
  });

  it('F5: a file over the platform limit is a line with its name and size, and the text still goes', async () => {
    const { fake, sink, ticketId, run } = await setup(startF5xcFake, createF5xc, 1024);
    run();
    fake.addAgentComment(ticketId, 'The dump', 'Grace Support', [{ name: 'core.dump', contentType: 'application/octet-stream', bytes: Buffer.alloc(4096, 1) }, chart]);
    const [post] = await waitFor(() => (commentPosts(sink).length ? commentPosts(sink) : undefined), 'the post', 8_000);
    expect(textOf(post!)).toBe('The dump\n\n📎 core.dump (4.0 KB) (not shown here: ask support for it)');
    expect(post!.uploads.map((u) => u.name)).toEqual(['chart.png']);
  });

  it('Spacebring: a file is downloaded from its URL and goes as an upload, once', async () => {
    const { fake, sink, ticketId, run } = await setup(startSpacebringFake, createSpacebring);
    run();
    fake.addAgentComment(ticketId, 'The floor plan', 'Grace Hopper', [chart]);
    const [post] = await waitFor(() => (commentPosts(sink).length ? commentPosts(sink) : undefined), 'the post', 8_000);
    expect(textOf(post!)).toBe('The floor plan');
    expect(post!.uploads).toEqual([{ name: 'chart.png', contentType: 'image/png', bytes: PNG }]);
    await morePolls(fake, /^\/support\/tickets\/v1$/);
    expect(commentPosts(sink)).toHaveLength(1);
    expect(fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(1);
  });

  it('Spacebring: a file that cannot be downloaded is posted as its name, size and link, and the text goes', async () => {
    const { fake, sink, ticketId, run } = await setup(startSpacebringFake, createSpacebring);
    fake.failNext(1, { status: 403, body: '<Error>AccessDenied</Error>', headers: { 'content-type': 'application/xml' } }, /^\/files\//);
    run();
    fake.addAgentComment(ticketId, 'The floor plan', 'Grace Hopper', [chart]);
    const [post] = await waitFor(() => (commentPosts(sink).length ? commentPosts(sink) : undefined), 'the post', 8_000);
    const url = fake.comments(ticketId).at(-1)!.files![0]!.url!;
    expect(textOf(post!)).toBe(`The floor plan\n\n📎 chart.png (56 B): ${url}`);
    expect(post!.uploads).toEqual([]);
  });

  it('Spacebring: a file host that fails for a moment delays the post, which then carries the upload', async () => {
    const { fake, sink, ticketId, run } = await setup(startSpacebringFake, createSpacebring);
    fake.failNext(1, { status: 503, body: 'busy', headers: { 'content-type': 'text/plain' } }, /^\/files\//);
    run();
    fake.addAgentComment(ticketId, 'The floor plan', 'Grace Hopper', [chart]);
    const [post] = await waitFor(() => (commentPosts(sink).length ? commentPosts(sink) : undefined), 'the post', 8_000);
    expect(textOf(post!)).toBe('The floor plan');
    expect(post!.uploads).toEqual([{ name: 'chart.png', contentType: 'image/png', bytes: PNG }]);
    expect(fake.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(2);
  });

  it('Spacebring: a comment an earlier release relayed with its links in the text is not taken for an edit', async () => {
    const { fake, h, sink, ticketId, run } = await setup(startSpacebringFake, createSpacebring);
    const id = fake.addAgentComment(ticketId, 'The floor plan', 'Grace Hopper', [chart])!;
    const url = fake.comments(ticketId).at(-1)!.files![0]!.url!;
    // What the earlier release left in the store: the comment seen, its post's text fingerprinted.
    await h.bridge.links.markSeen(ticketId, id);
    await h.bridge.links.setPostedTexts(ticketId, { [id]: commentFingerprint(ticketId, `The floor plan\n\n[chart.png](${url})`) });
    run();
    await waitFor(async () => (await h.bridge.links.postedTexts(ticketId))[id] === commentFingerprint(ticketId, 'The floor plan'), 'the record moved on', 8_000);
    await morePolls(fake, /^\/support\/tickets\/v1$/);
    expect(sink.edits).toEqual([]);
    expect(commentPosts(sink)).toEqual([]);
  });

  it('Selectel: files known only by their ids are named in the post', async () => {
    const { fake, sink, ticketId, run } = await setup(startSelectelFake, createSelectel);
    run();
    fake.addAgentComment(ticketId, 'Logs attached', 'Selectel Support', [chart]);
    const [post] = await waitFor(() => (commentPosts(sink).length ? commentPosts(sink) : undefined), 'the post', 8_000);
    const [uuid] = (fake.ticket(ticketId)!.comments as { files: string[] }[]).at(-1)!.files;
    expect(textOf(post!)).toBe(`Logs attached\n\n📎 file ${uuid} (not shown here: ask support for it)`);
    expect(post!.uploads).toEqual([]);
  });
});

describe("an agent's edit of a comment with files", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
  });

  it('keeps the lines of the files that were not uploads', async () => {
    h = await startHarness();
    const sink = new MemorySink(); // takes no uploads: every file is a line
    h.bridge.attach(sink);
    h.bridge.start();
    const snapshot = await h.service.open({ subject: 'Printer', description: 'It is on fire' }, ada);
    const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
    await h.desk.replyWith(link.ticketId, 'The chart', [{ name: 'chart.png', contentType: 'image/png', bytes: PNG }]);
    await waitFor(() => sink.posts.some((p) => p.message.kind === 'comment'), 'the post');
    await h.desk.editLast(link.ticketId, 'The chart, corrected');
    const edit = await waitFor(() => sink.edits[0], 'the edit');
    expect(edit.message.kind === 'comment' && edit.message.text).toBe('The chart, corrected\n\n📎 chart.png (56 B) (not shown here: ask support for it)');
  });

  it('keeps the line of a file that could not be read when it was posted, where uploads are taken', async () => {
    // The desk hands out no file: the post carries a line for it although the platform takes uploads.
    h = await startHarness({
      provider: (kv, env) => ({
        ...createLocal({ http: createHttpClient(silentLogger), logger: silentLogger, kv, env }),
        readAttachment: async () => {
          throw new ProviderError({ provider: 'local', method: 'GET', path: '/files', kind: 'not_found' });
        },
      }),
    });
    const sink = new MemorySink({ maxUploadBytes: 1024 * 1024 });
    h.bridge.attach(sink);
    h.bridge.start();
    const snapshot = await h.service.open({ subject: 'Printer', description: 'It is on fire' }, ada);
    const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
    await h.desk.replyWith(link.ticketId, 'The chart', [{ name: 'chart.png', contentType: 'image/png', bytes: PNG }]);
    const post = await waitFor(() => sink.posts.find((p) => p.message.kind === 'comment'), 'the post');
    expect(post.uploads).toEqual([]);
    await h.desk.editLast(link.ticketId, 'The chart, corrected');
    const edit = await waitFor(() => sink.edits[0], 'the edit');
    expect(edit.message.kind === 'comment' && edit.message.text).toBe('The chart, corrected\n\n📎 chart.png (56 B) (not shown here: ask support for it)');
  });
});
