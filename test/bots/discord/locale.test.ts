import { ChannelType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDS, type Json } from '../../../fakes/discord/index.js';
import { t } from '../../../handlers/i18n.js';
import { waitFor } from '../../support/harness.js';
import { finalAnswer, modalFields, openThroughDiscord, useStacks } from './stack.js';

describe('Discord in the member’s language', () => {
  const stack = useStacks();

  it('registers /ticket with German, Spanish and Russian names and descriptions', async () => {
    const s = await stack();
    const registered = s.fake.state.guildCommands.get(s.fake.guildId) ?? [];
    const ticket = registered.find((c) => c['name'] === 'ticket') as Json;
    expect(ticket['description_localizations']).toMatchObject({ de: 'Support-Tickets eröffnen und verfolgen', 'es-ES': 'Abrir y seguir tickets de soporte', 'es-419': 'Abrir y seguir tickets de soporte' });
    const sub = (name: string) => (ticket['options'] as Json[]).find((o) => o['name'] === name) as Json;
    expect(sub('open')['name_localizations']).toEqual({ de: 'öffnen', 'es-ES': 'abrir', 'es-419': 'abrir', ru: 'открыть' });
    const ticketOption = (sub('close')['options'] as Json[])[0] as Json;
    expect(ticketOption['autocomplete']).toBe(true);
    expect((ticketOption['description_localizations'] as Json)['ru']).toMatch(/^Номер заявки/);
    const fromMessage = registered.find((c) => c['type'] === 3) as Json;
    expect((fromMessage['name_localizations'] as Json)['de']).toBe('Ticket aus Nachricht eröffnen');
  });

  it('shows a German client the German form and rating', async () => {
    const s = await stack();
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open', locale: 'de' }).replies();
    const modal = shown.callback?.data as Json;
    expect(modal['title']).toBe('Neues Ticket bei Local desk');
    expect((modal['components'] as Json[]).at(-1)).toMatchObject({ label: 'Dateien (optional)', description: 'Bis zu 5 Dateien, je höchstens 10.0 MB: Screenshots, Logs …' });
    const priority = modalFields(modal)[2];
    expect(priority?.['placeholder']).toBe('Priority wählen');
    // The provider's own words stay as they are: values are what the vendor accepts.
    expect((priority?.['options'] as Json[]).map((o) => o['value'])).toEqual(['low', 'normal', 'high', 'urgent']);
    const english = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open', locale: 'en-GB' }).replies();
    expect((english.callback?.data as Json)['title']).toBe('New ticket with Local desk');
    const spanish = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open', locale: 'es-419' }).replies();
    expect((spanish.callback?.data as Json)['title']).toBe('Nuevo ticket con Local desk');

    // Answers from the shared handlers follow the client's language too.
    const empty = await finalAnswer(await s.fake.interaction.command({ name: 'ticket', subcommand: 'list', locale: 'de' }).replies());
    expect(empty['content']).toBe(t('de', 'list.noneRecent'));

    const { ticketId, cardId } = await openThroughDiscord(s);
    const rate = await s.fake.interaction.button({ customId: `tb:rate:${ticketId}`, messageId: cardId, locale: 'de' }).replies();
    const rating = rate.callback?.data as Json;
    expect(rating['title']).toBe(`#${ticketId} bewerten`);
    expect(((modalFields(rating)[0]?.['options'] as Json[])[0] as Json)['label']).toBe('5 – Ausgezeichnet');
  });

  it('says in the member’s language where the ticket went, and in DEFAULT_LOCALE why the DM holds it, when the ticket channel refuses the bot', async () => {
    const channels = [{ id: DEFAULT_IDS.ticketsChannelId, name: 'tickets', type: ChannelType.GuildText, botCanSee: false }];
    const s = await stack({ defaultLocale: 'ru', fake: { guild: { channels } } });
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open', locale: 'de' }).replies();
    const submit = s.fake.interaction.modalSubmit({ customId: (shown.callback?.data as Json)['custom_id'] as string, fields: { subject: 'VPN', description: 'Bricht ab' }, locale: 'de' });
    const answer = await finalAnswer(await submit.replies());
    expect(answer['content']).toBe(`${t('de', 'open.done', { id: '1', provider: 'Local desk' })} Verfolgen Sie es in Ihren Direktnachrichten mit dem Bot.`);
    const dm = s.fake.state.dms.get(DEFAULT_IDS.customerUserId)!;
    const notice = await waitFor(() => s.fake.messages(dm)[1], 'the notice in the DM');
    expect(notice['content']).toBe(t('ru', 'discord.dm.fellBack', { id: '1', where: `<#${DEFAULT_IDS.ticketsChannelId}>` }));
    expect(notice['content']).toMatch(/^Вашу заявку #1 не удалось опубликовать/);
    const card = s.fake.messages(dm)[0] as Json;
    expect(((card['embeds'] as Json[])[0]?.['fields'] as Json[])[0]).toMatchObject({ name: 'Заявка', value: '#1' });
  });

  it('writes the card and the status lines in DEFAULT_LOCALE, the vendor’s words as they are', async () => {
    const s = await stack({ defaultLocale: 'de' });
    const { ticketId, threadId } = await openThroughDiscord(s);
    const card = s.fake.messages(threadId)[0] as Json;
    const buttons = ((card['components'] as Json[])[0]?.['components'] as Json[]).map((b) => b['label']);
    expect(buttons).toEqual(['Schließen', 'Wieder öffnen', 'Bewerten']);
    const fields = ((card['embeds'] as Json[])[0]?.['fields'] as Json[]).map((f) => f['name']);
    expect(fields).toContain('Priorität');
    await s.h.desk.setStatus(ticketId, 'resolved');
    const line = await waitFor(() => s.fake.messages(threadId).find((m) => String(m['content']).startsWith('Status')), 'the status line');
    expect(line['content']).toMatch(/resolved/);
  });
});
