// Assembles the core (local desk), the fake Discord and the real discord.js front-end for tests.
import { afterEach } from 'vitest';
import { registerCommands } from '../../../bots/discord/register.js';
import { startDiscord } from '../../../bots/discord/index.js';
import { discordSettings } from '../../../bots/discord/settings.js';
import type { Locale } from '../../../src/config.js';
import type { FrontEnd } from '../../../src/frontend.js';
import type { Logger } from '../../../src/logger.js';
import { silentLogger } from '../../../src/logger.js';
import type { TicketProvider } from '../../../src/provider.js';
import type { KeyValueStore } from '../../../src/store/index.js';
import { DEFAULT_IDS, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type Json, type ModalAnswer } from '../../../fakes/discord/index.js';
import { startOnHarness } from '../../support/front-ends.js';
import { startHarness, waitFor, type Harness } from '../../support/harness.js';

export interface Stack {
  fake: FakeDiscord;
  h: Harness;
  discord: FrontEnd;
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface StackOptions {
  env?: Record<string, string>;
  fake?: FakeDiscordOptions;
  provider?: (kv: KeyValueStore) => TicketProvider;
  logger?: Logger;
  /** MAX_ATTACHMENT_MB of the bridge. */
  maxAttachmentMb?: number;
  /** DEFAULT_LOCALE: the language of the card and thread posts. */
  defaultLocale?: Locale;
}

export function envFor(fake: FakeDiscord, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    DISCORD_TICKET_CHANNEL: DEFAULT_IDS.ticketsChannelId,
    DISCORD_STAFF_ROLE: DEFAULT_IDS.supportRoleId,
    DISCORD_GUILD_ID: fake.guildId,
    ...extra,
  };
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const fake = await startFakeDiscord({ heartbeatIntervalMs: 1_000, ...options.fake });
  const h = await startHarness({ ...(options.provider ? { provider: options.provider } : {}), ...(options.maxAttachmentMb ? { maxAttachmentMb: options.maxAttachmentMb } : {}) });
  const env = envFor(fake, options.env);
  await registerCommands(discordSettings(env), h.service.fields);
  const logger = options.logger ?? silentLogger;
  const discord = await startOnHarness(h, fake, () => startDiscord({ service: h.service, kv: h.kv, logger, env, ...(options.defaultLocale ? { defaultLocale: options.defaultLocale } : {}) }, { rest: { retries: 0 }, readyTimeoutMs: 10_000 }));
  return {
    fake,
    h,
    discord,
    env,
    async close() {
      await h.close();
      await fake.close();
    },
  };
}

/** Starts stacks for the tests of a describe block and closes them after each test. */
export function useStacks(): (options?: StackOptions) => Promise<Stack> {
  const stacks: Stack[] = [];
  afterEach(async () => {
    await Promise.all(stacks.splice(0).map((s) => s.close()));
  });
  return async (options) => {
    const s = await startStack(options);
    stacks.push(s);
    return s;
  };
}

export interface OpenedTicket {
  ticketId: string;
  threadId: string;
  cardId: string;
}

/** `/ticket open` → modal → submit (text, or the chosen option of a select), as the customer; returns the new ticket's thread and card. */
export async function openThroughDiscord(s: Stack, fields: Record<string, ModalAnswer> = { subject: 'VPN drops', description: 'Every hour, for a minute' }): Promise<OpenedTicket> {
  const command = s.fake.interaction.command({ name: 'ticket', subcommand: 'open' });
  const shown = await command.replies();
  if (shown.callback?.type !== 9) throw new Error(`expected a modal, got ${JSON.stringify(shown.callback)}`);
  const modal = shown.callback.data as Json;
  const submit = s.fake.interaction.modalSubmit({ customId: modal['custom_id'] as string, fields });
  const answered = await submit.replies();
  const done = await waitFor(() => {
    const original = answered.original;
    return original && ((original['flags'] as number) & 128) === 0 ? original : undefined;
  }, 'the open confirmation').catch((error: unknown) => {
    const seen = s.fake.calls.map((c) => `${c.method} ${c.path} → ${c.status} ${c.status >= 400 ? JSON.stringify(c.response) : ''}`).join('\n  ');
    throw new Error(`${String(error)}\n  ${seen}`);
  });
  const content = String(done['content']);
  const ticketId = /#(\S+?) opened/.exec(content)?.[1];
  const threadId = /<#(\d+)>/.exec(content)?.[1];
  if (!ticketId || !threadId) throw new Error(`unexpected confirmation: ${content}`);
  const cardId = s.fake.messages(threadId)[0]?.['id'] as string;
  return { ticketId, threadId, cardId };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The field components of a shown modal (what each Label or action row holds), in order. */
export function modalFields(modal: Json): Json[] {
  return (modal['components'] as Json[]).map((c) => (c['type'] === 18 ? (c['component'] as Json) : ((c['components'] as Json[])[0] as Json)));
}

/** An interaction's answer once it is no longer "thinking…". */
export const finalAnswer = async (replies: { readonly original: Json | undefined }): Promise<Json> =>
  waitFor(() => {
    const o = replies.original;
    return o && ((o['flags'] as number) & 128) === 0 ? o : undefined;
  }, 'the final answer', 10_000);
