import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS } from '../../../fakes/discord/index.js';
import { waitFor } from '../../support/harness.js';
import { openThroughDiscord, sleep, useStacks } from './stack.js';

describe('Discord edits and deletions in a ticket thread', () => {
  const stack = useStacks();

  it('sends an edit as a follow-up quoting the new text and a deletion as a note, each once', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    const msg = s.fake.sendMessage({ channelId: threadId, content: 'the VPN drops hourly' });
    await waitFor(async () => (await s.h.desk.comments(ticketId)).length === 1, 'the comment');
    const member = { ...(s.fake.state.members.get(DEFAULT_IDS.customerUserId) ?? {}) };
    delete member['user'];
    const edited = { ...msg, content: 'the VPN drops every 30 minutes', edited_timestamp: new Date().toISOString(), guild_id: s.fake.guildId, member };
    s.fake.gateway.dispatch('MESSAGE_UPDATE', edited);
    s.fake.gateway.dispatch('MESSAGE_UPDATE', edited); // replayed by a resumed gateway
    await waitFor(async () => (await s.h.desk.comments(ticketId)).length === 2, 'the edit');
    s.fake.gateway.dispatch('MESSAGE_DELETE', { id: msg['id'], channel_id: threadId, guild_id: s.fake.guildId });
    await waitFor(async () => (await s.h.desk.comments(ticketId)).length === 3, 'the deletion');
    s.fake.gateway.dispatch('MESSAGE_DELETE', { id: msg['id'], channel_id: threadId, guild_id: s.fake.guildId });
    await sleep(400);
    const texts = (await s.h.desk.comments(ticketId)).map((c) => c.text.split('\n')[0]);
    expect(texts).toEqual(['the VPN drops hourly', 'edited: the VPN drops every 30 minutes', 'deleted a message']);
  });
});
