import type { ProviderId } from '../src/domain.js';
import type { ProviderFactory } from '../src/provider.js';

/**
 * Every provider by the id TICKET_PROVIDER names. Loaded lazily, so a deployment only loads its
 * own adapter; a ProviderId without an entry does not compile.
 */
export const providers = {
  local: () => import('./local/index.js').then((m) => m.createLocalProvider),
  f5xc: () => import('./f5xc/index.js').then((m) => m.createF5xcProvider),
  selectel: () => import('./selectel/index.js').then((m) => m.createSelectelProvider),
  consoleconnect: () => import('./consoleconnect/index.js').then((m) => m.createConsoleconnectProvider),
  spacebring: () => import('./spacebring/index.js').then((m) => m.createSpacebringProvider),
  verifik: () => import('./verifik/index.js').then((m) => m.createVerifikProvider),
} as const satisfies Record<ProviderId, () => Promise<ProviderFactory>>;
