// Builders of the payloads Slack delivers to an app, shaped after Slack's documented examples.
// Defaults match the fake's default workspace (SLACK_DEFAULTS), so `slashCommand({...})` posted
// to Bolt authorizes against a fake started with no options.
import { randomBytes } from 'node:crypto';
import { SLACK_DEFAULTS as D } from './state.js';

type Json = Record<string, unknown>;

export interface PayloadUser {
  id: string;
  name?: string;
  team_id?: string;
}

export interface PayloadChannel {
  id: string;
  name?: string;
}

let counter = 0;

function next(): number {
  counter += 1;
  return counter;
}

/** A trigger id like Slack's `12345.98765.abcd2358fdea`; its first part is the issue time, which the fake uses to expire it after 3 s. */
export function triggerId(): string {
  return `${Date.now()}.${next()}.${randomBytes(6).toString('hex')}`;
}

/** A message/event ts close to now, unique within the process. */
export function eventTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${String(next() % 1_000_000).padStart(6, '0')}`;
}

function eventId(): string {
  return `Ev${String(next()).padStart(9, '0')}${randomBytes(2).toString('hex').toUpperCase()}`;
}

function user(u: PayloadUser | undefined): Json {
  const id = u?.id ?? D.userId;
  const name = u?.name ?? (id === D.userId ? D.userName : id.toLowerCase());
  return { id, username: name, name, team_id: u?.team_id ?? D.teamId };
}

function channel(c: PayloadChannel | undefined): Json {
  return { id: c?.id ?? D.channelId, name: c?.name ?? (c?.id && c.id !== D.channelId ? c.id.toLowerCase() : D.channelName) };
}

const team = (): Json => ({ id: D.teamId, domain: D.teamDomain });

// The deprecated verification token Slack still includes; Bolt ignores it.
const VERIFICATION_TOKEN = 'deprecated-verification-token';

export interface SlashCommandInput {
  command?: string;
  text?: string;
  user_id?: string;
  user_name?: string;
  channel_id?: string;
  channel_name?: string;
  team_id?: string;
  team_domain?: string;
  trigger_id?: string;
  /** Use fake.responseUrl() so respond() reaches the fake. */
  response_url: string;
  api_app_id?: string;
}

/** Form fields of a slash command (all strings, as Slack posts them). */
export function slashCommand(i: SlashCommandInput): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: i.team_id ?? D.teamId,
    team_domain: i.team_domain ?? D.teamDomain,
    channel_id: i.channel_id ?? D.channelId,
    channel_name: i.channel_name ?? D.channelName,
    user_id: i.user_id ?? D.userId,
    user_name: i.user_name ?? D.userName,
    command: i.command ?? '/ticket',
    text: i.text ?? '',
    api_app_id: i.api_app_id ?? D.appId,
    is_enterprise_install: 'false',
    response_url: i.response_url,
    trigger_id: i.trigger_id ?? triggerId(),
  };
}

export interface ViewSubmissionInput {
  view: {
    id: string;
    callback_id: string;
    private_metadata?: string;
    /** `{ [block_id]: { [action_id]: { type, value | selected_option | … } } }` */
    state: { values: Record<string, Record<string, Json>> };
    hash?: string;
    title?: Json;
    blocks?: unknown[];
    external_id?: string;
  };
  user?: PayloadUser;
  trigger_id?: string;
  response_urls?: Array<{ block_id: string; action_id: string; channel_id: string; response_url: string }>;
}

export function viewSubmission(i: ViewSubmissionInput): Json {
  const v = i.view;
  return {
    type: 'view_submission',
    team: team(),
    user: user(i.user),
    api_app_id: D.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: i.trigger_id ?? triggerId(),
    view: {
      id: v.id,
      team_id: D.teamId,
      type: 'modal',
      blocks: v.blocks ?? [],
      private_metadata: v.private_metadata ?? '',
      callback_id: v.callback_id,
      state: v.state,
      hash: v.hash ?? `${Math.floor(Date.now() / 1000)}.abc123`,
      title: v.title ?? { type: 'plain_text', text: 'Modal', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: { type: 'plain_text', text: 'Submit', emoji: true },
      previous_view_id: null,
      root_view_id: v.id,
      app_id: D.appId,
      external_id: v.external_id ?? '',
      app_installed_team_id: D.teamId,
      bot_id: D.botId,
    },
    response_urls: i.response_urls ?? [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export interface ActionInput {
  action_id: string;
  block_id?: string;
  type?: string;
  value?: string;
  selected_option?: Json;
  text?: Json;
}

export interface BlockActionsInput {
  actions: ActionInput[];
  /** The message holding the buttons; omit for actions inside a modal (give `view`). */
  message?: Json & { ts: string };
  channel?: PayloadChannel;
  user?: PayloadUser;
  container?: Json;
  view?: Json & { id: string };
  trigger_id?: string;
  response_url?: string;
}

export function blockActions(i: BlockActionsInput): Json {
  const actionTs = eventTs();
  const actions = i.actions.map((a) => ({
    type: a.type ?? 'button',
    block_id: a.block_id ?? 'actions',
    text: a.text ?? { type: 'plain_text', text: a.action_id, emoji: true },
    action_ts: actionTs,
    ...a,
  }));
  const ch = channel(i.channel);
  const container =
    i.container ??
    (i.view
      ? { type: 'view', view_id: i.view.id }
      : { type: 'message', message_ts: i.message?.ts, channel_id: ch.id, is_ephemeral: false });
  return {
    type: 'block_actions',
    user: user(i.user),
    api_app_id: D.appId,
    token: VERIFICATION_TOKEN,
    container,
    trigger_id: i.trigger_id ?? triggerId(),
    team: team(),
    enterprise: null,
    is_enterprise_install: false,
    ...(i.view ? { view: i.view } : { channel: ch, message: i.message, state: { values: {} } }),
    ...(i.response_url ? { response_url: i.response_url } : {}),
    actions,
  };
}

export interface MessageShortcutInput {
  callback_id: string;
  message: Json & { ts: string; text: string };
  channel?: PayloadChannel;
  user?: PayloadUser;
  trigger_id?: string;
  response_url: string;
}

export function messageShortcut(i: MessageShortcutInput): Json {
  return {
    type: 'message_action',
    token: VERIFICATION_TOKEN,
    action_ts: eventTs(),
    team: team(),
    user: user(i.user),
    channel: channel(i.channel),
    is_enterprise_install: false,
    enterprise: null,
    callback_id: i.callback_id,
    trigger_id: i.trigger_id ?? triggerId(),
    response_url: i.response_url,
    message_ts: i.message.ts,
    message: { type: 'message', user: D.userId, ...i.message },
  };
}

/** Wraps an event in the `event_callback` envelope of the Events API. */
export function eventCallback(event: Json, o: { event_id?: string; event_time?: number; team_id?: string } = {}): Json {
  const teamId = o.team_id ?? D.teamId;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    context_team_id: teamId,
    api_app_id: D.appId,
    event,
    type: 'event_callback',
    event_id: o.event_id ?? eventId(),
    event_time: o.event_time ?? Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: teamId, user_id: D.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}

export interface MessageEventInput {
  text: string;
  channel?: string;
  user?: string;
  ts?: string;
  thread_ts?: string;
  bot_id?: string;
  subtype?: string;
  event_id?: string;
  channel_type?: 'channel' | 'group' | 'im' | 'mpim';
  /** File objects (`fake.addFile`) of a `file_share` message. */
  files?: Json[];
}

/** A `message` event wrapped as an event_callback (what Bolt's app.message() receives). */
export function messageEvent(i: MessageEventInput): Json {
  const ts = i.ts ?? eventTs();
  const event: Json = {
    type: 'message',
    ...(i.subtype ? { subtype: i.subtype } : {}),
    channel: i.channel ?? D.channelId,
    user: i.user ?? D.userId,
    text: i.text,
    ts,
    event_ts: ts,
    channel_type: i.channel_type ?? (i.channel?.startsWith('D') ? 'im' : 'channel'),
    team: D.teamId,
    ...(i.thread_ts ? { thread_ts: i.thread_ts } : {}),
    ...(i.bot_id ? { bot_id: i.bot_id } : {}),
    ...(i.files ? { files: i.files, upload: false, display_as_bot: false } : {}),
  };
  return eventCallback(event, i.event_id ? { event_id: i.event_id } : {});
}

export interface MessageEditInput {
  /** The edited (or deleted) message: its ts, thread, author and text before. */
  ts: string;
  thread_ts: string;
  previousText: string;
  user?: string;
  channel?: string;
  event_id?: string;
}

/** A `message_changed` event: the person edited their thread message to `text` at `editedTs`. */
export function messageChangedEvent(i: MessageEditInput & { text: string; editedTs: string }): Json {
  const channel = i.channel ?? D.channelId;
  const user = i.user ?? D.userId;
  const was = { type: 'message', user, text: i.previousText, ts: i.ts, thread_ts: i.thread_ts, team: D.teamId };
  const eventTsNow = eventTs();
  const event: Json = {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel,
    channel_type: 'channel',
    ts: eventTsNow,
    event_ts: eventTsNow,
    message: { ...was, text: i.text, edited: { user, ts: i.editedTs } },
    previous_message: was,
  };
  return eventCallback(event, i.event_id ? { event_id: i.event_id } : {});
}

/** A `message_deleted` event for a person's thread message. */
export function messageDeletedEvent(i: MessageEditInput): Json {
  const channel = i.channel ?? D.channelId;
  const eventTsNow = eventTs();
  const event: Json = {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel,
    channel_type: 'channel',
    ts: eventTsNow,
    event_ts: eventTsNow,
    deleted_ts: i.ts,
    previous_message: { type: 'message', user: i.user ?? D.userId, text: i.previousText, ts: i.ts, thread_ts: i.thread_ts, team: D.teamId },
  };
  return eventCallback(event, i.event_id ? { event_id: i.event_id } : {});
}
