import { afterEach, describe, expect, it } from 'vitest';
import { createProvider as createF5xc } from '../../../adapters/f5xc/index.js';
import { SLACK_DEFAULTS } from '../../../fakes/slack/index.js';
import { startF5xcFake, type F5xcFakeServer } from '../../../fakes/providers/f5xc.js';
import { silentLogger } from '../../../src/logger.js';
import { createHttpClient } from '../../../src/provider-kit/http.js';
import { FAST } from '../../adapters/rig.js';
import { morePolls } from '../../support/harness.js';
import { openCard, startRig, type Rig } from './rig.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 11)]);

describe('F5 agent files into the Slack thread', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /** The bridge on F5's fake, the real Bolt app and the fake Slack; a ticket opened through the form. */
  async function f5Rig(): Promise<{ r: Rig; f5: F5xcFakeServer; ticketId: string; cardTs: string }> {
    const f5 = await startF5xcFake();
    const http = createHttpClient(silentLogger, FAST);
    cleanups.push(f5.close, () => http.close());
    const r = await startRig({ provider: (kv) => createF5xc({ http, logger: silentLogger, kv, env: f5.env }) });
    cleanups.push(r.close);
    const cardTs = await openCard(r);
    const opened = r.fake.callsTo('chat.postEphemeral').map((c) => /Ticket #(\S+) opened/.exec(String(c.args.text))?.[1]).find(Boolean);
    return { r, f5, ticketId: opened!, cardTs };
  }

  it('uploads the file of an F5 agent comment through the external upload, once across poll cycles', async () => {
    const { r, f5, ticketId, cardTs } = await f5Rig();
    f5.addAgentComment(ticketId, 'Here is the latency chart', 'Grace Support', [{ name: 'latency.png', contentType: 'image/png', bytes: PNG }]);

    const done = await r.fake.waitFor('files.completeUploadExternal', (c) => c.args.thread_ts === cardTs, 8_000);
    expect(done.args.channel_id).toBe(SLACK_DEFAULTS.channelId);
    const id = (done.args.files as { id: string }[])[0]!.id;
    expect(r.fake.file(id)).toMatchObject({ name: 'latency.png', shared: true, bytes: PNG });
    expect(r.fake.callsTo('files.getUploadURLExternal').map((c) => c.args)).toEqual([{ filename: 'latency.png', length: String(PNG.length) }]);
    const text = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === cardTs && /latency chart/.test(String(c.args.text)));
    expect(String(text.args.text)).not.toContain('latency.png'); // uploaded, so not also a line

    await morePolls(f5, /customer_supports$/);
    expect(r.fake.callsTo('files.completeUploadExternal')).toHaveLength(1);
    expect(r.fake.callsTo('chat.postMessage').filter((c) => /latency chart/.test(String(c.args.text)))).toHaveLength(1);
  });
});
