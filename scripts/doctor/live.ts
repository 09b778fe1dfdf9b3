import { existsSync } from 'node:fs';
import { load } from 'js-yaml';
import { readFile } from 'node:fs/promises';
import { providers } from '../../adapters/registry.js';
import type { DiscordSettings } from '../../bots/discord/settings.js';
import type { SlackSettings } from '../../bots/slack/settings.js';
import type { CoreConfig } from '../../src/config.js';
import { ProviderError } from '../../src/errors.js';
import { silentLogger } from '../../src/logger.js';
import { createHttpClient } from '../../src/provider-kit/http.js';
import type { Env } from '../../src/settings.js';
import { describeStore, openStore, type KeyValueStore } from '../../src/store/index.js';

/** One live check's verdict: what was found, or what is wrong and what to do about it. */
export type Verdict = { ok: true; detail: string } | { ok: false; detail: string };

const pass = (detail: string): Verdict => ({ ok: true, detail });
const fail = (detail: string): Verdict => ({ ok: false, detail });

/** Every outside call of the doctor waits at most this long. */
const CALL_TIMEOUT_MS = 10_000;

/**
 * The store answers a read. A SQLite file that does not exist yet is fine (the bot creates it),
 * and is not created here: the doctor writes nothing.
 */
export async function checkStore(config: CoreConfig): Promise<Verdict> {
  const shown = describeStore(config.STORE_URL);
  if (config.STORE_URL.startsWith('sqlite://') && !existsSync(config.STORE_URL.slice('sqlite://'.length))) {
    return pass(`${shown} does not exist yet; the bot creates it on its first start`);
  }
  let kv: KeyValueStore | undefined;
  try {
    kv = await openStore(config.STORE_URL, { timeoutMs: config.STORE_TIMEOUT_MS, connectTimeoutMs: Math.min(config.STORE_CONNECT_TIMEOUT_MS, CALL_TIMEOUT_MS) });
    await kv.get('ops:ping');
    return pass(`${shown} answers`);
  } catch (error) {
    return fail(`STORE_URL: ${shown} does not answer (${messageOf(error)}); start the store or fix STORE_URL`);
  } finally {
    await kv?.close().catch(() => undefined);
  }
}

/** The provider's credential check (one documented read-only GET); only 401/403 mean refused. */
export async function checkProvider(config: CoreConfig, env: Env): Promise<Verdict> {
  if (config.TICKET_PROVIDER === 'local') return pass('the local desk keeps its tickets in the store: no credentials to check');
  const http = createHttpClient(silentLogger, { timeoutMs: CALL_TIMEOUT_MS, retry: { retries: 0, baseMs: 0, maxMs: 0, maxRetryAfterMs: 0 } });
  try {
    const provider = (await providers[config.TICKET_PROVIDER]())({ http, logger: silentLogger, kv: noStore, env });
    if (!provider.access) return pass(`${provider.displayName}: no credentials to check`);
    const { variable } = provider.access;
    try {
      await provider.access.check();
      return pass(`${provider.displayName} accepts ${variable}`);
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'auth') {
        return fail(`${variable}: ${provider.displayName} refused it (HTTP ${error.status ?? '?'}); set credentials the vendor accepts`);
      }
      const base = `${config.TICKET_PROVIDER.toUpperCase()}_BASE_URL`;
      return fail(`${provider.displayName} gave no usable answer to ${describeCall(error)} (${shortReason(error)}); check ${base} and the network, or the vendor's status page`);
    }
  } finally {
    await http.close();
  }
}

/** auth.test, and the scopes Slack granted the token (x-oauth-scopes) against manifest.yml's. */
export async function checkSlack(settings: SlackSettings): Promise<Verdict[]> {
  const api = settings.apiUrl ?? 'https://slack.com/api/';
  let response: Response;
  try {
    response = await fetch(`${api}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${settings.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
    });
  } catch (error) {
    return [fail(`SLACK_API_URL: no answer from ${api} (${shortReason(error)})`)];
  }
  const body = (await response.json().catch(() => ({}))) as { ok?: boolean; error?: string; team?: string; user?: string };
  if (!body.ok) {
    const refused = ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type'].includes(body.error ?? '');
    return [fail(refused ? `SLACK_BOT_TOKEN: Slack refused it (${body.error}); copy the Bot User OAuth Token from the app's OAuth & Permissions page` : `Slack auth.test failed (${body.error ?? `HTTP ${response.status}`})`)];
  }
  const granted = new Set((response.headers.get('x-oauth-scopes') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const missing = (await manifestBotScopes()).filter((scope) => !granted.has(scope));
  return [
    pass(`Slack accepts SLACK_BOT_TOKEN (${body.user ?? 'bot'} in ${body.team ?? 'the workspace'})`),
    missing.length === 0
      ? pass(`Slack granted every scope manifest.yml asks for (${granted.size} granted)`)
      : fail(`SLACK_BOT_TOKEN lacks scopes ${missing.join(', ')}: add them under OAuth & Permissions (or update the app from manifest.yml) and reinstall it`),
  ];
}

/** The bot token (GET /users/@me), the Message Content intent, and access to the ticket channel. */
export async function checkDiscord(settings: DiscordSettings): Promise<Verdict[]> {
  const get = (path: string) =>
    fetch(`${settings.apiUrl}/v10${path}`, { headers: { authorization: `Bot ${settings.token}` }, signal: AbortSignal.timeout(CALL_TIMEOUT_MS) });
  const verdicts: Verdict[] = [];
  try {
    const me = await get('/users/@me');
    if (me.status === 401) return [fail('DISCORD_TOKEN: Discord refused it; copy a fresh one from the Developer Portal (Bot → Reset Token)')];
    if (!me.ok) return [fail(`DISCORD_API_URL: GET /users/@me answered HTTP ${me.status}`)];
    const user = (await me.json()) as { username?: string };
    verdicts.push(pass(`Discord accepts DISCORD_TOKEN (${user.username ?? 'bot'})`));

    const app = await get('/applications/@me');
    const flags = app.ok ? (((await app.json()) as { flags?: number }).flags ?? 0) : 0;
    // GATEWAY_MESSAGE_CONTENT (1 << 18) or its _LIMITED form (1 << 19): the switch in the portal.
    const contentIntent = (flags & ((1 << 18) | (1 << 19))) !== 0;
    verdicts.push(
      contentIntent
        ? pass('Discord lets the bot read message text (Message Content intent on)')
        : fail('DISCORD_TOKEN: its application may not use the Message Content intent; enable it in the Developer Portal (Bot → Privileged Gateway Intents)'),
    );

    if (settings.ticketChannel) {
      const channel = await get(`/channels/${settings.ticketChannel}`);
      verdicts.push(
        channel.ok
          ? pass(`the bot sees DISCORD_TICKET_CHANNEL (${((await channel.json()) as { name?: string }).name ?? settings.ticketChannel})`)
          : channel.status === 404
            ? fail('DISCORD_TICKET_CHANNEL: no such channel; copy the channel id (Developer Mode → Copy Channel ID)')
            : fail(`DISCORD_TICKET_CHANNEL: the bot may not see it (HTTP ${channel.status}); give its role View Channel and Create Private Threads there`),
      );
    }
  } catch (error) {
    verdicts.push(fail(`DISCORD_API_URL: no answer from ${settings.apiUrl} (${shortReason(error)})`));
  }
  return verdicts;
}

/** The bot scopes manifest.yml asks for: what the app needs to be granted. */
async function manifestBotScopes(): Promise<string[]> {
  const manifest = load(await readFile(new URL('../../manifest.yml', import.meta.url), 'utf8')) as { oauth_config?: { scopes?: { bot?: string[] } } };
  return manifest.oauth_config?.scopes?.bot ?? [];
}

function describeCall(error: unknown): string {
  return error instanceof ProviderError ? `${error.method} ${error.path}` : 'its check';
}

/** The innermost reason, e.g. ECONNREFUSED, without a stack. */
function shortReason(error: unknown): string {
  let e = error as { code?: unknown; message?: unknown; cause?: unknown; status?: unknown } | undefined;
  while (e?.cause) e = e.cause as typeof e;
  if (typeof e?.code === 'string') return e.code;
  if (error instanceof ProviderError && error.status !== undefined) return `HTTP ${error.status}`;
  return typeof e?.message === 'string' ? e.message : String(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Vendors other than the local desk never touch the store; one that did would be a bug to hear of. */
const noStore = new Proxy({} as KeyValueStore, {
  get: () => {
    throw new Error('the provider touched the store during the doctor’s check');
  },
});
