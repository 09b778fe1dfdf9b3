import type { Route, Routes } from '../../src/provider.js';
import type { ActionKey } from './schemas.js';

/**
 * Every F5 call the adapter makes, in one place. Marks: [seed] shown in the seed document,
 * [public] in F5's published OpenAPI, [assumed] neither (see docs/providers.md).
 * Both families live in the `system` namespace: support tickets are tenant-wide objects.
 */
export const NAMESPACE = 'system';

export type F5xcMode = 'partner' | 'tenant';

/** One family's calls (a type, not an interface, so that it is a `Routes`). */
export type F5xcRoutes = {
  create: Route;
  list: Route;
  get: (id: string) => Route;
  comment: (id: string) => Route;
  close: (id: string) => Route;
  reopen: (id: string) => Route;
};

const enc = encodeURIComponent;

/** A partner opens tickets in a child tenant; tickets are keyed by the support system's `tp_id`. */
const PARTNER = '/api/web/namespaces/system/partner-management/customer_supports';
const partner: F5xcRoutes = {
  create: { method: 'POST', path: PARTNER }, // [seed]
  list: { method: 'GET', path: PARTNER }, // [public] → {items[], errors[]}, no paging
  get: (tpId) => ({ method: 'GET', path: `${PARTNER}/${enc(tpId)}` }), // [public]
  comment: (tpId) => ({ method: 'POST', path: `${PARTNER}/${enc(tpId)}/comment` }), // [public] body {tp_id, comment}
  close: (tpId) => ({ method: 'POST', path: `${PARTNER}/${enc(tpId)}/close` }), // [public] body {tp_id}
  reopen: (tpId) => ({ method: 'POST', path: `${PARTNER}/${enc(tpId)}/reopen` }), // [public] body {tp_id}
};

/** The tenant's own tickets, keyed by metadata.name. Note the singular `customer_support` of actions. */
const TENANT = `/api/web/namespaces/${NAMESPACE}/customer_supports`;
const ACTION = `/api/web/namespaces/${NAMESPACE}/customer_support`;
const tenant: F5xcRoutes = {
  create: { method: 'POST', path: TENANT }, // [public]
  list: { method: 'GET', path: TENANT }, // [public]
  get: (name) => ({ method: 'GET', path: `${TENANT}/${enc(name)}` }), // [public]
  comment: (name) => ({ method: 'POST', path: `${ACTION}/${enc(name)}/comment` }), // [public] body {name, namespace, comment}
  close: (name) => ({ method: 'POST', path: `${ACTION}/${enc(name)}/close` }), // [public] body {name, namespace}
  reopen: (name) => ({ method: 'POST', path: `${ACTION}/${enc(name)}/reopen` }), // [public] body {name, namespace}
};

export const routes = { partner, tenant } as const satisfies Record<F5xcMode, F5xcRoutes> & Routes;

/** How an action body (comment, close, reopen) names the ticket in each family. */
export const actionKey: Readonly<Record<F5xcMode, (id: string) => ActionKey>> = {
  partner: (tpId) => ({ tp_id: tpId }),
  tenant: (name) => ({ name, namespace: NAMESPACE }),
};
