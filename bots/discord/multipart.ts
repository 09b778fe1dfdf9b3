import { DefaultRestOptions, type RESTOptions } from 'discord.js';

/**
 * discord.js's requests with a multipart body (file uploads) sent as bytes. discord.js hands undici
 * a FormData, and undici sends it through the process's global dispatcher, which belongs to
 * whichever undici copy loaded first. When that is the newer one the provider HTTP client uses
 * (loaded with the first provider call, which may come before any upload), it does not take the
 * FormData of the copy discord.js carries: uploads failed with "action is not a function"
 * (discord.js#11320).
 * Encoded here by the runtime's own Response, the body and its boundary header read the same to
 * every undici; every other request goes to discord.js's default strategy untouched.
 */
export const makeRequest: RESTOptions['makeRequest'] = async (url, init) => {
  if (!(init.body instanceof FormData)) return DefaultRestOptions.makeRequest(url, init);
  const encoded = new Response(init.body);
  const headers = new Headers(init.headers as ConstructorParameters<typeof Headers>[0]);
  headers.set('content-type', encoded.headers.get('content-type') ?? 'multipart/form-data');
  const body = new Uint8Array(await encoded.arrayBuffer());
  return DefaultRestOptions.makeRequest(url, { ...init, body, headers: Object.fromEntries(headers) });
};
