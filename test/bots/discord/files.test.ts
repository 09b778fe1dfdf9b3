import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS } from '../../../fakes/discord/index.js';
import { waitFor } from '../../support/harness.js';
import { openThroughDiscord, sleep, useStacks } from './stack.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 3)]);

describe('Discord attachments through discord.js and the fake Discord', () => {
  const stack = useStacks();

  it('takes an attachment to the desk with its name and bytes, once when MESSAGE_CREATE comes twice', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    const msg = s.fake.sendMessage({ channelId: threadId, content: '', files: [{ name: 'screen.png', contentType: 'image/png', bytes: PNG }] });
    const member = { ...(s.fake.state.members.get(DEFAULT_IDS.customerUserId) ?? {}) };
    delete member['user'];
    s.fake.gateway.dispatch('MESSAGE_CREATE', { ...msg, guild_id: s.fake.guildId, member });
    const [comment] = await waitFor(async () => {
      const comments = await s.h.desk.comments(ticketId);
      return comments.length ? comments : undefined;
    }, 'the comment', 8_000);
    await sleep(400);
    expect(await s.h.desk.comments(ticketId)).toHaveLength(1);
    expect(comment?.files?.map((f) => [f.name, f.contentType])).toEqual([['screen.png', 'image/png']]);
    expect(await s.h.desk.file(comment!.files![0]!)).toEqual(PNG);
  });

  it('answers an attachment over MAX_ATTACHMENT_MB in the thread, and the text still goes', async () => {
    const s = await stack({ maxAttachmentMb: 1 });
    const { ticketId, threadId } = await openThroughDiscord(s);
    s.fake.sendMessage({ channelId: threadId, content: 'the dump', files: [{ name: 'core.dump', contentType: 'application/octet-stream', bytes: Buffer.alloc(1024 * 1024 + 1) }] });
    const answer = await waitFor(() => s.fake.messages(threadId).find((m) => /core\.dump is larger than the 1\.0 MB limit/.test(String(m['content']))), 'the answer', 8_000);
    expect(answer['mention_everyone']).toBe(false);
    const [comment] = await waitFor(async () => {
      const comments = await s.h.desk.comments(ticketId);
      return comments.length ? comments : undefined;
    }, 'the comment', 8_000);
    expect(comment?.text).toMatch(/^the dump/);
    expect(comment?.files).toBeUndefined();
  });
});

describe('agent files into the Discord thread', () => {
  const stack = useStacks();

  it('posts a file of an agent comment as a multipart attachment', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    await s.h.desk.replyWith(ticketId, 'Here is the chart', [{ name: 'chart.png', contentType: 'image/png', bytes: PNG }]);
    const posted = await waitFor(() => s.fake.messages(threadId).find((m) => ((m['attachments'] as unknown[]) ?? []).length > 0), 'the upload', 8_000);
    const [attachment] = posted['attachments'] as { filename: string; url: string }[];
    expect(attachment?.filename).toBe('chart.png');
    expect(s.fake.attachmentBytes(attachment!.url)).toEqual(PNG);
    const upload = s.fake.calls.find((c) => c.method === 'POST' && c.files.length > 0);
    expect(upload?.files.map((f) => [f.name, f.size])).toEqual([['chart.png', PNG.length]]);
    expect(s.fake.messages(threadId).some((m) => /Here is the chart/.test(String(m['content'])))).toBe(true);
  });
});
