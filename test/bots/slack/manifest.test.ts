import { readFileSync, readdirSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { SHORTCUT_OPEN } from '../../../bots/slack/actions.js';
import { MANIFEST_BOT_SCOPES } from '../../../fakes/slack/index.js';

const root = new URL('../../../', import.meta.url);
const EVENTS_URL = 'https://example.com/slack/events';

interface Manifest {
  features: {
    slash_commands: Array<{ command: string; url: string; should_escape?: boolean }>;
    shortcuts: Array<{ type: string; callback_id: string }>;
    app_home: Record<string, boolean>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string };
    socket_mode_enabled: boolean;
  };
}

/** Bot scopes each Web API method the front-end calls needs (Slack's method reference); [] for none. */
const SCOPES_OF: Record<string, string[]> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.getPermalink': [],
  // Start-up checks the token (Bolt would call it anyway).
  'auth.test': [],
  'views.open': [],
  'views.publish': [],
  'users.info': ['users:read'],
  'usergroups.users.list': ['usergroups:read'],
  // Ticket threads live in public and private channels, and in DMs when the ticket channel refuses the bot.
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  // A retried card looks for the first attempt's card in the channel.
  'conversations.history': ['channels:history', 'groups:history', 'im:history'],
  'conversations.open': ['im:write'],
  // Files shared in a ticket thread (the download from url_private_download needs files:read too).
  'files.info': ['files:read'],
  // Agents' files relayed into the thread.
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
};
/**
 * Each event the manifest subscribes to: the handler (`routes.event(…)`) it reaches and the bot
 * scopes it needs (Slack's event reference).
 */
const EVENTS: Record<string, { listener: string; scopes: string[] }> = {
  app_home_opened: { listener: 'app_home_opened', scopes: [] },
  reaction_added: { listener: 'reaction_added', scopes: ['reactions:read'] },
  // Ticket threads live in public and private channels, and in the DM a card falls back to.
  'message.channels': { listener: 'message', scopes: ['channels:history'] },
  'message.groups': { listener: 'message', scopes: ['groups:history'] },
  'message.im': { listener: 'message', scopes: ['im:history'] },
};
// Not a Web API call nor an event: the slash command and the message shortcut need `commands`.
const OTHER_SCOPES = ['commands'];

const slackSources = (): string[] => {
  const dir = new URL('bots/slack/', root);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((file) => readFileSync(new URL(file, dir), 'utf8'));
};

/** Every `client.<method>(` call in bots/slack. */
function methodsCalled(): Set<string> {
  const methods = new Set<string>();
  for (const source of slackSources()) {
    for (const match of source.matchAll(/\bclient\.((?:[a-z]+\.)+[a-zA-Z]+)\(/g)) methods.add(match[1]!);
    // A method called by its URL, off the Web API client (form-opener.ts).
    for (const match of source.matchAll(/\bnew URL\('((?:[a-z]+\.)+[a-zA-Z]+)'/g)) methods.add(match[1]!);
  }
  return methods;
}

/** Every event type a Bolt listener in bots/slack is registered for. */
function eventsListenedTo(): Set<string> {
  const events = new Set<string>();
  for (const source of slackSources()) {
    const calls = source.match(/\b(?:app|routes)\.(?:event|message)\(/g) ?? [];
    const named = [...source.matchAll(/\broutes\.event\(\s*'([a-z_]+)'/g)].map((m) => m[1]!);
    // A handler by pattern or variable, or a Bolt listener beside the routes (app.event, app.message),
    // would slip past the table: name the type literally, on the routes.
    expect(named).toHaveLength(calls.length);
    for (const event of named) events.add(event);
  }
  return events;
}

const manifest = yaml.load(readFileSync(new URL('manifest.yml', root), 'utf8')) as Manifest;

describe('Slack app manifest', () => {
  it('declares /ticket at the events URL placeholder', () => {
    expect(manifest.features.slash_commands).toEqual([expect.objectContaining({ command: '/ticket', url: EVENTS_URL, should_escape: false })]);
  });

  it('declares the message shortcut under the callback id the app listens for', () => {
    expect(manifest.features.shortcuts).toEqual([expect.objectContaining({ type: 'message', callback_id: SHORTCUT_OPEN })]);
  });

  it('turns interactivity and events on at the events URL placeholder', () => {
    expect(manifest.settings.interactivity).toEqual({ is_enabled: true, request_url: EVENTS_URL });
    expect(manifest.settings.event_subscriptions.request_url).toBe(EVENTS_URL);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it('subscribes to exactly the events the app has listeners for', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(Object.keys(EVENTS).sort());
    // A new listener must be added to the table above (and its event to the manifest); a removed one taken out.
    expect([...eventsListenedTo()].sort()).toEqual([...new Set(Object.values(EVENTS).map((e) => e.listener))].sort());
  });

  it('turns the Home tab on, for the App Home the app publishes', () => {
    expect(manifest.features.app_home).toEqual({ home_tab_enabled: true, messages_tab_enabled: false, messages_tab_read_only_enabled: false });
  });

  it('asks for exactly the bot scopes of the Web API methods the code calls and the events it subscribes to', () => {
    const called = [...methodsCalled()].sort();
    // A new call must be added to the table above (and its scope to the manifest).
    expect(called).toEqual(Object.keys(SCOPES_OF).sort());
    const needed = new Set([...OTHER_SCOPES, ...called.flatMap((m) => SCOPES_OF[m]!), ...Object.values(EVENTS).flatMap((e) => e.scopes)]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    // The fake Slack grants what an app installed from the manifest is granted (the doctor checks it).
    expect([...MANIFEST_BOT_SCOPES].sort()).toEqual([...manifest.oauth_config.scopes.bot].sort());
  });
});
