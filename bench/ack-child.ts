// The processes of the ack benchmark, one role each, so that neither app shares an event loop
// with the load generator or with the fake Slack:
//   slack  the fake Slack Web API; answers "views" on stdin with how many modals it has opened
//   full   the whole bridge (local desk, in-memory store) with the real Slack front-end over HTTP
//   bare   a Bolt app with the same receiver that only acks /ticket
// Each prints one JSON line on stdout when it is ready.
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { App, LogLevel } from '@slack/bolt';
import { createProvider as createLocalProvider } from '../adapters/local/index.js';
import { startSlack } from '../bots/slack/index.js';
import { Bridge } from '../src/bridge.js';
import { createHttpClient } from '../src/provider-kit/http.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/index.js';
import { SLACK_DEFAULTS, startFakeSlack } from '../fakes/slack/index.js';
import { ACK_SECRET } from './ack.js';

const role = process.argv[2];
const apiUrl = process.argv[3] ?? '';

async function main(): Promise<void> {
  if (role === 'slack') {
    const fake = await startFakeSlack();
    print({ url: fake.url, responseUrl: fake.responseUrl() });
    createInterface({ input: process.stdin }).on('line', () => {
      const calls = fake.callsTo('views.open');
      print({ calls: calls.length, views: calls.filter((c) => c.status === 200 && c.response['ok'] === true).length });
    });
    return;
  }
  if (role === 'full') {
    // Wired as main.ts wires it: SQLite file store, local desk, default outbox and relay pacing.
    const dir = mkdtempSync(join(tmpdir(), 'tb-bench-ack-'));
    const kv = await openStore(`sqlite://${join(dir, 'tickets.sqlite')}`);
    const http = createHttpClient(silentLogger);
    const provider = createLocalProvider({ http, logger: silentLogger, kv, env: {} });
    const bridge = new Bridge({ provider, kv, logger: silentLogger, pollIntervalMs: 1_000 });
    const env = { SLACK_BOT_TOKEN: SLACK_DEFAULTS.botToken, SLACK_API_URL: apiUrl, SLACK_SIGNING_SECRET: ACK_SECRET, PORT: '0' };
    const slack = await startSlack({ service: bridge.service, kv, logger: silentLogger, env });
    bridge.attach(slack);
    bridge.start();
    process.on('SIGTERM', () => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
    print({ port: slack.port });
    return;
  }
  if (role === 'bare') {
    const app = new App({
      token: SLACK_DEFAULTS.botToken,
      signingSecret: ACK_SECRET,
      endpoints: '/slack/events',
      logLevel: LogLevel.ERROR,
      // The receiver options of bots/slack/app.ts, so that only the listeners differ.
      processBeforeResponse: true,
      clientOptions: { slackApiUrl: apiUrl, retryConfig: { retries: 0 } },
    });
    app.command('/ticket', async ({ ack }) => {
      await ack();
    });
    const server = (await app.start(0)) as Server;
    print({ port: (server.address() as AddressInfo).port });
    return;
  }
  throw new Error(`unknown role ${String(role)}`);
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`ack child ${String(role)} failed: ${String(error)}\n`);
  process.exit(1);
});
