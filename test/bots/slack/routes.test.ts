import { App, LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { slashCommand, viewSubmission } from '../../../fakes/slack/index.js';
import { SlackRoutes } from '../../../bots/slack/routes.js';

/** A Bolt app with the routes in front, and a Bolt listener behind them that sees whatever they pass on. */
function app(routes: SlackRoutes) {
  const bolt = new App({ token: 'xoxb-test', signingSecret: 'secret', logLevel: LogLevel.ERROR, tokenVerificationEnabled: false, botId: 'B1', botUserId: 'U1' });
  bolt.use(routes.middleware);
  const passedOn: string[] = [];
  bolt.use(async ({ body }) => void passedOn.push(String((body as { type?: string; command?: string }).command ?? (body as { type?: string }).type)));
  const deliver = (body: Record<string, unknown>) => bolt.processEvent({ body, ack: async () => undefined });
  return { deliver, passedOn };
}

describe('SlackRoutes', () => {
  it('runs the handler of a routed command and view submission, and passes the rest on to Bolt', async () => {
    const routes = new SlackRoutes();
    const seen: string[] = [];
    routes.command('/ticket', async ({ command }) => void seen.push(`command ${command.text}`));
    routes.view('open_ticket', async ({ view }) => void seen.push(`view ${view.callback_id}`));
    const { deliver, passedOn } = app(routes);

    await deliver(slashCommand({ response_url: 'http://127.0.0.1:9/r', text: 'list' }));
    await deliver(slashCommand({ response_url: 'http://127.0.0.1:9/r', command: '/other', text: '' }));
    const submission = viewSubmission({ view: { id: 'V1', callback_id: 'open_ticket', state: { values: {} } } }) as Record<string, unknown>;
    await deliver(submission);
    // Closing a form is not submitting it.
    await deliver({ ...submission, type: 'view_closed' });

    expect(seen).toEqual(['command list', 'view open_ticket']);
    expect(passedOn).toEqual(['/other', 'view_closed']);
  });
});
