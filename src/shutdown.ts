import type { Logger } from './logger.js';

export interface ShutdownOptions {
  logger: Logger;
  /** Stops taking input, lets running work finish, gives leases back, closes connections. */
  stopAll: () => Promise<void>;
  /**
   * The most a stop may take before the process exits anyway. Docker and Kubernetes send
   * SIGKILL 10 s after SIGTERM; leaving at 9 s keeps the last log line ours.
   */
  deadlineMs?: number;
  exit?: (code: number) => void;
}

/**
 * One stop per process, whatever asks for it and however often: the first request runs
 * `stopAll` and exits with its code (0 after a signal); later ones (a second Ctrl-C, npm
 * forwarding the same SIGINT the terminal already sent) join the stop under way instead of
 * turning a clean stop into a failed one. A stop that hangs exits 1 at the deadline; queued
 * work is durable, so the next start picks it up.
 */
export function createShutdown({ logger, stopAll, deadlineMs = 9_000, exit = (code) => process.exit(code) }: ShutdownOptions) {
  let stopping: Promise<void> | undefined;
  return function shutdown(reason: string, code = 0): Promise<void> {
    if (stopping) return stopping;
    logger.info('stopping', { reason });
    const deadline = setTimeout(() => {
      logger.error('stop took too long; exiting anyway (queued work stays queued)', { reason, deadlineMs });
      exit(1);
    }, deadlineMs);
    stopping = stopAll().then(
      () => {
        clearTimeout(deadline);
        exit(code);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.error('stop failed', { reason, error });
        exit(1);
      },
    );
    return stopping;
  };
}

/** SIGTERM (Docker, Kubernetes, systemd) and SIGINT (Ctrl-C), each as often as they come. */
export function stopOnSignals(shutdown: (reason: string) => unknown): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));
}
