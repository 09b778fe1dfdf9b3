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

parentPort?.on('message', async (/** @type {{ id: number; body: string }} */ { id, body }) => {
  parentPort?.postMessage({ id, ...(await open(body)) });
});

/** @param {string} body @returns {Promise<{ status: number; answer: unknown } | { failure: string }>} */
async function open(body) {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const { status, text } = await post(body, signal);
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
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
        if (text.length > MAX_ANSWER_BYTES) response.destroy(new Error(`an answer over ${MAX_ANSWER_BYTES} bytes`));
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}
