import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand, parseTicketCommand } from '../../handlers/command.js';
import { dispatch, type CommandOrigin } from '../../handlers/dispatch.js';
import { say, type Phrase } from '../../handlers/i18n.js';
import type { ChatContext } from '../../handlers/types.js';
import { silentLogger } from '../../src/logger.js';
import { startHarness, type Harness } from '../support/harness.js';

const ada: ChatContext = {
  actor: { requester: { key: 'test:ada', name: 'Ada' }, isStaff: false },
  logger: silentLogger,
  place: 'test:place',
};

/** An origin that counts how often the person acting was looked up. */
function originFor(ctx: ChatContext, forms: boolean): CommandOrigin & { lookups: number } {
  const origin = {
    forms,
    eventKey: 'test:1',
    lookups: 0,
    context: async () => {
      origin.lookups += 1;
      return ctx;
    },
  };
  return origin;
}

/** A parse error as an English reader sees it. */
const english = (message: string | Phrase): string => (typeof message === 'string' ? message : say('en', message));

describe('parsing /ticket text', () => {
  it('names the field and the usage for every malformed command', () => {
    const errors = ['reply', 'reply 1', 'status', 'close #', 'reopen', 'rate', 'rate 1', 'rate 1 6', 'retry', 'Frobnicate now'].map((text) => {
      const parsed = parseTicketCommand(text);
      return parsed.name === 'error' ? english(parsed.message) : `not an error: ${JSON.stringify(parsed)}`;
    });
    expect(errors).toEqual([
      'ticket id: expects /ticket reply <id> <text>',
      'text: expects /ticket reply <id> <text>',
      'ticket id: expects /ticket status <id>',
      'ticket id: expects /ticket close <id>',
      'ticket id: expects /ticket reopen <id> <text>',
      'ticket id: expects /ticket rate <id> <1-5> [comment]',
      'score: expects a whole number from 1 to 5',
      'score: expects a whole number from 1 to 5',
      'delivery: expects /ticket retry <delivery> as shown by /ticket status',
      'command: expects one of open, reply, status, list, close, reopen, rate, retry, help (got "Frobnicate")',
    ]);
  });

  it('reads quoted fields, loose words as the subject, #ids and optional text', () => {
    expect(parseTicketCommand('open Printer on fire priority=high category="2nd floor"')).toEqual({
      name: 'open',
      fields: { subject: 'Printer on fire', priority: 'high', category: '2nd floor' },
    });
    expect(parseTicketCommand('')).toEqual({ name: 'open', fields: {} });
    expect(parseTicketCommand('REPLY #7 still broken')).toEqual({ name: 'reply', ticketId: '7', text: 'still broken' });
    expect(parseTicketCommand('reopen 7')).toEqual({ name: 'reopen', ticketId: '7' });
    expect(parseTicketCommand('rate 7 4 quick and kind')).toEqual({ name: 'rate', ticketId: '7', score: '4', comment: 'quick and kind' });
  });

  it('checks a command built from platform options with the same rules', () => {
    expect(checkCommand({ name: 'rate', ticketId: ' #9 ', score: 5, comment: undefined })).toEqual({ name: 'rate', ticketId: '9', score: '5' });
    const refused = checkCommand({ name: 'rate', ticketId: '9', score: null });
    expect(refused.name === 'error' && english(refused.message)).toBe('score: expects a whole number from 1 to 5');
    expect(refused.name === 'error' && say('de', refused.message as Phrase)).toBe('Bewertung: erwartet eine ganze Zahl von 1 bis 5');
  });
});

describe('dispatch', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers /ticket open with the form where one can be shown, without looking the person up', async () => {
    h = await startHarness();
    const origin = originFor(ada, true);
    const reply = await dispatch(h.service, parseTicketCommand('open Printer on fire priority=high'), origin);
    expect(reply).toEqual({ form: 'open', draft: { subject: 'Printer on fire', priority: 'high' } });
    expect(origin.lookups).toBe(0);
    expect(await h.service.listMine(ada.actor.requester)).toEqual([]);
  });

  it('opens the ticket at once where no form can be shown, linked before any card is posted', async () => {
    h = await startHarness();
    // No front-end owns the place 'test:place': the card cannot be posted, the ticket is still the person's.
    const reply = await dispatch(h.service, parseTicketCommand('open subject="Printer on fire" description="Tray 2"'), { ...originFor(ada, false), forms: false });
    expect(reply).toMatchObject({ ok: true, text: 'Ticket #1 opened with Local desk.' });
    expect((await h.service.listMine(ada.actor.requester)).map((l) => [l.subject, l.thread])).toEqual([['Printer on fire', '']]);
    const status = await dispatch(h.service, parseTicketCommand('status 1'), { ...originFor(ada, false), forms: false });
    expect(status).toMatchObject({ ok: true, card: { ticketId: '1', subject: 'Printer on fire' } });
  });

  it('answers help and a malformed command without looking the person up', async () => {
    h = await startHarness();
    const origin = originFor(ada, true);
    const help = await dispatch(h.service, parseTicketCommand('help'), origin);
    expect(help).toMatchObject({ ok: true });
    expect('text' in help ? help.text.split('\n') : []).toEqual(expect.arrayContaining(['Ticket commands:', '/ticket list [page] [open|closed|all]', 'priority: low | normal | high | urgent']));
    expect(await dispatch(h.service, parseTicketCommand('rate 1 9'), origin)).toEqual({ ok: false, text: 'score: expects a whole number from 1 to 5' });
    expect(origin.lookups).toBe(0);
  });

  it('queues a reply by id once, however often the same command arrives', async () => {
    h = await startHarness();
    const opened = await dispatch(h.service, parseTicketCommand('open subject=Export description=Fails'), { ...originFor(ada, false), forms: false });
    expect(opened.ok).toBe(true);
    const first = await dispatch(h.service, parseTicketCommand('reply 1 any news?'), { ...originFor(ada, false), forms: false });
    const again = await dispatch(h.service, parseTicketCommand('reply 1 any news?'), { ...originFor(ada, false), forms: false });
    expect([first.text, again.text]).toEqual(['Sent to Local desk on #1.', 'Already sent.']);
    const stranger = { ...ada, actor: { requester: { key: 'test:mallory', name: 'Mallory' }, isStaff: false } };
    expect(await dispatch(h.service, parseTicketCommand('reply 1 let me in'), { ...originFor(stranger, false), forms: false })).toEqual({
      ok: false,
      text: 'No ticket #1 that you can see.',
    });
  });
});
