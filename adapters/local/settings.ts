import { z } from 'zod';
import type { ReadSettings } from '../../src/provider.js';
import { list, parseEnv } from '../../src/settings.js';

const LocalEnv = z.object({
  /** The categories people may pick; when unset, general, billing, technical and account. */
  LOCAL_CATEGORIES: list(),
});

export interface LocalSettings {
  categories: string[];
}

export const readSettings: ReadSettings<LocalSettings> = (env) => {
  const parsed = parseEnv(LocalEnv, env);
  return { categories: parsed.LOCAL_CATEGORIES.length ? parsed.LOCAL_CATEGORIES : ['general', 'billing', 'technical', 'account'] };
};
