import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS, type Json } from '../../../fakes/discord/index.js';
import { waitFor } from '../../support/harness.js';
import { openThroughDiscord, useStacks } from './stack.js';

const embedField = (msg: Json | undefined, name: string): string | undefined =>
  ((((msg?.['embeds'] as Json[] | undefined)?.[0]?.['fields'] ?? []) as Json[]).find((f) => f['name'] === name)?.['value']) as string | undefined;

describe('Discord end to end (real discord.js against the fake Discord)', () => {
  const stack = useStacks();

  it('opens a ticket in a private thread, relays both ways, and edits the card when closed', async () => {
    const s = await stack();
    const identify = s.fake.gateway.identifies[0];
    expect(identify?.accepted).toBe(true);
    expect(s.fake.calls.some((c) => c.method === 'GET' && c.path === '/gateway/bot')).toBe(true);

    const { ticketId, threadId, cardId } = await openThroughDiscord(s, { subject: 'VPN drops', description: 'Every hour', priority: 'high' });

    const thread = s.fake.state.channel(threadId);
    expect(thread?.['type']).toBe(12);
    expect(thread?.['parent_id']).toBe(DEFAULT_IDS.ticketsChannelId);
    expect(s.fake.state.threadMembers.get(threadId)?.has(DEFAULT_IDS.customerUserId)).toBe(true);
    const card = s.fake.messages(threadId)[0];
    expect(card?.['id']).toBe(cardId);
    const embed = (card?.['embeds'] as Json[])[0];
    expect(embed?.['title']).toBe('VPN drops');
    expect(embedField(card, 'Ticket')).toBe(`#${ticketId}`);
    expect(embedField(card, 'Priority')).toBe('high');
    expect(embedField(card, 'Provider')).toBe('Local desk');
    const buttons = ((card?.['components'] as Json[])[0]?.['components'] as Json[]).map((b) => b['label']);
    expect(buttons).toEqual(['Close', 'Reopen', 'Rate']);

    // A member's message in the thread becomes a comment at the desk.
    s.fake.sendMessage({ channelId: threadId, content: 'Any news?' });
    await waitFor(async () => (await s.h.desk.comments(ticketId)).some((c) => c.text.startsWith('Any news?')), 'comment at the desk');

    // The agent answers at the desk; the answer appears in the thread, markdown intact.
    await s.h.desk.reply(ticketId, 'Looking into it **now**.');
    const relayed = await waitFor(() => s.fake.messages(threadId).find((m) => String(m['content']).includes('Looking into it **now**.')), 'relayed comment');
    const post = s.fake.calls.find((c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages` && c.response && (c.response as Json)['id'] === relayed['id']);
    expect(post?.body).toMatchObject({ enforce_nonce: true, allowed_mentions: { parse: [] } });
    expect(String((post?.body as Json)['nonce']).length).toBeLessThanOrEqual(25);

    // Close from the card.
    const click = s.fake.interaction.button({ customId: `tb:close:${ticketId}`, messageId: cardId });
    const answer = await click.replies();
    expect(answer.callback?.type).toBe(5);
    await waitFor(() => answer.edits.length > 0, 'close confirmation');
    expect(String(answer.original?.['content'])).toContain(`#${ticketId}`);
    await waitFor(() => s.fake.calls.some((c) => c.method === 'PATCH' && c.path === `/channels/${threadId}/messages/${cardId}`), 'card edit');
    await waitFor(() => embedField(s.fake.state.messageById.get(cardId), 'Status')?.toLowerCase().includes('closed'), 'card shows closed');
    const closedButtons = ((s.fake.state.messageById.get(cardId)?.['components'] as Json[])[0]?.['components'] as Json[]);
    expect(closedButtons.find((b) => b['label'] === 'Close')?.['disabled']).toBe(true);
    expect(closedButtons.find((b) => b['label'] === 'Reopen')?.['disabled']).toBe(false);
    await waitFor(() => s.fake.messages(threadId).some((m) => /Status changed to/.test(String(m['content']))), 'status post');
  });
});
