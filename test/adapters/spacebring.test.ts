import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../adapters/spacebring/index.js';
import { decodeCursor, toStatus } from '../../adapters/spacebring/map.js';
import type { OpenTicketInput } from '../../src/domain.js';
import { ConfigError, FieldErrors, type ProviderError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { attributedText, capabilitiesOf } from '../../src/provider.js';
import { SETTLE_MS, decodeMark, encodeMark, walkUpdated, type ListPage } from '../../src/provider-kit/update-walk.js';
import { providerContract } from '../contracts/provider-contract.js';
import { SPACEBRING_FAKE_API_KEYS, startSpacebringFake } from '../../fakes/providers/spacebring.js';
import type { FakeProviderServer } from '../../fakes/providers/types.js';
import { ada, adapterRig, relayLike } from './rig.js';

const validInput: OpenTicketInput = {
  subject: 'Wi-Fi drops in meeting room 3',
  description: 'The connection drops every few minutes since this morning.',
  category: 'internet',
};

providerContract('spacebring', {
  start: startSpacebringFake,
  factory: createProvider,
  validInput,
  invalidInput: { input: { ...validInput, category: 'hardware' }, field: 'category' },
  badCredentials: { SPACEBRING_TOKEN: 'sb-oauth-expired-0000000000000000000000' },
  missingId: '00000000-0000-4000-8000-000000000000',
});

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('spacebring adapter', () => {
  const { setup, last, deps } = adapterRig(startSpacebringFake, createProvider);
  /** A GET answer built from what the fake holds, with its activities swapped for `activities`. */
  const withActivities = (f: FakeProviderServer, id: string, activities: object[], ticket: object = {}) => {
    const { activities: _held, ...held } = f.ticket(id)!;
    return { status: 200, body: { ticket: { ...held, ...ticket }, activities } };
  };

  it('opens a ticket as one text, subject first, with the location, type and requester, by Bearer token and network id', async () => {
    const { fake, provider } = await setup();
    const { ticket, comments } = await provider.createTicket(validInput, ada);
    const sent = last(fake);
    expect(sent).toMatchObject({ method: 'POST', path: '/support/tickets/v1' });
    expect(sent.headers.authorization).toBe(`Bearer ${fake.env.SPACEBRING_TOKEN}`);
    expect(sent.headers['spacebring-network-id']).toBe(fake.env.SPACEBRING_NETWORK_ID);
    expect(sent.body).toEqual({
      ticket: {
        locationRef: fake.env.SPACEBRING_LOCATION_REF,
        text: `Wi-Fi drops in meeting room 3\n\n${attributedText(validInput.description, ada)}`,
        type: 'internet',
        userRefRequester: fake.env.SPACEBRING_REQUESTER_REF,
      },
    });
    expect(ticket).toMatchObject({
      subject: 'Wi-Fi drops in meeting room 3',
      description: attributedText(validInput.description, ada),
      status: 'open',
      vendorStatus: 'New',
      category: 'internet',
    });
    // The creation entry repeats the text: it is the description, not a comment.
    expect(comments).toEqual([]);
  });

  it('takes a type by its label, falls back to SPACEBRING_TYPE, folds the subject onto one line and drops priority', async () => {
    const { fake, provider } = await setup({ SPACEBRING_TYPE: 'cleaning' });
    await provider.createTicket({ subject: 'Parcel', description: 'Lost', category: 'Mail and packages' }, ada);
    expect(last(fake).body).toMatchObject({ ticket: { type: 'mailAndPackages' } });
    const { ticket } = await provider.createTicket({ subject: 'Spill\nin the kitchen', description: 'Coffee', priority: 'urgent' }, ada);
    const body = last(fake).body as { ticket: Record<string, unknown> };
    expect(body.ticket).toMatchObject({ type: 'cleaning', text: expect.stringMatching(/^Spill in the kitchen\n\nCoffee/) });
    expect(Object.keys(body.ticket)).not.toContain('priority');
    expect(ticket.subject).toBe('Spill in the kitchen');
  });

  it('authenticates with customer API keys as HTTP Basic, without a network id', async () => {
    const { fake, provider } = await setup({ SPACEBRING_TOKEN: '', SPACEBRING_NETWORK_ID: '', ...SPACEBRING_FAKE_API_KEYS });
    await provider.createTicket(validInput, ada);
    const { SPACEBRING_CLIENT_ID: id, SPACEBRING_CLIENT_SECRET: secret } = SPACEBRING_FAKE_API_KEYS;
    expect(last(fake).headers.authorization).toBe(`Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`);
    expect(last(fake).headers['spacebring-network-id']).toBeUndefined();
  });

  it('catches an empty subject or description and an unknown type before any call', async () => {
    const { fake, provider } = await setup();
    const errors = provider.validateOpen({ subject: ' ', description: ' ', category: 'hardware' });
    expect(Object.keys(errors).sort()).toEqual(['category', 'description', 'subject']);
    expect(errors.category).toContain('Temperature and ventilation');
    expect(provider.validateOpen({ ...validInput, category: 'Repair and Maintenance' })).toEqual({});
    await expect(provider.createTicket({ ...validInput, category: 'hardware' }, ada)).rejects.toBeInstanceOf(FieldErrors);
    expect(fake.requests).toHaveLength(0);
  });

  it("surfaces Spacebring's message from its {message, type} error body", async () => {
    const { fake, provider } = await setup();
    fake.failNext(1, { status: 400, body: { message: '"ticket.text" is required', type: 'invalidRequest' } });
    const error = (await provider.createTicket(validInput, ada).catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ kind: 'invalid', status: 400, vendorMessage: '"ticket.text" is required' });
    const elsewhere = await setup({ SPACEBRING_LOCATION_REF: ID(9) });
    const missing = (await elsewhere.provider.createTicket(validInput, ada).catch((e: unknown) => e)) as ProviderError;
    expect(missing).toMatchObject({ kind: 'not_found', vendorMessage: 'Location not found' });
  });

  it('fake: answers 401 to a token without its network id, and 400 to a ticket without text', async () => {
    const { fake } = await setup();
    const post = async (headers: Record<string, string>, body: unknown) => {
      const res = await request(`${fake.url}/support/tickets/v1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.env.SPACEBRING_TOKEN}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.statusCode, body: await res.body.json() };
    };
    const network = { 'spacebring-network-id': fake.env.SPACEBRING_NETWORK_ID! };
    expect(await post({}, { ticket: { locationRef: fake.env.SPACEBRING_LOCATION_REF, text: 'x' } })).toMatchObject({ status: 401 });
    expect(await post(network, { ticket: { locationRef: fake.env.SPACEBRING_LOCATION_REF } })).toEqual({
      status: 400,
      body: { message: '"ticket.text" is required', type: 'invalidRequest' },
    });
  });

  it('posts a reply as a comment activity and returns its id, which the next read carries', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const text = attributedText('Still dropping after the router restart.', ada);
    const { id } = await provider.addComment(ticket.id, { text, author: ada });
    expect(last(fake)).toMatchObject({ method: 'POST', path: '/support/tickets/v1/comment', body: { activity: { ticketRef: ticket.id, text } } });
    const { comments } = await provider.getTicket(ticket.id);
    // Written by the API client, so no actor: held as unknown, and recognised as ours by its id.
    expect(comments).toEqual([expect.objectContaining({ id, origin: 'unknown', text })]);
  });

  it("tells support (another member, the automated responder) from the requester's own comments", async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const held = fake.ticket(ticket.id)!;
    const requester = held.membershipRequester as object;
    const created = (held.activities as object[])[0]!;
    const at = (s: number) => `2030-01-01T00:00:0${s}Z`;
    fake.failNext(1, withActivities(fake, ticket.id, [
      created,
      { id: ID(1), type: 'comment', createDate: at(1), membership: requester, data: { text: 'From the app' } },
      { id: ID(2), type: 'comment', createDate: at(2), lemAI: { name: 'Lem' }, data: { text: 'Try reconnecting.' } },
      { id: ID(3), type: 'comment', createDate: at(3), membership: { id: ID(30), roleType: 'admin', user: { id: ID(31), name: 'Grace', surname: 'Hopper' } }, data: { text: 'On it.', attachments: [{ name: 'map.png', url: 'https://files.example/map.png' }] } },
      { id: ID(4), type: 'assigneeUpdated', createDate: at(4), data: {} },
      { id: ID(5), type: 'internalNote', createDate: at(5), data: { text: 'note' } },
    ]));
    const { comments } = await provider.getTicket(ticket.id);
    expect(comments.map((c) => [c.id, c.origin, c.author, c.text])).toEqual([
      [ID(1), 'customer', 'Ada Lovelace', 'From the app'],
      [ID(2), 'agent', 'Lem', 'Try reconnecting.'],
      [ID(3), 'agent', 'Grace Hopper', 'On it.'],
      [ID(5), 'unknown', 'Unknown author', 'note'],
    ]);
    // The attachment is a file of the comment (a link only: files.example is not a file host of the bot).
    expect(comments[2]?.files).toEqual([{ name: 'map.png', contentType: 'application/octet-stream', url: 'https://files.example/map.png' }]);
  });

  it("reads the seed's activities, which carry no type, newest first, and a ticket without status", async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const text = (fake.ticket(ticket.id)!.description as string);
    const staff = { id: ID(30), roleType: 'admin', user: { id: ID(31), name: 'Grace', surname: 'Hopper' } };
    fake.failNext(1, withActivities(fake, ticket.id, [
      { id: ID(3), createDate: '2030-01-01T00:00:03Z', membership: staff, data: { status: 'solved' } },
      { id: ID(2), createDate: '2030-01-01T00:00:02Z', membership: staff, data: { text: 'Fixed the access point.', attachments: [] } },
      { id: ID(1), createDate: '2030-01-01T00:00:01Z', data: { text } },
    ], { status: undefined }));
    const { ticket: read, comments } = await provider.getTicket(ticket.id);
    expect(read).toMatchObject({ status: 'resolved', vendorStatus: 'Solved' });
    expect(comments.map((c) => [c.id, c.origin, c.text])).toEqual([[ID(2), 'agent', 'Fixed the access point.']]);
  });

  it('closes and reopens through the status call, the reason following as a comment', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    await provider.closeTicket!(ticket.id);
    expect(last(fake)).toMatchObject({ method: 'PUT', path: `/support/tickets/v1/${ticket.id}/status`, body: { ticket: { status: 'closed' } } });
    expect((await provider.getTicket(ticket.id)).ticket).toMatchObject({ status: 'closed', vendorStatus: 'Closed' });
    const before = fake.requests.length;
    await provider.reopenTicket!(ticket.id, 'It is back');
    expect(fake.requests.slice(before).map((r) => [r.method, r.body])).toEqual([
      ['PUT', { ticket: { status: 'inProgress' } }],
      ['POST', { activity: { ticketRef: ticket.id, text: 'It is back' } }],
    ]);
    expect((await provider.getTicket(ticket.id)).ticket.status).toBe('in_progress');
  });

  it('polls with one list call by update time, newest first, and reports only what changed', async () => {
    // One clock for the fake's stamps and the walk's settle window.
    const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
    const now = () => clock.ms;
    const { fake, provider } = await setup({}, { factory: (deps) => createProvider({ ...deps, now }), fake: { now } });
    const { ticket: a } = await provider.createTicket(validInput, ada);
    const { ticket: b } = await provider.createTicket(validInput, ada);
    const first = await provider.listUpdatedSince!(undefined, [a.id, b.id]);
    expect(first.ticketIds.sort()).toEqual([a.id, b.id].sort());
    expect(last(fake)).toMatchObject({
      method: 'GET',
      path: '/support/tickets/v1',
      query: { locationRef: fake.env.SPACEBRING_LOCATION_REF, limit: '50', order: 'updateDate:desc' },
    });
    // Inside the settle window the mark's tickets are re-read (their second may not be over);
    // the first poll past it reads them one last time, then an idle poll is the one list call.
    clock.ms += 100;
    const inside = await provider.listUpdatedSince!(first.cursor, [a.id, b.id]);
    expect(inside.ticketIds.sort()).toEqual([a.id, b.id].sort());
    clock.ms += SETTLE_MS;
    const settle = await provider.listUpdatedSince!(inside.cursor, [a.id, b.id]);
    expect(settle.ticketIds.sort()).toEqual([a.id, b.id].sort());
    const before = fake.requests.length;
    const idle = await provider.listUpdatedSince!(settle.cursor, [a.id, b.id]);
    expect(idle.ticketIds).toEqual([]);
    expect(fake.requests.length - before).toBe(1);
    clock.ms += 1_100;
    fake.addAgentComment(a.id, 'Replaced the access point', 'Grace Hopper');
    expect((await provider.listUpdatedSince!(idle.cursor, [a.id, b.id])).ticketIds).toEqual([a.id]);
  });

  it('relays both of two agent comments written in the same second, one before a poll and one after it', async () => {
    const clock = { ms: Date.parse('2030-01-01T00:00:00Z') };
    const now = () => clock.ms;
    const { fake, provider } = await setup({}, { factory: (deps) => createProvider({ ...deps, now }), fake: { now } });
    const { ticket } = await provider.createTicket(validInput, ada);
    const relay = relayLike(provider, [ticket.id]);
    await relay.poll(); // first run: the followed ticket, nothing from support yet
    clock.ms = Date.parse('2030-01-01T00:00:07.100Z');
    fake.addAgentComment(ticket.id, 'Restarted the router.', 'Grace Hopper');
    await relay.poll();
    clock.ms = Date.parse('2030-01-01T00:00:07.200Z'); // same second, 100 ms after that poll read the ticket
    fake.addAgentComment(ticket.id, 'Should hold now.', 'Grace Hopper');
    await relay.poll();
    expect(relay.relayed).toEqual(['Restarted the router.', 'Should hold now.']);
    // Once settled, polls read nothing more and relay nothing twice.
    clock.ms += SETTLE_MS + 1;
    await relay.poll();
    const before = fake.requests.length;
    await relay.poll();
    expect(fake.requests.length - before).toBe(1);
    expect(relay.relayed).toEqual(['Restarted the router.', 'Should hold now.']);
  });

  it('paces a burst under 10 requests a second, so Spacebring never answers 429', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const before = fake.requests.length;
    const started = Date.now();
    await Promise.all(Array.from({ length: 15 }, () => provider.getTicket(ticket.id)));
    // A 429 would have been retried: exactly one request per call means none came.
    expect(fake.requests.length - before).toBe(15);
    expect(Date.now() - started).toBeGreaterThanOrEqual(14 * 100);
  });

  it('reads a comment answer without the activity, or a status answer without the ticket, as outcome unknown', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.oddSuccess({ activity: { text: 'Any news?' } }, /\/comment$/);
    const comment = await provider.addComment(ticket.id, { text: 'Any news?', author: ada }).catch((e: unknown) => e);
    expect(comment).toMatchObject({ kind: 'malformed', method: 'POST', path: '/support/tickets/v1/comment' });
    expect((comment as ProviderError).message).toContain('unexpected response: activity.id');
    expect(fake.comments(ticket.id).at(-1)).toEqual({ text: 'Any news?', byCustomer: true });
    fake.oddSuccess({}, /\/status$/);
    expect(await provider.closeTicket!(ticket.id).catch((e: unknown) => e)).toMatchObject({ kind: 'malformed', method: 'PUT' });
  });

  it('cannot rate, and says so in plain words', async () => {
    const { provider } = await setup();
    expect(provider.rateTicket).toBeUndefined();
    expect(provider.unsupported?.rate).toMatch(/cannot rate/);
    expect(capabilitiesOf(provider)).toMatchObject({ close: true, reopen: true, rate: false, updatedSince: true });
    expect(provider.fields.map((f) => f.name)).toEqual(['subject', 'description', 'category']);
  });

  it('maps Spacebring statuses, unknown ones included', () => {
    expect(['new', 'inProgress', 'solved', 'closed', 'onHold', 'archived'].map((s) => toStatus(s).status)).toEqual([
      'open', 'in_progress', 'resolved', 'closed', 'waiting', 'open',
    ]);
  });

  it('names a bad or missing setting and never echoes its value', () => {
    const location = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
    const build = (env: Record<string, string>) => () =>
      createProvider(deps({ SPACEBRING_LOCATION_REF: location, ...env }));
    expect(build({})).toThrow(/SPACEBRING_TOKEN.*SPACEBRING_CLIENT_ID/);
    expect(build({ SPACEBRING_TOKEN: 'secret-token-value' })).toThrow(/^SPACEBRING_NETWORK_ID/);
    expect(build({ SPACEBRING_CLIENT_ID: 'id' })).toThrow(/^SPACEBRING_CLIENT_SECRET/);
    expect(build({ SPACEBRING_TOKEN: 't', SPACEBRING_CLIENT_ID: 'id', SPACEBRING_CLIENT_SECRET: 's' })).toThrow(/not both/);
    expect(build({ SPACEBRING_TOKEN: 't', SPACEBRING_NETWORK_ID: 'net-secret-value' })).toThrow(/^SPACEBRING_NETWORK_ID/);
    expect(build({ SPACEBRING_TOKEN: 't', SPACEBRING_NETWORK_ID: location, SPACEBRING_TYPE: 'hardware' })).toThrow(ConfigError);
    expect(build({ SPACEBRING_TOKEN: 't', SPACEBRING_NETWORK_ID: location, SPACEBRING_LOCATION_REF: '' })).toThrow(/^SPACEBRING_LOCATION_REF/);
    expect(build({ SPACEBRING_TOKEN: 't', SPACEBRING_NETWORK_ID: location, SPACEBRING_FILE_HOSTS: 'https://files.example.com' })).toThrow(/^SPACEBRING_FILE_HOSTS: expects host names/);
    expect(build({ SPACEBRING_TOKEN: 't', SPACEBRING_NETWORK_ID: location, SPACEBRING_FILE_HOSTS: 'Files.Example.com, cdn.example.com' })).not.toThrow();
    const error = (() => {
      try {
        build({ SPACEBRING_TOKEN: 'secret-token-value', SPACEBRING_NETWORK_ID: 'net-secret-value' })();
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).not.toMatch(/secret/);
  });
});

describe('spacebring update walk', () => {
  const stamp = (s: number) => `2030-01-01T00:00:${String(s).padStart(2, '0')}Z`;
  type Page = ListPage<string | undefined>;
  const page = (tickets: { id: string; updateDate: string }[], next: string | undefined): Page => ({
    items: tickets.map((t) => ({ id: t.id, updatedAt: t.updateDate })),
    next,
  });
  const clock = { ms: 1_000_000 };
  const pages = (...list: Page[]) => {
    const asked: (string | undefined)[] = [];
    return {
      asked,
      fetchPage: async (token: string | undefined) => {
        asked.push(token);
        return list[token === undefined ? 0 : Number(token)]!;
      },
    };
  };
  /** The walk as the adapter runs it: from its stored cursor to the next. */
  const walk = async (cursor: string | undefined, source: ReturnType<typeof pages>, maxPages = 10) => {
    const { ticketIds, mark } = await walkUpdated<string | undefined>({
      mark: decodeCursor(cursor),
      knownOpen: ['k'],
      first: undefined,
      fetchPage: source.fetchPage,
      maxPages,
      logger: silentLogger,
      provider: 'spacebring',
      now: () => clock.ms,
    });
    return { ticketIds, cursor: encodeMark(mark) };
  };
  /** A mark at `s`, settled long ago. */
  const settled = (s: number, ids: string[]) => encodeMark({ at: Date.parse(stamp(s)), ids, seenAt: 0, settled: true });

  it('follows page tokens until it passes the mark, then stops', async () => {
    const cursor = settled(10, ['m']);
    const source = pages(
      page([{ id: 'x', updateDate: stamp(30) }, { id: 'y', updateDate: stamp(20) }], '1'),
      page([{ id: 'm', updateDate: stamp(10) }, { id: 'z', updateDate: stamp(5) }], '2'),
      page([{ id: 'never', updateDate: stamp(1) }], undefined),
    );
    const result = await walk(cursor, source);
    expect(result.ticketIds).toEqual(['x', 'y']);
    expect(source.asked).toEqual([undefined, '1']);
    expect(decodeMark(result.cursor)).toEqual({ at: Date.parse(stamp(30)), ids: ['x'], seenAt: clock.ms, settled: false });
  });

  it('re-reports the tickets stamped at the mark on every poll until the settle window has passed, then settles', async () => {
    const source = pages(page([{ id: 'a', updateDate: stamp(10) }, { id: 'b', updateDate: stamp(10) }], undefined));
    const first = await walk(undefined, source);
    expect(first.ticketIds).toEqual(['k']);
    clock.ms += 100; // a 100 ms poll interval: the mark's second may not be over
    const second = await walk(first.cursor, source);
    expect(second.ticketIds).toEqual(['a', 'b']);
    clock.ms += 100;
    const third = await walk(second.cursor, source);
    expect(third.ticketIds).toEqual(['a', 'b']);
    clock.ms += SETTLE_MS;
    const last = await walk(third.cursor, source);
    expect(last.ticketIds).toEqual(['a', 'b']);
    expect(decodeMark(last.cursor)?.settled).toBe(true);
    expect((await walk(last.cursor, source)).ticketIds).toEqual([]);
  });

  it('reads a cursor stored in the earlier `{at, ids, settled}` format, re-reading its mark once', async () => {
    const source = pages(page([{ id: 'a', updateDate: stamp(10) }, { id: 'z', updateDate: stamp(2) }], undefined));
    const old = JSON.stringify({ at: Date.parse(stamp(10)), ids: ['a'], settled: true });
    expect(decodeCursor(old)).toEqual({ at: Date.parse(stamp(10)), ids: ['a'], seenAt: undefined, settled: false });
    expect(decodeCursor('{"at": "yesterday"}')).toBeUndefined();
    const once = await walk(old, source);
    expect(once.ticketIds).toEqual(['a']);
    expect((await walk(once.cursor, source)).ticketIds).toEqual([]);
  });

  it('walks on through a list that is not sorted, and falls back to the followed tickets past the page cap', async () => {
    const cursor = settled(10, []);
    const unsorted = pages(
      page([{ id: 'old', updateDate: stamp(1) }, { id: 'new', updateDate: stamp(20) }], '1'),
      page([{ id: 'later', updateDate: stamp(15) }], undefined),
    );
    expect((await walk(cursor, unsorted)).ticketIds).toEqual(['new', 'later']);
    const endless = pages(page([{ id: 'n', updateDate: stamp(40) }], '0'));
    expect((await walk(cursor, endless, 2)).ticketIds).toEqual(['n', 'k']);
  });
});
