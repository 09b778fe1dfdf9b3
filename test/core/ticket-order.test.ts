import { describe, expect, it } from 'vitest';
import { compareTicketIds, newestFirst } from '../../src/links.js';

describe('ticket order', () => {
  it('puts the newest link first, and links of the same moment by the highest id, numbers compared as numbers', () => {
    const links = [
      { ticketId: 'T-9', createdAt: '2030-01-01T00:00:00.000Z' },
      { ticketId: 'T-10', createdAt: '2030-01-01T00:00:00.000Z' },
      { ticketId: 'T-2', createdAt: '2030-01-02T00:00:00.000Z' },
      { ticketId: 'T-100', createdAt: '2029-12-31T23:59:59.999Z' },
    ];
    expect([...links].sort(newestFirst).map((l) => l.ticketId)).toEqual(['T-2', 'T-10', 'T-9', 'T-100']);
  });

  it('compares ticket ids with their numbers as numbers', () => {
    expect(['10', '9', '100', 'a2', 'a10'].sort(compareTicketIds)).toEqual(['9', '10', '100', 'a2', 'a10']);
  });
});
