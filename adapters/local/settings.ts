import { z } from 'zod';
import type { ReadSettings } from '../../src/provider.js';
import { list, parseEnv } from '../../src/settings.js';

export const DEFAULT_FILES_DIR = './data/desk-files';

const LocalEnv = z.object({
  /** The categories people may pick; when unset, general, billing, technical and account. */
  LOCAL_CATEGORIES: list(),
  /** Where the desk keeps the bytes of files sent with comments. */
  LOCAL_FILES_DIR: z.string().trim().min(1).default(DEFAULT_FILES_DIR),
});

export interface LocalSettings {
  categories: string[];
  filesDir: string;
}

export const readSettings: ReadSettings<LocalSettings> = (env) => {
  const parsed = parseEnv(LocalEnv, env);
  return {
    categories: parsed.LOCAL_CATEGORIES.length ? parsed.LOCAL_CATEGORIES : ['general', 'billing', 'technical', 'account'],
    filesDir: parsed.LOCAL_FILES_DIR,
  };
};
