import { z } from 'zod';

/**
 * F5 Distributed Cloud customer_support wire format: the seed (create in a child tenant) plus F5's
 * published OpenAPI for the customer_support and partner-management APIs. Objects strip fields we
 * do not use; enumerations the adapter reads are plain strings, so a value F5 adds later maps to
 * the closest neutral one instead of failing the whole response.
 */

/** spec.type [public]. TYPE_UNKNOWN is left out: it is not something an operator should choose. */
export const TICKET_TYPES = [
  'TYPE_PROBLEM',
  'TYPE_TASK',
  'TYPE_QUESTION',
  'TYPE_INCIDENT',
  'TYPE_TECHNICAL_SUPPORT',
  'TYPE_ACCOUNT_SUPPORT',
  'TYPE_INCIDENT_SUPPORT',
] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

/** spec.service [public]; SS_UNKNOWN left out for the same reason. */
export const SERVICES = [
  'SS_ACCOUNT_PROTECTION', 'SS_ADMINISTRATION', 'SS_APPLICATION_TRAFFIC_INSIGHT', 'SS_AUDIT_LOGS_AND_ALERTS',
  'SS_AUTHENTICATION_INTELLIGENCE', 'SS_BILLING', 'SS_CLIENT_SIDE_DEFENSE', 'SS_CLOUD_AND_EDGE_SITES',
  'SS_DDOS_AND_TRANSIT_SERVICES', 'SS_DISTRIBUTED_APPS', 'SS_DNS_MANAGEMENT', 'SS_LOAD_BALANCERS',
  'SS_SHARED_CONFIGURATION', 'SS_WEB_APP_AND_API_PROTECTION', 'SS_OTHER', 'SS_BOT_DEFENSE', 'SS_CDN',
  'SS_OBSERVABILITY', 'SS_DELEGATED_ACCESS', 'SS_MULTI_CLOUD_NETWORK_CONNECT', 'SS_MULTI_CLOUD_APP_CONNECT',
  'SS_BIG_IP_APM', 'SS_DATA_INTELLIGENCE', 'SS_NGINX_ONE', 'SS_WEB_APP_SCANNING', 'SS_ROUTED_DDOS',
  'SS_MOBILE_APP_SHIELD',
] as const;

export const PRIORITIES = ['PRIORITY_UNKNOWN', 'PRIORITY_NORMAL', 'PRIORITY_HIGH', 'PRIORITY_URGENT'] as const;
export type WirePriority = (typeof PRIORITIES)[number];

export const STATUSES = [
  'STATUS_UNKNOWN', 'STATUS_NEW', 'STATUS_OPEN', 'STATUS_PENDING',
  'STATUS_ONHOLD', 'STATUS_SOLVED', 'STATUS_CLOSED', 'STATUS_FAILED',
] as const;

/** spec.topic [public]: 24 topics (TOPIC_UNKNOWN left out), grouped by the type they belong to. */
export const TOPICS = [
  'TECHNICAL_SUPPORT_TOPIC_TROUBLESHOOTING', 'TECHNICAL_SUPPORT_TOPIC_ERROR_MESSAGE',
  'TECHNICAL_SUPPORT_TOPIC_CONFIGURATION_CHANGES', 'TECHNICAL_SUPPORT_TOPIC_NEW_CONFIGURATION',
  'TECHNICAL_SUPPORT_TOPIC_PRODUCT_QUESTION', 'TECHNICAL_SUPPORT_TOPIC_DELEGATED_DOMAIN_MIGRATION',
  'TECHNICAL_SUPPORT_TOPIC_OTHERS',
  'INCIDENT_SUPPORT_TOPIC_COMPLETE_OUTAGE', 'INCIDENT_SUPPORT_TOPIC_PARTIAL_OUTAGE',
  'INCIDENT_SUPPORT_TOPIC_PERFORMANCE_DEGRADATION', 'INCIDENT_SUPPORT_TOPIC_LATENCY', 'INCIDENT_SUPPORT_TOPIC_OTHERS',
  'ACCOUNT_SUPPORT_TOPIC_ACCOUNT', 'ACCOUNT_SUPPORT_TOPIC_ACCESS_REQUEST', 'ACCOUNT_SUPPORT_TOPIC_BILLING',
  'ACCOUNT_SUPPORT_TOPIC_BILLING_PLAN_CHANGE', 'ACCOUNT_SUPPORT_TOPIC_PUBLIC_IP', 'ACCOUNT_SUPPORT_TOPIC_QUOTA_INCREASE',
  'ACCOUNT_SUPPORT_TOPIC_RMA', 'ACCOUNT_SUPPORT_TOPIC_TAX_EXEMPT_VERIFICATION', 'ACCOUNT_SUPPORT_TOPIC_OTHERS',
  'TASK_TOPIC_PLAN_TRANSITION', 'PROBLEM_TOPIC_SUPPORT_ALERT', 'QUESTION_TOPIC_INFRASTRUCTURE',
] as const;
export type Topic = (typeof TOPICS)[number];

/**
 * One entry of a comment's `attachments_info[]` [seed]: the file's bytes base64 in `attachment`,
 * `content_type`, `filename`, and `tp_id`, the id of wherever F5 keeps it. The seed calls an
 * attachment "a handle in the third party, so the content can be retrieved on demand", yet
 * publishes no call that retrieves it: an entry without `attachment` can only be named.
 */
export const WireAttachment = z.object({
  attachment: z.string().nullish(),
  content_type: z.string().nullish(),
  filename: z.string().nullish(),
  tp_id: z.string().nullish(),
});
export type WireAttachment = z.infer<typeof WireAttachment>;

/**
 * One comment inside spec.comments [seed]. `comment_id` is in the seed, not in every public spec.
 * Attachment entries are checked one by one (map.ts), so a malformed file costs that file, never
 * the comment or the ticket.
 */
export const WireComment = z.object({
  comment_id: z.string().optional(),
  author_name: z.string().optional(),
  author_email: z.string().optional(),
  created_at: z.string().optional(),
  html: z.string().optional(),
  plain_text: z.string().optional(),
  attachment_ids: z.array(z.unknown()).nullish(),
  attachments_info: z.array(z.unknown()).nullish(),
});
export type WireComment = z.infer<typeof WireComment>;

/**
 * The ticket as F5 shows it to customers (GetSpecType) [seed/public]. Every field is optional on
 * the wire (F5 may omit enum defaults), so the adapter supplies neutral fallbacks.
 */
const WireSpec = z.object({
  tp_id: z.string().optional(),
  subject: z.string().optional(),
  description: z.string().optional(),
  status: z.string().optional(),
  priority: z.string().optional(),
  type: z.string().optional(),
  topic: z.string().optional(),
  service: z.string().optional(),
  category: z.string().optional(),
  comments: z.array(WireComment).default([]),
  created_at: z.string().optional(),
  update_at: z.string().optional(), // sic: F5 spells it update_at
  author_name: z.string().optional(),
});
type WireSpec = z.infer<typeof WireSpec>;

const Metadata = z.object({ name: z.string().optional(), namespace: z.string().optional() });
const SystemMetadata = z.object({
  creation_timestamp: z.string().optional(),
  modification_timestamp: z.string().optional(),
});

/** Create, Get (tenant) and GetByTpId (partner) all answer `{metadata, spec, system_metadata}`. */
export const WireTicket = z.object({
  metadata: Metadata.optional(),
  spec: WireSpec,
  system_metadata: SystemMetadata.optional(),
});
export type WireTicket = z.infer<typeof WireTicket>;

/** List answer [public]: `{items[], errors[]}`, no paging. Items carry `get_spec` [assumed for partner]. */
export const WireList = z.object({
  items: z
    .array(
      z.object({
        name: z.string().optional(),
        metadata: Metadata.optional(),
        // What change detection reads [assumed: the fields of `spec`]; comments may be left out of a list.
        get_spec: z
          .object({
            tp_id: z.string().optional(),
            subject: z.string().optional(),
            status: z.string().optional(),
            update_at: z.string().optional(),
            comments: z.array(z.unknown()).nullish(),
          })
          .optional(),
      }),
    )
    .default([]),
});

/**
 * Comment/close/reopen answer: HTTP 200 with `{err}` [public]. Absent `err` is success (F5 leaves
 * out an enum's default, EOK); an answer that is not such an object, an empty one included, leaves
 * the outcome unknown. `err` stays a string so an unknown code is a failure, not a crash.
 */
export const ActionResponse = z.object({ err: z.string().optional() });

/** POST create body [seed]. */
export interface CreateBody {
  metadata: { name: string; namespace: string; description?: string };
  spec: {
    subject: string;
    description: string;
    priority: WirePriority;
    type: string;
    topic: string;
    service: string;
  };
}

/** The key an action body names its ticket by: `{tp_id}` (partner) or `{name, namespace}` (tenant). */
export type ActionKey = { tp_id: string } | { name: string; namespace: string };

/**
 * A file sent with a comment: `attachments_info[]` of the comment object [seed] (base64 content,
 * filename, content type); the comment call taking them beside `comment` is [assumed].
 */
export interface AttachmentInfo {
  attachment: string;
  content_type: string;
  filename: string;
}
