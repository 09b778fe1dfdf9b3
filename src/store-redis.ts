import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { KeyValueStore } from './store.js';

const PREFIX = 'tb:';

/** Compare-and-delete, so a lease holder that lost its lease cannot release the new holder's. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
/** Take the lease if free, or extend it if we already hold it. */
const CLAIM = `local cur = redis.call('get', KEYS[1])
if cur == false or cur == ARGV[1] then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;

/** keyv on Redis for values; SET NX PX, Lua compare-and-set and native sets for the atomic rest. */
export async function openRedisStore(url: string): Promise<KeyValueStore> {
  const client = createClient({ url });
  client.on('error', () => undefined); // reconnects by itself; calls fail while it is down
  await client.connect();
  const keyv = new Keyv({ store: new KeyvRedis(client), namespace: 'tb' });
  keyv.on('error', () => undefined);

  return {
    kind: 'redis',
    get: async <T>(key: string) => (await keyv.get(key)) as T | undefined,
    set: async (key, value, ttlMs) => {
      await keyv.set(key, value, ttlMs);
    },
    delete: async (key) => {
      await keyv.delete(key);
    },
    setIfAbsent: async (key, value, ttlMs) => {
      const options = ttlMs ? { NX: true, PX: ttlMs } : { NX: true };
      return (await client.set(`${PREFIX}once:${key}`, value, options as { NX: true })) === 'OK';
    },
    claim: async (key, owner, ttlMs) =>
      Number(await client.eval(CLAIM, { keys: [`${PREFIX}lease:${key}`], arguments: [owner, String(ttlMs)] })) === 1,
    release: async (key, owner) => {
      await client.eval(RELEASE, { keys: [`${PREFIX}lease:${key}`], arguments: [owner] });
    },
    add: async (set, member) => (await client.sAdd(`${PREFIX}set:${set}`, member)) === 1,
    remove: async (set, member) => {
      await client.sRem(`${PREFIX}set:${set}`, member);
    },
    members: async (set) => client.sMembers(`${PREFIX}set:${set}`),
    close: async () => {
      await keyv.disconnect();
      if (client.isOpen) await client.quit();
    },
  };
}
