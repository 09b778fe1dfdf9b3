import type { FrontEnd, FrontEndDeps } from '../../src/frontend.js';
import { createSlackApp, type SlackAppOptions } from './app.js';
import { slackSettings } from './settings.js';
import { checkSlackToken } from './startup.js';
import type { SlackSink } from './sink.js';

/** The running Slack front-end; `port` is the HTTP port in HTTP mode. */
export interface SlackFrontEnd extends FrontEnd {
  readonly sink: SlackSink;
  readonly transport: 'http' | 'socket';
  readonly port: number | undefined;
}

/**
 * Reads the Slack settings from `deps.env` (a bad or missing one throws ConfigError naming it),
 * checks the token with auth.test (a refusal, or a Slack that does not answer, is a ConfigError
 * too) and starts the Bolt app on the configured transport: Socket Mode when SLACK_APP_TOKEN is
 * set, otherwise HTTP on PORT at /slack/events (a port in use: ConfigError naming PORT).
 */
export async function startSlack(deps: FrontEndDeps, options: SlackAppOptions = {}): Promise<SlackFrontEnd> {
  const settings = slackSettings(deps.env);
  const identity = options.identity ?? (await checkSlackToken(settings));
  const slack = createSlackApp(settings, deps, { ...options, identity });
  const port = await slack.start();
  deps.logger.info('slack front-end started', { transport: settings.transport.kind, ...(port !== undefined ? { port } : {}) });
  let stopped = false;
  return {
    name: 'slack',
    sink: slack.sink,
    transport: settings.transport.kind,
    port,
    connected: () => slack.connected(),
    async stop() {
      if (stopped) return;
      stopped = true;
      await slack.app.stop();
      await slack.background.settle();
      await slack.forms.close();
    },
  };
}
