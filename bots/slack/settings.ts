import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';
import { integer, parseEnv, type Env } from '../../src/settings.js';

const SlackEnv = z.object({
  SLACK_BOT_TOKEN: z
    .string({ error: 'required: the bot token (xoxb-…) from the app’s OAuth & Permissions page' })
    .startsWith('xoxb-', 'expects a bot token starting with xoxb-'),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'expects an app-level token starting with xapp- (Socket Mode)').optional(),
  SLACK_SIGNING_SECRET: z.string().regex(/^[0-9a-zA-Z]{8,}$/, 'expects the signing secret from the app’s Basic Information page').optional(),
  PORT: integer(0, 65_535, 3000),
  SLACK_API_URL: z
    .url('expects an http(s) URL, e.g. https://slack.com/api/')
    .refine((v) => /^https?:\/\//.test(v), 'expects an http(s) URL')
    .transform((v) => (v.endsWith('/') ? v : `${v}/`))
    .optional(),
  SLACK_TICKET_CHANNEL: z.string().regex(/^[CG][A-Z0-9]{2,}$/, 'expects a channel id such as C0123456789').optional(),
  SLACK_STAFF_USERGROUP: z.string().regex(/^S[A-Z0-9]{2,}$/, 'expects a user group id such as S0123456789').optional(),
});

type SlackTransport =
  | { kind: 'socket'; appToken: string }
  | { kind: 'http'; signingSecret: string; port: number };

/** What the Slack front-end needs from the environment, checked before anything starts. */
export interface SlackSettings {
  botToken: string;
  transport: SlackTransport;
  /** The Web API base, always ending in a slash; undefined means Slack's own. */
  apiUrl: string | undefined;
  ticketChannel: string | undefined;
  staffUsergroup: string | undefined;
}

/** Reads and checks the Slack settings; a bad or missing one is a ConfigError naming it. */
export function slackSettings(env: Env): SlackSettings {
  const s = parseEnv(SlackEnv, env);
  let transport: SlackTransport;
  if (s.SLACK_APP_TOKEN) transport = { kind: 'socket', appToken: s.SLACK_APP_TOKEN };
  else if (s.SLACK_SIGNING_SECRET) transport = { kind: 'http', signingSecret: s.SLACK_SIGNING_SECRET, port: s.PORT };
  else throw new ConfigError('SLACK_SIGNING_SECRET', 'required for HTTP mode (or set SLACK_APP_TOKEN for Socket Mode)');
  return {
    botToken: s.SLACK_BOT_TOKEN,
    transport,
    apiUrl: s.SLACK_API_URL,
    ticketChannel: s.SLACK_TICKET_CHANNEL,
    staffUsergroup: s.SLACK_STAFF_USERGROUP,
  };
}
