// @ts-check
// The thread FormOpener (form-opener.ts) opens modals on. Each message is one views.open call,
// answered with { id, status, answer } (`ok` and `error` of Slack's JSON answer, which the main
// thread checks) or { id, failure } when no answer came. Plain JavaScript, so that it runs as it
// is under every loader (tsx, vitest, the built dist/), and it imports nothing but Node: every
// module loaded here is held a second time, beside the main thread's. For the same reason it uses
// Node's own http client rather than fetch: a thread that loads fetch (undici and its WebAssembly
// parser) and zod held about twice the memory (measured: +47 MB against +23 MB of RSS after a
// burst of 200 forms).
import http from 'node:http';
import https from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';

/** @type {{ url: string; token: string; timeoutMs: number }} */
const { url, token, timeoutMs } = workerData;
const client = new URL(url).protocol === 'https:' ? https : http;
const agent = new client.Agent({ keepAlive: true, maxSockets: 16 });
/** views.open answers with the opened view (a few KB); anything far larger is not Slack's answer. */
const MAX_ANSWER_BYTES = 1_000_000;

parentPort?.on('message', async (/** @type {{ id: number; body: string; deadline: number }} */ { id, body, deadline }) => {
  parentPort?.postMessage({ id, ...(await open(body, deadline)) });
});

/**
 * @param {string} body
 * @param {number} deadline when the trigger dies (ms since the epoch), set when the form was asked for
 * @returns {Promise<{ status: number; answer: unknown } | { failure: string }>}
 */
async function open(body, deadline) {
  const signal = AbortSignal.timeout(Math.max(0, deadline - Date.now()));
  try {
    const { status, text } = await post(body, signal).catch((error) => {
      // A kept-alive connection Slack closed just as it was reused: the call almost surely never
      // reached Slack, so it goes once more on a new connection (as Node's documentation advises).
      // Had it reached Slack, the second is refused (exchanged_trigger_id): no form opens twice.
      if (error?.reusedSocket && error.code === 'ECONNRESET' && !signal.aborted) return post(body, signal);
      throw error;
    });
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      return { status, answer: undefined };
    }
    // Only what the main thread reads crosses over, not the whole view Slack echoes back.
    return { status, answer: typeof json === 'object' && json !== null ? { ok: json.ok, error: json.error } : json };
  } catch (error) {
    if (signal.aborted) return { failure: `no answer within ${timeoutMs} ms` };
    return { failure: error instanceof Error ? error.message : String(error) };
  }
}

/** @param {string} body @param {AbortSignal} signal @returns {Promise<{ status: number; text: string }>} */
function post(body, signal) {
  return new Promise((resolve, reject) => {
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    };
    const request = client.request(url, { method: 'POST', agent, headers, signal }, (response) => {
      /** @type {Buffer[]} */
      const chunks = [];
      let bytes = 0;
      response.on('data', (/** @type {Buffer} */ chunk) => {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes > MAX_ANSWER_BYTES) response.destroy(new Error(`an answer over ${MAX_ANSWER_BYTES} bytes`));
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
    request.end(body);
  });
}
