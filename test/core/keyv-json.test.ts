import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import { describe, expect, it } from 'vitest';
import { readKeyvJson } from '../../src/store/keyv-json.js';

describe('reading keyv records without its reviver where none is needed', () => {
  const samples: unknown[] = [
    { value: { text: 'plain', n: 1, list: ['a', 'b'], nested: { ok: true } }, expires: null },
    { value: ':smile: starts with a colon', expires: 1 },
    { value: { text: '::two colons', key: ':base64:not a buffer' } },
    { value: { ':key': 'a key with a colon', 'a:': ':' } },
    { value: Buffer.from('bytes') },
    { value: 'says "::" in the middle and ends with :' },
    { value: ['x', ':y', { z: '::' }] },
  ];

  it.each(samples.map((s) => [JSON.stringify(s).slice(0, 50), s]))('reads %s as keyv does', (_name, sample) => {
    const text = defaultSerialize(sample as never);
    expect(readKeyvJson(text)).toEqual(defaultDeserialize(text));
  });
});
