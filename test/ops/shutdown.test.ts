import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.js';
import { createShutdown } from '../../src/shutdown.js';

function recorder() {
  const lines: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: (msg) => void lines.push(msg),
    warn: (msg) => void lines.push(msg),
    error: (msg) => void lines.push(msg),
  };
  const exits: number[] = [];
  return { lines, logger, exits, exit: (code: number) => void exits.push(code) };
}

describe('shutdown', () => {
  it('stops once however often it is asked: a repeated signal joins the stop and the exit stays 0', async () => {
    const r = recorder();
    let stops = 0;
    let finish!: () => void;
    const shutdown = createShutdown({ ...r, stopAll: () => new Promise<void>((resolve) => ((finish = resolve), stops++)) });
    const first = shutdown('SIGINT');
    const second = shutdown('SIGINT'); // npm forwards the Ctrl-C the terminal already sent
    const third = shutdown('SIGTERM');
    expect(second).toBe(first);
    expect(third).toBe(first);
    finish();
    await first;
    expect(stops).toBe(1);
    expect(r.exits).toEqual([0]);
    expect(r.lines).toEqual(['stopping']);
  });

  it('exits with the code it was asked for (a lost store is not a clean stop)', async () => {
    const r = recorder();
    await createShutdown({ ...r, stopAll: async () => undefined })('store lost', 1);
    expect(r.exits).toEqual([1]);
  });

  it('exits 1 at the deadline when the stop hangs, and 1 when it fails', async () => {
    const r = recorder();
    void createShutdown({ ...r, deadlineMs: 50, stopAll: () => new Promise<void>(() => undefined) })('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(r.exits).toEqual([1]);
    expect(r.lines).toContain('stop took too long; exiting anyway (queued work stays queued)');

    const failing = recorder();
    await createShutdown({ ...failing, stopAll: async () => Promise.reject(new Error('boom')) })('SIGTERM');
    expect(failing.exits).toEqual([1]);
    expect(failing.lines).toEqual(['stopping', 'stop failed']);
  });
});
