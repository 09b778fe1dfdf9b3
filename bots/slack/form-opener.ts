import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';

/** The thread's script: beside this module in the sources, beside the bundle in dist/ (scripts/build.mjs copies it). */
const WORKER_SCRIPT = new URL('./form-opener-worker.mjs', import.meta.url);

/** A trigger id lives 3 s after Slack issues it; a form opened later fails anyway. */
const TRIGGER_LIFE_MS = 3_000;

/** Slack did not open a form: `reason` is Slack's error code, or why no answer came. */
export class FormNotOpened extends Error {
  constructor(readonly reason: string) {
    super(`views.open failed: ${reason}`);
    this.name = 'FormNotOpened';
  }
}

/** What views.open answers, as far as it is read: the form opened, or Slack's error code. */
const Answer = z.object({ ok: z.boolean(), error: z.string().optional() });

/** What the thread posts back for each form (form-opener-worker.mjs). */
type Outcome = { id: number; status: number; answer: unknown } | { id: number; failure: string };

interface Waiting {
  worker: Worker;
  resolve(): void;
  reject(error: Error): void;
}

/**
 * Opens modals (`views.open`) on a worker thread of their own. A burst of `/ticket` commands
 * ends in a burst of forms, and HTTP calls made by the thread that answers Slack slow the acks
 * that come after them, though they run between bursts: in the ack bench the full app's median
 * ack was about 1.17 × the bare Bolt app's with the forms opened on the main thread (through the
 * Web API client, `fetch` or undici's bare dispatcher alike), 0.75–0.8 × with no form opened at
 * all, and 0.78–0.84 × with the forms opened here. The thread costs about 23 MB of RSS once it has
 * opened forms. The call is given the trigger's life and no retry, since a form opened after it
 * would fail with `expired_trigger_id` anyway: the person hears within seconds that the form
 * could not open.
 */
export class FormOpener {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiting>();
  private readonly url: string;
  private readonly timeoutMs: number;

  constructor(
    apiUrl: string,
    private readonly token: string,
    callTimeoutMs: number,
  ) {
    // Missing from a dist/ built by hand, every form would fail; better to say so at start-up.
    if (!existsSync(fileURLToPath(WORKER_SCRIPT))) throw new Error(`${fileURLToPath(WORKER_SCRIPT)} is missing; run npm run build`);
    this.url = new URL('views.open', apiUrl).href;
    this.timeoutMs = Math.min(callTimeoutMs, TRIGGER_LIFE_MS);
  }

  /**
   * Opens `view` (a modal's JSON) on `triggerId`; rejects with FormNotOpened. Call it as soon as
   * the command is handled: the deadline counts from here, as the trigger's life has.
   */
  open(triggerId: string, view: string): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    const worker = (this.worker ??= this.start());
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { worker, resolve, reject });
      worker.postMessage({ id, deadline, body: new URLSearchParams({ trigger_id: triggerId, view }).toString() });
    });
  }

  /** Stops the thread; forms still opening are given up. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { url: this.url, token: this.token, timeoutMs: this.timeoutMs },
    });
    // The process may stop with the thread idle; close() ends it when the app stops.
    worker.unref();
    worker.on('message', (outcome: Outcome) => {
      const waiting = this.waiting.get(outcome.id);
      this.waiting.delete(outcome.id);
      const error = notOpened(outcome);
      if (error) waiting?.reject(error);
      else waiting?.resolve();
    });
    // A thread that failed or was stopped answers nothing more: what it held is given up, and the next form starts another.
    const lost = (reason: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, waiting] of this.waiting) {
        if (waiting.worker !== worker) continue;
        this.waiting.delete(id);
        waiting.reject(new FormNotOpened(reason));
      }
    };
    worker.on('error', (error) => lost(`the form thread failed: ${error.message}`));
    worker.on('exit', () => lost('the form thread stopped'));
    return worker;
  }
}

function notOpened(outcome: Outcome): FormNotOpened | undefined {
  if ('failure' in outcome) return new FormNotOpened(outcome.failure);
  const answer = Answer.safeParse(outcome.answer);
  if (!answer.success) return new FormNotOpened(`an unreadable answer (HTTP ${outcome.status})`);
  return answer.data.ok ? undefined : new FormNotOpened(answer.data.error ?? `HTTP ${outcome.status}`);
}
