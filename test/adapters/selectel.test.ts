import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createProvider, withPacing } from '../../adapters/selectel/index.js';
import { decodeCursor } from '../../adapters/selectel/map.js';
import { SELECTEL_PACING, selectelLimiter } from '../../adapters/selectel/pacing.js';
import type { OpenTicketInput } from '../../src/domain.js';
import { ConfigError, FieldErrors, ProviderError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { attributedText, type ProviderFactory } from '../../src/provider.js';
import { SETTLE_MS, decodeMark, encodeMark, walkUpdated, type ListPage } from '../../src/provider-kit/update-walk.js';
import { providerContract } from '../contracts/provider-contract.js';
import { startSelectelFake } from '../../fakes/providers/selectel.js';
import { ada, adapterRig, relayLike } from './rig.js';

const validInput: OpenTicketInput = {
  subject: 'Cloud server unreachable after reboot',
  description: 'Server 7f3c stopped answering on its public IP after a reboot at 10:05 UTC.',
  category: 'technical_question',
};

providerContract('selectel', {
  start: startSelectelFake,
  factory: createProvider,
  validInput,
  invalidInput: { input: { ...validInput, subject: 'x'.repeat(256) }, field: 'subject' },
  badCredentials: { SELECTEL_TOKEN: 'sl-static-0000000000000000wrong' },
  missingId: '999999',
});

/** Pacing that keeps the documented ratio but fits a test: 2 tickets per 300 ms. */
const QUICK = { windowMs: 300 };
/** Selectel whose update walk reads `now`, with room for a test's burst of tickets. */
const onClock = (now: () => number): ProviderFactory => (deps) => withPacing({ windowMs: 1, tickets: 10 })({ ...deps, now });

describe('selectel adapter', () => {
  const { setup, last, deps } = adapterRig(startSelectelFake, withPacing(QUICK));
  const oldShape = (number: number, key: string, closed: boolean) => ({
    closed_at: closed ? '2019-08-24T14:15:22Z' : null,
    created_at: '2019-08-24T14:15:22Z',
    is_client_author: true,
    is_client_read: true,
    is_closed: closed,
    is_resolved: false,
    number,
    status: { en: 'Open', ru: 'Открыт' },
    status_key: key,
    summary: 'string',
    updated_at: '2019-08-24T14:15:22Z',
    vote: { comment: 'string', created_at: '2019-08-24T14:15:22Z', score: 0 },
    access_level: 'account_users',
    keystone_projects: ['string'],
    notice_id: 0,
    splitted_from_ticket_number: 0,
  });

  it('creates a ticket with every required v1.2 field, authorised by X-Token', async () => {
    const { fake, provider } = await setup({ SELECTEL_PROJECTS: 'p-1, p-2', SELECTEL_ACCESS_LEVEL: 'project_users' });
    const { ticket, comments } = await provider.createTicket({ ...validInput, priority: 'urgent' }, ada);
    const sent = last(fake);
    expect(sent).toMatchObject({ method: 'POST', path: '/tickets' });
    expect(sent.headers['x-token']).toBe(fake.env.SELECTEL_TOKEN);
    expect(sent.headers.authorization).toBeUndefined();
    // No priority field exists, so none is sent.
    expect(sent.body).toEqual({
      access_level: 'project_users',
      categories: ['technical_question'],
      files: [],
      keystone_projects: ['p-1', 'p-2'],
      products: ['cloud_servers'],
      secrets: [],
      summary: validInput.subject,
      comment_body: attributedText(validInput.description, ada),
    });
    expect(ticket).toMatchObject({ id: expect.stringMatching(/^\d+$/), status: 'open', vendorStatus: 'new', category: 'technical_question' });
    expect(ticket.description).toBe(attributedText(validInput.description, ada));
    expect(comments).toEqual([]);
  });

  it('files under the first SELECTEL_CATEGORY when the person picks none', async () => {
    const { fake, provider } = await setup({ SELECTEL_CATEGORY: 'billing,network' });
    await provider.createTicket({ subject: 'Invoice', description: 'Charged twice', category: '  ' }, ada);
    expect(last(fake).body).toMatchObject({ categories: ['billing'], access_level: 'account_users', keystone_projects: [] });
    expect(provider.fields.find((f) => f.name === 'category')?.options?.map((o) => o.label)).toEqual(['Billing', 'Network']);
    expect(provider.fields.some((f) => f.name === 'priority')).toBe(false);
  });

  it('refuses a 256-character summary as a subject field error before any call, and takes 255 emoji', async () => {
    const { fake, provider } = await setup();
    const long = { ...validInput, subject: 'a'.repeat(256) };
    expect(provider.validateOpen(long)).toEqual({ subject: 'Subject must be at most 255 characters' });
    const error = await provider.createTicket(long, ada).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FieldErrors);
    expect((error as FieldErrors).fields).toHaveProperty('subject');
    expect(fake.requests).toHaveLength(0);
    // Code points, as the vendor counts them: 255 emoji are 510 UTF-16 units but a valid summary.
    const emoji = { ...validInput, subject: '🚀'.repeat(255) };
    expect(provider.validateOpen(emoji)).toEqual({});
    await provider.createTicket(emoji, ada);
    expect((last(fake).body as { summary: string }).summary).toBe(emoji.subject);
  });

  it('names the description when the attribution line pushes comment_body past 50000 characters', async () => {
    const { fake, provider } = await setup();
    const input = { ...validInput, description: 'x'.repeat(49_790) };
    expect(provider.validateOpen(input)).toEqual({});
    const error = await provider.createTicket(input, { ...ada, name: 'N'.repeat(300) }).catch((e: unknown) => e);
    expect((error as FieldErrors).fields).toHaveProperty('description');
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses a category outside the vendor’s own list, and surfaces the vendor words while it is unknown', async () => {
    const { fake, provider } = await setup();
    await provider.refreshFields!();
    expect(last(fake)).toMatchObject({ method: 'GET', path: '/categories', query: { is_only_active: 'true' } });
    fake.requests.length = 0;
    expect(provider.validateOpen({ ...validInput, category: 'hardware' })).toEqual({
      category: 'Category must be one of: technical_question, billing, network',
    });
    expect(fake.requests).toHaveLength(0);
    // Without a configured list the vendor judges the key, and its refusal reaches the person.
    const open = withPacing(QUICK)(deps({ ...fake.env, SELECTEL_CATEGORY: '' }));
    expect(open.validateOpen({ ...validInput, category: 'hardware' })).toEqual({});
    const error = (await open.createTicket({ ...validInput, category: 'hardware' }, ada).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid', status: 400, vendorMessage: 'Category hardware not found' });
  });

  it('fake: rejects a create without a required field with a field-level 400', async () => {
    const { fake } = await setup();
    const res = await request(`${fake.url}/tickets`, {
      method: 'POST',
      headers: { 'x-token': fake.env.SELECTEL_TOKEN!, 'content-type': 'application/json' },
      body: JSON.stringify({ access_level: 'all_users', categories: [], files: [], keystone_projects: [], products: ['x'], summary: 's' }),
    });
    expect(res.statusCode).toBe(400);
    expect(await res.body.json()).toEqual({ detail: [{ loc: ['body', 'secrets'], msg: 'field required', type: 'value_error' }] });
  });

  it('reads both ticket shapes, tolerating unknown fields', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const n = Number(ticket.id);
    fake.failNext(1, { status: 200, body: { ...oldShape(n, 'in_progress', false), brand_new_field: { x: 1 } } }, /^\/tickets\/\d+$/);
    expect((await provider.getTicket(ticket.id)).ticket).toMatchObject({ id: ticket.id, status: 'in_progress', vendorStatus: 'in_progress' });
    fake.failNext(1, { status: 200, body: oldShape(n, 'closed', true) }, /^\/tickets\/\d+$/);
    fake.failNext(1, { status: 400, body: { detail: 'Ticket is closed' } }, /comments$/);
    const closed = await provider.getTicket(ticket.id);
    expect(closed.ticket.status).toBe('closed');
    expect(closed.comments).toEqual([]);
    fake.setStatus(ticket.id, 'resolved');
    expect((await provider.getTicket(ticket.id)).ticket).toMatchObject({ status: 'resolved', vendorStatus: 'resolved' });
  });

  it('names the field of an unexpected ticket shape in a malformed error', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const record = fake.ticket(ticket.id)!;
    fake.failNext(1, { status: 200, body: { ...record, number: String(record.number) } });
    const error = (await provider.getTicket(ticket.id).catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ kind: 'malformed', method: 'GET', path: `/tickets/${ticket.id}` });
    expect(error.message).toMatch(/unexpected response: number/);
  });

  it('tells support from customer by is_client_author, and holds a comment without the flag', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const agentId = fake.addAgentComment(ticket.id, 'Please check the firewall.', 'Grace Hopper');
    const reply = attributedText('Firewall is open.', ada);
    const { id } = await provider.addComment(ticket.id, { text: reply, author: ada });
    expect(last(fake)).toMatchObject({ method: 'POST', path: `/tickets/${ticket.id}/comments`, body: { body: reply } });
    const { ticket: read, comments } = await provider.getTicket(ticket.id);
    expect(read.description).toBe(attributedText(validInput.description, ada));
    expect(comments.map((c) => [c.id, c.origin, c.author, c.text])).toEqual([
      [agentId, 'agent', 'Grace Hopper', 'Please check the firewall.'],
      [id, 'customer', 'Customer', reply],
    ]);

    const items = [{ id: 1, body: 'desc', is_client_author: true }, { id: 2, body: 'Auto-reply', files: [], sent_at: '2019-08-24T14:15:22Z' }];
    fake.failNext(1, { status: 200, body: { items } }, /comments$/);
    expect((await provider.getTicket(ticket.id)).comments).toEqual([
      { id: '2', ticketId: ticket.id, origin: 'unknown', author: 'Unknown', text: 'Auto-reply', createdAt: '2019-08-24T14:15:22Z' },
    ]);
  });

  it('reads a written comment whose answer is not a comment as outcome unknown, and refuses an over-long one before any call', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.oddSuccess({ ok: true }, /comments$/);
    const odd = await provider.addComment(ticket.id, { text: 'hi', author: ada }).catch((e: unknown) => e);
    expect(odd).toMatchObject({ kind: 'malformed', method: 'POST', path: `/tickets/${ticket.id}/comments` });
    expect(fake.comments(ticket.id).at(-1)).toEqual({ text: 'hi', byCustomer: true });
    const before = fake.requests.length;
    const error = await provider.addComment(ticket.id, { text: 'x'.repeat(50_001), author: ada }).catch((e: unknown) => e);
    expect((error as FieldErrors).fields).toHaveProperty('text');
    expect(fake.requests.length).toBe(before);
  });

  it('reads a vote answered with something other than the vote as outcome unknown', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.oddSuccess({ ok: true }, /vote$/);
    expect(await provider.rateTicket!(ticket.id, 5).catch((e: unknown) => e)).toMatchObject({ kind: 'malformed', path: `/tickets/${ticket.id}/vote` });
  });

  it('closes with an empty body, reopens with the reason, and rates on the 1..10 scale', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    await provider.closeTicket!(ticket.id);
    expect(last(fake)).toMatchObject({ method: 'POST', path: `/tickets/${ticket.id}/close`, body: {} });
    expect((await provider.getTicket(ticket.id)).ticket.status).toBe('closed');
    await provider.reopenTicket!(ticket.id, 'Still down');
    expect(last(fake)).toMatchObject({ path: `/tickets/${ticket.id}/reopen`, body: { body: 'Still down' } });
    expect(fake.comments(ticket.id).at(-1)).toEqual({ text: 'Still down', byCustomer: true });
    const scores: unknown[] = [];
    for (const score of [1, 2, 3, 4, 5]) {
      await provider.rateTicket!(ticket.id, score, score === 5 ? 'Great help' : undefined);
      scores.push(last(fake).body);
    }
    expect(scores).toEqual([{ score: 1 }, { score: 3 }, { score: 5 }, { score: 8 }, { score: 10, comment: 'Great help' }]);
    expect(await provider.rateTicket!(ticket.id, 6).catch((e: unknown) => e)).toBeInstanceOf(FieldErrors);
    expect(await provider.getTicket('abc').catch((e: unknown) => (e as ProviderError).kind)).toBe('not_found');
  });

  it('lists by update time, newest first, and reports only what changed past the high-water mark', async () => {
    // One clock for the fake's stamps and the walk's settle window.
    const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
    const now = () => clock.ms;
    const factory = onClock(now);
    const { fake, provider } = await setup({}, { factory, fake: { now } });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await provider.createTicket(validInput, ada)).ticket.id);
    const first = await provider.listUpdatedSince!(undefined, [ids[0]!]);
    expect(first.ticketIds).toEqual([ids[0]]);
    expect(last(fake)).toMatchObject({ path: '/tickets', query: { sort_by: 'updated_at', sort_by_order: 'desc', page: '1' } });

    // Past the settle window the mark's tickets are read one last time; then an idle poll is one list call.
    clock.ms += SETTLE_MS + 1;
    const settle = await provider.listUpdatedSince!(first.cursor, ids);
    expect(settle.ticketIds.sort()).toEqual([...ids].sort());
    const before = fake.requests.length;
    const quiet = await provider.listUpdatedSince!(settle.cursor, ids);
    expect(quiet.ticketIds).toEqual([]);
    expect(fake.requests.length - before).toBe(1);
    clock.ms += 1_000; // stamps are to the second
    fake.addAgentComment(ids[1]!, 'news');
    const next = await provider.listUpdatedSince!(quiet.cursor, ids);
    expect(next.ticketIds).toEqual([ids[1]]);
    clock.ms += SETTLE_MS + 1;
    expect((await provider.listUpdatedSince!(next.cursor, ids)).ticketIds).toEqual([ids[1]]);
    const after = await provider.listUpdatedSince!(next.cursor, ids);
    expect((await provider.listUpdatedSince!(after.cursor, ids)).ticketIds).toEqual([]);
  });

  it('relays both of two agent comments written in the same second, one before a poll and one after it', async () => {
    const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
    const now = () => clock.ms;
    const { fake, provider } = await setup({}, { factory: onClock(now), fake: { now } });
    const { ticket } = await provider.createTicket(validInput, ada);
    const relay = relayLike(provider, [ticket.id]);
    await relay.poll(); // first run: the followed ticket, nothing from support yet
    clock.ms = Date.parse('2030-01-01T00:00:07.100Z');
    fake.addAgentComment(ticket.id, 'Rebooting the host now.');
    await relay.poll();
    clock.ms = Date.parse('2030-01-01T00:00:07.600Z'); // same second, after that poll read the ticket
    fake.addAgentComment(ticket.id, 'Done, please check.');
    await relay.poll();
    expect(relay.relayed).toEqual(['Rebooting the host now.', 'Done, please check.']);
    // Once settled, polls read nothing more and relay nothing twice.
    clock.ms += SETTLE_MS + 1;
    await relay.poll();
    const before = fake.requests.length;
    await relay.poll();
    expect(fake.requests.length - before).toBe(1);
    expect(relay.relayed).toEqual(['Rebooting the host now.', 'Done, please check.']);
  });

  it('paces ticket creation to the documented two per window without refusing any', async () => {
    const { fake, provider } = await setup({}, { factory: withPacing({ windowMs: 300 }) });
    const started = Date.now();
    await Promise.all([1, 2, 3].map((i) => provider.createTicket({ ...validInput, subject: `t${i}` }, ada)));
    // Two go at once; the third waits for half a window (one token at 2 per 300 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('paces ticket and comment writes from separate buckets, and leaves reads alone', () => {
    const limiter = selectelLimiter();
    expect(limiter('POST', '/tickets')).toBe(limiter('POST', '/tickets'));
    expect(limiter('POST', '/tickets/12/comments')).toBe(limiter('POST', '/tickets/12/reopen'));
    expect(limiter('POST', '/tickets/12/comments')).not.toBe(limiter('POST', '/tickets'));
    for (const [method, path] of [['GET', '/tickets'], ['GET', '/tickets/12/comments'], ['POST', '/tickets/12/close'], ['POST', '/tickets/12/vote']]) {
      expect(limiter(method!, path!)).toBeUndefined();
    }
    expect(SELECTEL_PACING).toMatchObject({ tickets: 2, comments: 60, windowMs: 60_000 });
  });

  it('names a bad setting and never echoes its value', () => {
    const build = (env: Record<string, string>) => () => createProvider(deps(env));
    const base = { SELECTEL_TOKEN: 'sl-secret-value-123456', SELECTEL_PRODUCT: 'cloud_servers' };
    expect(build({ SELECTEL_PRODUCT: 'cloud_servers' })).toThrow(/SELECTEL_TOKEN/);
    expect(build({ SELECTEL_TOKEN: 't' })).toThrow(/SELECTEL_PRODUCT/);
    expect(build({ ...base, SELECTEL_ACCESS_LEVEL: 'everyone' })).toThrow(/SELECTEL_ACCESS_LEVEL.*account_users/);
    expect(build({ ...base, SELECTEL_ACCESS_LEVEL: 'project_users' })).toThrow(/SELECTEL_PROJECTS/);
    expect(build({ ...base, SELECTEL_BASE_URL: 'ftp://x' })).toThrow(ConfigError);
    const error = (() => {
      try {
        build({ ...base, SELECTEL_BASE_URL: 'not a url' })();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toMatch(/^SELECTEL_BASE_URL/);
    expect(error?.message).not.toContain(base.SELECTEL_TOKEN);
  });
});

describe('selectel update walk', () => {
  const at = (s: number) => new Date(Date.UTC(2024, 0, 1, 0, 0, s)).toISOString();
  function pages(...list: [string, number][][]) {
    const fetched: number[] = [];
    const fetchPage = (page: number) => {
      fetched.push(page);
      const items = (list[page - 1] ?? []).map(([id, s]) => ({ id, updatedAt: at(s) }));
      return Promise.resolve({ items, next: page < list.length ? page + 1 : undefined });
    };
    return { fetched, fetchPage };
  }
  /** A mark at `s`, settled long ago. */
  const settled = (s: number, ids: string[]) => encodeMark({ at: Date.parse(at(s)), ids, seenAt: 0, settled: true });
  /** The walk as the adapter runs it: from its stored cursor to the next. */
  const walk = async (cursor: string, fetchPage: (page: number) => Promise<ListPage<number>>, maxPages = 10, knownOpen: string[] = []) => {
    const { ticketIds, mark } = await walkUpdated({ mark: decodeCursor(cursor), knownOpen, first: 1, fetchPage, maxPages, logger: silentLogger, provider: 'selectel' });
    return { ticketIds, cursor: encodeMark(mark) };
  };

  it('stops at the first page that reaches below the mark', async () => {
    const { fetched, fetchPage } = pages([['e', 59], ['d', 55]], [['c', 52], ['a', 50], ['b', 40]], [['z', 10]]);
    const result = await walk(settled(50, ['a']), fetchPage);
    expect(result.ticketIds).toEqual(['e', 'd', 'c']);
    expect(fetched).toEqual([1, 2]);
    expect(decodeMark(result.cursor)).toEqual({ at: Date.parse(at(59)), ids: ['e'], seenAt: expect.any(Number), settled: false });
  });

  it('counts a ticket stamped in the same second as the mark once', async () => {
    const { fetchPage } = pages([['b', 50], ['a', 50], ['c', 49]]);
    const result = await walk(settled(50, ['a']), fetchPage);
    expect(result.ticketIds).toEqual(['b']);
    const again = await walk(result.cursor, fetchPage);
    expect(again.ticketIds).toEqual([]);
  });

  it('falls back to the followed tickets when too much changed', async () => {
    const { fetched, fetchPage } = pages([['x', 9]], [['y', 8]], [['z', 7]]);
    const result = await walk(settled(1, []), fetchPage, 2, ['k']);
    expect(fetched).toEqual([1, 2]);
    expect(result.ticketIds.sort()).toEqual(['k', 'x', 'y']);
  });

  it('reads a cursor stored in the earlier `<time>|<ids>` format, re-reading its mark once', async () => {
    expect(decodeCursor(`${at(50)}|a,b`)).toEqual({ at: Date.parse(at(50)), ids: ['a', 'b'], seenAt: undefined, settled: false });
    expect(decodeCursor('not a cursor')).toBeUndefined();
    const { fetchPage } = pages([['b', 50], ['a', 50], ['c', 49]]);
    const result = await walk(`${at(50)}|a`, fetchPage);
    expect(result.ticketIds.sort()).toEqual(['a', 'b']);
    expect((await walk(result.cursor, fetchPage)).ticketIds).toEqual([]);
  });
});
