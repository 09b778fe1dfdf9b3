import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/logger.js';
import { startOps, type Ops } from '../../src/ops/index.js';
import { waitFor } from '../support/harness.js';
import { startRig, type Rig } from '../bots/slack/rig.js';
import { startStack, type Stack } from '../bots/discord/stack.js';

/** Readiness as /readyz reports it, for a front-end started on the real library against its fake. */
async function opsFor(frontEnd: Parameters<Ops['frontEndStarted']>[0]): Promise<Ops> {
  const ops = await startOps({ HEALTH_PORT: undefined, HEALTH_HOST: '127.0.0.1', STORE_URL: 'sqlite://unused' }, silentLogger);
  ops.started();
  ops.readiness.delete('store');
  ops.frontEndStarted(frontEnd);
  return ops;
}

describe('front-ends report their connection to readiness', { timeout: 60_000 }, () => {
  const open: (Rig | Stack)[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close().catch(() => undefined)));
  });

  it.each(['socket', 'http'] as const)('Slack over %s: ready while connected, not once it is gone', async (transport) => {
    const rig = await startRig({ transport });
    open.push(rig);
    const ops = await opsFor(rig.slack);
    await waitFor(() => rig.slack.connected?.(), 'Slack connected', 5_000);
    expect(await ops.readiness.report()).toEqual({ ready: true, down: {} });
    await rig.slack.stop();
    expect(await ops.readiness.report()).toEqual({ ready: false, down: { slack: 'not connected to its platform' } });
  });

  it('Discord: ready while the gateway is, not once the gateway is lost', async () => {
    const stack = await startStack();
    open.push(stack);
    const ops = await opsFor(stack.discord);
    expect(await ops.readiness.report()).toEqual({ ready: true, down: {} });
    await stack.fake.gateway.close();
    await waitFor(async () => !(await ops.readiness.report()).ready, 'Discord not ready', 10_000);
    expect((await ops.readiness.report()).down).toEqual({ discord: 'not connected to its platform' });
  });
});
