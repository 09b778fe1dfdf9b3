import { afterEach, describe, expect, it } from 'vitest';
import { createProvider as createVerifik } from '../../adapters/verifik/index.js';
import { threadId } from '../../adapters/verifik/map.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import type { Requester } from '../../src/domain.js';
import { silentLogger } from '../../src/logger.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { FAST } from '../adapters/rig.js';
import { startHarness, waitFor } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
type Line = { author: string; message: string; timestamp: string; type: string };
const settle = () => new Promise((r) => setTimeout(r, 600));

describe('comment ids that survive an edit (Verifik: threads have no id)', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const fake = await startVerifikFake();
    const http = createHttpClient(silentLogger, FAST);
    const h = await startHarness({ provider: (kv) => createVerifik({ http, logger: silentLogger, kv, env: fake.env }) });
    cleanups.push(fake.close, () => http.close(), h.close);
    const sink = new MemorySink();
    h.bridge.attach(sink);
    const snapshot = await h.service.open({ subject: 'Export fails', description: 'Since Monday' }, ada);
    const link = await h.service.link(snapshot, `mem:${snapshot.ticket.id}`, ada);
    const ticket = () => fake.ticket(link.ticketId)!;
    return { fake, h, sink, ticketId: link.ticketId, lines: () => ticket()['threads'] as Line[], touch: () => (ticket()['updatedAt'] = new Date(Date.now() + 1000).toISOString()) };
  }

  it('recognises an agent edit as the same comment: not posted again', async () => {
    const { fake, h, sink, ticketId, lines, touch } = await setup();
    h.bridge.start();
    fake.addAgentComment(ticketId, 'Please send the logs');
    await waitFor(() => sink.comments().length === 1, 'the post', 8_000);
    lines().at(-1)!.message = 'Please send the logs from today';
    touch();
    await settle();
    expect(sink.comments()).toEqual(['Please send the logs']);
  });

  it('keeps comments seen under the old content-hash ids seen after an upgrade', async () => {
    const { fake, h, sink, ticketId, lines } = await setup();
    fake.addAgentComment(ticketId, 'First answer');
    fake.addAgentComment(ticketId, 'First answer'); // a twin in the same second
    // What an earlier release stored for them: their content-hash ids.
    const legacy = lines().slice(1).map((line, i, all) => {
      const twins = all.slice(0, i).filter((l) => threadId(l) === threadId(line)).length;
      return twins ? `${threadId(line)}~${twins + 1}` : threadId(line);
    });
    for (const id of legacy) await h.kv.add(`seen:verifik:${ticketId}`, id);
    h.bridge.start();
    await settle();
    expect(sink.comments()).toEqual([]);
    const seen = new Set(await h.kv.members(`seen:verifik:${ticketId}`));
    const { comments } = await h.bridge.options.provider.getTicket(ticketId);
    expect(comments.every((c) => seen.has(c.id))).toBe(true);
    fake.addAgentComment(ticketId, 'Second answer', 'Grace');
    await waitFor(() => sink.comments().length === 1, 'the new answer', 8_000);
    await settle();
    expect(sink.comments()).toEqual(['Second answer']);
  });
});
