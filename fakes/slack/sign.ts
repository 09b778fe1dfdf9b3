// Sends requests to an app's HTTP endpoint (Bolt: POST /slack/events) exactly as Slack signs them.
import { createHmac } from 'node:crypto';

export * from './payloads.js';

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
export const JSON_CONTENT_TYPE = 'application/json';

export interface SignedRequestOptions {
  /** Bolt only parses form bodies when this is exactly `application/x-www-form-urlencoded`. */
  contentType: string;
  /** Unix seconds; defaults to now. Bolt rejects timestamps more than 5 minutes off. */
  timestamp?: number;
  /** Sets X-Slack-Retry-Num / X-Slack-Retry-Reason, as on Slack's redeliveries. */
  retryNum?: number;
  retryReason?: string;
  /** Signs with a wrong secret so the receiver must refuse it. */
  badSignature?: boolean;
  headers?: Record<string, string>;
}

export type SlackRequestOptions = Omit<SignedRequestOptions, 'contentType'>;

export interface SignedResponse {
  status: number;
  headers: Headers;
  body: string;
  /** The body parsed as JSON, or undefined when empty. */
  json(): unknown;
}

/** `v0=` + hex HMAC-SHA256(secret, `v0:<timestamp>:<raw body>`). */
export function slackSignature(signingSecret: string, timestamp: number, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/** Form-encodes fields; non-string values (e.g. an interactivity `payload`) become JSON strings. */
export function encodeForm(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    params.append(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return params.toString();
}

export async function signedRequest(
  url: string,
  signingSecret: string,
  body: string | Record<string, unknown>,
  opts: SignedRequestOptions,
): Promise<SignedResponse> {
  let raw: string;
  if (typeof body === 'string') raw = body;
  else if (opts.contentType === FORM_CONTENT_TYPE) raw = encodeForm(body);
  else raw = JSON.stringify(body);
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const secret = opts.badSignature ? `${signingSecret}-wrong` : signingSecret;
  const headers: Record<string, string> = {
    'content-type': opts.contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': slackSignature(secret, timestamp, raw),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...(opts.retryNum !== undefined ? { 'x-slack-retry-num': String(opts.retryNum) } : {}),
    ...(opts.retryReason !== undefined ? { 'x-slack-retry-reason': opts.retryReason } : {}),
    ...opts.headers,
  };
  const res = await fetch(url, { method: 'POST', headers, body: raw });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text,
    json: () => (text === '' ? undefined : (JSON.parse(text) as unknown)),
  };
}

/** POSTs a slash command (form fields from slashCommand()). */
export function postSlashCommand(
  url: string,
  signingSecret: string,
  command: Record<string, string>,
  opts: SlackRequestOptions = {},
): Promise<SignedResponse> {
  return signedRequest(url, signingSecret, command, { ...opts, contentType: FORM_CONTENT_TYPE });
}

/** POSTs an interactivity payload (block_actions, view_submission, message_action…) as `payload=<json>`. */
export function postInteraction(
  url: string,
  signingSecret: string,
  payload: Record<string, unknown>,
  opts: SlackRequestOptions = {},
): Promise<SignedResponse> {
  return signedRequest(url, signingSecret, { payload }, { ...opts, contentType: FORM_CONTENT_TYPE });
}

/** POSTs an Events API body (event_callback, url_verification) as JSON. */
export function postEvent(
  url: string,
  signingSecret: string,
  body: Record<string, unknown>,
  opts: SlackRequestOptions = {},
): Promise<SignedResponse> {
  return signedRequest(url, signingSecret, body, { ...opts, contentType: JSON_CONTENT_TYPE });
}
