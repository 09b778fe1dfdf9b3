import { defaultDeserialize } from '@keyv/serialize';

/**
 * keyv's stored format, read faster. keyv writes values as JSON with two marks inside strings: a
 * string starting with ":" gets a second ":" and a Buffer becomes ":base64:…". Its reader undoes
 * them with a JSON.parse reviver, called for every value of every record read, a good part of what
 * a poll cycle allocates. A marked string always shows in the text as `"::` or `":base64:`, so
 * text with neither reads the same with a plain JSON.parse; anything else goes to keyv's reader.
 */
export function readKeyvJson<T>(text: string): T {
  if (text.includes('"::') || text.includes('":base64:')) return defaultDeserialize(text) as T;
  return JSON.parse(text) as T;
}
