import { sleep } from './pacing.js';

/**
 * Runs `pass` again and again until stopped; each pass answers how long to wait before the next.
 * Stopping cuts the wait short and resolves once the pass under way has finished.
 */
export class BackgroundLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(private readonly pass: () => Promise<number>) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopSignal.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) await sleep(await this.pass(), this.stopSignal.signal);
  }
}
