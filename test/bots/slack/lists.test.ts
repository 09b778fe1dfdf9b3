import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS, blockActions } from '../../../fakes/slack/index.js';
import type { Harness } from '../../support/harness.js';
import { startRig, type Rig } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const alice = { key: `slack:${SLACK_DEFAULTS.teamId}:${SLACK_DEFAULTS.userId}`, name: 'Alice Example' };

/** `n` tickets of Alice's, opened one after another (so "newest first" has an order to keep). */
async function openMany(h: Harness, n: number): Promise<void> {
  for (let i = 1; i <= n; i++) {
    const snapshot = await h.service.open({ subject: `Issue ${i}`, description: 'd' }, alice);
    await h.service.link(snapshot, `mem:${i}`, alice);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('/ticket list on Slack', () => {
  it('shows 60 tickets ten at a time, newest first, and Next and Previous turn the page in place', async () => {
    const r = await startRig();
    rigs.push(r);
    await openMany(r.h, 60);
    await r.send.command({ text: 'list' });
    const first = await r.fake.waitFor('response_url', (c) => String(c.args.text).startsWith('#60 '));
    const lines = String(first.args.text).split('\n');
    expect(lines.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `#${60 - i} Issue ${60 - i} (open)`));
    expect(lines[10]).toBe('Page 1 of 6 (60 tickets)');
    const pages = (first.args.blocks as Array<{ block_id: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.block_id === 'list_pages')!;
    expect(pages.elements).toMatchObject([{ action_id: 'list_next', value: '2:recent' }]);

    const click = (action_id: string, value: string) =>
      r.send.interaction(blockActions({ actions: [{ action_id, value }], message: { ts: '1700000000.000200', text: 'list' }, response_url: r.fake.responseUrl() }));
    await click('list_next', '2:recent');
    const second = await r.fake.waitFor('response_url', (c) => String(c.args.text).startsWith('#50 '));
    expect(second.args).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    const turns = (second.args.blocks as Array<{ block_id: string; elements?: Array<{ action_id: string; value: string }> }>).find((b) => b.block_id === 'list_pages')!;
    expect(turns.elements).toMatchObject([{ action_id: 'list_previous', value: '1:recent' }, { action_id: 'list_next', value: '3:recent' }]);
    await click('list_previous', '1:recent');
    await r.fake.waitFor('response_url', (c) => c !== first && String(c.args.text).startsWith('#60 ') && c.args.replace_original === true);
  });

  it('shows open tickets and those closed recently by default; open, closed and all choose', async () => {
    const r = await startRig();
    rigs.push(r);
    await openMany(r.h, 3);
    await r.h.service.close('2', { requester: alice, isStaff: false });
    await r.send.command({ text: 'list' });
    await r.fake.waitFor('response_url', (c) => c.args.text === '#3 Issue 3 (open)\n#2 Issue 2 (closed)\n#1 Issue 1 (open)');
    await r.send.command({ text: 'list open' });
    await r.fake.waitFor('response_url', (c) => c.args.text === '#3 Issue 3 (open)\n#1 Issue 1 (open)');
    await r.send.command({ text: 'list closed' });
    await r.fake.waitFor('response_url', (c) => c.args.text === '#2 Issue 2 (closed)');
    await r.send.command({ text: 'list 2 all' });
    await r.fake.waitFor('response_url', (c) => String(c.args.text).startsWith('#3 ')); // one page only: the last one shown
    await r.send.command({ text: 'list someday' });
    await r.fake.waitFor('response_url', (c) => c.args.text === 'page: expects a page number, then open, closed or all');
    // Past FOLLOW_UP_DAYS a closed ticket leaves the default list.
    const later = Date.now() + 15 * 24 * 3_600_000;
    expect((await r.h.service.listMine(alice, 'recent', later)).map((l) => l.ticketId)).toEqual(['3', '1']);
  });
});
