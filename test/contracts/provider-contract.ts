import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenTicketInput } from '../../src/domain.js';
import { ProviderError } from '../../src/errors.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import { silentLogger } from '../../src/logger.js';
import { attributedText, capabilitiesOf, commentFingerprint, type ProviderFactory, type TicketProvider } from '../../src/provider.js';
import { openStore, type KeyValueStore } from '../../src/store/index.js';
import { ada as requester, FAST } from '../adapters/rig.js';
import type { FakeProviderServer } from '../../fakes/providers/types.js';

export interface ContractOptions {
  /** Starts a fresh fake of the vendor. */
  start: () => Promise<FakeProviderServer>;
  factory: ProviderFactory;
  /** A valid open request for this vendor (its own category value, if it needs one). */
  validInput: OpenTicketInput;
  /** Input the vendor would reject, and the field the adapter must name, caught before any call. */
  invalidInput: { input: OpenTicketInput; field: string };
  /** Env overrides that make the credentials wrong. */
  badCredentials: Record<string, string>;
  /** A ticket id of the vendor's format that does not exist. */
  missingId: string;
}

/** What every adapter must do against its strict fake. */
export function providerContract(name: string, options: ContractOptions): void {
  describe(`${name} provider contract`, () => {
    let fake: FakeProviderServer;
    let kv: KeyValueStore;
    const http = createHttpClient(silentLogger, FAST);

    function build(env: Record<string, string> = {}): TicketProvider {
      return options.factory({ http, logger: silentLogger, kv, env: { ...fake.env, ...env } });
    }

    beforeAll(async () => {
      fake = await options.start();
      kv = await openStore('sqlite://:memory:');
    });
    afterAll(async () => {
      await fake.close();
      await kv.close();
      await http.close();
    });

    it('opens a ticket with the subject and description', async () => {
      const { ticket, comments } = await build().createTicket(options.validInput, requester);
      expect(ticket.id).not.toBe('');
      expect(ticket.subject).toContain(options.validInput.subject);
      expect(ticket.status).not.toBe('closed');
      expect(fake.ticket(ticket.id)).toBeDefined();
      expect(comments.every((c) => c.origin !== 'agent')).toBe(true);
    });

    it('catches input the vendor would reject before calling it', () => {
      const before = fake.requests.length;
      const errors = build().validateOpen(options.invalidInput.input);
      expect(Object.keys(errors)).toContain(options.invalidInput.field);
      expect(fake.requests.length).toBe(before);
    });

    it('turns a reply into a vendor comment and recognises it as ours when it comes back', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      const text = attributedText('The  VPN drops every   hour.\nSince Monday.', requester);
      const { id } = await provider.addComment(ticket.id, { text, author: requester });
      expect(fake.comments(ticket.id).some((c) => c.byCustomer && c.text.includes('VPN drops'))).toBe(true);

      const { comments } = await provider.getTicket(ticket.id);
      const mine = comments.filter(
        (c) =>
          c.origin === 'customer' ||
          (id !== undefined && c.id === id) ||
          commentFingerprint(ticket.id, c.text) === commentFingerprint(ticket.id, text),
      );
      expect(mine.length).toBeGreaterThanOrEqual(1);
    });

    it('tells a support agent comment apart, with its author, in order', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      fake.addAgentComment(ticket.id, 'First answer from support', 'Grace Hopper');
      fake.addAgentComment(ticket.id, 'Second answer', 'Grace Hopper');
      const { comments } = await provider.getTicket(ticket.id);
      const agent = comments.filter((c) => c.origin === 'agent');
      expect(agent.map((c) => c.text)).toEqual(['First answer from support', 'Second answer']);
      expect(agent[0]?.author).toContain('Grace');
      expect(new Set(comments.map((c) => c.id)).size).toBe(comments.length);
      // Ids are stable across reads: the relay's exactly-once rests on them.
      const again = await provider.getTicket(ticket.id);
      expect(again.comments.map((c) => c.id)).toEqual(comments.map((c) => c.id));
    });

    it('reports a status change made by support', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      fake.setStatus(ticket.id, 'resolved');
      expect((await provider.getTicket(ticket.id)).ticket.status).toBe('resolved');
    });

    it('lists a changed ticket when it can list by update time', async () => {
      const provider = build();
      if (!provider.listUpdatedSince) {
        expect(capabilitiesOf(provider).updatedSince).toBe(false);
        return;
      }
      const { ticket } = await provider.createTicket(options.validInput, requester);
      const first = await provider.listUpdatedSince(undefined, [ticket.id]);
      await new Promise((r) => setTimeout(r, 1_100)); // vendors stamp updates to the second
      fake.addAgentComment(ticket.id, 'news', 'Grace Hopper');
      const next = await provider.listUpdatedSince(first.cursor, [ticket.id]);
      expect(next.ticketIds).toContain(ticket.id);
    });

    it('closes, reopens and rates where the API can, and says plainly where it cannot', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      for (const feature of ['close', 'reopen', 'rate'] as const) {
        if (!capabilitiesOf(provider)[feature]) {
          expect(provider.unsupported?.[feature]).toMatch(/cannot|does not|no /i);
        }
      }
      if (provider.closeTicket) {
        await provider.closeTicket(ticket.id);
        expect(['resolved', 'closed']).toContain((await provider.getTicket(ticket.id)).ticket.status);
      }
      if (provider.reopenTicket) {
        await provider.reopenTicket(ticket.id, 'Still broken, sorry');
        expect(['open', 'in_progress', 'waiting']).toContain((await provider.getTicket(ticket.id)).ticket.status);
      }
      if (provider.rateTicket) await provider.rateTicket(ticket.id, 5, 'Great help');
    });

    it('reads an empty 200 to a comment as outcome unknown, though the vendor wrote it', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      fake.oddSuccess(undefined);
      const error = await provider.addComment(ticket.id, { text: attributedText('Did this land?', requester), author: requester }).catch((e: unknown) => e);
      // Never a success: the outbox would count the comment delivered without knowing.
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'malformed', provider: provider.id, status: 200 });
      expect((error as ProviderError).message).toContain('unexpected response');
      // It is there, so the outbox's check before a second attempt finds it and writes nothing twice.
      expect(fake.comments(ticket.id).filter((c) => c.text.includes('Did this land?'))).toHaveLength(1);
    });

    it('reads an empty 200 to every other write as outcome unknown too', async () => {
      const provider = build();
      fake.oddSuccess(undefined);
      expect(await provider.createTicket(options.validInput, requester).catch((e: unknown) => e)).toMatchObject({ kind: 'malformed' });
      const { ticket } = await provider.createTicket(options.validInput, requester);
      const writes = [
        provider.closeTicket && (() => provider.closeTicket!(ticket.id)),
        provider.reopenTicket && (() => provider.reopenTicket!(ticket.id, 'Still broken')),
        provider.rateTicket && (() => provider.rateTicket!(ticket.id, 4)),
      ];
      for (const write of writes) {
        if (!write) continue;
        fake.oddSuccess(undefined);
        expect(await write().then(() => 'done', (e: unknown) => e)).toMatchObject({ kind: 'malformed', status: 200 });
      }
    });

    it('maps a wrong credential to an auth error that never shows the token', async () => {
      const error = await build(options.badCredentials)
        .createTicket(options.validInput, requester)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe('auth');
      const secrets = Object.values({ ...fake.env, ...options.badCredentials }).filter((v) => v.length > 8 && !v.startsWith('http'));
      for (const secret of secrets) expect(String((error as Error).message)).not.toContain(secret);
    });

    it('maps an unknown ticket to not_found', async () => {
      const error = await build().getTicket(options.missingId).catch((e: unknown) => e);
      expect((error as ProviderError).kind).toBe('not_found');
    });

    it('waits out a 429 with Retry-After, then succeeds', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      fake.failNext(1, { status: 429, headers: { 'retry-after': '1' }, body: { message: 'Too many requests' } });
      const started = Date.now();
      await provider.getTicket(ticket.id);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it('retries a 500, then reports the provider unavailable', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      const before = fake.requests.length;
      fake.failNext(3, { status: 500, body: { message: 'boom' } });
      const error = await provider.getTicket(ticket.id).catch((e: unknown) => e);
      expect((error as ProviderError).kind).toBe('unavailable');
      expect(fake.requests.length - before).toBe(3);
    });

    it('turns malformed JSON and an unexpected shape into typed errors', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      fake.failNext(1, { status: 200, raw: '{"half": ' });
      expect(((await provider.getTicket(ticket.id).catch((e: unknown) => e)) as ProviderError).kind).toBe('malformed');
      fake.failNext(1, { status: 200, body: { unexpected: [1, 2, 3] } });
      const shape = (await provider.getTicket(ticket.id).catch((e: unknown) => e)) as ProviderError;
      expect(shape.kind).toBe('malformed');
      expect(shape.message).toContain('unexpected response');
      // Names the vendor and the field that did not fit, so the log line says what to look at.
      expect(shape.provider).toBe(provider.id);
      expect(shape.message).toMatch(new RegExp(`^${provider.id} .*unexpected response: [\\w.]+: `));
    });

    it('gives up on a response slower than the timeout', async () => {
      const provider = build();
      const { ticket } = await provider.createTicket(options.validInput, requester);
      fake.failNext(3, { status: 200, body: {}, delayMs: 1_500 });
      const error = (await provider.getTicket(ticket.id).catch((e: unknown) => e)) as ProviderError;
      expect(error.kind).toBe('timeout');
    });
  });
}
