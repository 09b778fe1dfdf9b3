import { ProviderError } from '../../../src/errors.js';
import { silentLogger, type Logger } from '../../../src/logger.js';
import { createProvider as createLocalProvider } from '../../../adapters/local/index.js';
import { createHttpClient } from '../../../src/provider-kit/http.js';
import { startSlack, type SlackFrontEnd } from '../../../bots/slack/index.js';
import type { Locale } from '../../../src/config.js';
import type { KeyValueStore } from '../../../src/store/index.js';
import type { TicketProvider } from '../../../src/provider.js';
import { startOnHarness } from '../../support/front-ends.js';
import { startHarness, type Harness } from '../../support/harness.js';
import {
  SLACK_DEFAULTS,
  postEvent,
  postInteraction,
  postSlashCommand,
  slashCommand,
  startFakeSlack,
  type FakeSlack,
  type FakeSlackCall,
  type FakeSlackOptions,
  type SlashCommandInput,
  viewSubmission,
} from '../../../fakes/slack/index.js';

export const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const STAFF_GROUP = 'S0STAFF0001';

export type TransportKind = 'http' | 'socket';

/** One way into the app, the same for both transports: what Slack sends, and the app's ack body. */
export interface Delivery {
  command(input?: Partial<SlashCommandInput>): Promise<unknown>;
  interaction(payload: Record<string, unknown>): Promise<unknown>;
  event(body: Record<string, unknown>, retry?: number): Promise<unknown>;
}

export interface Rig {
  fake: FakeSlack;
  h: Harness;
  slack: SlackFrontEnd;
  send: Delivery;
  endpoint?: string;
  close(): Promise<void>;
}

export interface RigOptions {
  transport?: TransportKind;
  fake?: FakeSlackOptions;
  /** Makes the provider refuse to create tickets, as a vendor outage would. */
  providerDown?: boolean;
  /** Another provider on the harness's store (see `localProvider` to wrap the local desk). */
  provider?: (kv: KeyValueStore) => TicketProvider;
  perChannelMs?: number;
  eventMarkMs?: number;
  /** The deadline of each call to Slack. */
  callTimeoutMs?: number;
  /** MAX_ATTACHMENT_MB of the bridge. */
  maxAttachmentMb?: number;
  /** DEFAULT_LOCALE as main.ts passes it. */
  defaultLocale?: Locale;
  /** The Slack front-end's logger (silent by default). */
  logger?: Logger;
}

/** The whole bridge on the local desk, the real Bolt app, and the fake Slack in between. */
export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const transport = options.transport ?? 'http';
  const fake = await startFakeSlack({
    users: [
      { id: 'U0000000002', name: 'mallory', real_name: 'Mallory Other' },
      { id: 'U0000000003', name: 'sam', real_name: 'Sam Support' },
    ],
    usergroups: { [STAFF_GROUP]: ['U0000000003'] },
    ...options.fake,
  });
  const provider = options.providerDown ? downProvider : options.provider;
  const h = await startHarness({ ...(provider ? { provider } : {}), ...(options.maxAttachmentMb ? { maxAttachmentMb: options.maxAttachmentMb } : {}) });
  const env = {
    SLACK_BOT_TOKEN: SLACK_DEFAULTS.botToken,
    SLACK_API_URL: fake.url,
    SLACK_STAFF_USERGROUP: STAFF_GROUP,
    ...(transport === 'http' ? { SLACK_SIGNING_SECRET: SECRET, PORT: '0' } : { SLACK_APP_TOKEN: SLACK_DEFAULTS.appToken }),
  };
  const slack = await startOnHarness(h, fake, () => startSlack({ service: h.service, kv: h.kv, logger: options.logger ?? silentLogger, env, ...(options.defaultLocale ? { defaultLocale: options.defaultLocale } : {}) }, { perChannelMs: options.perChannelMs ?? 50, ...(options.eventMarkMs ? { eventMarkMs: options.eventMarkMs } : {}), ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}) }));
  const endpoint = slack.port === undefined ? undefined : `http://127.0.0.1:${slack.port}/slack/events`;
  const send = endpoint ? httpDelivery(fake, endpoint) : await socketDelivery(fake);
  return {
    fake,
    h,
    slack,
    send,
    ...(endpoint ? { endpoint } : {}),
    async close() {
      await h.close(); // stops the front-end first, then the relay and outbox
      await fake.close();
    },
  };
}

function httpDelivery(fake: FakeSlack, endpoint: string): Delivery {
  const body = async (res: Promise<{ status: number; json(): unknown }>): Promise<unknown> => {
    const r = await res;
    if (r.status !== 200) throw new Error(`app answered HTTP ${r.status}`);
    return r.json();
  };
  return {
    command: (input = {}) => body(postSlashCommand(endpoint, SECRET, slashCommand({ response_url: fake.responseUrl(), ...input }))),
    interaction: (payload) => body(postInteraction(endpoint, SECRET, payload)),
    event: (event, retry) => body(postEvent(endpoint, SECRET, event, retry === undefined ? {} : { retryNum: retry, retryReason: 'http_timeout' })),
  };
}

async function socketDelivery(fake: FakeSlack): Promise<Delivery> {
  await fake.socket.connected();
  // An empty ack payload is what an empty HTTP 200 body is over HTTP.
  const body = (payload: Record<string, unknown> | undefined) => (payload && Object.keys(payload).length > 0 ? payload : undefined);
  return {
    command: async (input = {}) => body((await fake.socket.send('slash_commands', slashCommand({ response_url: fake.responseUrl(), ...input }))).payload),
    interaction: async (payload) => body((await fake.socket.send('interactive', payload)).payload),
    event: async (event, retry) =>
      body((await fake.socket.send('events_api', event, retry === undefined ? {} : { retryAttempt: retry, retryReason: 'timeout' })).payload),
  };
}

/** The local desk's provider on `kv`, the one the harness uses by default. */
export function localProvider(kv: KeyValueStore): TicketProvider {
  return createLocalProvider({ http: createHttpClient(silentLogger), logger: silentLogger, kv, env: {} });
}

function downProvider(kv: KeyValueStore): TicketProvider {
  const local = localProvider(kv);
  return {
    ...local,
    async createTicket() {
      throw new ProviderError({ kind: 'unavailable', provider: 'local', method: 'POST', path: '/tickets', status: 503 });
    },
  };
}

/** The state values of the open form as Slack submits them. */
export function openFormValues(values: { subject?: string; description?: string; priority?: string; category?: string }) {
  const text = (value: string | undefined) => ({ value: { type: 'plain_text_input', value: value ?? null } });
  const select = (value: string | undefined) => ({ value: { type: 'static_select', selected_option: value ? { text: { type: 'plain_text', text: value }, value } : null } });
  return {
    subject: text(values.subject),
    description: text(values.description),
    priority: select(values.priority),
    category: select(values.category),
  };
}

/** The modal a views.open call opened, as the fake stored it. */
export function openedView(call: FakeSlackCall): { id: string; callback_id: string; private_metadata: string; blocks: Array<Record<string, unknown>> } {
  return (call.response as { view: { id: string; callback_id: string; private_metadata: string; blocks: Array<Record<string, unknown>> } }).view;
}

/** Runs /ticket and submits the form; returns the ack of the submission and the view. */
export async function openTicket(r: Rig, values: Parameters<typeof openFormValues>[0]) {
  const before = r.fake.callsTo('views.open').length;
  await r.send.command({ text: '' });
  const view = openedView(await r.fake.waitFor('views.open', () => r.fake.callsTo('views.open').length > before));
  const ack = await r.send.interaction(
    viewSubmission({ view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: openFormValues(values) } } }),
  );
  return { ack, view };
}

/** Opens a ticket through the form; returns its card's ts once the ticket is linked. */
export async function openCard(r: Rig): Promise<string> {
  await openTicket(r, { subject: 'Printer', description: 'It is on fire' });
  const card = await r.fake.waitFor('chat.postMessage', (c) => Array.isArray(c.args.blocks) && c.args.thread_ts === undefined);
  await r.fake.waitFor('chat.postEphemeral', (c) => /opened/.test(String(c.args.text))); // linked by now
  return card.response.ts as string;
}
