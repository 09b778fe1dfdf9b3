// @ts-check
// The thread FormOpener (form-opener.ts) opens modals on. Each message is one views.open call,
// answered with { id } once Slack has opened the form, or { id, error } with Slack's error code
// or why no answer came. Plain JavaScript, so that it runs as it is under every loader (tsx,
// vitest, the built dist/); it imports nothing but Node and zod.
import { parentPort, workerData } from 'node:worker_threads';
import { z } from 'zod';

/** @type {{ url: string; token: string; timeoutMs: number }} */
const { url, token, timeoutMs } = workerData;
const Answer = z.object({ ok: z.boolean(), error: z.string().optional() });

parentPort?.on('message', async (/** @type {{ id: number; body: string }} */ { id, body }) => {
  parentPort?.postMessage({ id, ...(await open(body)) });
});

/** @param {string} body @returns {Promise<{ error?: string }>} */
async function open(body) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = Answer.safeParse(await response.json().catch(() => undefined));
    if (!answer.success) return { error: `an unreadable answer (HTTP ${response.status})` };
    return answer.data.ok ? {} : { error: answer.data.error ?? `HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return { error: `no answer within ${timeoutMs} ms` };
    return { error: innermost(error) };
  }
}

/** The deepest cause's message: "fetch failed" says less than the refused connection under it. */
function innermost(/** @type {unknown} */ error) {
  let inner = error;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  return inner instanceof Error ? inner.message : String(inner);
}
