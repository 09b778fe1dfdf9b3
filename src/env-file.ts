import { existsSync } from 'node:fs';

/**
 * Loads `.env` from the working folder when there is one (Node's own parser, Node ≥ 20.12).
 * Variables already set in the environment win over the file, so a container's or a test's
 * settings are never overridden by a file left in the folder.
 */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}
