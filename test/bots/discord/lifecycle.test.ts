import { ChannelType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS, type Json } from '../../../fakes/discord/index.js';
import { waitFor } from '../../support/harness.js';
import { openThroughDiscord, sleep, useStacks } from './stack.js';

/** The card's buttons that can be pressed (the others are shown disabled). */
const buttonsOf = (message: Json | undefined): string[] =>
  ((message?.['components'] ?? []) as Json[])
    .flatMap((row) => (row['components'] ?? []) as Json[])
    .filter((c) => c['disabled'] !== true)
    .map((c) => String(c['custom_id']));

/** The final (non-loading) answer of an interaction. */
const finalAnswer = (replies: { readonly original: Json | undefined }): Promise<Json> =>
  waitFor(() => {
    const o = replies.original;
    return o && ((o['flags'] as number) & 128) === 0 ? o : undefined;
  }, 'the final answer', 10_000);

describe('Discord: a ticket never goes silent', () => {
  const stack = useStacks();

  it('posts the card in a DM when the ticket channel refuses the bot, says what to do, and the DM is the ticket’s conversation', async () => {
    const s = await stack({
      fake: {
        guild: {
          channels: [
            { id: DEFAULT_IDS.ticketsChannelId, name: 'tickets', type: ChannelType.GuildText, botCanSee: false },
            { id: DEFAULT_IDS.forumChannelId, name: 'support-forum', type: ChannelType.GuildForum },
          ],
        },
      },
    });
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const submit = s.fake.interaction.modalSubmit({ customId: (shown.callback?.data as Json)['custom_id'] as string, fields: { subject: 'VPN drops', description: 'Every hour' } });
    const answer = await finalAnswer(await submit.replies());
    expect(answer['content']).toMatch(/#1 opened with Local desk\. Follow it in your direct messages with the bot\./);

    const refused = s.fake.calls.find((c) => c.path === `/channels/${DEFAULT_IDS.ticketsChannelId}`);
    expect(refused?.status).toBe(403);
    expect(refused?.response).toEqual({ message: 'Missing Access', code: 50001 });
    const dm = s.fake.state.dms.get(DEFAULT_IDS.customerUserId)!;
    expect(dm).toBeDefined();
    const [card, notice] = s.fake.messages(dm);
    expect((card?.['embeds'] as Json[])[0]?.['title']).toBe('VPN drops');
    expect(notice?.['content']).toContain(`<#${DEFAULT_IDS.ticketsChannelId}>`);
    expect(notice?.['content']).toMatch(/ask a server admin to give the bot access/);
    await waitFor(async () => (await s.h.service.status('1', { requester: { key: `discord:${DEFAULT_IDS.customerUserId}`, name: 'Cat' }, isStaff: false })).link.thread, 'the link');
    expect((await s.h.service.listMine({ key: `discord:${DEFAULT_IDS.customerUserId}`, name: 'Cat' }))[0]?.thread).toBe(`discord:dm:${dm}:1`);

    // An agent's answer lands in the DM, once; what the person writes there reaches the desk.
    await s.h.desk.reply('1', 'Which VPN client?');
    await waitFor(() => s.fake.messages(dm).find((m) => String(m['content']).includes('Which VPN client?')), 'the answer in the DM');
    s.fake.sendMessage({ channelId: dm, content: 'The built-in one.' });
    await waitFor(async () => (await s.h.desk.comments('1')).some((c) => c.text.startsWith('The built-in one.')), 'the reply at the desk');

    await sleep(400);
    expect(s.fake.messages(dm).filter((m) => ((m['embeds'] as Json[]) ?? []).length > 0)).toHaveLength(1);
    expect(s.fake.messages(dm).filter((m) => String(m['content']).includes('Which VPN client?'))).toHaveLength(1);
  });

  it('relays an answer after close, and a reopen at the vendor brings the card back to its open buttons', async () => {
    const s = await stack();
    const { ticketId, threadId, cardId } = await openThroughDiscord(s);
    const card = () => s.fake.messages(threadId).find((m) => m['id'] === cardId);
    await s.h.desk.setStatus(ticketId, 'closed');
    await waitFor(() => buttonsOf(card()).includes(`tb:reopen:${ticketId}`), 'the card with Reopen');
    expect(buttonsOf(card())).not.toContain(`tb:close:${ticketId}`);

    await s.h.desk.reply(ticketId, 'One more thing after closing.');
    await waitFor(() => s.fake.messages(threadId).find((m) => String(m['content']).includes('One more thing')), 'the late answer');

    await s.h.desk.setStatus(ticketId, 'open');
    await waitFor(() => buttonsOf(card()).includes(`tb:close:${ticketId}`), 'the card with Close again');
    expect(buttonsOf(card())).not.toContain(`tb:reopen:${ticketId}`);
    await sleep(400);
    expect(s.fake.messages(threadId).filter((m) => String(m['content']).includes('One more thing'))).toHaveLength(1);
  });

  it('asks why in a modal when Reopen is pressed, and the reason reaches the provider', async () => {
    const s = await stack();
    const { ticketId, threadId, cardId } = await openThroughDiscord(s);
    await s.h.desk.setStatus(ticketId, 'closed');
    await waitFor(() => buttonsOf(s.fake.messages(threadId).find((m) => m['id'] === cardId)).includes(`tb:reopen:${ticketId}`), 'the card with Reopen');

    const pressed = await s.fake.interaction.button({ customId: `tb:reopen:${ticketId}`, messageId: cardId }).replies();
    expect(pressed.callback?.type).toBe(9);
    const modal = pressed.callback?.data as Json;
    expect(modal['custom_id']).toBe(`tb:reopenmodal:${ticketId}`);

    const submit = s.fake.interaction.modalSubmit({ customId: modal['custom_id'] as string, fields: { reason: 'It drops again since this morning' } });
    const answer = await finalAnswer(await submit.replies());
    expect(answer['content']).toMatch(new RegExp(`#${ticketId} is now open`));
    const texts = (await s.h.desk.comments(ticketId)).map((c) => c.text);
    expect(texts.some((t) => t.startsWith('It drops again since this morning'))).toBe(true);
    expect(texts.join('\n')).not.toContain('Reopened from chat.');
  });
});
