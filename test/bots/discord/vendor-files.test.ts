import { afterEach, describe, expect, it } from 'vitest';
// The provider side first, as main.ts loads it: its undici becomes the global dispatcher, which is
// what broke discord.js uploads (see bots/discord/multipart.ts).
import { Agent, getGlobalDispatcher } from 'undici';
import { createProvider as createF5xc } from '../../../adapters/f5xc/index.js';
import { createProvider as createSpacebring } from '../../../adapters/spacebring/index.js';
import { startF5xcFake } from '../../../fakes/providers/f5xc.js';
import { startSpacebringFake } from '../../../fakes/providers/spacebring.js';
import type { FakeProviderServer } from '../../../fakes/providers/types.js';
import { silentLogger } from '../../../src/logger.js';
import type { ProviderFactory } from '../../../src/provider.js';
import { createHttpClient } from '../../../src/provider-kit/http.js';
import { FAST } from '../../adapters/rig.js';
import { morePolls, waitFor } from '../../support/harness.js';
import { openThroughDiscord, useStacks, type Stack } from './stack.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 13)]);

describe('vendor agent files into the Discord thread', () => {
  const stack = useStacks();
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** The bridge on a vendor's fake, discord.js and the fake Discord; a ticket opened through the modal. */
  async function vendorStack<F extends FakeProviderServer>(start: () => Promise<F>, factory: ProviderFactory) {
    const vendor = await start();
    const http = createHttpClient(silentLogger, FAST);
    cleanups.push(vendor.close, () => http.close());
    const s = await stack({ provider: (kv) => factory({ http, logger: silentLogger, kv, env: vendor.env }) });
    const { ticketId, threadId } = await openThroughDiscord(s);
    return { s, vendor, ticketId, threadId };
  }

  const uploadsIn = (s: Stack, threadId: string) => s.fake.messages(threadId).filter((m) => ((m['attachments'] as unknown[]) ?? []).length > 0);
  const multipartPosts = (s: Stack) => s.fake.calls.filter((c) => c.method === 'POST' && c.files.length > 0);

  /** Waits for `cycles` more reads of the vendor at `path`: a repeated post would have happened by then. */
  it("runs with the provider client's undici as the global dispatcher, as in the bridge", () => {
    expect(getGlobalDispatcher()).toBeInstanceOf(Agent);
  });

  it('F5: the file of an agent comment is a multipart attachment, posted once', async () => {
    const { s, vendor, ticketId, threadId } = await vendorStack(startF5xcFake, createF5xc);
    vendor.addAgentComment(ticketId, 'Here is the latency chart', 'Grace Support', [{ name: 'latency.png', contentType: 'image/png', bytes: PNG }]);
    const [posted] = await waitFor(() => (uploadsIn(s, threadId).length ? uploadsIn(s, threadId) : undefined), 'the upload', 8_000);
    const [attachment] = posted!['attachments'] as { filename: string; url: string }[];
    expect(attachment?.filename).toBe('latency.png');
    expect(s.fake.attachmentBytes(attachment!.url)).toEqual(PNG);
    expect(multipartPosts(s).map((c) => c.files.map((f) => [f.name, f.size]))).toEqual([[['latency.png', PNG.length]]]);
    const texts = () => s.fake.messages(threadId).filter((m) => /latency chart/.test(String(m['content'])));
    await waitFor(() => texts().length === 1, 'the text', 8_000);
    expect(String(texts()[0]!['content'])).not.toContain('latency.png');

    await morePolls(vendor, /customer_supports$/);
    expect(multipartPosts(s)).toHaveLength(1);
    expect(texts()).toHaveLength(1);
  });

  it('Spacebring: the file of an agent activity is downloaded from its URL and posted as a multipart attachment, once', async () => {
    const { s, vendor, ticketId, threadId } = await vendorStack(startSpacebringFake, createSpacebring);
    vendor.addAgentComment(ticketId, 'The floor plan', 'Grace Hopper', [{ name: 'floor.png', contentType: 'image/png', bytes: PNG }]);
    const [posted] = await waitFor(() => (uploadsIn(s, threadId).length ? uploadsIn(s, threadId) : undefined), 'the upload', 8_000);
    const [attachment] = posted!['attachments'] as { filename: string; url: string }[];
    expect(attachment?.filename).toBe('floor.png');
    expect(s.fake.attachmentBytes(attachment!.url)).toEqual(PNG);
    await waitFor(() => s.fake.messages(threadId).some((m) => /The floor plan/.test(String(m['content']))), 'the text', 8_000);

    await morePolls(vendor, /^\/support\/tickets\/v1$/);
    expect(multipartPosts(s)).toHaveLength(1);
    expect(vendor.requests.filter((r) => r.path.startsWith('/files/'))).toHaveLength(1);
  });

  it("Spacebring: a file over Discord's limit is a line with its name, size and link, never downloaded", async () => {
    const { s, vendor, ticketId, threadId } = await vendorStack(startSpacebringFake, createSpacebring);
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 1);
    vendor.addAgentComment(ticketId, 'The site survey', 'Grace Hopper', [{ name: 'survey.mp4', contentType: 'video/mp4', bytes: big }]);
    const url = vendor.comments(ticketId).at(-1)!.files![0]!.url!;
    const post = await waitFor(() => s.fake.messages(threadId).find((m) => /The site survey/.test(String(m['content']))), 'the post', 8_000);
    expect(String(post['content'])).toContain(`📎 survey.mp4 (10.0 MB): ${url}`);
    expect(multipartPosts(s)).toEqual([]);
    expect(vendor.requests.filter((r) => r.path.startsWith('/files/'))).toEqual([]);
  });
});
