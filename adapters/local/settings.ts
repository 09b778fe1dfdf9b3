import { z } from 'zod';
import { list, parseEnv, type Env } from '../../src/settings.js';

const LocalEnv = z.object({
  /** The categories people may pick; when unset, general, billing, technical and account. */
  LOCAL_CATEGORIES: list(),
});

export function localSettings(env: Env) {
  const parsed = parseEnv(LocalEnv, env);
  return { categories: parsed.LOCAL_CATEGORIES.length ? parsed.LOCAL_CATEGORIES : ['general', 'billing', 'technical', 'account'] };
}
