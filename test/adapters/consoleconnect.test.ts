import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../../adapters/consoleconnect/index.js';
import { toStatus } from '../../adapters/consoleconnect/map.js';
import type { OpenTicketInput } from '../../src/domain.js';
import type { ProviderError } from '../../src/errors.js';
import { ConfigError } from '../../src/errors.js';
import { attributedText, commentFingerprint } from '../../src/provider.js';
import { providerContract } from '../contracts/provider-contract.js';
import { startConsoleconnectFake } from '../../fakes/providers/consoleconnect.js';
import { ada, adapterRig } from './rig.js';

// Fixture from the seed's create request sample.
const validInput: OpenTicketInput = {
  subject: 'My ConsoleConnect speed issue',
  description: 'My port has slow speeds between 8am and 9am GMT+7',
  category: 'Slow Response',
};

providerContract('consoleconnect', {
  start: () => startConsoleconnectFake(),
  factory: createProvider,
  validInput,
  invalidInput: { input: { ...validInput, category: 'Printer on fire' }, field: 'category' },
  badCredentials: { CONSOLECONNECT_API_KEY: 'cc-wrong-api-key-000000000' },
  missingId: 'INC000009999999',
});

describe('consoleconnect adapter', () => {
  const { setup, last, deps } = adapterRig(startConsoleconnectFake, createProvider);

  it('creates a ticket with name, description and issue type, authorised by the API key as a Bearer token', async () => {
    const { fake, provider } = await setup();
    const { ticket, comments } = await provider.createTicket(validInput, ada);
    const sent = last(fake);
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v2/support-tickets');
    expect(sent.headers.authorization).toBe(`Bearer ${fake.env.CONSOLECONNECT_API_KEY}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toEqual({
      name: 'My ConsoleConnect speed issue',
      description: attributedText(validInput.description, ada),
      issueType: 'Slow Response',
    });
    expect(ticket).toMatchObject({ id: expect.stringMatching(/^INC\d{12}$/), status: 'open', vendorStatus: 'Acknowledged' });
    expect(ticket.createdAt).toMatch(/Z$/);
    expect(comments).toEqual([]);
  });

  it('falls back to CONSOLECONNECT_ISSUE_TYPE and sends the vendor spelling of a loosely typed one', async () => {
    const { fake, provider } = await setup({ CONSOLECONNECT_ISSUE_TYPE: 'High Latency' });
    await provider.createTicket({ subject: 'Lag', description: 'Pings are slow', priority: 'urgent' }, ada);
    expect(last(fake).body).toMatchObject({ issueType: 'High Latency' });
    expect(last(fake).body).not.toHaveProperty('priority');
    await provider.createTicket({ subject: 'Loss', description: 'Drops', category: 'packet loss/drops' }, ada);
    expect(last(fake).body).toMatchObject({ issueType: 'Packet Loss/Drops' });
  });

  it('defaults the issue type to Others and offers the vendor issue types as categories', async () => {
    const { fake, provider } = await setup();
    await provider.createTicket({ subject: 'Hello', description: 'Question' }, ada);
    expect(last(fake).body).toMatchObject({ issueType: 'Others' });
    const category = provider.fields.find((f) => f.name === 'category');
    expect(category?.options?.map((o) => o.value)).toContain('Circuit taking errors');
    expect(provider.fields.map((f) => f.name)).not.toContain('priority');
  });

  it('names a bad setting and never echoes its value', () => {
    const build = (env: Record<string, string | undefined>) => () =>
      createProvider(deps(env));
    expect(build({})).toThrow(ConfigError);
    expect(build({})).toThrow(/CONSOLECONNECT_API_KEY/);
    expect(build({ CONSOLECONNECT_API_KEY: 'k', CONSOLECONNECT_ISSUE_TYPE: 'Fire' })).toThrow(/CONSOLECONNECT_ISSUE_TYPE.*Circuit Down/);
    expect(build({ CONSOLECONNECT_API_KEY: 'k', CONSOLECONNECT_BASE_URL: 'ftp://x' })).toThrow(/CONSOLECONNECT_BASE_URL/);
  });

  it('adds a note with the text verbatim and returns the id the next read gives that note', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const text = attributedText('Still slow  today.', ada);
    const { id } = await provider.addComment(ticket.id, { text, author: ada });
    expect(last(fake)).toMatchObject({ method: 'POST', path: `/v2/support-tickets/${ticket.id}/addNote`, body: { noteText: text } });
    const { comments } = await provider.getTicket(ticket.id);
    expect(comments).toEqual([expect.objectContaining({ id, origin: 'customer', author: 'Ada Lovelace', text })]);
  });

  it("uses the vendor's note id where the note has one", async () => {
    const { fake, provider } = await setup({}, { fake: { noteIds: true } });
    const { ticket } = await provider.createTicket(validInput, ada);
    const { id } = await provider.addComment(ticket.id, { text: attributedText('hi', ada), author: ada });
    const agentId = fake.addAgentComment(ticket.id, 'We are on it', 'Grace Hopper');
    expect(id).toMatch(/^NOTE-/);
    const { comments } = await provider.getTicket(ticket.id);
    expect(comments.map((c) => [c.id, c.origin])).toEqual([
      [id, 'customer'],
      [agentId, 'agent'],
    ]);
  });

  it('treats every note without the bot attribution as support, reads noteText, and keeps twin notes apart', async () => {
    const { fake, provider } = await setup({}, { fake: { noteField: 'noteText' } });
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.addAgentComment(ticket.id, 'Please reboot the port.', 'NOC');
    fake.addAgentComment(ticket.id, 'Please reboot the port.', 'NOC');
    const { comments } = await provider.getTicket(ticket.id);
    expect(comments.map((c) => [c.origin, c.author, c.text])).toEqual([
      ['agent', 'NOC', 'Please reboot the port.'],
      ['agent', 'NOC', 'Please reboot the port.'],
    ]);
    expect(new Set(comments.map((c) => c.id)).size).toBe(2);
    const fingerprint = commentFingerprint(ticket.id, 'Please reboot the port.');
    expect(comments.every((c) => commentFingerprint(ticket.id, c.text) === fingerprint)).toBe(true);
  });

  it('reads a written note answered with something other than the ticket as outcome unknown, and does not write it again', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.oddSuccess({ ok: true }, /addNote$/);
    const before = fake.requests.length;
    const error = await provider.addComment(ticket.id, { text: 'x', author: ada }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'malformed', method: 'POST', path: `/v2/support-tickets/${ticket.id}/addNote` });
    expect(fake.requests.length - before).toBe(1);
    expect(fake.comments(ticket.id).map((c) => c.text)).toEqual(['x']);
  });

  it('reports a note without text as malformed, naming the field', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.failNext(1, { status: 200, body: { ...fake.ticket(ticket.id), notes: [{ author: 'NOC', date: 'today' }] } });
    const error = (await provider.getTicket(ticket.id).catch((e: unknown) => e)) as ProviderError;
    expect(error.kind).toBe('malformed');
    expect(error.message).toContain('notes.0.text');
  });

  it('reads a priority word out of the unpublished priority[] items', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.failNext(1, { status: 200, body: { ...fake.ticket(ticket.id), priority: [{ name: 'High' }] } });
    expect((await provider.getTicket(ticket.id)).ticket.priority).toBe('high');
  });

  it('maps Console Connect statuses, unknown ones included, keeping the vendor word', async () => {
    expect(
      ['New', 'Acknowledged', 'In Progress', 'inProgress', 'Pending', 'Resolved', 'Closed', 'Cancelled', 'Rejected', 'Escalated'].map((s) => toStatus(s).status),
    ).toEqual(['open', 'open', 'in_progress', 'in_progress', 'waiting', 'resolved', 'closed', 'closed', 'closed', 'open']);
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.setStatus(ticket.id, 'waiting');
    expect((await provider.getTicket(ticket.id)).ticket).toMatchObject({ status: 'waiting', vendorStatus: 'Pending' });
  });

  it("shows the vendor's sentence, not the bare reason phrase, for a rejected request", async () => {
    const { provider } = await setup();
    const error = (await provider.getTicket('12345').catch((e: unknown) => e)) as ProviderError;
    expect(error).toMatchObject({ kind: 'invalid', status: 400, vendorMessage: 'Invalid ticket id: 12345' });
  });

  it('has no close, reopen or rate, and says so in plain words', async () => {
    const { provider } = await setup();
    expect(provider.closeTicket).toBeUndefined();
    expect(provider.reopenTicket).toBeUndefined();
    expect(provider.rateTicket).toBeUndefined();
    expect(provider.listUpdatedSince).toBeDefined(); // change detection lists the open tickets
    expect(provider.unsupported?.close).toMatch(/^Console Connect's API cannot close tickets/);
  });

  it('fake: the list needs status=open|closed and answers a bare array', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const auth = { authorization: `Bearer ${fake.env.CONSOLECONNECT_API_KEY}` };
    const missing = await request(`${fake.url}/v2/support-tickets`, { headers: auth });
    expect(missing.statusCode).toBe(400);
    await missing.body.dump();
    const open = await request(`${fake.url}/v2/support-tickets?status=open`, { headers: auth });
    const body = (await open.body.json()) as { id: string }[];
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((t) => t.id)).toContain(ticket.id);
    const portalToken = await request(`${fake.url}/v2/support-tickets?status=open`, { headers: { 'portal-token': 'x' } });
    expect(portalToken.statusCode).toBe(401);
    await portalToken.body.dump();
  });
});
