import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../adapters/verifik/index.js';
import { toStatus } from '../../adapters/verifik/map.js';
import type { OpenTicketInput } from '../../src/domain.js';
import { ConfigError, ProviderError } from '../../src/errors.js';
import { attributedText, capabilitiesOf } from '../../src/provider.js';
import { providerContract } from '../contracts/provider-contract.js';
import { startVerifikFake } from '../../fakes/providers/verifik.js';
import { ada, adapterRig } from './rig.js';

// Fixture from the seed's request example.
const validInput: OpenTicketInput = {
  subject: 'API Integration Issue',
  description: 'Having trouble integrating the biometric validation API. Getting 401 errors when trying to authenticate.',
  priority: 'high',
  category: 'technical',
};

providerContract('verifik', {
  start: startVerifikFake,
  factory: createProvider,
  validInput,
  invalidInput: { input: { ...validInput, category: 'hardware' }, field: 'category' },
  badCredentials: { VERIFIK_TOKEN: 'eyJhbGciOiJIUzI1NiJ9.eyJleHBpcmVkIjp0cnVlfQ.wrong-signature' },
  missingId: 'support_ticket_000000000',
});

describe('verifik adapter', () => {
  const { setup, last, deps } = adapterRig(startVerifikFake, createProvider);

  it('creates a ticket with the four required fields, authorised by the JWT as a Bearer token', async () => {
    const { fake, provider } = await setup();
    const { ticket, comments } = await provider.createTicket(validInput, ada);
    const sent = last(fake);
    expect(sent).toMatchObject({ method: 'POST', path: '/v2/support-tickets' });
    expect(sent.headers.authorization).toBe(`Bearer ${fake.env.VERIFIK_TOKEN}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      title: 'API Integration Issue',
      description: attributedText(validInput.description, ada),
      priority: 'high',
      category: 'technical',
    });
    expect(ticket).toMatchObject({ id: expect.stringMatching(/^support_ticket_/), status: 'open', vendorStatus: 'open', priority: 'high', category: 'technical' });
    // Verifik repeats the description as the first thread; it is not a comment.
    expect((fake.ticket(ticket.id)?.threads as unknown[]).length).toBe(1);
    expect(comments).toEqual([]);
  });

  it('sends normal as medium, and the VERIFIK_CATEGORY default when no category is picked', async () => {
    const { fake, provider } = await setup({ VERIFIK_CATEGORY: 'billing' });
    const { ticket } = await provider.createTicket({ subject: 'Invoice', description: 'Twice billed', priority: 'normal' }, ada);
    expect(last(fake).body).toMatchObject({ priority: 'medium', category: 'billing' });
    expect(ticket.priority).toBe('normal');
    await provider.createTicket({ subject: 'Idea', description: 'Dark mode', category: 'Feature request' }, ada);
    expect(last(fake).body).toMatchObject({ priority: 'medium', category: 'feature_request' });
  });

  it("surfaces Verifik's own words when it rejects a ticket", async () => {
    const { provider } = await setup();
    const error = (await provider.createTicket({ ...validInput, subject: '   ' }, ada).catch((e: unknown) => e)) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid', status: 400, vendorMessage: 'Title is required' });
  });

  it('fake: answers the seed error bodies for a missing title and a bad priority', async () => {
    const { fake } = await setup();
    const post = async (body: unknown) => {
      const res = await request(`${fake.url}/v2/support-tickets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${fake.env.VERIFIK_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.statusCode, body: await res.body.json() };
    };
    expect(await post({ description: 'd', priority: 'high', category: 'technical' })).toEqual({
      status: 400,
      body: { error: 'Title is required', message: 'TITLE_REQUIRED' },
    });
    expect(await post({ title: 't', description: 'd', priority: 'normal', category: 'technical' })).toEqual({
      status: 400,
      body: { error: 'Invalid priority level', message: 'INVALID_PRIORITY' },
    });
  });

  it('catches a missing title, an unknown category and an unknown priority before any call', async () => {
    const { fake, provider } = await setup();
    const errors = provider.validateOpen({ subject: ' ', description: 'd', category: 'hardware', priority: 'critical' as never });
    expect(Object.keys(errors).sort()).toEqual(['category', 'priority', 'subject']);
    expect(fake.requests).toHaveLength(0);
  });

  it('posts a reply as a thread message and returns the id the next read gives it', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const text = attributedText('Here are the logs.', ada);
    const { id } = await provider.addComment(ticket.id, { text, author: ada });
    expect(last(fake)).toMatchObject({ method: 'POST', path: `/v2/support-tickets/${ticket.id}/thread`, body: { message: text } });
    expect(id).toMatch(/^a:/); // by author and time, so an edit keeps it
    const { comments } = await provider.getTicket(ticket.id);
    expect(comments).toEqual([expect.objectContaining({ id, origin: 'customer', text })]);
  });

  it('tells agent, user and system lines apart and holds an unknown type', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.setStatus(ticket.id, 'in_progress');
    fake.addAgentComment(ticket.id, 'Check your API key.', 'Grace Hopper');
    const { ticket: read, comments } = await provider.getTicket(ticket.id);
    expect(read).toMatchObject({ status: 'in_progress', vendorStatus: 'in_progress' });
    expect(comments.map((c) => [c.origin, c.author, c.text])).toEqual([['agent', 'Grace Hopper', 'Check your API key.']]);

    const record = fake.ticket(ticket.id)!;
    const threads = [...(record.threads as object[]), { author: 'bot_1', message: 'Auto-reply', timestamp: '2024-01-15T10:31:00Z', type: 'bot' }];
    fake.failNext(1, { status: 200, body: { success: true, data: { ...record, threads } } });
    expect((await provider.getTicket(ticket.id)).comments.at(-1)).toMatchObject({ origin: 'unknown', text: 'Auto-reply' });
  });

  it('gives twin lines written in the same second distinct, stable ids', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const record = fake.ticket(ticket.id)!;
    const twin = { author: 'agent_1', message: 'Fixed.', timestamp: '2024-01-15T10:31:00Z', type: 'agent' };
    const body = { success: true, data: { ...record, threads: [...(record.threads as object[]), twin, twin] } };
    fake.failNext(2, { status: 200, body });
    const first = (await provider.getTicket(ticket.id)).comments.map((c) => c.id);
    const second = (await provider.getTicket(ticket.id)).comments.map((c) => c.id);
    expect(new Set(first).size).toBe(2);
    // The twin's id is the first one's with `~2`: the form already stored in links.
    expect(first[1]).toBe(`${first[0]}~2`);
    expect(second).toEqual(first);
  });

  it('closes with PUT status closed, and reopens with status open followed by the reason as a reply', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    await provider.closeTicket!(ticket.id);
    expect(last(fake)).toMatchObject({ method: 'PUT', path: `/v2/support-tickets/${ticket.id}`, body: { status: 'closed' } });
    expect((await provider.getTicket(ticket.id)).ticket.status).toBe('closed');
    const before = fake.requests.length;
    await provider.reopenTicket!(ticket.id, 'Still failing');
    expect(fake.requests.slice(before).map((r) => [r.method, r.body])).toEqual([
      ['PUT', { status: 'open' }],
      ['POST', { message: 'Still failing' }],
    ]);
    expect((await provider.getTicket(ticket.id)).ticket.status).toBe('open');
  });

  it('reads an HTTP 200 with success false as a rejection with the vendor words', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.failNext(1, { status: 200, body: { success: false, error: 'Ticket is locked' } });
    const error = (await provider.getTicket(ticket.id).catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ kind: 'invalid', vendorMessage: 'Ticket is locked' });
  });

  it('reads a success whose data is not a thread, or an empty 200, to a reply as outcome unknown', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.oddSuccess({ success: true, data: { weird: 1 } }, /\/thread$/);
    const weird = await provider.addComment(ticket.id, { text: 'First try', author: ada }).catch((e: unknown) => e);
    expect(weird).toBeInstanceOf(ProviderError);
    expect(weird).toMatchObject({ kind: 'malformed', method: 'POST', path: `/v2/support-tickets/${ticket.id}/thread` });
    expect((weird as ProviderError).message).toMatch(/unexpected response: data\.\w+/);
    fake.oddSuccess(undefined, /\/thread$/);
    const empty = await provider.addComment(ticket.id, { text: 'Second try', author: ada }).catch((e: unknown) => e);
    expect(empty).toMatchObject({ kind: 'malformed' });
    // Both were written: an answer that does not fit says nothing about what happened.
    expect(fake.comments(ticket.id).map((c) => c.text)).toEqual([attributedText(validInput.description, ada), 'First try', 'Second try']);
  });

  it('reads a success whose data is not a ticket, answering a close, as outcome unknown', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.oddSuccess({ success: true, data: { weird: 1 } });
    expect(await provider.closeTicket!(ticket.id).catch((e: unknown) => e)).toMatchObject({ kind: 'malformed', method: 'PUT' });
    expect(fake.ticket(ticket.id)?.status).toBe('closed');
  });

  it('maps Verifik statuses, unknown ones included', () => {
    expect(['open', 'pending', 'in_progress', 'resolved', 'closed', 'On Hold', 'escalated'].map((s) => toStatus(s).status)).toEqual([
      'open', 'waiting', 'in_progress', 'resolved', 'closed', 'waiting', 'open',
    ]);
  });

  it('cannot rate, and says so in plain words', async () => {
    const { provider } = await setup();
    expect(provider.rateTicket).toBeUndefined();
    expect(provider.unsupported?.rate).toBe("Verifik's API cannot rate tickets.");
    expect(capabilitiesOf(provider)).toMatchObject({ close: true, reopen: true, rate: false, updatedSince: true });
  });

  it('names a bad setting and never echoes its value', () => {
    const build = (env: Record<string, string>) => () => createProvider(deps(env));
    expect(build({})).toThrow(/VERIFIK_TOKEN/);
    expect(build({ VERIFIK_TOKEN: 't', VERIFIK_CATEGORY: 'hardware' })).toThrow(ConfigError);
    expect(build({ VERIFIK_TOKEN: 't', VERIFIK_CATEGORY: 'hardware' })).toThrow(/VERIFIK_CATEGORY.*feature_request/);
  });
});
