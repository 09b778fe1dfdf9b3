import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS, type AttachmentFile, type Json } from '../../../fakes/discord/index.js';
import { waitFor } from '../../support/harness.js';
import { finalAnswer, modalFields, openThroughDiscord, sleep, useStacks, type Stack } from './stack.js';

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
    s.fake.sendMessage({ channelId: threadId, content: 'the dump', files: [{ name: '@everyone.dump', contentType: 'application/octet-stream', bytes: Buffer.alloc(1024 * 1024 + 1) }] });
    const answer = await waitFor(() => s.fake.messages(threadId).find((m) => /@everyone\.dump is larger than the 1\.0 MB limit/.test(String(m['content']))), 'the answer', 8_000);
    expect(answer['mention_everyone']).toBe(false); // the name in the note says @everyone, and pings no one
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

describe('files put in the Discord open form', () => {
  const stack = useStacks();
  const screen: AttachmentFile = { name: 'screen.png', contentType: 'image/png', bytes: PNG };

  /** `/ticket open`, then the form submitted with `fields`; the final answer. */
  async function submitForm(s: Stack, fields: Record<string, string | string[] | AttachmentFile[]>): Promise<Json> {
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const customId = (shown.callback?.data as Json)['custom_id'] as string;
    return finalAnswer(await s.fake.interaction.modalSubmit({ customId, fields }).replies());
  }

  const ticketOf = (answer: Json): string => /#(\S+?) opened/.exec(String(answer['content']))?.[1] ?? '';

  it('offers an optional upload of up to five files, and the desk keeps a PNG with the ticket, name and bytes', async () => {
    const s = await stack();
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const modal = shown.callback?.data as Json;
    const label = (modal['components'] as Json[]).at(-1);
    expect(label).toMatchObject({ type: 18, label: 'Files (optional)', description: 'Up to 5 files, at most 10.0 MB each: screenshots, logs …' });
    expect(modalFields(modal).at(-1)).toEqual({ type: 19, custom_id: 'files', required: false, min_values: 0, max_values: 5 });

    const { ticketId } = await openThroughDiscord(s, { subject: 'Blank screen', description: 'See the screenshot', files: [screen] });
    const ticket = await s.h.desk.ticket(ticketId);
    expect(ticket.files?.map((f) => [f.name, f.contentType, f.size])).toEqual([['screen.png', 'image/png', PNG.length]]);
    expect(await s.h.desk.file(ticket.files![0]!)).toEqual(PNG);
    await sleep(300);
    expect(await s.h.desk.comments(ticketId)).toEqual([]);
  });

  it('opens the ticket without a file over MAX_ATTACHMENT_MB, and says so', async () => {
    const s = await stack({ maxAttachmentMb: 1 });
    const dump: AttachmentFile = { name: '@everyone.dump', contentType: 'application/octet-stream', bytes: Buffer.alloc(1024 * 1024 + 1) };
    const answer = await submitForm(s, { subject: 'Crash', description: 'Dump attached', files: [dump, screen] });
    const [opened, note] = String(answer['content']).split('\n');
    expect(opened).toMatch(/^Ticket #\S+ opened with Local desk\. Follow it here: <#\d+>$/);
    expect(note).toBe('@everyone.dump is larger than the 1.0 MB limit for files and was not sent to support; share it another way, or a smaller one.');
    expect(answer['mention_everyone']).toBe(false); // the name in the note says @everyone, and pings no one
    expect((await s.h.desk.ticket(ticketOf(answer))).files?.map((f) => f.name)).toEqual(['screen.png']);
  });

  it('keeps the files of a refused form, names them in the form shown again, and opens with them', async () => {
    const s = await stack();
    const refused = await submitForm(s, { subject: '   ', description: 'The story', files: [screen] });
    const fix = ((refused['components'] as Json[])[0]?.['components'] as Json[])[0] as Json;
    const again = await s.fake.interaction.button({ customId: fix['custom_id'] as string, messageId: refused['id'] as string }).replies();
    const modal = again.callback?.data as Json;
    expect((modal['components'] as Json[]).at(-1)?.['description']).toBe('Already attached: screen.png. Add more here if you like.');
    expect(modalFields(modal).at(-1)?.['max_values']).toBe(4);
    const log: AttachmentFile = { name: 'app.log', contentType: 'text/plain', bytes: Buffer.from('boom\n') };
    const opened = await finalAnswer(await s.fake.interaction.modalSubmit({ customId: modal['custom_id'] as string, fields: { subject: 'Fixed', files: [log] } }).replies());
    const files = (await s.h.desk.ticket(ticketOf(opened))).files ?? [];
    expect(files.map((f) => f.name)).toEqual(['screen.png', 'app.log']);
    expect(await s.h.desk.file(files[1]!)).toEqual(log.bytes);
  });

  it('adds the files to the similar open ticket when the member chooses Add', async () => {
    const s = await stack();
    const { ticketId } = await openThroughDiscord(s, { subject: 'VPN drops every ten minutes', description: 'Since Monday' });
    const prompt = await submitForm(s, { subject: 'VPN drops again', description: 'Trace attached', files: [screen] });
    const add = ((prompt['components'] as Json[])[0]?.['components'] as Json[])[0] as Json;
    await finalAnswer(await s.fake.interaction.button({ customId: add['custom_id'] as string, messageId: prompt['id'] as string }).replies());
    const comment = await waitFor(async () => (await s.h.desk.comments(ticketId)).find((c) => c.text.includes('Trace attached')), 'the comment');
    expect(comment.files?.map((f) => f.name)).toEqual(['screen.png']);
    expect(await s.h.desk.file(comment.files![0]!)).toEqual(PNG);
  });

  it('does not offer files added to the similar ticket again from an older "Open the form again"', async () => {
    const s = await stack();
    await openThroughDiscord(s, { subject: 'VPN drops every ten minutes', description: 'Since Monday' });
    const refused = await submitForm(s, { subject: '   ', description: 'Trace attached', files: [screen] });
    const fix = ((refused['components'] as Json[])[0]?.['components'] as Json[])[0] as Json;
    const reopen = () => s.fake.interaction.button({ customId: fix['custom_id'] as string, messageId: refused['id'] as string }).replies();
    const modal = (await reopen()).callback?.data as Json;
    const prompt = await finalAnswer(await s.fake.interaction.modalSubmit({ customId: modal['custom_id'] as string, fields: { subject: 'VPN drops again' } }).replies());
    const add = ((prompt['components'] as Json[])[0]?.['components'] as Json[])[0] as Json;
    await finalAnswer(await s.fake.interaction.button({ customId: add['custom_id'] as string, messageId: prompt['id'] as string }).replies());
    const again = (await reopen()).callback?.data as Json;
    expect((again['components'] as Json[]).at(-1)?.['description']).not.toMatch(/screen\.png/);
    expect(modalFields(again).at(-1)?.['max_values']).toBe(5);
  });
});
