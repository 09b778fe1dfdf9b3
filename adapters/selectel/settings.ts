import { z } from 'zod';
import { ConfigError } from '../../src/errors.js';
import type { ReadSettings } from '../../src/provider.js';
import { baseUrl, list, oneOf, parseEnv, required } from '../../src/settings.js';
import { ACCESS_LEVELS } from './schemas.js';

/** The public base URL, the same for every region [public]. */
const SELECTEL_PUBLIC_BASE = 'https://api.selectel.ru/support';

/** The environment Selectel reads; keys are the variable names, so errors name them. */
const SelectelEnv = z.object({
  SELECTEL_BASE_URL: baseUrl(SELECTEL_PUBLIC_BASE),
  SELECTEL_TOKEN: required('the static API key (sent as X-Token) from the Selectel control panel'),
  SELECTEL_ACCESS_LEVEL: oneOf(ACCESS_LEVELS, 'account_users'),
  /** IAM project ids the ticket is visible in (`keystone_projects`). */
  SELECTEL_PROJECTS: list(),
  /** `products` is required on create and the form has no product question, so it is fixed here. */
  SELECTEL_PRODUCT: required('the Selectel product key tickets are filed under'),
  // One key is the default category; a comma list also offers the others in the form (see map.ts).
  SELECTEL_CATEGORY: list(),
});

export interface SelectelSettings {
  baseUrl: string;
  token: string;
  accessLevel: (typeof ACCESS_LEVELS)[number];
  projects: string[];
  product: string;
  /** Catalogue keys offered in the form; the first one is used when the user picks none. */
  categories: string[];
}

/** Reads the SELECTEL_* settings; a bad one stops start-up with a ConfigError naming it. */
export const readSettings: ReadSettings<SelectelSettings> = (env) => {
  const parsed = parseEnv(SelectelEnv, env);
  // The deprecated create documents keystone_projects as mandatory for project_users; without a
  // project such a ticket would be visible to nobody, so refuse the combination up front.
  if (parsed.SELECTEL_ACCESS_LEVEL === 'project_users' && parsed.SELECTEL_PROJECTS.length === 0) {
    throw new ConfigError(
      'SELECTEL_PROJECTS',
      'required when SELECTEL_ACCESS_LEVEL is project_users: a comma-separated list of IAM project ids',
    );
  }
  return {
    baseUrl: parsed.SELECTEL_BASE_URL,
    token: parsed.SELECTEL_TOKEN,
    accessLevel: parsed.SELECTEL_ACCESS_LEVEL,
    projects: parsed.SELECTEL_PROJECTS,
    product: parsed.SELECTEL_PRODUCT,
    categories: [...new Set(parsed.SELECTEL_CATEGORY)],
  };
};
