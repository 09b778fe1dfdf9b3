import { afterEach, describe, expect, it } from 'vitest';
import type { Requester } from '../../src/domain.js';
import { markedDescription, markerOf, Openings } from '../../src/openings.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';
import { MemorySink } from '../support/memory-sink.js';

const ada: Requester = { key: 'mem:ada', name: 'Ada' };
const input = { subject: 'Printer on fire', description: 'Tray 2' };

describe('openings cut off by a stop', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function setup(graceMs: number): Promise<{ h: Harness; sink: MemorySink; openings: Openings }> {
    h = await startHarness({ openings: { intervalMs: 100, graceMs } });
    const sink = new MemorySink();
    h.bridge.attach(sink);
    return { h, sink, openings: new Openings(h.kv, 'local') };
  }

  it('links a ticket the vendor made for an unfinished opening and posts its card once', async () => {
    const { h, sink, openings } = await setup(60_000);
    const marker = markerOf('form-1');
    await openings.begin({ submission: 'form-1', marker, input, requester: ada, place: 'mem:place', startedAt: Date.now() });
    // The vendor made it; the process that asked died before it heard.
    const made = await h.bridge.options.provider.createTicket({ ...input, description: markedDescription(input.description, marker) }, ada);
    h.bridge.start();
    await waitFor(() => sink.started.length > 0, 'the card');
    await waitFor(async () => (await h.service.listMine(ada))[0]?.thread, 'the link');
    expect(await h.service.listMine(ada)).toEqual([expect.objectContaining({ ticketId: made.ticket.id, thread: `mem:${made.ticket.id}` })]);
    await new Promise((r) => setTimeout(r, 400)); // more passes
    expect(sink.started).toHaveLength(1);
    expect(await openings.unfinished()).toEqual([]);
    expect(sink.notices).toEqual([]);
  });

  it('waits while the create may still land, then tells the requester it was not opened', async () => {
    const { h, sink, openings } = await setup(600);
    await openings.begin({ submission: 'form-2', marker: markerOf('form-2'), input, requester: ada, place: 'mem:place', startedAt: Date.now() });
    h.bridge.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.notices).toEqual([]);
    await waitFor(() => sink.notices.length > 0, 'the notice');
    expect(sink.notices).toEqual([{ place: 'mem:place', text: expect.stringMatching(/^Your ticket "Printer on fire" was not opened: Local desk has no such ticket/) }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.notices).toHaveLength(1);
    expect(await openings.unfinished()).toEqual([]);
    expect(await h.service.listMine(ada)).toEqual([]);
  });

  it('leaves no record behind after an opening that finished, nor after a refusal', async () => {
    const { h, openings } = await setup(60_000);
    h.bridge.start();
    await h.service.openInChat(input, ada, { place: 'mem:place', submission: 'form-3' });
    await expect(h.service.openInChat({ subject: ' ', description: 'x' }, ada, { place: 'mem:place', submission: 'form-4' })).rejects.toThrow();
    expect(await openings.unfinished()).toEqual([]);
  });
});
