import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { withPacing } from '../../adapters/selectel/index.js';
import { startSelectelFake } from '../../fakes/providers/selectel.js';
import { ada, adapterRig } from './rig.js';

const input = { subject: 'Port 25 blocked', description: 'Outbound mail from 7f3c times out.' };
const categoryField = (fields: readonly { name: string; options?: readonly { value: string; label: string }[] }[]) =>
  fields.find((f) => f.name === 'category')?.options;

// The categories are Selectel's (`GET /categories`); SELECTEL_CATEGORY is only the default.
describe('selectel categories', () => {
  const { setup, last } = adapterRig(startSelectelFake, withPacing({ windowMs: 300 }));

  it('offers and accepts every category the vendor lists, filing under the default when none is picked', async () => {
    const { fake, provider } = await setup({ SELECTEL_CATEGORY: 'technical_question' });
    await provider.refreshFields!();
    expect(categoryField(provider.fields)).toEqual([
      { value: 'technical_question', label: 'Technical question' },
      { value: 'billing', label: 'Billing and payments' },
      { value: 'network', label: 'Network' },
    ]);
    // `network` is the vendor's, not the setting's: accepted, and filed under it.
    expect(provider.validateOpen({ ...input, category: 'network' })).toEqual({});
    const { ticket } = await provider.createTicket({ ...input, category: 'network' }, ada);
    expect(fake.ticket(ticket.id)).toMatchObject({ categories: ['network'] });
    await provider.createTicket(input, ada);
    expect(last(fake).body).toMatchObject({ categories: ['technical_question'] });
    expect(provider.validateOpen({ ...input, category: 'hardware' })).toEqual({
      category: 'Category must be one of: technical_question, billing, network',
    });
  });

  it('keeps the list for a while instead of asking on every form', async () => {
    const { fake, provider } = await setup();
    await provider.refreshFields!();
    await provider.refreshFields!();
    expect(fake.requests.filter((r) => r.path === '/categories')).toHaveLength(1);
  });

  it('falls back to SELECTEL_CATEGORY when the list cannot be read, and lets the vendor judge other keys', async () => {
    const { fake, provider } = await setup({ SELECTEL_CATEGORY: 'billing' });
    fake.failNext(10, { status: 404, body: { detail: 'Not Found' } }, /^\/categories$/);
    await provider.refreshFields!();
    expect(categoryField(provider.fields)).toEqual([{ value: 'billing', label: 'Billing' }]);
    expect(provider.validateOpen({ ...input, category: 'network' })).toEqual({});
  });

  it('fake: serves the API under /support only, as api.selectel.ru does', async () => {
    const { fake } = await setup();
    expect(fake.url).toMatch(/\/support$/);
    const token = fake.env['SELECTEL_TOKEN']!;
    const outside = await request(fake.url.replace(/\/support$/, '/categories'), { headers: { 'x-token': token } });
    expect(outside.statusCode).toBe(404);
    await outside.body.dump();
    const inside = await request(`${fake.url}/categories?is_only_active=true`, { headers: { 'x-token': token } });
    expect(inside.statusCode).toBe(200);
    expect(((await inside.body.json()) as { items: unknown[] }).items).toHaveLength(3);
  });
});
