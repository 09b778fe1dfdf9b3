import { webApi } from '@slack/bolt';
import { ConfigError, innermostMessage } from '../../src/errors.js';
import type { SlackSettings } from './settings.js';
import { isSlackErrorCode } from './delivery-errors.js';

/** Each start-up call to Slack waits at most this long: an address that does not answer is a setting to fix. */
export const STARTUP_CALL_TIMEOUT_MS = 10_000;

/** auth.test's answers that mean the token itself is wrong, not Slack. */
const REFUSED_TOKEN = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type', 'no_permission']);

/** Who the bot is in its workspace, as auth.test says. */
export interface SlackIdentity {
  botId: string;
  botUserId: string;
}

/**
 * Calls auth.test once, under a deadline, before Bolt starts. A token Slack refuses, or a Slack
 * that does not answer, stops start-up with one line naming the setting to fix; otherwise Bolt gets
 * the ids and does not call auth.test itself (its own call would fail later, as an unhandled
 * rejection after "ready").
 */
export async function checkSlackToken(settings: SlackSettings, timeoutMs = STARTUP_CALL_TIMEOUT_MS): Promise<SlackIdentity> {
  const client = new webApi.WebClient(settings.botToken, {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    timeout: timeoutMs,
    retryConfig: { retries: 0 },
    logLevel: webApi.LogLevel.ERROR,
  });
  let result: webApi.AuthTestResponse;
  try {
    result = await client.auth.test();
  } catch (error) {
    throw startupRefusal(error, settings.apiUrl ?? 'https://slack.com/api/');
  }
  if (!result.user_id || !result.bot_id) {
    throw new ConfigError('SLACK_BOT_TOKEN', 'Slack knows this token, but not as a bot’s: use the Bot User OAuth Token (xoxb-…)');
  }
  return { botId: result.bot_id, botUserId: result.user_id };
}

function startupRefusal(error: unknown, apiUrl: string): ConfigError {
  const e = error as { code?: string; data?: { error?: unknown }; statusCode?: number; original?: unknown };
  const code = e.data?.error;
  if (e.code === webApi.ErrorCode.PlatformError && isSlackErrorCode(code)) {
    if (REFUSED_TOKEN.has(code)) {
      return new ConfigError('SLACK_BOT_TOKEN', `Slack refused it (${code}); copy the Bot User OAuth Token from the app’s OAuth & Permissions page`);
    }
    return new ConfigError('SLACK_BOT_TOKEN', `auth.test failed (${code})`);
  }
  if (e.code === webApi.ErrorCode.HTTPError) return new ConfigError('SLACK_API_URL', `${apiUrl} answered auth.test with HTTP ${e.statusCode ?? '?'}`);
  if (e.code === webApi.ErrorCode.PlatformError) return new ConfigError('SLACK_API_URL', `${apiUrl} answered auth.test with something that is not Slack’s API`);
  return new ConfigError('SLACK_API_URL', `no answer from ${apiUrl} (${innermostMessage(e.original ?? error)})`);
}

