import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalDesk } from '../../adapters/local/desk.js';
import { openStore } from '../../src/store/index.js';

describe('local desk', () => {
  afterEach(() => vi.useRealTimers());

  it('keeps comments written within one millisecond in the order they were written', async () => {
    const kv = await openStore('sqlite://:memory:');
    const desk = new LocalDesk(kv);
    const ticket = await desk.create({ subject: 'Printer', description: 'It jams' }, { key: 'console:alice', name: 'Alice' });
    vi.useFakeTimers({ toFake: ['Date'] }); // the clock stands still: every comment gets the same time
    for (let i = 1; i <= 6; i++) await desk.comment(ticket.id, 'agent', 'Grace', `Answer ${i}`);
    expect((await desk.comments(ticket.id)).map((c) => c.text)).toEqual(['Answer 1', 'Answer 2', 'Answer 3', 'Answer 4', 'Answer 5', 'Answer 6']);
    await kv.close();
  });
});
