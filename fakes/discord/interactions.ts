// Interactions: the callback endpoint (3 s ack window, single acknowledgement), the interaction
// webhook (@original, follow-ups) and the builders that dispatch INTERACTION_CREATE payloads.
import type { Hub, Route, RouteResult } from './rest.js';
import { ok } from './rest.js';
import type { FakeInteraction, Json } from './state.js';
import { randomToken } from './state.js';
import { attachmentsOf, deleteMessage, editMessage, publishMessage } from './channels.js';
import { ERR, invalidForm, validateChoices, validateMessage } from './validate.js';
import { validateModal } from './validate-modal.js';

const S = '(\\d{17,20})';
const TOKEN = '([A-Za-z0-9_.:-]+)';
const LOADING = 128;
const EPHEMERAL = 64;

const responseTypeInvalid = (why: string): RouteResult =>
  invalidForm([{ path: ['type'], code: 'INTERACTION_RESPONSE_TYPE_INVALID', message: why }]);

function responseMessage(hub: Hub, it: FakeInteraction, body: Json, flags: number): Json {
  const { state } = hub;
  const data = it.payload['data'] as Json;
  // A DM interaction carries `user`; a guild one, `member.user`.
  const user = ((it.payload['member'] as Json | undefined)?.['user'] ?? it.payload['user']) as Json;
  const type = it.type === 2 ? (data['type'] === 1 ? 20 : 23) : 0;
  const meta = { id: it.id, type: it.type, user, authorizing_integration_owners: { 0: state.guildId } };
  return state.storeMessage(it.channelId, state.members.get(state.applicationId)?.['user'] as Json, { ...body, flags }, {
    type, webhook_id: state.applicationId, application_id: state.applicationId, interaction_metadata: meta,
    ...(it.type === 2 ? { interaction: { id: it.id, type: 2, name: data['name'], user } } : {}),
  });
}

function callback(hub: Hub, id: string, token: string, body: Json, withResponse: boolean): RouteResult {
  const { state } = hub;
  const it = state.interactions.get(id);
  if (!it || it.token !== token) return ERR.unknownInteraction();
  const type = Number(body['type']);
  if (it.callback) {
    it.rejectedCallbacks.push({ type, status: 400, at: Date.now() });
    return ERR.alreadyAcked();
  }
  if (Date.now() - it.dispatchedAt > hub.interactionTimeoutMs) {
    it.expired = true;
    it.rejectedCallbacks.push({ type, status: 404, at: Date.now() });
    return ERR.unknownInteraction();
  }
  const data = (body['data'] ?? {}) as Json;
  const flags = typeof data['flags'] === 'number' ? data['flags'] : 0;
  const fromMessage = it.sourceMessageId !== undefined;
  let message: Json | undefined;
  // An autocomplete interaction takes suggestions (8) and nothing else.
  if ((it.type === 4) !== (type === 8)) return responseTypeInvalid(`Callback type ${type} is not valid for interaction type ${it.type}`);
  switch (type) {
    case 4: {
      const invalid = validateMessage(data, { prefix: ['data'] });
      if (invalid) return invalid;
      message = responseMessage(hub, it, data, flags & (EPHEMERAL | 4 | 4096 | 32768));
      break;
    }
    case 5:
      message = responseMessage(hub, it, {}, LOADING | (flags & EPHEMERAL));
      break;
    case 6:
    case 7: {
      if (!fromMessage) return responseTypeInvalid('Only component interactions (or modals opened from one) can update a message');
      message = state.messageById.get(it.sourceMessageId ?? '');
      if (!message) return ERR.unknownMessage();
      if (type === 7) {
        const invalid = validateMessage(data, { partial: true, prefix: ['data'] });
        if (invalid) return invalid;
        editMessage(hub, message, data);
      }
      break;
    }
    case 8: {
      const invalid = validateChoices(data);
      if (invalid) return invalid;
      break;
    }
    case 9: {
      if (it.type === 5) return responseTypeInvalid('A modal submit cannot be answered with another modal');
      const invalid = validateModal(data);
      if (invalid) return invalid;
      break;
    }
    default:
      return responseTypeInvalid(`Callback type ${type} is not valid for interaction type ${it.type}`);
  }
  it.callback = { type, data: body['data'], at: Date.now() };
  if (message) {
    it.originalId = message['id'] as string;
    if (type === 4 || type === 5) publishMessage(hub, message);
  }
  if (!withResponse) return ok();
  return ok({
    interaction: {
      id: it.id, type: it.type, activity_instance_id: null, response_message_id: message?.['id'] ?? null,
      response_message_loading: type === 5, response_message_ephemeral: message ? ((message['flags'] as number) & EPHEMERAL) !== 0 : null,
    },
    resource: { type, ...(message && type !== 6 ? { message } : {}) },
  });
}

export function interactionRoutes(hub: Hub): Route[] {
  const { state } = hub;
  const byWebhook = (appId: string, token: string): FakeInteraction | undefined => {
    if (appId !== state.applicationId) return undefined;
    const id = state.interactionByToken.get(token);
    return id ? state.interactions.get(id) : undefined;
  };
  const webhookMessage = (it: FakeInteraction, mid: string): Json | undefined => {
    const id = mid === '@original' ? it.originalId : mid;
    if (!id || (id !== it.originalId && !it.followUpIds.includes(id)) || state.deletedMessageIds.has(id)) return undefined;
    return state.messageById.get(id);
  };
  const base = `^/webhooks/${S}/${TOKEN}`;
  const messagePath = new RegExp(`${base}/messages/(@original|\\d{17,20})$`);
  return [
    {
      method: 'POST', pattern: new RegExp(`^/interactions/${S}/${TOKEN}/callback$`), auth: false,
      handle: ({ params: [id, token], body, query }) => callback(hub, id ?? '', token ?? '', body, query.get('with_response') === 'true'),
    },
    {
      method: 'POST', pattern: new RegExp(`${base}$`), auth: false,
      handle: ({ params: [app, token], body, query, files }) => {
        const it = byWebhook(app ?? '', token ?? '');
        if (!it?.callback) return ERR.unknownWebhook();
        const withFiles = files.length > 0 ? { ...body, attachments: attachmentsOf(hub, it.channelId, files) } : body;
        const invalid = validateMessage(withFiles);
        if (invalid) return invalid;
        const flags = typeof body['flags'] === 'number' ? body['flags'] & (EPHEMERAL | 4 | 4096 | 32768) : 0;
        const msg = responseMessage(hub, it, withFiles, flags);
        it.followUpIds.push(msg['id'] as string);
        publishMessage(hub, msg);
        return query.get('wait') === 'true' ? ok(msg) : ok();
      },
    },
    {
      method: 'GET', pattern: messagePath, auth: false,
      handle: ({ params: [app, token, mid] }) => {
        const it = byWebhook(app ?? '', token ?? '');
        if (!it) return ERR.unknownWebhook();
        const msg = webhookMessage(it, mid ?? '');
        return msg ? ok(msg) : ERR.unknownMessage();
      },
    },
    {
      method: 'PATCH', pattern: messagePath, auth: false,
      handle: ({ params: [app, token, mid], body, files }) => {
        const it = byWebhook(app ?? '', token ?? '');
        if (!it) return ERR.unknownWebhook();
        const msg = webhookMessage(it, mid ?? '');
        if (!msg) return ERR.unknownMessage();
        const invalid = validateMessage(body, { partial: true });
        if (invalid) return invalid;
        it.edits.push({ messageId: msg['id'] as string, body, at: Date.now() });
        return ok(editMessage(hub, msg, body, files));
      },
    },
    {
      method: 'DELETE', pattern: messagePath, auth: false,
      handle: ({ params: [app, token, mid] }) => {
        const it = byWebhook(app ?? '', token ?? '');
        if (!it) return ERR.unknownWebhook();
        const msg = webhookMessage(it, mid ?? '');
        if (!msg) return ERR.unknownMessage();
        deleteMessage(hub, msg);
        return ok();
      },
    },
  ];
}

/** Registers an interaction, dispatches INTERACTION_CREATE and arms its ack-window timer. */
export function dispatchInteraction(hub: Hub, timers: Set<NodeJS.Timeout>, payload: Json, sourceMessageId?: string): FakeInteraction {
  const it: FakeInteraction = {
    id: payload['id'] as string, token: payload['token'] as string, type: payload['type'] as number, payload,
    channelId: payload['channel_id'] as string, dispatchedAt: Date.now(), rejectedCallbacks: [], expired: false,
    followUpIds: [], edits: [], ...(sourceMessageId ? { sourceMessageId } : {}),
  };
  hub.state.interactions.set(it.id, it);
  hub.state.interactionByToken.set(it.token, it.id);
  const timer = setTimeout(() => {
    timers.delete(timer);
    if (!it.callback) it.expired = true;
  }, hub.interactionTimeoutMs);
  timer.unref();
  timers.add(timer);
  hub.gateway.dispatch('INTERACTION_CREATE', payload);
  return it;
}

export const interactionToken = (id: string): string => `aW50ZXJhY3Rpb246${Buffer.from(id).toString('base64url')}.${randomToken(64)}`;
