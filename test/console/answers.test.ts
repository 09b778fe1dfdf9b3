import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { startConsole } from '../../bots/console/index.js';
import { runLine } from '../../bots/console/commands.js';
import { ConsoleSink } from '../../bots/console/sink.js';
import type { ChatContext } from '../../handlers/types.js';
import { silentLogger } from '../../src/logger.js';
import { startHarness, waitFor, type Harness } from '../support/harness.js';

const ctx: ChatContext = {
  actor: { requester: { key: 'console:ada', name: 'ada' }, isStaff: false },
  logger: silentLogger,
  place: 'console-place:ada',
};

describe('console answers', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('prints a subject carrying terminal escapes without its control characters, in every answer', async () => {
    h = await startHarness();
    let n = 0;
    const run = (line: string) => runLine(h!.service, ctx, line, ++n);
    const opened = await run('/ticket open subject="Red\u001b[31m alert\u0007" description="Bell\u0007 and clear\u001b[2J"');
    expect(opened).toEqual(['Ticket #1 opened with Local desk.', '#1 Red[31m alert [open] with Local desk, for ada']);
    const answers = [...opened, ...(await run('/ticket list')), ...(await run('/ticket status 1')), ...(await run('/ticket close 1'))];
    expect(answers).toContain('#1 Red[31m alert (open)');
    for (const line of answers) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('prints no bidirectional override, isolate or mark, in answers and in relayed posts', async () => {
    h = await startHarness();
    let n = 0;
    const run = (line: string) => runLine(h!.service, ctx, line, ++n);
    // "invoice\u202Efdp.exe" shows as "invoiceexe.pdf" in a terminal that honours the override.
    const answers = [...(await run('/ticket open subject="invoice\u202Efdp.exe \u2067x\u2069\u200f" description="d"')), ...(await run('/ticket list'))];
    expect(answers).toContain('#1 invoicefdp.exe x (open)');
    const printed: string[] = [];
    await new ConsoleSink((line) => printed.push(line)).postToThread({ ticketId: '1' }, { kind: 'comment', ticketId: '1', author: 'Eve\u202E', text: 'see \u202Atxt.exe\u202C and \u2066y\u2069' }, 'k');
    expect(printed).toEqual(['[#1] Eve: see txt.exe and y']);
    for (const line of [...answers, ...printed]) expect(line).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
  });

  it.each([
    ['zero-width spaces', '\u200b\u200b\u200b'],
    ['a byte-order mark and a word joiner', '\ufeff\u2060'],
    ['a Hangul filler', '\u3164'],
    ['bidi controls and a no-break space', '\u202e\u00a0\u2066'],
  ])('refuses a subject of %s only, naming the field in words', async (_what, subject) => {
    h = await startHarness();
    expect(await runLine(h.service, ctx, `/ticket open subject="${subject}" description="Smoke"`, 1)).toEqual([
      'subject: required: a short summary (invisible characters alone do not count)',
    ]);
    expect(await runLine(h.service, ctx, `/ticket open subject="Fire" description="${subject}"`, 2)).toEqual([
      'description: required: what happened (invisible characters alone do not count)',
    ]);
    expect(await h.service.listMine(ctx.actor.requester)).toEqual([]);
  });
});

describe('/ticket list at the terminal', () => {
  it('pages by ten, newest first, and names the command for the next page', async () => {
    const h = await startHarness();
    try {
      let n = 0;
      for (let i = 1; i <= 12; i++) await runLine(h.service, ctx, `/ticket open subject="Issue ${i}" description=d`, ++n);
      const first = await runLine(h.service, ctx, '/ticket list', ++n);
      expect(first[0]).toBe('#12 Issue 12 (open)');
      expect(first.slice(-2)).toEqual(['Page 1 of 2 (12 tickets)', 'Next page: /ticket list 2']);
      expect(await runLine(h.service, ctx, '/ticket list 2', ++n)).toEqual(['#2 Issue 2 (open)', '#1 Issue 1 (open)', 'Page 2 of 2 (12 tickets)']);
      expect(await runLine(h.service, ctx, '/ticket list closed', ++n)).toEqual(['You have no closed tickets.']);
    } finally {
      await h.close();
    }
  });
});

describe('the console in the terminal’s language', () => {
  it('answers and prints relayed status lines in the language LANG names, vendor words untouched', async () => {
    const h = await startHarness();
    const input = new PassThrough();
    const output = new PassThrough();
    const lines: string[] = [];
    createInterface({ input: output }).on('line', (line) => lines.push(line));
    const front = startConsole({ service: h.service, kv: h.kv, logger: silentLogger, env: { USER: 'olga', LANG: 'ru_RU.UTF-8' } }, { input, output });
    h.bridge.attach(front);
    h.bridge.start();
    try {
      input.write('/ticket open subject="Принтер" description="Дымит"\n');
      await waitFor(() => lines.includes('Заявка #1 открыта в Local desk.'));
      await h.desk.setStatus('1', 'closed');
      await waitFor(() => lines.some((l) => l.startsWith('[#1] статус: closed')));
      input.write('/ticket frobnicate\n');
      await waitFor(() => lines.some((l) => l.startsWith('команда: ожидается одна из')));
    } finally {
      await front.stop();
      await h.close();
    }
  });
});
