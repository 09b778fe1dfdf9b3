/**
 * What the core reports as it works. The core calls these methods and knows nothing of Prometheus;
 * `noTelemetry` is what runs when nobody scrapes (tests, scripts).
 */
export interface Telemetry {
  /** One HTTP answer from a vendor (status undefined: no answer at all — refused, timed out). */
  providerCall(vendor: string, status: number | undefined): void;
  /** One attempt of an outbox job and how it ended. */
  delivery(kind: string, result: DeliveryResult): void;
  /** One poll cycle: how long it took and how many tickets it followed. */
  pollCycle(seconds: number, watched: number): void;
  /** An agent's comment posted in its thread, `seconds` after the relay queued it. */
  relayLag(seconds: number): void;
}

export type DeliveryResult = 'delivered' | 'retried' | 'failed';

export const noTelemetry: Telemetry = {
  providerCall: () => undefined,
  delivery: () => undefined,
  pollCycle: () => undefined,
  relayLag: () => undefined,
};
