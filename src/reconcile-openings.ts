import { randomUUID } from 'node:crypto';
import type { ChatSinks } from './chat.js';
import { StoreUnavailable } from './errors.js';
import type { Logger } from './logger.js';
import type { Opening, Openings } from './openings.js';
import { BackgroundLoop } from './background-loop.js';
import type { TicketProvider } from './provider.js';
import type { TicketService } from './service.js';
import type { KeyValueStore } from './store/index.js';

interface ReconcileOptions {
  provider: TicketProvider;
  openings: Openings;
  service: TicketService;
  sinks: ChatSinks;
  kv: KeyValueStore;
  logger: Logger;
  /** Between passes; default 5 s. */
  intervalMs?: number;
  /**
   * How long a create may still land at the vendor after it was sent (the HTTP deadline and its
   * retries, with margin); an opening not found after this was not made. Default 2 minutes.
   */
  graceMs?: number;
}

const CLAIM_MS = 60_000;

/**
 * Finishes openings a process did not live to finish (killed during the create call): each
 * unfinished record is looked up at the vendor by its marker; found, it is linked and its card
 * queued as if the create had answered; not found once the create can no longer land, the
 * requester is told it was not opened. Runs at start-up and then every few seconds (an idle pass
 * is one read of a set).
 */
export class OpeningReconciler {
  private readonly loop = new BackgroundLoop(() => this.pass());
  private readonly owner = randomUUID();

  constructor(private readonly options: ReconcileOptions) {}

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One pass over the unfinished openings; returns how many were settled. */
  async reconcileOnce(now = Date.now()): Promise<number> {
    const { openings, kv, logger } = this.options;
    let settled = 0;
    for (const opening of await openings.unfinished()) {
      // One replica per record at a time: two would both tell the requester.
      const claim = `opening-claim:${opening.submission}`;
      if (!(await kv.claim(claim, this.owner, CLAIM_MS))) continue;
      try {
        if (await this.settle(opening, now)) settled++;
      } catch (error) {
        if (!(error instanceof StoreUnavailable)) logger.warn('unfinished opening not settled yet; trying again', { submission: opening.submission, error });
      } finally {
        await kv.release(claim, this.owner).catch(() => undefined);
      }
    }
    return settled;
  }

  private async settle(opening: Opening, now: number): Promise<boolean> {
    const { provider, service, sinks, openings, logger } = this.options;
    const found = await provider.findOpened?.(opening.marker, opening.requester);
    if (found) {
      const link = await service.finishOpening(opening, found);
      logger.info('opening cut off by a stop was found at the vendor and linked', { submission: opening.submission, ticketId: link.ticketId });
      return true;
    }
    const graceMs = this.options.graceMs ?? 120_000;
    // The create may still land: look again next pass.
    if (provider.findOpened && now - opening.startedAt < graceMs) return false;
    await sinks.forPlace(opening.place).notify({ kind: 'not_opened', subject: opening.input.subject, provider: provider.displayName, searched: !!provider.findOpened });
    logger.error('opening cut off by a stop could not be found at the vendor; the requester was told', { submission: opening.submission });
    await openings.finish(opening.submission);
    return true;
  }

  private async pass(): Promise<number> {
    await this.reconcileOnce().catch((error: unknown) => {
      if (!(error instanceof StoreUnavailable)) this.options.logger.warn('reconciling unfinished openings failed', { error });
    });
    return this.options.intervalMs ?? 5_000;
  }
}
