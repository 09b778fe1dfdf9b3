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

describe('an agent edit in Discord', () => {
  const stack = useStacks();

  it('PATCHes the relayed message instead of posting again', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    await s.h.desk.reply(ticketId, 'Restart the router');
    const post = await waitFor(() => s.fake.messages(threadId).find((m) => /Restart the router/.test(String(m['content']))), 'the post', 8_000);
    await s.h.desk.editLast(ticketId, 'Restart the router, then the laptop');
    await s.fake.waitForCall('PATCH', new RegExp(`/channels/${threadId}/messages/${String(post['id'])}$`), undefined, 8_000);
    await sleep(500);
    const posts = s.fake.messages(threadId).filter((m) => /Restart the router/.test(String(m['content'])));
    expect(posts.map((m) => m['id'])).toEqual([post['id']]);
    expect(String(posts[0]?.['content'])).toContain('then the laptop');
  });
});
