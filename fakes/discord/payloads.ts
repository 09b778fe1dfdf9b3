// Builders for the INTERACTION_CREATE payloads a member's clicks produce, and a way to wait for
// what the bot answered. Option types come from the registered command when there is one.
import type { AttachmentFile } from './cdn.js';
import type { Hub } from './rest.js';
import type { FakeInteraction, Json } from './state.js';
import { DEFAULT_IDS, nextSnowflake } from './state.js';
import { dispatchInteraction, interactionToken } from './interactions.js';

export type OptionValue = string | number | boolean;
export interface RawOption { name: string; type: number; value?: OptionValue; options?: RawOption[]; focused?: boolean }

interface Common {
  /** Acting member's user id (default: the customer member). */
  user?: string;
  /** Default: the first text channel (or the target message's channel). */
  channelId?: string;
  /** The member's Discord client language (default `en-US`), e.g. `de`, `es-ES`, `ru`. */
  locale?: string;
}
export interface CommandInput extends Common {
  name: string;
  subcommand?: string;
  subcommandGroup?: string;
  /** `{title: 'x', urgent: true}` (types from the registered command, else from the JS value) or raw options. */
  options?: Record<string, OptionValue> | RawOption[];
}
/** Text for a text input, the chosen values of a select, the picked option of a radio group, the files put in a file upload. */
export type ModalAnswer = string | string[] | readonly AttachmentFile[];
export interface ModalSubmitInput extends Common { customId: string; fields: Record<string, ModalAnswer>; messageId?: string }
export interface AutocompleteInput extends CommandInput {
  /** The option being typed, and what has been typed so far. */
  focused: { name: string; value: string };
}
export interface ComponentInput extends Common { customId: string; messageId: string }
export interface SelectInput extends ComponentInput { values: string[]; componentType?: number }
export interface MessageContextMenuInput extends Common { name: string; targetMessage: string | Json }

export interface InteractionReplies {
  readonly interaction: FakeInteraction;
  /** The accepted callback: `{type, data, at}` (type 4 reply, 5 defer, 6 deferUpdate, 7 update, 9 modal). */
  readonly callback: FakeInteraction['callback'];
  readonly expired: boolean;
  /** The @original message as it is now (after edits), if the callback created or targeted one. */
  readonly original: Json | undefined;
  readonly followUps: Json[];
  readonly edits: FakeInteraction['edits'];
}

export interface DispatchedInteraction {
  id: string;
  token: string;
  payload: Json;
  /** Waits for the callback (or the ack window to lapse) and returns a live view of the replies. */
  replies: (timeoutMs?: number) => Promise<InteractionReplies>;
}

const INFERRED = (v: OptionValue): number => (typeof v === 'boolean' ? 5 : typeof v === 'number' ? (Number.isInteger(v) ? 4 : 10) : 3);

export class InteractionHelpers {
  constructor(private readonly hub: Hub, private readonly timers: Set<NodeJS.Timeout>) {}

  /** `type` 4 with `focused`: the autocomplete interaction sent as that option is typed. */
  command(input: CommandInput, type = 2, focused?: string): DispatchedInteraction {
    const { state } = this.hub;
    const registered = [...(state.guildCommands.get(state.guildId) ?? []), ...state.globalCommands]
      .find((c) => c['name'] === input.name && (c['type'] ?? 1) === 1);
    let defs = (registered?.['options'] as Json[] | undefined) ?? [];
    const resolved: Record<string, Record<string, Json>> = {};
    const nest = (name: string, type: number): void => {
      if (registered && !defs.some((d) => d['name'] === name && d['type'] === type)) {
        throw new Error(`Command /${input.name} has no ${type === 1 ? 'subcommand' : 'group'} '${name}'`);
      }
      defs = (defs.find((d) => d['name'] === name)?.['options'] as Json[] | undefined) ?? [];
    };
    if (input.subcommandGroup) nest(input.subcommandGroup, 2);
    if (input.subcommand) nest(input.subcommand, 1);
    let options = this.toOptions(input.options, () => (registered ? defs : undefined), resolved)
      .map((o) => (o.name === focused ? { ...o, focused: true } : o));
    if (input.subcommand) options = [{ type: 1, name: input.subcommand, options }];
    if (input.subcommandGroup) options = [{ type: 2, name: input.subcommandGroup, options }];
    const data: Json = {
      id: registered?.['id'] ?? nextSnowflake(), name: input.name, type: 1, options,
      ...(registered?.['guild_id'] ? { guild_id: registered['guild_id'] } : {}),
      ...(Object.keys(resolved).length > 0 ? { resolved } : {}),
    };
    return this.send(type, input, data);
  }

  /** Suggestions asked for as `focused` is typed: an APPLICATION_COMMAND_AUTOCOMPLETE interaction (type 4). */
  autocomplete(input: AutocompleteInput): DispatchedInteraction {
    const options = { ...(Array.isArray(input.options) ? {} : input.options), [input.focused.name]: input.focused.value };
    return this.command({ ...input, options }, 4, input.focused.name);
  }

  /**
   * The member fills in the modal the bot showed under `customId` and submits it: the payload mirrors
   * that modal (action rows, Labels, Text Displays, with their ids) as Discord sends it. Like
   * Discord's client, it refuses a required field left empty, a choice the modal does not offer, or
   * a field the modal does not have.
   */
  modalSubmit(input: ModalSubmitInput): DispatchedInteraction {
    const shown = [...this.hub.state.interactions.values()].reverse()
      .find((it) => it.callback?.type === 9 && (it.callback.data as Json)['custom_id'] === input.customId);
    if (!shown) throw new Error(`The bot showed no modal ${input.customId}`);
    const source = input.messageId ? this.message(input.messageId) : undefined;
    // Uploaded files go to the CDN as ephemeral attachments, under the channel the modal was shown in.
    const upload = (files: readonly AttachmentFile[]): Json[] => this.hub.cdn.attach(shown.channelId, files, true);
    const { components, attachments } = submission((shown.callback?.data as Json)['components'] as Json[], input.fields, upload);
    const extra = source ? { message: source } : {};
    const resolved = attachments.length ? { resolved: { attachments: Object.fromEntries(attachments.map((a) => [a['id'] as string, a])) } } : {};
    return this.send(5, { ...input, ...(source ? { channelId: source['channel_id'] as string } : {}) },
      { custom_id: input.customId, components, ...resolved }, extra, input.messageId);
  }

  button(input: ComponentInput): DispatchedInteraction {
    return this.component(input, { custom_id: input.customId, component_type: 2 });
  }

  select(input: SelectInput): DispatchedInteraction {
    return this.component(input, { custom_id: input.customId, component_type: input.componentType ?? 3, values: input.values });
  }

  messageContextMenu(input: MessageContextMenuInput): DispatchedInteraction {
    const { state } = this.hub;
    const target = typeof input.targetMessage === 'string' ? this.message(input.targetMessage) : input.targetMessage;
    const registered = [...(state.guildCommands.get(state.guildId) ?? []), ...state.globalCommands]
      .find((c) => c['name'] === input.name && c['type'] === 3);
    const data = {
      id: registered?.['id'] ?? nextSnowflake(), name: input.name, type: 3, target_id: target['id'],
      resolved: { messages: { [target['id'] as string]: target } },
    };
    return this.send(2, { channelId: target['channel_id'] as string, ...input }, data);
  }

  /** Resolves once the interaction was answered or its ack window lapsed. */
  async replies(id: string, timeoutMs = this.hub.interactionTimeoutMs + 1000): Promise<InteractionReplies> {
    const { state } = this.hub;
    const it = state.interactions.get(id);
    if (!it) throw new Error(`No interaction ${id} was dispatched by the fake`);
    const until = Date.now() + timeoutMs;
    while (!it.callback && !it.expired && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    if (!it.callback && !it.expired) throw new Error(`Interaction ${id}: no callback within ${timeoutMs} ms`);
    return {
      interaction: it,
      get callback() { return it.callback; },
      get expired() { return it.expired; },
      get original() { return it.originalId ? state.messageById.get(it.originalId) : undefined; },
      get followUps() { return it.followUpIds.map((m) => state.messageById.get(m)).filter((m): m is Json => m !== undefined); },
      get edits() { return it.edits; },
    };
  }

  private component(input: ComponentInput, data: Json): DispatchedInteraction {
    const msg = this.message(input.messageId);
    return this.send(3, { channelId: msg['channel_id'] as string, ...input }, data, { message: msg }, input.messageId);
  }

  private message(id: string): Json {
    const msg = this.hub.state.messageById.get(id);
    if (!msg) throw new Error(`The fake has no message ${id}`);
    return msg;
  }

  private toOptions(input: CommandInput['options'], defs: () => Json[] | undefined, resolved: Record<string, Record<string, Json>>): RawOption[] {
    if (!input) return [];
    if (Array.isArray(input)) return input;
    const declared = defs();
    return Object.entries(input).map(([name, value]) => {
      const def = declared?.find((d) => d['name'] === name);
      if (declared && !def) throw new Error(`Registered command has no option '${name}'`);
      const type = (def?.['type'] as number | undefined) ?? INFERRED(value);
      this.resolve(type, String(value), resolved);
      return { name, type, value };
    });
  }

  private resolve(type: number, id: string, resolved: Record<string, Record<string, Json>>): void {
    const { state } = this.hub;
    const put = (kind: string, obj: Json | undefined): void => { if (obj) (resolved[kind] ??= {})[id] = obj; };
    if (type === 6 || type === 9) {
      const member = state.members.get(id);
      if (member) {
        const { user, ...rest } = member;
        put('users', user as Json);
        put('members', { ...rest, permissions: String(state.permissionsOf(id)) });
      }
    }
    if (type === 7) put('channels', state.channel(id));
    if (type === 8 || type === 9) put('roles', state.roles.find((r) => r['id'] === id));
  }

  private send(type: number, c: Common, data: Json, extra: Json = {}, sourceMessageId?: string): DispatchedInteraction {
    const { state } = this.hub;
    const channelId = c.channelId ?? [...state.channels.values()].find((ch) => ch['type'] === 0)?.['id'] as string;
    const channel = state.channel(channelId);
    if (!channel) throw new Error(`The fake has no channel ${channelId}`);
    const userId = c.user ?? (state.members.has(DEFAULT_IDS.customerUserId) ? DEFAULT_IDS.customerUserId
      : [...state.members.keys()].find((id) => id !== state.applicationId)) ?? state.applicationId;
    const member = state.members.get(userId);
    if (!member) throw new Error(`The fake has no member ${userId}`);
    const id = nextSnowflake();
    // In a DM with the bot there is no guild and no member: the user alone, context 1 (BOT_DM).
    const where: Json = channel['type'] === 1
      ? { user: member['user'], app_permissions: '0', context: 1, authorizing_integration_owners: { 0: state.guildId } }
      : {
        guild_id: state.guildId, guild: { id: state.guildId, locale: 'en-US', features: [] }, guild_locale: 'en-US',
        member: { ...member, permissions: String(state.permissionsOf(userId)) },
        app_permissions: String(state.permissionsOf(state.applicationId)), authorizing_integration_owners: { 0: state.guildId }, context: 0,
      };
    const payload: Json = {
      id, application_id: state.applicationId, type, data, token: interactionToken(id), version: 1,
      channel_id: channelId, channel: { ...channel }, ...where, locale: c.locale ?? 'en-US',
      entitlements: [], attachment_size_limit: 10 * 1024 * 1024, ...extra,
    };
    const it = dispatchInteraction(this.hub, this.timers, payload, sourceMessageId);
    return { id, token: it.token, payload, replies: (t) => this.replies(id, t) };
  }
}

/** The largest file a member's client uploads (the interaction's `attachment_size_limit`). */
const UPLOAD_LIMIT = 10 * 1024 * 1024;

const isObject = (g: unknown): boolean => typeof g === 'object' && g !== null;
/** Files for a file upload: a list of them, maybe empty. */
const isFiles = (given: ModalAnswer | undefined): given is readonly AttachmentFile[] => Array.isArray(given) && given.every(isObject);

/** Whether a file passes a file upload's `file_types` (a group by content type, or an extension). */
const allowedType = (file: AttachmentFile, types: string[] | undefined): boolean =>
  !types || types.some((t) => (t.startsWith('.') ? file.name.toLowerCase().endsWith(t.toLowerCase()) : file.contentType.startsWith(`${t}/`)));

/**
 * The MODAL_SUBMIT components for a shown modal and what the member put in it (ids numbered as
 * Discord does), and the attachment objects of the files uploaded (for `data.resolved`). Like
 * Discord's client, a file upload takes no more files than `max_values`, no fewer than
 * `min_values` unless it may be left empty, none over the upload limit and none of a type it does
 * not allow.
 */
function submission(shown: Json[], answers: Record<string, ModalAnswer>, upload: (files: readonly AttachmentFile[]) => Json[]): { components: Json[]; attachments: Json[] } {
  let nextId = 0;
  const used = new Set<string>();
  const attachments: Json[] = [];
  const answer = (c: Json): Json => {
    const customId = c['custom_id'] as string;
    const given = answers[customId];
    used.add(customId);
    const wrong = c['type'] === 19 ? given !== undefined && !isFiles(given) : Array.isArray(given) && given.some(isObject);
    if (wrong) throw new Error(`modalSubmit: ${customId} ${c['type'] === 19 ? 'takes files' : 'takes no files'}`);
    const base = { type: c['type'], id: (c['id'] as number | undefined) ?? ++nextId, custom_id: customId };
    const isRequired = c['required'] !== false;
    const offered = ((c['options'] as Json[] | undefined) ?? []).map((o) => o['value']);
    switch (c['type']) {
      case 4: {
        const value = given === undefined ? String(c['value'] ?? '') : String(given);
        if (isRequired && value === '') throw new Error(`modalSubmit: ${customId} is required`);
        if (value.length > ((c['max_length'] as number | undefined) ?? 4000)) throw new Error(`modalSubmit: ${customId} is longer than the input allows`);
        return { ...base, value };
      }
      case 3: {
        const chosen = given === undefined ? (c['options'] as Json[]).filter((o) => o['default'] === true).map((o) => o['value'] as string) : [given].flat();
        for (const v of chosen) if (!offered.includes(v)) throw new Error(`modalSubmit: ${customId} offers no "${v}"`);
        const min = (c['min_values'] as number | undefined) ?? 1;
        if (chosen.length < (isRequired ? Math.max(min, 1) : min) || chosen.length > ((c['max_values'] as number | undefined) ?? 1)) throw new Error(`modalSubmit: ${customId} takes ${min}+ values`);
        return { ...base, values: chosen };
      }
      case 21: {
        const picked = given === undefined ? ((c['options'] as Json[]).find((o) => o['default'] === true)?.['value'] as string | undefined) ?? null : String(given);
        if (picked !== null && !offered.includes(picked)) throw new Error(`modalSubmit: ${customId} offers no "${picked}"`);
        if (picked === null && isRequired) throw new Error(`modalSubmit: ${customId} is required`);
        return { ...base, value: picked };
      }
      case 19: {
        const files = isFiles(given) ? given : [];
        const min = (c['min_values'] as number | undefined) ?? 1;
        const max = (c['max_values'] as number | undefined) ?? 1;
        if (files.length === 0 && isRequired) throw new Error(`modalSubmit: ${customId} is required`);
        if (files.length > 0 && (files.length < min || files.length > max)) throw new Error(`modalSubmit: ${customId} takes ${min} to ${max} files`);
        for (const f of files) {
          if (f.bytes.length > UPLOAD_LIMIT) throw new Error(`modalSubmit: ${f.name} is over the client's upload limit`);
          if (!allowedType(f, c['file_types'] as string[] | undefined)) throw new Error(`modalSubmit: ${customId} does not take ${f.name}`);
        }
        const uploaded = upload(files);
        attachments.push(...uploaded);
        return { ...base, values: uploaded.map((a) => a['id']) };
      }
      default:
        throw new Error(`modalSubmit: the fake does not fill component type ${String(c['type'])}`);
    }
  };
  const components = shown.map((c) => {
    const id = (c['id'] as number | undefined) ?? ++nextId;
    if (c['type'] === 1) return { type: 1, id, components: (c['components'] as Json[]).map(answer) };
    if (c['type'] === 18) return { type: 18, id, component: answer(c['component'] as Json) };
    return { type: c['type'], id };
  });
  const unknown = Object.keys(answers).filter((k) => !used.has(k));
  if (unknown.length > 0) throw new Error(`modalSubmit: the modal has no field ${unknown.join(', ')}`);
  return { components, attachments };
}
