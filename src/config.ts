import { z } from 'zod';
import { ProviderId } from './domain.js';
import { LOG_LEVELS } from './logger.js';
import { integer, oneOf, optionalPort, parseEnv, type Env } from './settings.js';
import { DEFAULT_STORE_URL } from './store/index.js';

/** The languages people can be answered in (handlers/locales); English is the reference and the fallback. */
export const LOCALES = ['en', 'de', 'es', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const FALLBACK_LOCALE: Locale = 'en';

const STORE_URL_FORMAT = 'expects sqlite://<path> or redis://<host>:<port>';

/** The settings the core reads. Front-ends and adapters parse their own the same way. */
const CoreEnv = z.object({
  TICKET_PROVIDER: oneOf(ProviderId.options as [ProviderId, ...ProviderId[]], 'local'),
  STORE_URL: z
    .string()
    .regex(/^(sqlite|redis|rediss):\/\/.+/, STORE_URL_FORMAT)
    // A Redis URL is parsed as a URL when the store opens; one that cannot be is a setting to fix.
    .refine((url) => !url.startsWith('redis') || URL.canParse(url), STORE_URL_FORMAT)
    .default(DEFAULT_STORE_URL),
  /** The deadline of every Redis call (SQLite answers within the call): past it the call fails as "store unavailable". */
  STORE_TIMEOUT_MS: integer(100, 60_000, 5_000),
  /** How long start-up keeps trying to reach the store before it gives up (exit 2). */
  STORE_CONNECT_TIMEOUT_MS: integer(0, 600_000, 30_000),
  POLL_INTERVAL_MS: integer(100, 3_600_000, 15_000),
  /** How long a closed ticket still shows in `/ticket list` by default. */
  FOLLOW_UP_DAYS: integer(0, 365, 14),
  /** The longest gap between checks of a quiet ticket where the provider cannot list changes. */
  POLL_QUIET_MAX_MS: integer(1_000, 86_400_000, 600_000),
  /** The largest file taken from a chat message and passed to the provider, in MB. */
  MAX_ATTACHMENT_MB: integer(1, 1_000, 10),
  /** The language of what is posted for everyone (status lines, failure notices), and of anyone whose own is unknown. */
  DEFAULT_LOCALE: oneOf(LOCALES, FALLBACK_LOCALE),
  LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
  /** `on` forces the terminal front-end even when Slack or Discord is configured. */
  CONSOLE: oneOf(['auto', 'on', 'off'] as const, 'auto'),
  /** Serves /healthz, /readyz and /metrics on this port when set. */
  HEALTH_PORT: optionalPort(),
  /** The address the health port listens on; every interface by default (a container's port mapping needs it). */
  HEALTH_HOST: z.string().regex(/^[\w.:-]+$/, 'expects a host name or an IP address, e.g. 127.0.0.1').default('0.0.0.0'),
});
export type CoreConfig = z.infer<typeof CoreEnv>;

export function loadCoreConfig(env: Env): CoreConfig {
  return parseEnv(CoreEnv, env);
}

/** Values of every variable that looks like a credential, so the logger can scrub them. */
export function secretsIn(env: Env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && /TOKEN|SECRET|KEY|PASSWORD|CREDENTIAL/i.test(name))
    .map(([, value]) => value as string);
}
