import { describe, expect, it } from 'vitest';
import { createProvider } from '../../adapters/f5xc/index.js';
import { commentText, toSnapshot, toStatus } from '../../adapters/f5xc/map.js';
import type { OpenTicketInput } from '../../src/domain.js';
import { ConfigError, ProviderError } from '../../src/errors.js';
import { attributedText, capabilitiesOf, commentFingerprint } from '../../src/provider.js';
import { providerContract } from '../contracts/provider-contract.js';
import { F5XC_FAKE_TOKEN, SEED_CREATE_EXAMPLE, startF5xcFake } from '../../fakes/providers/f5xc.js';
import { ada, adapterRig } from './rig.js';

const validInput: OpenTicketInput = {
  subject: 'Tunnel to the edge site drops',
  description: 'Since Monday the IPsec tunnel to site ams-1 drops every hour.',
  priority: 'high',
  category: 'TECHNICAL_SUPPORT_TOPIC_TROUBLESHOOTING',
};
const common = {
  factory: createProvider,
  validInput,
  invalidInput: { input: { ...validInput, category: 'NETWORKING' }, field: 'category' },
  badCredentials: { F5XC_API_TOKEN: 'not-the-right-token-123' },
};

providerContract('f5xc', { ...common, start: () => startF5xcFake(), missingId: '999999' });
providerContract('f5xc (tenant mode)', {
  ...common,
  start: () => startF5xcFake({ mode: 'tenant' }),
  missingId: 'chat-0000000000000000',
});

describe('f5xc adapter', () => {
  const rig = adapterRig(startF5xcFake, createProvider);
  const { last, deps } = rig;
  /** A partner-mode fake unless `mode` says otherwise, with `env` over its settings. */
  const setup = (mode: 'partner' | 'tenant' = 'partner', env: Record<string, string> = {}) => rig.setup(env, { fake: { mode } });

  it('creates a partner ticket with the APIToken header and the body F5 documents, keyed by tp_id', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const sent = last(fake);
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/api/web/namespaces/system/partner-management/customer_supports');
    expect(sent.headers.authorization).toBe(`APIToken ${F5XC_FAKE_TOKEN}`);
    expect(sent.body).toMatchObject({
      metadata: { name: expect.stringMatching(/^chat-[0-9a-f]{16}$/), namespace: 'system' },
      spec: {
        subject: validInput.subject,
        description: attributedText(validInput.description, ada),
        priority: 'PRIORITY_HIGH',
        type: 'TYPE_TECHNICAL_SUPPORT',
        topic: 'TECHNICAL_SUPPORT_TOPIC_TROUBLESHOOTING',
        service: 'SS_OTHER',
      },
    });
    expect(ticket.id).toBe((fake.ticket(ticket.id)?.spec as { tp_id: string }).tp_id);
    expect(ticket).toMatchObject({ status: 'open', vendorStatus: 'New', priority: 'high', category: validInput.category });
  });

  it('sends low priority as PRIORITY_NORMAL and the type that the chosen topic belongs to', async () => {
    const { fake, provider } = await setup();
    await provider.createTicket({ ...validInput, priority: 'low', category: 'ACCOUNT_SUPPORT_TOPIC_BILLING' }, ada);
    expect(last(fake).body).toMatchObject({
      spec: { priority: 'PRIORITY_NORMAL', type: 'TYPE_ACCOUNT_SUPPORT', topic: 'ACCOUNT_SUPPORT_TOPIC_BILLING' },
    });
  });

  it('without a topic, sends F5XC_TYPE with its "other" topic and the configured service', async () => {
    const { fake, provider } = await setup('partner', { F5XC_TYPE: 'TYPE_INCIDENT_SUPPORT', F5XC_SERVICE: 'SS_CDN' });
    const { subject, description } = validInput;
    await provider.createTicket({ subject, description }, ada);
    expect(last(fake).body).toMatchObject({
      spec: { priority: 'PRIORITY_NORMAL', type: 'TYPE_INCIDENT_SUPPORT', topic: 'INCIDENT_SUPPORT_TOPIC_OTHERS', service: 'SS_CDN' },
    });
  });

  it('posts a partner comment as {tp_id, comment} and returns no id, since F5 gives none', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    const text = attributedText('Logs attached in the portal.', ada);
    expect(await provider.addComment(ticket.id, { text, author: ada })).toEqual({});
    const sent = last(fake);
    expect(sent.path).toBe(`/api/web/namespaces/system/partner-management/customer_supports/${ticket.id}/comment`);
    expect(sent.body).toEqual({ tp_id: ticket.id, comment: text });
  });

  it('in tenant mode, keys tickets by metadata.name and acts on the singular customer_support paths', async () => {
    const { fake, provider } = await setup('tenant');
    const { ticket } = await provider.createTicket(validInput, ada);
    expect(fake.requests[0]!.path).toBe('/api/web/namespaces/system/customer_supports');
    expect(ticket.id).toBe((fake.requests[0]!.body as { metadata: { name: string } }).metadata.name);
    await provider.addComment(ticket.id, { text: 'hello', author: ada });
    expect(last(fake)).toMatchObject({
      path: `/api/web/namespaces/system/customer_support/${ticket.id}/comment`,
      body: { name: ticket.id, namespace: 'system', comment: 'hello' },
    });
    await provider.closeTicket!(ticket.id);
    expect(last(fake)).toMatchObject({
      path: `/api/web/namespaces/system/customer_support/${ticket.id}/close`,
      body: { name: ticket.id, namespace: 'system' },
    });
    await provider.getTicket(ticket.id);
    expect(last(fake).path).toBe(`/api/web/namespaces/system/customer_supports/${ticket.id}`);
  });

  it('treats an HTTP 200 whose err is not EOK as a failure, with the code in the message', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    await provider.closeTicket!(ticket.id);
    const again = (await provider.closeTicket!(ticket.id).catch((e: unknown) => e)) as ProviderError;
    expect(again).toBeInstanceOf(ProviderError);
    expect(again.kind).toBe('conflict');
    expect(again.message).toContain('E_NOT_OPEN');

    const unknown = (await provider.addComment('424242', { text: 'x', author: ada }).catch((e: unknown) => e)) as ProviderError;
    expect([unknown.kind, unknown.vendorMessage]).toEqual(['not_found', expect.stringContaining('E_NOT_NOT_FOUND')]);

    fake.failNext(1, { status: 200, body: { err: 'EUNKNOWN' } });
    const flaky = (await provider.reopenTicket!(ticket.id, '').catch((e: unknown) => e)) as ProviderError;
    expect([flaky.kind, flaky.vendorMessage]).toEqual(['unavailable', expect.stringContaining('EUNKNOWN')]);
  });

  it('takes an action answer without err as success', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.failNext(1, { status: 200, body: {} });
    await expect(provider.closeTicket!(ticket.id)).resolves.toBeUndefined();
  });

  it('reopens, then posts the reason as a comment, since F5 reopen takes no text', async () => {
    const { fake, provider } = await setup();
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.setStatus(ticket.id, 'resolved');
    await provider.reopenTicket!(ticket.id, 'It happened again tonight.');
    const paths = fake.requests.slice(-2).map((r) => r.path.split('/').pop());
    expect(paths).toEqual(['reopen', 'comment']);
    expect(fake.comments(ticket.id).at(-1)).toEqual({ text: 'It happened again tonight.', byCustomer: true });
    expect((await provider.getTicket(ticket.id)).ticket.status).toBe('in_progress');
  });

  it("drops the description F5 keeps as the first comment, and returns support's comments in order", async () => {
    const { fake, provider } = await setup();
    const { ticket, comments } = await provider.createTicket(validInput, ada);
    expect(fake.comments(ticket.id)).toHaveLength(1);
    expect(comments).toEqual([]);
    const id = fake.addAgentComment(ticket.id, 'Which site version?', 'Grace Hopper');
    const [first] = (await provider.getTicket(ticket.id)).comments;
    expect(first).toMatchObject({ id, origin: 'agent', author: 'Grace Hopper', text: 'Which site version?' });
  });

  it('recognises its own comment by fingerprint even when F5 links a URL in the html', async () => {
    // No customer domain configured: origin falls back to agent, and only the fingerprint tells.
    const { provider } = await setup('partner', { F5XC_CUSTOMER_DOMAIN: '' });
    const { ticket } = await provider.createTicket(validInput, ada);
    const text = attributedText('See https://status.example.com/a_b and *this*', ada);
    await provider.addComment(ticket.id, { text, author: ada });
    const [mine] = (await provider.getTicket(ticket.id)).comments;
    expect(mine?.origin).toBe('agent');
    expect(commentFingerprint(ticket.id, mine!.text)).toBe(commentFingerprint(ticket.id, text));
  });

  it("turns support's formatted html into markdown and falls back to plain_text", () => {
    const rich = { html: '<p>Try <strong>this</strong>:</p><ul><li>restart the <a href="https://x.example/">site</a></li></ul>', plain_text: 'Try this: restart the site' };
    expect(commentText(rich)).toBe('Try **this**:\n\n- restart the [site](https://x.example/)');
    expect(commentText({ plain_text: 'only text' })).toBe('only text');
    expect(commentText({ html: '<p>a_b 1. c</p>', plain_text: 'a_b 1. c' })).toBe('a_b 1. c');
  });

  it('tells customer colleagues from support by F5XC_CUSTOMER_EMAILS and F5XC_CUSTOMER_DOMAIN', async () => {
    const { fake, provider } = await setup('partner', { F5XC_CUSTOMER_EMAILS: 'Ops@Partner.example' });
    const { ticket } = await provider.createTicket(validInput, ada);
    fake.failNext(1, {
      status: 200,
      body: {
        spec: {
          description: 'd',
          comments: [
            { comment_id: '1', author_name: 'Ops', author_email: 'ops@partner.example', plain_text: 'a' },
            { comment_id: '2', author_name: 'Lin', author_email: 'lin@customer.example', plain_text: 'b' },
            { comment_id: '3', author_name: 'Sam', author_email: 'sam@f5.com', plain_text: 'c' },
            { author_name: 'Nobody', plain_text: 'c' },
          ],
        },
      },
    });
    const { comments } = await provider.getTicket(ticket.id);
    expect(comments.map((c) => c.origin)).toEqual(['customer', 'customer', 'agent', 'agent']);
    expect(comments[3]!.id).toMatch(/^h:/);
  });

  it('maps every F5 status, keeping the vendor word, and an unknown one as open', () => {
    expect(toStatus('STATUS_PENDING')).toEqual({ status: 'waiting', vendorStatus: 'Pending' });
    expect(toStatus('STATUS_ONHOLD')).toEqual({ status: 'in_progress', vendorStatus: 'On hold' });
    expect(toStatus('STATUS_SOLVED').status).toBe('resolved');
    expect(toStatus('STATUS_FAILED').status).toBe('closed');
    expect(toStatus('STATUS_ESCALATED')).toEqual({ status: 'open', vendorStatus: 'STATUS_ESCALATED' });
    const noStatus = toSnapshot('t1', { spec: { comments: [] } }, { F5XC_CUSTOMER_DOMAIN: undefined, F5XC_CUSTOMER_EMAILS: [] });
    expect(noStatus.ticket.status).toBe('open');
  });

  it("reads the seed's example response without failing", async () => {
    const { fake, provider } = await setup();
    fake.failNext(1, { status: 200, body: SEED_CREATE_EXAMPLE.response });
    const { ticket, comments } = await provider.getTicket('40001');
    expect(ticket).toMatchObject({ id: '40001', status: 'open', vendorStatus: 'Unknown' });
    expect(ticket.priority).toBeUndefined();
    expect(comments).toEqual([]);
  });

  it('does not open a second ticket when a create is retried after its answer was lost', async () => {
    for (const mode of ['partner', 'tenant'] as const) {
      const { fake, provider } = await setup(mode);
      fake.quirks.loseNextCreateAnswer = true;
      const { ticket } = await provider.createTicket(validInput, ada);
      const creates = fake.requests.filter((r) => r.method === 'POST');
      expect(creates).toHaveLength(2);
      expect(creates[1]!.body).toEqual(creates[0]!.body);
      expect(fake.ticket(ticket.id)).toBeDefined();
      expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('customer_supports'))).toHaveLength(
        mode === 'partner' ? 1 : 0,
      );
    }
  });

  it('finds the tp_id in the list when a partner create answers without one', async () => {
    const { fake, provider } = await setup();
    fake.quirks.createWithoutTpId = true;
    const { ticket } = await provider.createTicket(validInput, ada);
    expect(ticket.id).toBe('40001');
  });

  it('offers the 24 F5 topics with readable labels, close and reopen, and says plainly it cannot rate', async () => {
    const { provider } = await setup();
    const topics = provider.fields.find((f) => f.name === 'category')?.options ?? [];
    expect(topics).toHaveLength(24);
    expect(topics).toContainEqual({ value: 'INCIDENT_SUPPORT_TOPIC_PARTIAL_OUTAGE', label: 'Incident: partial outage' });
    expect(capabilitiesOf(provider)).toMatchObject({ close: true, reopen: true, rate: false, updatedSince: true });
    expect(provider.rateTicket).toBeUndefined();
    expect(provider.unsupported?.rate).toMatch(/no way to rate/);
  });

  it('stops start-up on a bad setting, naming the variable', async () => {
    const { fake } = await setup();
    const build = (env: Record<string, string>) => () =>
      createProvider(deps({ ...fake.env, ...env }));
    expect(build({ F5XC_MODE: 'reseller' })).toThrow(ConfigError);
    expect(build({ F5XC_MODE: 'reseller' })).toThrow(/F5XC_MODE/);
    expect(build({ F5XC_API_TOKEN: '' })).toThrow(/F5XC_API_TOKEN/);
    expect(build({ F5XC_SERVICE: 'SS_NOPE' })).toThrow(/F5XC_SERVICE/);
    expect(build({ F5XC_BASE_URL: 'console.ves.volterra.io' })).toThrow(/F5XC_BASE_URL/);
  });
});
