// REST routes outside channels: gateway discovery, users, the application and its commands, guilds.
import type { Hub, Route, RouteResult } from './rest.js';
import { ok } from './rest.js';
import type { Json } from './state.js';
import { nextSnowflake } from './state.js';
import { ERR, invalidForm, validateCommands } from './validate.js';

const S = '(\\d{17,20})';

export function miscRoutes(hub: Hub, gatewayUrl: () => string): Route[] {
  const { state } = hub;
  const app = state.applicationId;
  const guildCommands = (guildId: string): Json[] => {
    const list = state.guildCommands.get(guildId) ?? [];
    state.guildCommands.set(guildId, list);
    return list;
  };
  const commandList = (appId: string, guildId?: string): Json[] | RouteResult => {
    if (appId !== app) return ERR.unknownApplication();
    if (guildId === undefined) return state.globalCommands;
    return guildId === state.guildId ? guildCommands(guildId) : ERR.unknownGuild();
  };
  const commandObject = (body: Json, guildId: string | undefined, existing?: Json): Json => ({
    type: 1, description: '', options: [], default_member_permissions: null, nsfw: false,
    integration_types: [0], contexts: null, name_localizations: null, description_localizations: null, ...body,
    id: existing?.['id'] ?? nextSnowflake(), application_id: app, version: nextSnowflake(),
    ...(guildId ? { guild_id: guildId } : {}),
  });
  const withList = (appId: string, guildId: string | undefined, fn: (list: Json[]) => RouteResult): RouteResult => {
    const list = commandList(appId, guildId);
    return Array.isArray(list) ? fn(list) : list;
  };
  const upsert = (list: Json[], body: Json, guildId: string | undefined): RouteResult => {
    const invalid = validateCommands([body]);
    if (invalid) return invalid;
    const type = body['type'] ?? 1;
    const i = list.findIndex((c) => c['name'] === body['name'] && (c['type'] ?? 1) === type);
    const cmd = commandObject(body, guildId, i >= 0 ? list[i] : undefined);
    if (i >= 0) list[i] = cmd;
    else list.push(cmd);
    return { status: i >= 0 ? 200 : 201, body: cmd };
  };
  const overwrite = (list: Json[], body: unknown, guildId: string | undefined): RouteResult => {
    if (!Array.isArray(body)) return ERR.notFound();
    const invalid = validateCommands(body as Json[]);
    if (invalid) return invalid;
    const next = (body as Json[]).map((b) => commandObject(b, guildId, list.find((c) => c['name'] === b['name'] && (c['type'] ?? 1) === (b['type'] ?? 1))));
    list.splice(0, list.length, ...next);
    return ok(next);
  };
  const remove = (list: Json[], id: string): RouteResult => {
    const i = list.findIndex((c) => c['id'] === id);
    if (i < 0) return { status: 404, body: { message: 'Unknown application command', code: 10063 } };
    list.splice(i, 1);
    return ok();
  };
  const gatewayInfo = { shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 } };

  return [
    { method: 'GET', pattern: /^\/gateway$/, auth: false, handle: () => ok({ url: gatewayUrl() }) },
    { method: 'GET', pattern: /^\/gateway\/bot$/, handle: () => ok({ url: gatewayUrl(), ...gatewayInfo }) },
    { method: 'GET', pattern: /^\/users\/@me$/, handle: () => ok(state.botUser) },
    {
      // Opens (or finds) the bot's DM with a user; a bot may only DM users it shares a guild with.
      method: 'POST', pattern: /^\/users\/@me\/channels$/,
      handle: ({ body }) => {
        const id = body['recipient_id'];
        if (typeof id !== 'string' || !/^\d{17,20}$/.test(id)) {
          return invalidForm([{ path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
        }
        const user = state.members.get(id)?.['user'] as Json | undefined;
        if (!user || user['bot'] || id === app) return ERR.invalidRecipient();
        return ok(state.openDm(user));
      },
    },
    {
      method: 'GET', pattern: new RegExp(`^/users/${S}$`),
      handle: ({ params: [id] }) => {
        const user = state.members.get(id ?? '')?.['user'];
        return user ? ok(user) : { status: 404, body: { message: 'Unknown User', code: 10013 } };
      },
    },
    {
      method: 'GET', pattern: /^\/applications\/@me$/,
      handle: () => ok({
        id: app, name: state.botUser['username'], icon: null, description: '', bot_public: false,
        bot_require_code_grant: false, bot: state.botUser, flags: appFlags(hub.gateway.opts.denyIntents), approximate_guild_count: 1, summary: '',
        verify_key: '0'.repeat(64), team: null, owner: state.members.get(state.guildObject()['owner_id'] as string)?.['user'],
      }),
    },
    ...(['', `/guilds/${S}`] as const).flatMap((scope): Route[] => {
      const base = `^/applications/${S}${scope}/commands`;
      const g = (p: string[]): string | undefined => (scope ? p[1] : undefined);
      return [
        { method: 'GET', pattern: new RegExp(`${base}$`), handle: ({ params }) => withList(params[0] ?? '', g(params), (l) => ok(l)) },
        { method: 'POST', pattern: new RegExp(`${base}$`), handle: ({ params, body }) => withList(params[0] ?? '', g(params), (l) => upsert(l, body, g(params))) },
        { method: 'PUT', pattern: new RegExp(`${base}$`), handle: ({ params, body }) => withList(params[0] ?? '', g(params), (l) => overwrite(l, body, g(params))) },
        {
          method: 'DELETE', pattern: new RegExp(`${base}/${S}$`),
          handle: ({ params }) => withList(params[0] ?? '', g(params), (l) => remove(l, params[params.length - 1] ?? '')),
        },
      ];
    }),
    {
      method: 'GET', pattern: new RegExp(`^/guilds/${S}$`),
      handle: ({ params: [id] }) => (id === state.guildId ? ok(state.guildObject()) : ERR.unknownGuild()),
    },
    {
      method: 'GET', pattern: new RegExp(`^/guilds/${S}/channels$`),
      handle: ({ params: [id] }) => (id === state.guildId
        ? ok([...state.channels.values()].filter((c) => !state.isThread(c))) : ERR.unknownGuild()),
    },
    {
      method: 'GET', pattern: new RegExp(`^/guilds/${S}/members/${S}$`),
      handle: ({ params: [id, user] }) => {
        if (id !== state.guildId) return ERR.unknownGuild();
        const member = state.members.get(user ?? '');
        return member ? ok(member) : ERR.unknownMember();
      },
    },
    {
      method: 'GET', pattern: new RegExp(`^/guilds/${S}/roles$`),
      handle: ({ params: [id] }) => (id === state.guildId ? ok(state.roles) : ERR.unknownGuild()),
    },
  ];
}

/**
 * The application's flags as Discord reports them: GATEWAY_MESSAGE_CONTENT_LIMITED (1 << 19, an
 * app in fewer than 100 servers with the intent switched on) unless the fake denies that intent.
 */
function appFlags(denied: number): number {
  const MESSAGE_CONTENT_INTENT = 1 << 15;
  return denied & MESSAGE_CONTENT_INTENT ? 0 : 1 << 19;
}
