import { z } from 'zod';
import type { ReadSettings } from '../../src/provider.js';
import { baseUrl, list, oneOf, parseEnv, required } from '../../src/settings.js';
import { SERVICES, TICKET_TYPES } from './schemas.js';

/** The F5 settings, read from the environment; a bad one stops start-up naming the variable. */
const F5xcEnv = z.object({
  /** The tenant console, e.g. https://acme.console.ves.volterra.io (no public default: it is per tenant). */
  F5XC_BASE_URL: baseUrl(),
  F5XC_API_TOKEN: required('an API token from the F5 Distributed Cloud console (Account → Credentials)'),
  /** partner: tickets in a child tenant, keyed by tp_id (the seed's API); tenant: the tenant's own. */
  F5XC_MODE: oneOf(['partner', 'tenant'] as const, 'partner'),
  /** Used when the person picks no topic; a chosen topic brings its own type (see map.ts). */
  F5XC_TYPE: oneOf(TICKET_TYPES, 'TYPE_TECHNICAL_SUPPORT'),
  // A fixed list rather than a pattern: a typo is caught at start-up, not on the first ticket.
  F5XC_SERVICE: oneOf(SERVICES, 'SS_OTHER'),
  /** Comments by addresses at this domain are the customer's (colleagues writing in the F5 console). */
  F5XC_CUSTOMER_DOMAIN: z
    .string()
    .optional()
    .transform((v) => v?.replace(/^@/, '').toLowerCase())
    .refine((v) => v === undefined || /^[a-z0-9.-]+\.[a-z]{2,}$/.test(v), 'expects a domain, e.g. example.com'),
  /** Comma-separated addresses whose comments are the customer's (e.g. the API token's user). */
  F5XC_CUSTOMER_EMAILS: list()
    .transform((emails) => emails.map((e) => e.toLowerCase()))
    .refine((emails) => emails.every((e) => z.email().safeParse(e).success), 'expects email addresses separated by commas, e.g. ops@example.com'),
});

export type F5xcSettings = z.infer<typeof F5xcEnv>;

export const readSettings: ReadSettings<F5xcSettings> = (env) => parseEnv(F5xcEnv, env);
