import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';
import type { ReadSettings } from '../../src/provider.js';
import { baseUrl, hostList, oneOf, parseEnv, required } from '../../src/settings.js';
import { TICKET_TYPES } from './schemas.js';

/** Spacebring's ids are UUIDs [seed]; a typo is caught at start-up, not on the first ticket. */
const uuid = (what: string) => z.guid(`expects a UUID: ${what}`);

/** The environment Spacebring reads; keys are the variable names, so errors name them. */
const SpacebringEnv = z.object({
  SPACEBRING_BASE_URL: baseUrl('https://api.spacebring.com'),
  /** A partner app's OAuth access token (scope `support`); needs SPACEBRING_NETWORK_ID. */
  SPACEBRING_TOKEN: z.string().optional(),
  SPACEBRING_NETWORK_ID: uuid('the network id, sent with SPACEBRING_TOKEN').optional(),
  /** A customer API key pair, sent as HTTP Basic; the alternative to a token. */
  SPACEBRING_CLIENT_ID: z.string().optional(),
  SPACEBRING_CLIENT_SECRET: z.string().optional(),
  /** Every ticket is opened at, and polled from, this location (the list requires one). */
  SPACEBRING_LOCATION_REF: required('the UUID of the Spacebring location tickets are opened at').pipe(
    uuid('the location tickets are opened at'),
  ),
  /** The member tickets are opened for when the chat user has no Spacebring identity. */
  SPACEBRING_REQUESTER_REF: uuid('the user tickets are opened for').optional(),
  /** The ticket type used when the person opening the ticket picks none. */
  SPACEBRING_TYPE: oneOf(TICKET_TYPES, 'other'),
  /**
   * Hosts whose attachment URLs the bot downloads to post support's files into the thread; a file
   * elsewhere is posted as its link. Default: the API's own host [assumed: the seed does not say
   * where files are stored]. No credential is ever sent with a download.
   */
  SPACEBRING_FILE_HOSTS: hostList(),
});

export type SpacebringAuth =
  | { kind: 'bearer'; token: string; networkId: string }
  | { kind: 'basic'; clientId: string; clientSecret: string };

export type SpacebringSettings = Omit<
  z.infer<typeof SpacebringEnv>,
  'SPACEBRING_TOKEN' | 'SPACEBRING_NETWORK_ID' | 'SPACEBRING_CLIENT_ID' | 'SPACEBRING_CLIENT_SECRET'
> & { auth: SpacebringAuth };

const EITHER = 'an OAuth access token (scope "support") with SPACEBRING_NETWORK_ID, or instead SPACEBRING_CLIENT_ID and SPACEBRING_CLIENT_SECRET';

/** Reads the settings; a bad one throws ConfigError naming the variable, never echoing a value. */
export const readSettings: ReadSettings<SpacebringSettings> = (env) => {
  const {
    SPACEBRING_TOKEN: token,
    SPACEBRING_NETWORK_ID: networkId,
    SPACEBRING_CLIENT_ID: clientId,
    SPACEBRING_CLIENT_SECRET: clientSecret,
    SPACEBRING_FILE_HOSTS: fileHosts,
    ...parsed
  } = parseEnv(SpacebringEnv, env);
  const rest = { ...parsed, SPACEBRING_FILE_HOSTS: fileHosts.length ? fileHosts : [new URL(parsed.SPACEBRING_BASE_URL).hostname] };
  if (token && (clientId || clientSecret)) {
    // Two credentials would leave it to chance which identity writes the tickets.
    throw new ConfigError('SPACEBRING_TOKEN', 'set either SPACEBRING_TOKEN or SPACEBRING_CLIENT_ID/SPACEBRING_CLIENT_SECRET, not both');
  }
  if (token) {
    if (!networkId) throw new ConfigError('SPACEBRING_NETWORK_ID', 'required with SPACEBRING_TOKEN: the UUID of the Spacebring network');
    return { ...rest, auth: { kind: 'bearer', token, networkId } };
  }
  if (!clientId && !clientSecret) throw new ConfigError('SPACEBRING_TOKEN', `required: ${EITHER}`);
  if (!clientId) throw new ConfigError('SPACEBRING_CLIENT_ID', 'required with SPACEBRING_CLIENT_SECRET: the API key client id');
  if (!clientSecret) throw new ConfigError('SPACEBRING_CLIENT_SECRET', 'required with SPACEBRING_CLIENT_ID: the API key client secret');
  return { ...rest, auth: { kind: 'basic', clientId, clientSecret } };
};

/** The auth headers of every call [public]. Never logged: the HTTP client keeps them out of errors. */
export function authHeaders(auth: SpacebringAuth, networkHeader: string): Record<string, string> {
  if (auth.kind === 'basic') {
    return { authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}` };
  }
  return { authorization: `Bearer ${auth.token}`, [networkHeader]: auth.networkId };
}
