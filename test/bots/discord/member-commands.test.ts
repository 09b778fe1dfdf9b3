import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS, type Json } from '../../../fakes/discord/index.js';
import { waitFor } from '../../support/harness.js';
import { finalAnswer, modalFields, openThroughDiscord, useStacks } from './stack.js';

describe('Discord member commands', () => {
  const stack = useStacks();

  it('suggests the member’s own tickets as a ticket id is typed, and every open ticket to staff', async () => {
    const s = await stack();
    const first = await openThroughDiscord(s, { subject: 'VPN drops', description: 'Hourly' });
    const second = await openThroughDiscord(s, { subject: 'Printer jam', description: 'Tray 2' });
    const theirs = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open', user: DEFAULT_IDS.staffUserId }).replies();
    const staffModal = theirs.callback?.data as Json;
    await finalAnswer(await s.fake.interaction.modalSubmit({ customId: staffModal['custom_id'] as string, fields: { subject: 'Staff own', description: 'x' }, user: DEFAULT_IDS.staffUserId }).replies());

    const suggest = async (user: string, typed: string): Promise<Json[]> => {
      const asked = await s.fake.interaction.autocomplete({ name: 'ticket', subcommand: 'close', focused: { name: 'ticket', value: typed }, user }).replies();
      expect(asked.callback?.type).toBe(8);
      return (asked.callback?.data as Json)['choices'] as Json[];
    };
    const mine = await suggest(DEFAULT_IDS.customerUserId, '');
    expect(mine).toEqual([
      { name: `#${second.ticketId} Printer jam`, value: second.ticketId },
      { name: `#${first.ticketId} VPN drops`, value: first.ticketId },
    ]);
    expect(await suggest(DEFAULT_IDS.customerUserId, 'print')).toEqual([{ name: `#${second.ticketId} Printer jam`, value: second.ticketId }]);
    const all = (await suggest(DEFAULT_IDS.staffUserId, '')).map((c) => c['name']);
    expect(all).toHaveLength(3);
    expect(all).toEqual(expect.arrayContaining([`#${first.ticketId} VPN drops`, `#${second.ticketId} Printer jam`]));
  });

  it('answers /ticket help at once, adds a comment with /ticket reply, and says when /ticket retry has nothing to retry', async () => {
    const s = await stack();
    const help = await s.fake.interaction.command({ name: 'ticket', subcommand: 'help' }).replies();
    expect(help.callback?.type).toBe(4);
    expect((help.callback?.data as Json)['content']).toContain('/ticket reply <id> <text>');
    expect(((help.callback?.data as Json)['flags'] as number) & 64).toBe(64);

    const { ticketId } = await openThroughDiscord(s);
    const replied = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'reply', options: { text: 'It happened again', ticket: ticketId } }).replies());
    expect(replied['content']).toMatch(new RegExp(`on #${ticketId}`));
    await waitFor(async () => (await s.h.desk.comments(ticketId)).some((c) => c.text.startsWith('It happened again')), 'the comment at the desk');

    const retried = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'retry', options: { delivery: 'comment:nothing' } }).replies());
    expect(retried['content']).toBe('That message is not waiting for a retry.');
  });

  it('offers a ticket by DM to whoever reacts 🎫 to a message, once, and opens it prefilled from the message', async () => {
    const s = await stack();
    const said = s.fake.sendMessage({ channelId: DEFAULT_IDS.ticketsChannelId, author: DEFAULT_IDS.staffUserId, content: 'Backups failed tonight\nAll of them' });
    s.fake.react({ messageId: said['id'] as string });
    const dm = await waitFor(() => [...s.fake.state.channels.values()].find((c) => c['type'] === 1), 'the DM channel');
    const offer = await waitFor(() => s.fake.messages(dm['id'] as string)[0], 'the offer');
    expect(offer['content']).toContain('#tickets');
    const button = ((offer['components'] as Json[])[0]?.['components'] as Json[])[0] as Json;
    expect(button['label']).toBe('Open a ticket from this message');
    // The same reaction again (or replayed) offers nothing more.
    s.fake.react({ messageId: said['id'] as string });

    const shown = await s.fake.interaction.button({ customId: button['custom_id'] as string, messageId: offer['id'] as string }).replies();
    expect(shown.interaction.payload['guild_id']).toBeUndefined();
    expect(shown.callback?.type).toBe(9);
    const modal = shown.callback?.data as Json;
    const [subject, description] = modalFields(modal);
    expect(subject?.['value']).toBe('Backups failed tonight');
    expect(String(description?.['value'])).toContain('All of them');
    const opened = await finalAnswer(await s.fake.interaction.modalSubmit({ customId: modal['custom_id'] as string, fields: {}, channelId: dm['id'] as string }).replies());
    expect(opened['content']).toMatch(/opened with Local desk/);
    expect(s.fake.threads()[0]?.['parent_id']).toBe(DEFAULT_IDS.ticketsChannelId);
    expect(s.fake.messages(dm['id'] as string)).toHaveLength(1);
  });

  it('pages /ticket list by ten, newest first, with Previous and Next that turn the page in place', async () => {
    const s = await stack();
    const ids: string[] = [];
    // Subjects that share no word, so none is offered as similar to the one before.
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo'];
    for (const word of words) ids.push((await openThroughDiscord(s, { subject: word, description: 'x' })).ticketId);
    const first = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'list' }).replies());
    const lines = String(first['content']).split('\n');
    expect(lines[0]).toBe(`#${ids[10]} kilo (open)`);
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe('Page 1 of 2 (11 tickets)');
    const buttons = (first['components'] as Json[])[0]?.['components'] as Json[];
    expect(buttons.map((b) => [b['label'], b['disabled']])).toEqual([['Previous', true], ['Next', false]]);

    const next = await s.fake.interaction.button({ customId: buttons[1]?.['custom_id'] as string, messageId: first['id'] as string }).replies();
    expect(next.callback?.type).toBe(6);
    const turned = await waitFor(() => (String(next.original?.['content']).startsWith(`#${ids[0]} `) ? next.original : undefined), 'page 2 in place');
    expect(turned['id']).toBe(first['id']);
    expect(String(turned['content']).split('\n')).toEqual([`#${ids[0]} alpha (open)`, 'Page 2 of 2 (11 tickets)']);

    const typed = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'list', options: { page: 2, which: 'all' } }).replies());
    expect(String(typed['content'])).toMatch(/^#\S+ alpha \(open\)\nPage 2 of 2/);
  });

  it('offers the member’s similar open ticket first: Add to it, or open a new one anyway', async () => {
    const s = await stack();
    const { ticketId } = await openThroughDiscord(s, { subject: 'VPN drops every ten minutes', description: 'Since Monday' });
    const ask = async (subject: string): Promise<{ answer: Json; buttons: Json[] }> => {
      const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
      const customId = (shown.callback?.data as Json)['custom_id'] as string;
      const answer = await finalAnswer(await s.fake.interaction.modalSubmit({ customId, fields: { subject, description: 'Again today' } }).replies());
      return { answer, buttons: (answer['components'] as Json[])[0]?.['components'] as Json[] };
    };
    const first = await ask('VPN drops again');
    expect(first.answer['content']).toBe(`You already have #${ticketId} 'VPN drops every ten minutes' open.`);
    expect(first.buttons.map((b) => b['label'])).toEqual([`Add to #${ticketId}`, 'Open a new ticket anyway']);
    const added = await finalAnswer(await s.fake.interaction.button({ customId: first.buttons[0]?.['custom_id'] as string, messageId: first.answer['id'] as string }).replies());
    expect(added['content']).toMatch(new RegExp(`#${ticketId}`));
    await waitFor(async () => (await s.h.desk.comments(ticketId)).some((c) => c.text.includes('Again today')), 'the draft as a comment');

    const second = await ask('VPN drops at night');
    const opened = await finalAnswer(await s.fake.interaction.button({ customId: second.buttons[1]?.['custom_id'] as string, messageId: second.answer['id'] as string }).replies());
    expect(opened['content']).toMatch(/opened with Local desk/);
    expect(s.fake.threads()).toHaveLength(2);
  });
});
