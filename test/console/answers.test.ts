import { afterEach, describe, expect, it } from 'vitest';
import { runLine } from '../../bots/console/commands.js';
import type { ChatContext } from '../../handlers/types.js';
import { silentLogger } from '../../src/logger.js';
import { startHarness, type Harness } from '../support/harness.js';

const ctx: ChatContext = {
  actor: { requester: { key: 'console:ada', name: 'ada' }, isStaff: false },
  logger: silentLogger,
  startThread: async (card) => ({ thread: `console:${card.ticketId}` }),
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
});
