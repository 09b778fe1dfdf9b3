import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it, vi } from 'vitest';
import { LocalDesk } from '../../../adapters/local/desk.js';
import { createProvider as createLocalProvider } from '../../../adapters/local/index.js';
import { startDiscord } from '../../../bots/discord/index.js';
import { ConfigError, ProviderError } from '../../../src/errors.js';
import { silentLogger } from '../../../src/logger.js';
import type { TicketProvider } from '../../../src/provider.js';
import type { KeyValueStore } from '../../../src/store/index.js';
import { DEFAULT_IDS, nextSnowflake, startFakeDiscord, type Json } from '../../../fakes/discord/index.js';
import { startHarness, waitFor } from '../../support/harness.js';
import { envFor, finalAnswer, modalFields, openThroughDiscord, sleep, useStacks } from './stack.js';

/** The local desk with createTicket slowed down or failing, as a vendor having a bad day. */
function troubledDesk(trouble: 'slow' | 'down'): (kv: KeyValueStore) => TicketProvider {
  return (kv) => {
    const desk = createLocalProvider({ kv, env: {}, logger: silentLogger, http: undefined as never });
    return {
      ...desk,
      async createTicket(input, requester) {
        if (trouble === 'down') {
          throw new ProviderError({ kind: 'unavailable', provider: 'Local desk', method: 'POST', path: '/tickets', status: 503 });
        }
        await sleep(4_000);
        return desk.createTicket(input, requester);
      },
    };
  };
}

describe('Discord front-end', () => {
  const stack = useStacks();

  it('loses no thread message across a gateway reconnect (op 7, then RESUME)', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    const reconnecting = s.fake.gateway.requestReconnect();
    await reconnecting;
    // Sent while the bot is between sockets: the fake replays it on RESUME.
    s.fake.sendMessage({ channelId: threadId, content: 'written during the reconnect' });
    await waitFor(() => s.fake.gateway.received.some((p) => p['op'] === 6), 'RESUME');
    s.fake.sendMessage({ channelId: threadId, content: 'written after it' });
    await waitFor(async () => (await s.h.desk.comments(ticketId)).length === 2, 'both comments at the desk');
    await sleep(300);
    const texts = (await s.h.desk.comments(ticketId)).map((c) => c.text.split('\n')[0]);
    expect(texts).toEqual(['written during the reconnect', 'written after it']);
    expect(s.fake.gateway.identifies).toHaveLength(1);
  });

  it('makes one comment of a MESSAGE_CREATE that arrives twice', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    const msg = s.fake.sendMessage({ channelId: threadId, content: 'only once please' });
    const member = { ...(s.fake.state.members.get(DEFAULT_IDS.customerUserId) ?? {}) };
    delete member['user'];
    s.fake.gateway.dispatch('MESSAGE_CREATE', { ...msg, guild_id: s.fake.guildId, member });
    await waitFor(async () => (await s.h.desk.comments(ticketId)).length === 1, 'the comment');
    await sleep(400);
    expect(await s.h.desk.comments(ticketId)).toHaveLength(1);
  });

  it('tells the author to send again when a thread message cannot be taken', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    vi.spyOn(s.h.service, 'linkByThread').mockRejectedValueOnce(new Error('store unavailable'));
    s.fake.sendMessage({ channelId: threadId, content: 'this one is lost unless I resend it' });
    const notice = await waitFor(() => s.fake.messages(threadId).find((m) => String(m['content']).includes('Please send it again')), 'the notice');
    expect(notice['mention_everyone']).toBe(false);
    expect(notice['mentions']).toEqual([]);
    expect(await s.h.desk.comments(ticketId)).toHaveLength(0);
  });

  it('shows the status of the thread’s own ticket when /ticket status names none', async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s, { subject: 'Where am I', description: 'In a thread' });
    const answer = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'status', channelId: threadId }).replies());
    expect(answer['content']).toMatch(new RegExp(`^#${ticketId} Where am I: `));
    expect(JSON.stringify(answer['embeds'])).toContain(`#${ticketId}`);
  });

  it("posts an agent's @everyone and <@user> without pinging anyone", async () => {
    const s = await stack();
    const { ticketId, threadId } = await openThroughDiscord(s);
    await s.h.desk.reply(ticketId, `@everyone @here <@${DEFAULT_IDS.staffUserId}> <@&${DEFAULT_IDS.supportRoleId}> fixed`);
    const post = await waitFor(() => s.fake.messages(threadId).find((m) => String(m['content']).includes('fixed')), 'relayed post');
    expect(post['mention_everyone']).toBe(false);
    expect(post['mentions']).toEqual([]);
    expect(post['mention_roles']).toEqual([]);
    const bodies = s.fake.calls.filter((c) => c.method === 'POST' && /^\/channels\/\d+\/messages$/.test(c.path)).map((c) => c.body as Json);
    expect(bodies.length).toBeGreaterThanOrEqual(2); // the card and the relayed comment
    for (const body of bodies) expect(body['allowed_mentions']).toEqual({ parse: [] });
  });

  it('does not let a stranger close or rate the ticket, but lets staff close it', async () => {
    const s = await stack();
    const { ticketId, cardId } = await openThroughDiscord(s);
    const stranger = nextSnowflake();
    s.fake.state.addMember({ user: { id: stranger, username: 'mallory' } });
    const refused = s.fake.interaction.button({ customId: `tb:close:${ticketId}`, messageId: cardId, user: stranger });
    const answer = await finalAnswer(await refused.replies());
    expect(answer['content']).toMatch(/No ticket #\S+ that you can see/);
    expect(((answer['flags'] as number) & 64) !== 0).toBe(true);
    // Rate is refused before its form opens.
    const rate = await s.fake.interaction.button({ customId: `tb:rate:${ticketId}`, messageId: cardId, user: stranger }).replies();
    expect(rate.callback?.type).toBe(4);
    expect((rate.callback?.data as Json)['content']).toMatch(/^Only the person who opened ticket #\S+, or support staff, can rate it\.$/);
    await sleep(200);
    expect(s.fake.calls.some((c) => c.method === 'PATCH' && c.path.endsWith(`/messages/${cardId}`))).toBe(false);

    const staff = s.fake.interaction.command({ name: 'ticket', subcommand: 'close', options: { ticket: ticketId }, user: DEFAULT_IDS.staffUserId });
    const closed = await finalAnswer(await staff.replies());
    expect(closed['content']).toMatch(new RegExp(`#${ticketId} is now`));
    await waitFor(() => s.fake.calls.some((c) => c.method === 'PATCH' && c.path.endsWith(`/messages/${cardId}`)), 'card edit');
  });

  it('stops start-up with one clear line when the app lacks the Message Content intent (4014)', async () => {
    const fake = await startFakeDiscord({ denyIntents: [GatewayIntentBits.MessageContent] });
    const h = await startHarness();
    try {
      const env = envFor(fake);
      const started = startDiscord({ service: h.service, kv: h.kv, logger: silentLogger, env }, { rest: { retries: 0 }, readyTimeoutMs: 10_000 });
      const error = await started.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/^DISCORD_TOKEN: .*Message Content/);
      expect(message).not.toContain('\n');
      expect(message).not.toContain(fake.token);
      expect(fake.gateway.closes.map((c) => c.code)).toContain(4014);
    } finally {
      await h.close();
      await fake.close();
    }
  });

  it('answers within 3 s while the provider is slow, then edits in the result', async () => {
    const s = await stack({ provider: troubledDesk('slow') });
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const submit = s.fake.interaction.modalSubmit({ customId: (shown.callback?.data as Json)['custom_id'] as string, fields: { subject: 'Slow', description: 'Very slow' } });
    const replies = await submit.replies();
    expect(replies.callback?.type).toBe(5);
    expect(replies.expired).toBe(false);
    expect((replies.callback?.at ?? Infinity) - replies.interaction.dispatchedAt).toBeLessThan(3_000);
    const answer = await finalAnswer(replies);
    expect(answer['content']).toMatch(/opened with Local desk/);
  });

  it('tells the person plainly when the provider is down, and gives back what they typed', async () => {
    const s = await stack({ provider: troubledDesk('down') });
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const submit = s.fake.interaction.modalSubmit({ customId: (shown.callback?.data as Json)['custom_id'] as string, fields: { subject: 'Printer', description: 'It is on fire' } });
    const answer = await finalAnswer(await submit.replies());
    expect(answer['content']).toMatch(/Local desk is not answering/);
    const quoted = (answer['embeds'] as Json[]).map((e) => String(e['description'])).join('\n');
    expect(quoted).toContain('Printer');
    expect(quoted).toContain('It is on fire');
    expect(s.fake.threads()).toHaveLength(0);
  });

  it('names the bad field, and reopens the form as it was typed with the error under the field', async () => {
    const s = await stack();
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const customId = (shown.callback?.data as Json)['custom_id'] as string;
    const story = 'A long story I do not want to type again';
    const refused = s.fake.interaction.modalSubmit({ customId, fields: { subject: '   ', description: story, priority: ['high'] } });
    const answer = await finalAnswer(await refused.replies());
    expect(answer['content']).toMatch(/^Subject: \S/);
    expect(JSON.stringify(answer['embeds'])).toContain(story);
    const fix = ((answer['components'] as Json[])[0]?.['components'] as Json[])[0] as Json;
    expect(fix['label']).toBe('Open the form again');

    const again = await s.fake.interaction.button({ customId: fix['custom_id'] as string, messageId: answer['id'] as string }).replies();
    expect(again.callback?.type).toBe(9);
    const modal = again.callback?.data as Json;
    const labels = modal['components'] as Json[];
    expect(labels[0]?.['description']).toBe(`⚠ ${String(answer['content']).split('\n')[0]?.replace(/^Subject: /, '')}`);
    const [subject, description, priority] = modalFields(modal);
    expect(subject?.['value']).toBe('   ');
    expect(description?.['value']).toBe(story);
    expect((priority?.['options'] as Json[]).find((o) => o['default'] === true)?.['value']).toBe('high');

    // Only the subject needs fixing: everything else goes as it was prefilled.
    const fixed = s.fake.interaction.modalSubmit({ customId: modal['custom_id'] as string, fields: { subject: 'Short now' } });
    const opened = await finalAnswer(await fixed.replies());
    const ticketId = /#(\S+?) opened/.exec(String(opened['content']))?.[1] ?? '';
    const ticket = await new LocalDesk(s.h.kv).get(ticketId);
    expect([ticket.subject, ticket.priority]).toEqual(['Short now', 'high']);
    // What was typed, then the marker by which an opening cut off by a crash is found again.
    expect(ticket.description).toMatch(new RegExp(`^${story}\\n\\nticket-bridge-ref: [0-9a-f]{20}$`));
  });

  it('shows priority and category as selects of the provider’s own values inside the form, and opens with the choice', async () => {
    const s = await stack();
    const command = (s.fake.state.guildCommands.get(s.fake.guildId) ?? []).find((c) => c['name'] === 'ticket');
    const open = (command?.['options'] as Json[]).find((o) => o['name'] === 'open');
    expect(open?.['options']).toEqual([]);
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const modal = shown.callback?.data as Json;
    expect((modal['components'] as Json[]).map((c) => [c['type'], c['label']])).toEqual([[18, 'Subject'], [18, 'Description'], [18, 'Priority'], [18, 'Category'], [18, 'Files (optional)']]);
    const [subject, , priority] = modalFields(modal);
    expect(subject?.['type']).toBe(4);
    expect(priority?.['type']).toBe(3);
    expect((priority?.['options'] as Json[]).map((o) => o['value'])).toEqual(['low', 'normal', 'high', 'urgent']);
    const { ticketId } = await openThroughDiscord(s, { subject: 'Printer', description: 'Jammed', priority: ['urgent'] });
    expect((await new LocalDesk(s.h.kv).get(ticketId)).priority).toBe('urgent');
  });

  it('lists only the member’s own tickets, ephemerally', async () => {
    const s = await stack();
    const { ticketId } = await openThroughDiscord(s, { subject: 'Mine', description: 'Mine too' });
    const mine = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'list' }).replies());
    expect(mine['content']).toContain(`#${ticketId} Mine`);
    expect(((mine['flags'] as number) & 64) !== 0).toBe(true);
    const theirs = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'list', user: DEFAULT_IDS.staffUserId }).replies());
    expect(theirs['content']).not.toContain(`#${ticketId}`);
  });

  it('opens a forum post when the ticket channel is a forum', async () => {
    const s = await stack({ env: { DISCORD_TICKET_CHANNEL: DEFAULT_IDS.forumChannelId } });
    const { threadId, cardId } = await openThroughDiscord(s);
    const post = s.fake.state.channel(threadId);
    expect(post?.['parent_id']).toBe(DEFAULT_IDS.forumChannelId);
    expect(post?.['type']).toBe(11);
    expect(cardId).toBe(threadId);
    expect(s.fake.state.threadMembers.get(threadId)?.has(DEFAULT_IDS.customerUserId)).toBe(true);
  });

  it('prefills the form from a message with "Open ticket from message"', async () => {
    const s = await stack();
    const said = s.fake.sendMessage({ channelId: DEFAULT_IDS.ticketsChannelId, content: 'Login page is blank\nSince this morning' });
    const shown = await s.fake.interaction.messageContextMenu({ name: 'Open ticket from message', targetMessage: said['id'] as string }).replies();
    expect(shown.callback?.type).toBe(9);
    const inputs = modalFields(shown.callback?.data as Json);
    expect(inputs[0]?.['value']).toBe('Login page is blank');
    expect(String(inputs[1]?.['value'])).toContain('Since this morning');
  });

  it('rates a ticket through the Rate button and its form', async () => {
    const s = await stack();
    const { ticketId, cardId } = await openThroughDiscord(s);
    const shown = await s.fake.interaction.button({ customId: `tb:rate:${ticketId}`, messageId: cardId }).replies();
    expect(shown.callback?.type).toBe(9);
    const [score] = modalFields(shown.callback?.data as Json);
    expect(score?.['type']).toBe(21);
    expect((score?.['options'] as Json[]).map((o) => o['value'])).toEqual(['5', '4', '3', '2', '1']);
    const customId = (shown.callback?.data as Json)['custom_id'] as string;
    // Nothing but the five scores can be sent: the member's client offers no other.
    expect(() => s.fake.interaction.modalSubmit({ customId, fields: { score: 'x' } })).toThrow(/offers no "x"/);
    const submit = s.fake.interaction.modalSubmit({ customId, fields: { score: '4', comment: 'Quick!' } });
    const answer = await finalAnswer(await submit.replies());
    expect(answer['content']).toMatch(/Rated #\S+ 4\/5/);
  });
});
