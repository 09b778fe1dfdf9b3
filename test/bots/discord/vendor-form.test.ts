import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createProvider as createSelectel } from '../../../adapters/selectel/index.js';
import type { Json } from '../../../fakes/discord/index.js';
import { startSelectelFake } from '../../../fakes/providers/selectel.js';
import type { FakeProviderServer } from '../../../fakes/providers/types.js';
import { silentLogger } from '../../../src/logger.js';
import { createHttpClient } from '../../../src/provider-kit/http.js';
import { FAST } from '../../adapters/rig.js';
import { finalAnswer, modalFields, useStacks } from './stack.js';

describe('Discord form with a vendor’s own lists', () => {
  const stack = useStacks();
  const http = createHttpClient(silentLogger, FAST);
  const fakes: FakeProviderServer[] = [];
  afterEach(async () => {
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });
  afterAll(async () => {
    await http.close();
  });

  it('offers the categories Selectel lists at GET /categories, and files the ticket under the one chosen', async () => {
    const selectel = await startSelectelFake();
    fakes.push(selectel);
    const s = await stack({ provider: (kv) => createSelectel({ http, logger: silentLogger, kv, env: selectel.env }) });
    const shown = await s.fake.interaction.command({ name: 'ticket', subcommand: 'open' }).replies();
    const modal = shown.callback?.data as Json;
    const category = modalFields(modal).find((f) => f['custom_id'] === 'category');
    expect(category?.['type']).toBe(3);
    expect((category?.['options'] as Json[]).map((o) => [o['value'], o['label']])).toEqual([
      ['technical_question', 'Technical question'],
      ['billing', 'Billing and payments'],
      ['network', 'Network'],
    ]);
    expect(selectel.requests.some((r) => r.path === '/categories')).toBe(true);

    const submit = s.fake.interaction.modalSubmit({ customId: modal['custom_id'] as string, fields: { subject: 'Port 25 blocked', description: 'Mail times out', category: ['network'] } });
    const answer = await finalAnswer(await submit.replies());
    const ticketId = /#(\S+?) opened/.exec(String(answer['content']))?.[1] ?? '';
    expect(selectel.ticket(ticketId)).toMatchObject({ categories: ['network'] });
  });
});
