import { withDeadline, type StoreHealth } from './health.js';
import type { KeyValueStore } from './kv.js';

/** A store whose every call runs under a deadline and reports to its health. */
export interface GuardedStore extends KeyValueStore {
  readonly health: StoreHealth;
}

/**
 * Wraps a backend so that no call waits longer than the store deadline and every failure is a
 * StoreUnavailable, whatever the backend throws (or does not: a hung connection). `close` keeps
 * the deadline too, so stopping never waits on a store that does not answer.
 */
export function guardStore(kv: KeyValueStore, health: StoreHealth): GuardedStore {
  return {
    kind: kv.kind,
    url: kv.url,
    health,
    get: <T>(key: string) => health.call('get', () => kv.get<T>(key)),
    set: (key, value, ttlMs) => health.call('set', () => kv.set(key, value, ttlMs)),
    delete: (key) => health.call('delete', () => kv.delete(key)),
    setIfAbsent: (key, value, ttlMs) => health.call('setIfAbsent', () => kv.setIfAbsent(key, value, ttlMs)),
    claim: (key, owner, ttlMs) => health.call('claim', () => kv.claim(key, owner, ttlMs)),
    release: (key, owner) => health.call('release', () => kv.release(key, owner)),
    add: (set, member) => health.call('add', () => kv.add(set, member)),
    remove: (set, member) => health.call('remove', () => kv.remove(set, member)),
    members: (set) => health.call('members', () => kv.members(set)),
    close: () => withDeadline('close', health.timeoutMs, () => kv.close()),
  };
}
