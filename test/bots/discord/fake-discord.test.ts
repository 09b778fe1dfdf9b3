import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_IDS, startFakeDiscord, type FakeDiscord, type Json } from '../../../fakes/discord/index.js';

/** The fake itself must be as strict as Discord where the bot could get it wrong. */
describe('fake Discord', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await startFakeDiscord({ interactionTimeoutMs: 300 });
  });
  afterEach(async () => {
    await fake.close();
  });
  const api = (path: string, init: { method?: string; body?: unknown; auth?: boolean } = {}) =>
    fetch(`${fake.apiUrl}/v10${path}`, {
      method: init.method ?? 'GET',
      headers: { ...(init.auth === false ? {} : { authorization: `Bot ${fake.token}` }), 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  it('wants the bot token, and gives the gateway URL from /gateway/bot', async () => {
    expect((await api('/gateway/bot', { auth: false })).status).toBe(401);
    const info = (await (await api('/gateway/bot')).json()) as Json;
    expect(info['url']).toBe(fake.gatewayUrl);
    expect(info['shards']).toBe(1);
  });

  it('rejects empty and over-long messages, and dedupes an enforced nonce', async () => {
    const path = `/channels/${DEFAULT_IDS.ticketsChannelId}/messages`;
    expect((await api(path, { method: 'POST', body: { content: '' } })).status).toBe(400);
    expect((await api(path, { method: 'POST', body: { content: 'x'.repeat(2001) } })).status).toBe(400);
    expect((await api(path, { method: 'POST', body: { content: 'x', nonce: 'n'.repeat(26) } })).status).toBe(400);
    const first = (await (await api(path, { method: 'POST', body: { content: 'once', nonce: 'abc', enforce_nonce: true } })).json()) as Json;
    const again = (await (await api(path, { method: 'POST', body: { content: 'once', nonce: 'abc', enforce_nonce: true } })).json()) as Json;
    expect(again['id']).toBe(first['id']);
    expect(fake.messages(DEFAULT_IDS.ticketsChannelId)).toHaveLength(1);
  });

  it('accepts one interaction callback inside the ack window, and none after it', async () => {
    const a = fake.interaction.command({ name: 'ticket', subcommand: 'list' });
    const ok = await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 5, data: { flags: 64 } } });
    expect(ok.status).toBe(204);
    const twice = await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 5 } });
    expect(((await twice.json()) as Json)['code']).toBe(40060);
    const b = fake.interaction.command({ name: 'ticket', subcommand: 'list' });
    await new Promise((r) => setTimeout(r, 400));
    const late = await api(`/interactions/${b.id}/${b.token}/callback`, { method: 'POST', auth: false, body: { type: 5 } });
    expect(late.status).toBe(404);
    expect((await b.replies()).expired).toBe(true);
  });

  it('refuses a modal of more than five rows', async () => {
    const a = fake.interaction.command({ name: 'ticket', subcommand: 'open' });
    const row = (i: number) => ({ type: 1, components: [{ type: 4, custom_id: `f${i}`, label: 'L', style: 1 }] });
    const res = await api(`/interactions/${a.id}/${a.token}/callback`, {
      method: 'POST', auth: false, body: { type: 9, data: { custom_id: 'm', title: 'T', components: [0, 1, 2, 3, 4, 5].map(row) } },
    });
    expect(res.status).toBe(400);
  });

  it('checks modal Labels and what they wrap as Discord does', async () => {
    const modal = async (components: Json[]): Promise<Json> => {
      const a = fake.interaction.command({ name: 'ticket', subcommand: 'open' });
      const res = await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 9, data: { custom_id: 'm', title: 'T', components } } });
      return res.status === 204 ? {} : ((await res.json()) as Json);
    };
    const options = (n: number) => Array.from({ length: n }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    const select = (extra: Json = {}) => ({ type: 3, custom_id: 'priority', options: options(3), ...extra });
    const label = (component: Json, extra: Json = {}) => ({ type: 18, label: 'Priority', component, ...extra });
    expect(await modal([label(select())])).toEqual({});
    const refused = async (components: Json[]) => JSON.stringify((await modal(components))['errors']);
    expect(await refused([{ type: 1, components: [select()] }])).toContain('exactly one text input');
    expect(await refused([select()])).toContain('UNION_TYPE_CHOICES');
    expect(await refused([label(select({ options: options(26) }))])).toContain('options');
    expect(await refused([label(select({ disabled: false }))])).toContain('disabled');
    expect(await refused([label(select({ max_values: 4 }))])).toContain('max_values');
    expect(await refused([label(select()), label(select())])).toContain('COMPONENT_CUSTOM_ID_DUPLICATED');
    expect(await refused([{ type: 18, label: 'No input' }])).toContain('component');
    expect(await refused([label(select(), { label: 'x'.repeat(46) })])).toContain('label');
    expect(await refused([label({ type: 21, custom_id: 'score', options: options(1) })])).toContain('options');
  });

  it('takes a file upload only inside a Label, with its limits checked', async () => {
    const modal = async (components: Json[]): Promise<Json> => {
      const a = fake.interaction.command({ name: 'ticket', subcommand: 'open' });
      const res = await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 9, data: { custom_id: 'm', title: 'T', components } } });
      return res.status === 204 ? {} : ((await res.json()) as Json);
    };
    const upload = (extra: Json = {}) => ({ type: 19, custom_id: 'files', min_values: 0, max_values: 5, required: false, ...extra });
    const label = (component: Json) => ({ type: 18, label: 'Files', component });
    expect(await modal([label(upload())])).toEqual({});
    expect(await modal([label({ type: 19, custom_id: 'files' })])).toEqual({});
    const refused = async (components: Json[]) => JSON.stringify((await modal(components))['errors']);
    expect(await refused([upload()])).toContain('UNION_TYPE_CHOICES');
    expect(await refused([{ type: 1, components: [upload()] }])).toContain('exactly one text input');
    expect(await refused([label(upload({ custom_id: undefined }))])).toContain('custom_id');
    expect(await refused([label(upload({ max_values: 11 }))])).toContain('max_values');
    expect(await refused([label(upload({ max_values: 0 }))])).toContain('max_values');
    expect(await refused([label(upload({ min_values: 11 }))])).toContain('min_values');
    expect(await refused([label(upload({ min_values: 3, max_values: 2 }))])).toContain('min_values');
    expect(await refused([label(upload({ required: 'no' }))])).toContain('required');
    expect(await refused([label(upload({ file_types: ['pdf'] }))])).toContain('file_types');
    const text = { type: 18, label: 'Subject', component: { type: 4, custom_id: 'files', style: 1 } };
    expect(await refused([text, label(upload())])).toContain('COMPONENT_CUSTOM_ID_DUPLICATED');
  });

  it('submits files put in a modal as ephemeral attachments its CDN serves, within the upload’s limits', async () => {
    const a = fake.interaction.command({ name: 'ticket', subcommand: 'open' });
    const components = [
      { type: 18, label: 'Subject', component: { type: 4, custom_id: 'subject', style: 1 } },
      { type: 18, label: 'Files', component: { type: 19, custom_id: 'files', min_values: 0, max_values: 2, required: false } },
    ];
    await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 9, data: { custom_id: 'm', title: 'T', components } } });
    const png = { name: 'a.png', contentType: 'image/png', bytes: Buffer.from('png bytes') };
    const submit = fake.interaction.modalSubmit({ customId: 'm', fields: { subject: 'Hi', files: [png] } });
    const data = submit.payload['data'] as Json;
    const upload = ((data['components'] as Json[])[1]?.['component'] ?? {}) as Json;
    const [id] = upload['values'] as string[];
    const attachment = ((data['resolved'] as Json)['attachments'] as Json)[id!] as Json;
    expect(attachment).toMatchObject({ id, filename: 'a.png', size: 9, content_type: 'image/png', ephemeral: true });
    expect(String(attachment['url'])).toMatch(/\/ephemeral-attachments\//);
    expect(Buffer.from(await (await fetch(String(attachment['url']))).arrayBuffer()).toString()).toBe('png bytes');

    const empty = fake.interaction.modalSubmit({ customId: 'm', fields: { subject: 'Hi' } });
    expect(((empty.payload['data'] as Json)['components'] as Json[])[1]?.['component']).toMatchObject({ type: 19, values: [] });
    expect((empty.payload['data'] as Json)['resolved']).toBeUndefined();
    expect(() => fake.interaction.modalSubmit({ customId: 'm', fields: { subject: 'Hi', files: [png, png, png] } })).toThrow(/takes 0 to 2 files/);
    expect(() => fake.interaction.modalSubmit({ customId: 'm', fields: { subject: [png] } })).toThrow(/takes no files/);
    const huge = { ...png, bytes: Buffer.alloc(10 * 1024 * 1024 + 1) };
    expect(() => fake.interaction.modalSubmit({ customId: 'm', fields: { subject: 'Hi', files: [huge] } })).toThrow(/upload limit/);
  });

  it('takes autocomplete suggestions only for an autocomplete, at most 25', async () => {
    const put = (path: string, body: unknown) => api(path, { method: 'PUT', body });
    const bad = await put(`/applications/${fake.applicationId}/commands`, [{ name: 'ticket', description: 'd', name_localizations: { de: 'Ticket Öffnen' } }]);
    expect(JSON.stringify(await bad.json())).toContain('APPLICATION_COMMAND_INVALID_NAME');
    const unknownLocale = await put(`/applications/${fake.applicationId}/commands`, [{ name: 'ticket', description: 'd', description_localizations: { es: 'x' } }]);
    expect(unknownLocale.status).toBe(400);
    const a = fake.interaction.autocomplete({ name: 'ticket', focused: { name: 'ticket', value: '4' }, options: [] });
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `#${i}`, value: String(i) }));
    const tooMany = await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 8, data: { choices } } });
    expect(tooMany.status).toBe(400);
    const asMessage = await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 4, data: { content: 'x' } } });
    expect(asMessage.status).toBe(400);
    const ok = await api(`/interactions/${a.id}/${a.token}/callback`, { method: 'POST', auth: false, body: { type: 8, data: { choices: choices.slice(0, 25) } } });
    expect(ok.status).toBe(204);
  });

  it('marks @everyone as pinging only when allowed_mentions lets it', async () => {
    const path = `/channels/${DEFAULT_IDS.ticketsChannelId}/messages`;
    const loud = (await (await api(path, { method: 'POST', body: { content: '@everyone hi' } })).json()) as Json;
    const quiet = (await (await api(path, { method: 'POST', body: { content: '@everyone hi', allowed_mentions: { parse: [] } } })).json()) as Json;
    expect([loud['mention_everyone'], quiet['mention_everyone']]).toEqual([true, false]);
  });
});
