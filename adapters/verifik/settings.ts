import { z } from 'zod';
import type { ReadSettings } from '../../src/provider.js';
import { baseUrl, oneOf, parseEnv, required } from '../../src/settings.js';
import { CATEGORIES } from './schemas.js';

/** The environment Verifik reads; keys are the variable names, so errors name them. */
const VerifikEnv = z.object({
  VERIFIK_BASE_URL: baseUrl('https://api.verifik.co'),
  VERIFIK_TOKEN: required('a Verifik access token (JWT, valid 30 days)'),
  /** The category used when the person opening the ticket picks none (the API requires one). */
  VERIFIK_CATEGORY: oneOf(CATEGORIES, 'technical'),
});
export type VerifikSettings = z.infer<typeof VerifikEnv>;

/** Reads the settings; a bad one throws ConfigError naming the variable. */
export const readSettings: ReadSettings<VerifikSettings> = (env) => parseEnv(VerifikEnv, env);
