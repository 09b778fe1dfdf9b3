import { withDeadline, type StoreHealth } from './health.js';
import type { KeyValueStore } from './kv.js';

/** A store whose every call reports to its health, under a deadline where one can fire (Redis). */
export interface GuardedStore extends KeyValueStore {
  readonly health: StoreHealth;
}

/**
 * Wraps a backend so that no Redis call waits longer than the store deadline and every failure is
 * a StoreUnavailable, whatever the backend throws (or does not: a hung connection). `close` keeps
 * the deadline too, so stopping never waits on a store that does not answer.
 */
export function guardStore(kv: KeyValueStore, health: StoreHealth): GuardedStore {
  // SQLite (libsql) answers synchronously, inside the microtasks of the call, where no timer can
  // fire: a deadline there could never win and would only cost a timer and two promises per call,
  // thousands of times a poll cycle. SQLite's own busy timeout bounds a wait for another writer.
  const bounded = kv.kind !== 'sqlite';
  const call = <T>(operation: string, run: () => Promise<T>) => health.call(operation, run, bounded);
  return {
    kind: kv.kind,
    url: kv.url,
    health,
    get: <T>(key: string) => call('get', () => kv.get<T>(key)),
    set: (key, value, ttlMs) => call('set', () => kv.set(key, value, ttlMs)),
    delete: (key) => call('delete', () => kv.delete(key)),
    setIfAbsent: (key, value, ttlMs) => call('setIfAbsent', () => kv.setIfAbsent(key, value, ttlMs)),
    claim: (key, owner, ttlMs) => call('claim', () => kv.claim(key, owner, ttlMs)),
    release: (key, owner) => call('release', () => kv.release(key, owner)),
    add: (set, member) => call('add', () => kv.add(set, member)),
    remove: (set, member) => call('remove', () => kv.remove(set, member)),
    members: (set) => call('members', () => kv.members(set)),
    close: () => withDeadline('close', health.timeoutMs, () => kv.close()),
  };
}
