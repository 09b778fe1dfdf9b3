import type { ProviderId } from '../src/domain.js';
import type { ProviderFactory, ProviderModule } from '../src/provider.js';

/** The factory of an adapter folder, loaded as the contract every folder keeps (see ProviderModule). */
const factoryOf = (module: Promise<ProviderModule>): Promise<ProviderFactory> => module.then((m) => m.createProvider);

/**
 * Every provider by the id TICKET_PROVIDER names. Loaded lazily, so a deployment only loads its
 * own adapter; a ProviderId without an entry, or a folder whose exports drift, does not compile.
 */
export const providers = {
  local: () => factoryOf(import('./local/index.js')),
  f5xc: () => factoryOf(import('./f5xc/index.js')),
  selectel: () => factoryOf(import('./selectel/index.js')),
  consoleconnect: () => factoryOf(import('./consoleconnect/index.js')),
  spacebring: () => factoryOf(import('./spacebring/index.js')),
  verifik: () => factoryOf(import('./verifik/index.js')),
} as const satisfies Record<ProviderId, () => Promise<ProviderFactory>>;
