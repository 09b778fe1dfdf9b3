import type { TicketStatus } from '../../src/domain.js';
import { clock, startFakeHttp, storedTicket, type FakeAnswer, type FakeRequest, type FakeRoute } from './server.js';
import type { FakeProviderServer } from './types.js';

/**
 * F5 Distributed Cloud customer_support on 127.0.0.1, both families: partner (keyed by tp_id,
 * the seed's API) and tenant (keyed by metadata.name, singular `customer_support/{name}` actions).
 * Strict where F5 documents something: `Authorization: APIToken <token>`, required create fields,
 * DNS-1035 names, enumerations, action answers as HTTP 200 `{err}`, plain-string error bodies.
 * Like F5's support desk it keeps the description as the first comment and links URLs in `html`.
 */

export const F5XC_FAKE_TOKEN = 'f5xc-fake-api-token-5b7e0c';
/** The user behind the API token: every comment written through the API carries this author. */
const F5XC_FAKE_BOT = { name: 'Ticket Bridge', email: 'ticket-bridge@customer.example' };

const words = (s: string) => new Set(s.trim().split(/\s+/));
const PRIORITY = words('PRIORITY_UNKNOWN PRIORITY_NORMAL PRIORITY_HIGH PRIORITY_URGENT');
const TYPE = words(`TYPE_UNKNOWN TYPE_PROBLEM TYPE_TASK TYPE_QUESTION TYPE_INCIDENT TYPE_TECHNICAL_SUPPORT
  TYPE_ACCOUNT_SUPPORT TYPE_INCIDENT_SUPPORT`);
const TOPIC = words(`TOPIC_UNKNOWN ACCOUNT_SUPPORT_TOPIC_ACCESS_REQUEST ACCOUNT_SUPPORT_TOPIC_ACCOUNT
  ACCOUNT_SUPPORT_TOPIC_BILLING ACCOUNT_SUPPORT_TOPIC_BILLING_PLAN_CHANGE ACCOUNT_SUPPORT_TOPIC_PUBLIC_IP
  ACCOUNT_SUPPORT_TOPIC_QUOTA_INCREASE ACCOUNT_SUPPORT_TOPIC_RMA ACCOUNT_SUPPORT_TOPIC_TAX_EXEMPT_VERIFICATION
  ACCOUNT_SUPPORT_TOPIC_OTHERS TECHNICAL_SUPPORT_TOPIC_CONFIGURATION_CHANGES TECHNICAL_SUPPORT_TOPIC_ERROR_MESSAGE
  TECHNICAL_SUPPORT_TOPIC_NEW_CONFIGURATION TECHNICAL_SUPPORT_TOPIC_PRODUCT_QUESTION
  TECHNICAL_SUPPORT_TOPIC_TROUBLESHOOTING TECHNICAL_SUPPORT_TOPIC_OTHERS INCIDENT_SUPPORT_TOPIC_LATENCY
  INCIDENT_SUPPORT_TOPIC_PERFORMANCE_DEGRADATION INCIDENT_SUPPORT_TOPIC_PARTIAL_OUTAGE
  INCIDENT_SUPPORT_TOPIC_COMPLETE_OUTAGE INCIDENT_SUPPORT_TOPIC_OTHERS TASK_TOPIC_PLAN_TRANSITION
  PROBLEM_TOPIC_SUPPORT_ALERT QUESTION_TOPIC_INFRASTRUCTURE TECHNICAL_SUPPORT_TOPIC_DELEGATED_DOMAIN_MIGRATION`);
const SERVICE = words(`SS_UNKNOWN SS_ACCOUNT_PROTECTION SS_ADMINISTRATION SS_APPLICATION_TRAFFIC_INSIGHT
  SS_AUDIT_LOGS_AND_ALERTS SS_AUTHENTICATION_INTELLIGENCE SS_BILLING SS_CLIENT_SIDE_DEFENSE SS_CLOUD_AND_EDGE_SITES
  SS_DDOS_AND_TRANSIT_SERVICES SS_DISTRIBUTED_APPS SS_DNS_MANAGEMENT SS_LOAD_BALANCERS SS_SHARED_CONFIGURATION
  SS_WEB_APP_AND_API_PROTECTION SS_OTHER SS_BOT_DEFENSE SS_CDN SS_OBSERVABILITY SS_DELEGATED_ACCESS
  SS_MULTI_CLOUD_NETWORK_CONNECT SS_MULTI_CLOUD_APP_CONNECT SS_BIG_IP_APM SS_DATA_INTELLIGENCE SS_NGINX_ONE
  SS_WEB_APP_SCANNING SS_ROUTED_DDOS SS_MOBILE_APP_SHIELD`);
const DNS_1035 = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** The seed's create example, verbatim in shape (its sample values are the vendor's). */
export const SEED_CREATE_EXAMPLE = {
  request: {
    metadata: { annotations: {}, description: 'example', disable: true, labels: {}, name: 'example', namespace: 'example' },
    spec: {
      category: 'example',
      comments: [
        {
          attachment_ids: ['example'],
          attachments_info: [{ attachment: 'example', content_type: 'example', filename: 'example', tp_id: 'example' }],
          author_email: 'example', author_name: 'example', created_at: '2026-04-15T12:00:00Z',
          html: 'example', plain_text: 'example', comment_id: 'example',
        },
      ],
      description: 'example', ongoing: true, priority: 'PRIORITY_UNKNOWN', product_data: 'example',
      relates_to: [{ name: 'example', namespace: 'example' }], service: 'SS_UNKNOWN', status: 'STATUS_UNKNOWN',
      subject: 'example', timeline: 'example', topic: 'TOPIC_UNKNOWN', tp_id: 'example', type: 'TYPE_UNKNOWN',
    },
  },
  response: { spec: { priority: 'PRIORITY_UNKNOWN', service: 'SS_UNKNOWN', status: 'STATUS_UNKNOWN', topic: 'TOPIC_UNKNOWN', type: 'TYPE_UNKNOWN' } },
} as const;

const NEUTRAL_TO_F5: Record<TicketStatus, string> = {
  open: 'STATUS_NEW',
  in_progress: 'STATUS_OPEN',
  waiting: 'STATUS_PENDING',
  resolved: 'STATUS_SOLVED',
  closed: 'STATUS_CLOSED',
};

interface WireAttachment { attachment: string; filename: string; content_type: string }

interface WireComment {
  comment_id: string; author_name: string; author_email: string; created_at: string;
  html: string; plain_text: string; attachment_ids: string[]; attachments_info: (WireAttachment & { tp_id: string })[];
}
// A type, not an interface, so it passes as the Record<string, unknown> that `ticket()` returns.
type Ticket = {
  metadata: { name: string; namespace: string; description?: string };
  spec: Record<string, unknown> & { tp_id: string; status: string; comments: WireComment[] };
  system_metadata: { uid: string; tenant: string; creation_timestamp: string; modification_timestamp: string };
};

export interface F5xcFakeServer extends FakeProviderServer {
  /** Behaviour switches for the odd cases: a create carried out whose answer is lost, a create answered without tp_id. */
  readonly quirks: { loseNextCreateAnswer: boolean; createWithoutTpId: boolean };
}

const P = '/api/web/namespaces/system/partner-management/customer_supports';
const T = '/api/web/namespaces/system/customer_supports';
const A = '/api/web/namespaces/system/customer_support';
const text = (status: number, body: string): FakeAnswer => ({ status, body }); // F5's error bodies are plain strings

export async function startF5xcFake(options: { mode?: 'partner' | 'tenant' } = {}): Promise<F5xcFakeServer> {
  const mode = options.mode ?? 'partner';
  const tickets = new Map<string, Ticket>(); // by metadata.name
  const byTpId = new Map<string, string>();
  const now = clock();
  let nextTpId = 40_001;
  let nextCommentId = 9_000_001;
  const quirks = { loseNextCreateAnswer: false, createWithoutTpId: false };

  /** Partner paths know a ticket by tp_id, tenant paths by name; the test hooks take either. */
  const byTp = (tpId: string) => tickets.get(byTpId.get(tpId) ?? '');
  const find = (id: string) => byTp(id) ?? tickets.get(id);
  const stored = storedTicket('f5xc', find);

  function comment(ticket: Ticket, body: string, author: { name: string; email: string }, files: WireAttachment[] = []): string {
    const id = String(nextCommentId++);
    const html = `<p>${escapeHtml(body).replace(/https?:\/\/[^\s<]+/g, (u) => `<a href="${u}" rel="noreferrer">${u}</a>`).replace(/\n/g, '<br>')}</p>`;
    const at = now();
    ticket.spec.comments.push({
      comment_id: id, author_name: author.name, author_email: author.email, created_at: at,
      html, plain_text: body, attachment_ids: files.map((_, i) => `${id}-${i}`), attachments_info: files.map((f, i) => ({ ...f, tp_id: `${id}-${i}` })),
    });
    touch(ticket, at);
    return id;
  }

  function touch(ticket: Ticket, at = now()): void {
    ticket.spec.update_at = at;
    ticket.system_metadata.modification_timestamp = at;
  }

  function create(req: FakeRequest): FakeAnswer {
    const body = req.body as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> } | undefined;
    const meta = body?.metadata;
    const spec = body?.spec;
    if (!meta || typeof meta.name !== 'string' || !meta.name) return text(400, 'metadata.name: value is required');
    if (!DNS_1035.test(meta.name)) return text(400, `metadata.name: "${meta.name}" is not a valid DNS-1035 label`);
    if (meta.namespace !== 'system') return text(400, 'metadata.namespace: customer_support objects live in namespace "system"');
    if (!spec) return text(400, 'spec: value is required');
    for (const field of ['subject', 'description', 'priority', 'type', 'topic', 'service']) {
      if (typeof spec[field] !== 'string' || !(spec[field] as string).trim()) return text(400, `spec.${field}: value is required`);
    }
    for (const [field, allowed] of [['priority', PRIORITY], ['type', TYPE], ['topic', TOPIC], ['service', SERVICE]] as const) {
      if (!allowed.has(spec[field] as string)) return text(400, `spec.${field}: invalid value "${String(spec[field])}"`);
    }
    if (tickets.has(meta.name)) return text(409, `customer_support system/${meta.name} already exists`);
    const at = now();
    const tpId = String(nextTpId++);
    const ticket: Ticket = {
      metadata: { name: meta.name, namespace: 'system' },
      spec: {
        subject: spec.subject, description: spec.description, priority: spec.priority, type: spec.type,
        topic: spec.topic, service: spec.service, category: spec.category ?? '', status: 'STATUS_NEW',
        tp_id: tpId, comments: [], created_at: at, update_at: at, escalated: false, tags: [],
        author_name: F5XC_FAKE_BOT.name,
      },
      system_metadata: { uid: `uid-${tpId}`, tenant: 'acme-child', creation_timestamp: at, modification_timestamp: at },
    };
    tickets.set(meta.name, ticket);
    byTpId.set(tpId, meta.name);
    comment(ticket, spec.description as string, F5XC_FAKE_BOT); // the desk keeps the description as comment 1
    if (quirks.loseNextCreateAnswer) {
      quirks.loseNextCreateAnswer = false;
      return text(504, 'upstream request timeout');
    }
    const answer = structuredClone(ticket);
    if (quirks.createWithoutTpId) answer.spec.tp_id = '';
    return { status: 200, body: answer };
  }

  function list(): FakeAnswer {
    const items = [...tickets.values()].map((t) => ({
      name: t.metadata.name, namespace: 'system', tenant: t.system_metadata.tenant, uid: t.system_metadata.uid,
      metadata: t.metadata, get_spec: t.spec,
    }));
    return { status: 200, body: { items, errors: [] } };
  }

  function get(req: FakeRequest): FakeAnswer {
    const ticket = req.path.startsWith(P) ? byTp(req.params[0]!) : tickets.get(req.params[0]!);
    return ticket ? { status: 200, body: ticket } : text(404, `customer_support "${req.params[0]}" not found`);
  }

  /**
   * `attachments_info` as the comment object carries it [seed]: base64 `attachment`, `filename`,
   * `content_type` (a MIME type), nothing else (`tp_id` is the desk's to assign).
   */
  function attachmentsInfo(raw: unknown): WireAttachment[] | string {
    if (raw === undefined) return [];
    if (!Array.isArray(raw) || raw.length === 0) return 'attachments_info: expected a non-empty list';
    const files: WireAttachment[] = [];
    for (const [i, item] of raw.entries()) {
      const f = (item ?? {}) as Record<string, unknown>;
      const extra = Object.keys(f).filter((k) => !['attachment', 'filename', 'content_type'].includes(k));
      if (extra.length) return `attachments_info[${i}]: unknown field ${extra[0]}`;
      if (typeof f.attachment !== 'string' || !f.attachment || !/^[A-Za-z0-9+/]+={0,2}$/.test(f.attachment) || f.attachment.length % 4 !== 0) return `attachments_info[${i}].attachment: expected base64`;
      if (typeof f.filename !== 'string' || !f.filename.trim()) return `attachments_info[${i}].filename: value is required`;
      if (typeof f.content_type !== 'string' || !/^[\w.+-]+\/[\w.+-]+/.test(f.content_type)) return `attachments_info[${i}].content_type: expected a MIME type`;
      files.push({ attachment: f.attachment, filename: f.filename, content_type: f.content_type });
    }
    return files;
  }

  /** comment / close / reopen: HTTP 200 with {err}, whatever the outcome. */
  function action(req: FakeRequest, partner: boolean): FakeAnswer {
    const [id, verb] = req.params as [string, string];
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (partner && body.tp_id !== id) return text(400, 'tp_id: value is required and must match the path');
    if (!partner && (body.name !== id || body.namespace !== 'system')) {
      return text(400, 'name and namespace: values are required and must match the path');
    }
    const ticket = partner ? byTp(id) : tickets.get(id);
    if (!ticket) return { status: 200, body: { err: 'E_NOT_NOT_FOUND' } };
    const status = ticket.spec.status;
    if (verb === 'comment') {
      if (typeof body.comment !== 'string' || !body.comment.trim()) return text(400, 'comment: value is required');
      const files = attachmentsInfo(body.attachments_info);
      if (typeof files === 'string') return text(400, files);
      if (status === 'STATUS_CLOSED') return { status: 200, body: { err: 'E_NOT_OPEN' } };
      if (status === 'STATUS_SOLVED') ticket.spec.status = 'STATUS_OPEN'; // a customer reply reopens a solved ticket
      comment(ticket, body.comment, F5XC_FAKE_BOT, files);
    } else if (verb === 'close') {
      if (status === 'STATUS_CLOSED') return { status: 200, body: { err: 'E_NOT_OPEN' } };
      ticket.spec.status = 'STATUS_CLOSED';
      touch(ticket);
    } else {
      if (status !== 'STATUS_CLOSED' && status !== 'STATUS_SOLVED') return { status: 200, body: { err: 'E_NOT_CLOSED' } };
      ticket.spec.status = 'STATUS_OPEN';
      touch(ticket);
    }
    return { status: 200, body: { err: 'EOK' } };
  }

  const seg = '([^/]+)';
  const routes: FakeRoute[] = [
    { method: 'POST', path: new RegExp(`^${P}$`), handle: create },
    { method: 'GET', path: new RegExp(`^${P}$`), handle: list },
    { method: 'GET', path: new RegExp(`^${P}/${seg}$`), handle: get },
    { method: 'POST', path: new RegExp(`^${P}/${seg}/(comment|close|reopen)$`), handle: (r) => action(r, true) },
    { method: 'POST', path: new RegExp(`^${T}$`), handle: create },
    { method: 'GET', path: new RegExp(`^${T}$`), handle: list },
    { method: 'GET', path: new RegExp(`^${T}/${seg}$`), handle: get },
    { method: 'POST', path: new RegExp(`^${A}/${seg}/(comment|close|reopen)$`), handle: (r) => action(r, false) },
  ];

  const http = await startFakeHttp({
    routes,
    authorize: (req) => (req.headers.authorization === `APIToken ${F5XC_FAKE_TOKEN}` ? undefined : text(401, 'Unauthorized')),
    notFound: text(404, '404 page not found'),
  });

  return {
    ...http,
    env: {
      F5XC_BASE_URL: http.url,
      F5XC_API_TOKEN: F5XC_FAKE_TOKEN,
      F5XC_MODE: mode,
      F5XC_CUSTOMER_DOMAIN: 'customer.example',
    },
    quirks,
    addAgentComment(ticketId, body, author = 'F5 Support', files = []) {
      const email = `${author.toLowerCase().replace(/[^a-z0-9]+/g, '.')}@f5.com`;
      // As the seed's comment object carries them: base64 bytes, filename, content type (tp_id and attachment_ids added by `comment`).
      const attached = files.map((f) => ({ attachment: f.bytes.toString('base64'), filename: f.name, content_type: f.contentType }));
      return comment(stored(ticketId), body, { name: author, email }, attached);
    },
    setStatus(ticketId, status) {
      const ticket = stored(ticketId);
      ticket.spec.status = NEUTRAL_TO_F5[status];
      touch(ticket);
    },
    comments: (ticketId) =>
      (find(ticketId)?.spec.comments ?? []).map((c) => ({
        text: c.plain_text,
        byCustomer: c.author_email === F5XC_FAKE_BOT.email,
        ...(c.attachments_info.length ? { files: c.attachments_info.map((f) => ({ name: f.filename, contentType: f.content_type, bytes: Buffer.from(f.attachment, 'base64') })) } : {}),
      })),
    ticket: (ticketId) => {
      const ticket = find(ticketId);
      return ticket && structuredClone(ticket);
    },
  };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
