import type { FrontEnd } from '../../src/frontend.js';
import type { Harness } from './harness.js';

/**
 * Starts a front-end against a fake platform and puts it on the harness's bridge, running. If it
 * does not start, the harness and the fake are closed before the error is passed on.
 */
export async function startOnHarness<F extends FrontEnd>(h: Harness, fake: { close(): Promise<void> }, start: () => Promise<F>): Promise<F> {
  let frontEnd: F;
  try {
    frontEnd = await start();
  } catch (error) {
    await h.close();
    await fake.close();
    throw error;
  }
  h.bridge.attach(frontEnd);
  h.bridge.start();
  return frontEnd;
}
