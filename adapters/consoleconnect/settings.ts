import { z } from 'zod';
import type { ReadSettings } from '../../src/provider.js';
import { baseUrl, oneOf, parseEnv, required } from '../../src/settings.js';
import { ISSUE_TYPES } from './schemas.js';

/** The environment Console Connect reads; keys are the variable names, so errors name them. */
const ConsoleconnectEnv = z.object({
  CONSOLECONNECT_BASE_URL: baseUrl('https://api.consoleconnect.com'),
  CONSOLECONNECT_API_KEY: required('an API key from the Console Connect portal (sent as a Bearer token)'),
  /** The issue type used when the person opening the ticket picks none. */
  CONSOLECONNECT_ISSUE_TYPE: oneOf(ISSUE_TYPES, 'Others'),
});
export type ConsoleconnectSettings = z.infer<typeof ConsoleconnectEnv>;

/** Reads the settings; a bad one throws ConfigError naming the variable. */
export const readSettings: ReadSettings<ConsoleconnectSettings> = (env) => parseEnv(ConsoleconnectEnv, env);
