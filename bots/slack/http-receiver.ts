import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, HTTPReceiver, type HTTPReceiverOptions } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import type { PendingAcks } from './pending-acks.js';
import { StillHandling } from './still-handling.js';

/** Slack's window for a request's timestamp, both ways: older is a replay, newer a forgery. */
const MAX_SKEW_S = 5 * 60;
const FORM = 'application/x-www-form-urlencoded';

/**
 * Bolt's HTTP receiver, with every check of a request made here, once, before Bolt sees it (Bolt's
 * own verification is off, so the HMAC is not computed twice in front of each ack):
 * - the signature (`signedBySlack`); unsigned or badly signed → 401;
 * - a timestamp more than five minutes in the future is refused like one in the past (401);
 *   Bolt only checks the past, so a captured signature with a future timestamp would stay
 *   usable until that time comes;
 * - `ssl_check` is answered 200 here, so nothing else in its unsigned body reaches Bolt;
 * - a correctly signed body that is not an object (`null`, a number, a list; `payload=null` in a
 *   form) is answered 400; Bolt would throw reading it and leave the request unanswered.
 * Unparseable bodies are left to Bolt (400), which gets the body already read.
 */
export class CheckedHttpReceiver extends HTTPReceiver {
  constructor(
    private readonly options: HTTPReceiverOptions & { endpoints: string },
    private readonly log: Logger,
    pending: PendingAcks,
  ) {
    // Verified here, once: Bolt would compute the same HMAC again on every request, in front of its ack.
    super({
      ...options,
      signatureVerification: false,
      // A redelivery left for later is answered 500 (Slack sends it again) without Bolt's error line.
      processEventErrorHandler: async (args) => {
        if (!(args.error instanceof StillHandling)) return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
        args.response.writeHead(500);
        args.response.end();
        return false;
      },
    });
    const bolt = this.requestListener;
    this.requestListener = (req, res) => {
      const path = (req.url ?? '/').split('?', 1)[0];
      // Bolt throws synchronously for a path it does not serve; its server turns that into a 404.
      if (req.method !== 'POST' || path !== options.endpoints) return bolt(req, res);
      void this.screen(req, res).then(
        (pass) => {
          if (!pass) return;
          // Commands and interactions (form-encoded) are acked at once; an event's ack may wait
          // on purpose (a thread reply, until its comment is saved), so it is no part of a burst.
          // 'close' comes once the answer is written, or the connection is gone without one.
          if (req.headers['content-type'] === FORM) res.once('close', pending.begin());
          bolt(req, res);
        },
        (error: unknown) => {
          this.log.warn('slack: request could not be read', { error });
          answer(res, 400);
        },
      );
    };
  }

  /** True when Bolt should handle the request; otherwise it has been answered. */
  private async screen(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, this.options.bodyLimit);
    const body = buffered.rawBody.toString();
    const contentType = req.headers['content-type'];
    const form = contentType === FORM ? new URLSearchParams(body) : undefined;
    if (form?.get('ssl_check') === '1') {
      // Unsigned by design; answered here so that nothing else in its body reaches Bolt.
      answer(res, 200);
      return false;
    }
    const stamp = req.headers['x-slack-request-timestamp'];
    const timestamp = Number(stamp);
    if (typeof stamp !== 'string' || !Number.isFinite(timestamp)) return this.refuse(res, 'it has no timestamp');
    if (Math.abs(Date.now() / 1000 - timestamp) > MAX_SKEW_S) {
      this.log.warn('slack: request refused: its timestamp is more than 5 minutes off', { skewS: Math.round(timestamp - Date.now() / 1000) });
      answer(res, 401);
      return false;
    }
    const signature = req.headers['x-slack-signature'];
    if (typeof signature !== 'string' || !signedBySlack(this.options.signingSecret, stamp, body, signature)) return this.refuse(res, 'its signature does not match');
    if (!isObjectBody(form ? form.get('payload') : body)) {
      this.log.warn('slack: signed request refused: its body is not an object');
      answer(res, 400);
      return false;
    }
    return true;
  }

  /** 401, as Bolt answers a request it cannot verify. */
  private refuse(res: ServerResponse, why: string): false {
    this.log.warn(`slack: request refused: ${why}`);
    answer(res, 401);
    return false;
  }
}

/**
 * Whether `signature` is Slack's: `v0=` and the hex HMAC-SHA256, keyed with the signing secret, of
 * `v0:<timestamp header>:<body>`, compared in constant time. Bolt's `isValidSlackRequest` computes
 * the same HMAC but compares through tsscmp, which draws 32 random bytes (a system call) and
 * computes two more HMACs on every request to do what `timingSafeEqual` does without either; in
 * front of every ack that was about 7 % of the CPU of a burst of commands.
 */
function signedBySlack(secret: string, timestamp: string, body: string, signature: string): boolean {
  const expected = Buffer.from(`v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Whether the JSON (a JSON body, or a form's `payload`), parsed as Bolt will parse it, is an
 * object; a form without `payload` is a slash command's plain fields, and unparseable JSON is
 * left to Bolt (400).
 */
function isObjectBody(json: string | null): boolean {
  if (json === null) return true;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return true;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
}

function answer(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status);
  res.end();
}
