import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { KeyValueStore } from './kv.js';
import { parseRedisUrl } from './redis-url.js';

/** Compare-and-delete, so a lease holder that lost its lease cannot release the new holder's. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Take the lease if free (SET NX PX), or extend it if we already hold it. */
const CLAIM = `local cur = redis.call('get', KEYS[1])
if cur == false then return redis.call('set', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0 end
if cur == ARGV[1] then redis.call('pexpire', KEYS[1], ARGV[2]) return 1 end
return 0`;

/** keyv on Redis for values; SET NX PX, Lua compare-and-set and native sets for the atomic rest. */
export async function openRedisStore(storeUrl: string): Promise<KeyValueStore> {
  const { url, prefix } = parseRedisUrl(storeUrl);
  const key = (name: string): string => `${prefix}:${name}`;
  const client = createClient({ url });
  client.on('error', () => undefined); // reconnects by itself; calls fail while it is down
  await client.connect();
  const keyv = new Keyv({ store: new KeyvRedis(client), namespace: prefix });
  keyv.on('error', () => undefined);

  return {
    kind: 'redis',
    url: storeUrl,
    get: async <T>(name: string) => (await keyv.get(name)) as T | undefined,
    set: async (name, value, ttlMs) => {
      await keyv.set(name, value, ttlMs);
    },
    delete: async (name) => {
      await keyv.delete(name);
    },
    setIfAbsent: async (name, value, ttlMs) => {
      const options = ttlMs ? { NX: true, PX: ttlMs } : { NX: true };
      return (await client.set(key(`once:${name}`), value, options as { NX: true })) === 'OK';
    },
    claim: async (name, owner, ttlMs) =>
      Number(await client.eval(CLAIM, { keys: [key(`lease:${name}`)], arguments: [owner, String(ttlMs)] })) === 1,
    release: async (name, owner) => {
      await client.eval(RELEASE, { keys: [key(`lease:${name}`)], arguments: [owner] });
    },
    add: async (set, member) => (await client.sAdd(key(`set:${set}`), member)) === 1,
    remove: async (set, member) => {
      await client.sRem(key(`set:${set}`), member);
    },
    members: async (set) => client.sMembers(key(`set:${set}`)),
    close: async () => {
      await keyv.disconnect();
      if (client.isOpen) await client.quit();
    },
  };
}
