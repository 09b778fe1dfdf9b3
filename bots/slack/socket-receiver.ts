import { AuthorizationError, SocketModeReceiver, type App, type SocketModeReceiverOptions } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';
import type { PendingAcks } from './pending-acks.js';
import { StillHandling } from './still-handling.js';

/** What @slack/socket-mode emits for each envelope ('slack_event'). */
interface SocketEnvelope {
  type: string;
  envelope_id: string;
  body: Record<string, unknown>;
  retry_num?: number;
  retry_reason?: string;
  ack(response?: Record<string, unknown>): Promise<void>;
}

/**
 * Socket Mode with the acknowledgement that HTTP mode gets from `processBeforeResponse: true`:
 * an envelope's ack (and the payload given to `ack()`, e.g. modal field errors) goes back to Slack
 * once the app's listeners have returned. Bolt's own SocketModeReceiver ignores that option and
 * acks events before any listener runs, so a reply could be acked and then lost before it reached
 * the outbox. An envelope whose processing failed is not acked: Slack delivers it again.
 */
export class ProcessBeforeAckReceiver extends SocketModeReceiver {
  private bolt: App | undefined;

  constructor(
    options: SocketModeReceiverOptions,
    private readonly log: Logger,
    private readonly pending: PendingAcks,
  ) {
    super(options);
    this.client.removeAllListeners('slack_event');
    this.client.on('slack_event', (envelope: SocketEnvelope) => {
      // As over HTTP, events (whose ack may wait on purpose) are no part of a burst of commands.
      const answered = envelope.type === 'events_api' ? () => undefined : this.pending.begin();
      void this.dispatch(envelope).finally(answered);
    });
  }

  /** The Socket Mode socket is open now (false while it reconnects, and after a stop). */
  get connected(): boolean {
    return this.client.websocket?.isActive() === true;
  }

  override init(app: App): void {
    super.init(app);
    this.bolt = app;
  }

  private async dispatch(envelope: SocketEnvelope): Promise<void> {
    if (typeof envelope.body !== 'object' || envelope.body === null || Array.isArray(envelope.body)) {
      // Nothing can handle it, now or on a redelivery: acked so Slack stops sending it.
      this.log.warn('slack: envelope without an object payload; acknowledged and dropped', { type: envelope.type, envelope: envelope.envelope_id });
      await envelope.ack().catch(() => undefined);
      return;
    }
    let answer: { payload: Record<string, unknown> | undefined } | undefined;
    const event = {
      body: envelope.body,
      ...(envelope.retry_num !== undefined ? { retryNum: envelope.retry_num } : {}),
      ...(envelope.retry_reason !== undefined ? { retryReason: envelope.retry_reason } : {}),
      ack: async (payload?: Record<string, unknown>): Promise<void> => {
        if (answer) this.log.warn('slack: ack() called twice; the second is ignored', { envelope: envelope.envelope_id });
        else answer = { payload };
      },
    };
    try {
      await this.bolt?.processEvent(event);
    } catch (error) {
      // Without an installation nothing will ever handle it: ack so Slack stops sending it.
      if (error instanceof AuthorizationError) answer ??= { payload: undefined };
      else {
        if (!(error instanceof StillHandling)) this.log.warn('slack: envelope not acknowledged; Slack will deliver it again', { type: envelope.type, envelope: envelope.envelope_id, error });
        return;
      }
    }
    if (!answer) return;
    await envelope.ack(answer.payload).catch((error: unknown) => this.log.error('slack: could not acknowledge an envelope', { envelope: envelope.envelope_id, error }));
  }
}
