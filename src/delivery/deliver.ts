import { failureCause } from './failure-cause.js';
import type { CommentFile } from '../domain.js';
import { ProviderError } from '../errors.js';
import { cardOf, ChatDeliveryError, type ChatSinks, type Upload } from '../chat.js';
import { fileLinksText, outgoingFiles, type BlobStore, type OutgoingFile } from '../files.js';
import type { LinkStore } from '../links.js';
import type { KeyValueStore } from '../store/index.js';
import type { Logger } from '../logger.js';
import { capabilitiesOf, commentFingerprint, type TicketProvider } from '../provider.js';
import { failureNoticeJob, type CommentJob, type Delivery, type OpenCardJob, type PostJob } from './jobs.js';
import type { Outbox, OutboxJob } from './outbox.js';

interface DeliveryDeps {
  provider: TicketProvider;
  kv: KeyValueStore;
  links: LinkStore;
  sinks: ChatSinks;
  blobs: BlobStore;
  logger: Logger;
}

/** What running a job does, for every kind of delivery; the outbox is given it at construction. */
export function createDeliver(deps: DeliveryDeps): (job: OutboxJob<Delivery>) => Promise<void> {
  const { provider, links, sinks, kv } = deps;
  return async function deliver(job) {
    switch (job.kind) {
      case 'comment':
        return addComment(job, deps);
      case 'post': {
        const thread = sinks.for(job.payload.thread);
        const { uploads, uploaded } = await uploadsOf(job, thread.maxUploadBytes, deps);
        // Which files went as uploads, for an edit of this post to know (written before posting,
        // so a retried post rewrites it rather than leaving it unwritten).
        await kv.set(uploadedKey(job.key), [...uploaded].map((f) => f.ref), UPLOADED_TTL_MS);
        return thread.post(withFileLinks(job.payload.message, uploaded), job.key, uploads);
      }
      case 'post_edit': {
        // The files posted as uploads stay as they were; the others keep their lines in the new text.
        const thread = sinks.for(job.payload.thread);
        const { message } = job.payload;
        const refs = await kv.get<string[]>(uploadedKey(job.payload.postKey));
        // Posts made before this record existed: every file that could be uploaded is taken to have been.
        const wasUploaded = (f: CommentFile) => (refs ? !!f.ref && refs.includes(f.ref) : uploadable(f, thread.maxUploadBytes, provider));
        return thread.edit(job.payload.postKey, withFileLinks(message, new Set((message.files ?? []).filter(wasUploaded))));
      }
      case 'status':
      case 'failure_notice':
        return sinks.for(await threadOf(job.ticketId, job.payload.thread, links)).post(job.payload.message, job.key);
      case 'card': {
        // The card shows the link as it is now, not as it was when the job was queued.
        const link = await links.get(job.ticketId);
        if (!link) return;
        return sinks.for(await threadOf(job.ticketId, job.payload.thread, links)).updateCard(link.card, cardOf(link, provider.displayName, capabilitiesOf(provider)));
      }
      case 'open_card':
        return startThread(job, deps);
      default: {
        const unhandled: never = job;
        throw new Error(`no delivery for outbox jobs of kind ${(unhandled as { kind: string }).kind}`);
      }
    }
  };
}

/**
 * Where a chat job goes: the thread the link holds now (the card may have moved to a DM after the
 * job was queued), else the one it was queued for. A link still without a thread means its card
 * could not be posted anywhere (the card job runs first in the lane): nothing to post into.
 */
async function threadOf(ticketId: string, queuedFor: string, links: LinkStore): Promise<string> {
  const link = await links.get(ticketId);
  const thread = link?.thread || queuedFor;
  if (!thread) throw new ChatDeliveryError(`ticket #${ticketId} has no thread: its card could not be posted`, false);
  return thread;
}

/**
 * Posts a new ticket's card and stores where it went. The link was saved when the provider
 * answered; a repeat that finds it already has a thread (a crash after the post) does nothing more.
 */
async function startThread(job: OutboxJob<OpenCardJob>, { provider, links, sinks }: DeliveryDeps): Promise<void> {
  const link = await links.get(job.ticketId);
  // Queued just before the link is saved, so that it comes first in the lane: wait for the save
  // (a crash in between is finished by the reconciliation of unfinished openings at start-up).
  if (!link) throw new ChatDeliveryError(`ticket #${job.ticketId} is not linked yet`, true, 1_000);
  if (link.thread) return;
  const started = await sinks.forPlace(job.payload.place).startThread(cardOf(link, provider.displayName, capabilitiesOf(provider)), job.key);
  // Read again: the relay may have saved a status change while the card was being posted.
  const now = (await links.get(job.ticketId)) ?? link;
  await links.save({ ...now, thread: started.thread, ...(started.cardRef ? { card: started.cardRef } : {}) });
  // The card was drawn from the link before the post; a change saved meanwhile redraws it.
  if (now.statusVersion !== link.statusVersion) await sinks.for(started.thread).updateCard(started.cardRef, cardOf(now, provider.displayName, capabilitiesOf(provider)));
}

/**
 * chat → provider. The fingerprint is remembered before the call, so a poll that races the write
 * already knows the comment is ours. After an attempt whose outcome is unknown (timeout, 5xx, or
 * the process died during it) the provider's copies of this text are counted first and compared
 * with the jobs known to have delivered it, so a slow success is not written twice.
 */
async function addComment(job: OutboxJob<CommentJob>, deps: DeliveryDeps): Promise<void> {
  const { provider, links, logger } = deps;
  const { text, author } = job.payload;
  const fingerprint = commentFingerprint(job.ticketId, text);
  await links.markOurs(job.ticketId, fingerprint);
  const deliveredBy = await links.deliveredBy(job.ticketId, fingerprint);
  if (deliveredBy.includes(job.key)) return;
  if (job.outcomeUnknown) {
    const { comments } = await provider.getTicket(job.ticketId);
    const present = comments.filter((c) => commentFingerprint(job.ticketId, c.text) === fingerprint).length;
    if (present > deliveredBy.length) {
      logger.info('comment had landed despite the error; not sent again', { key: job.key });
      await links.markDelivered(job.ticketId, fingerprint, job.key);
      return;
    }
  }
  const files = await filesOf(job, deps);
  const { id } = await provider.addComment(job.ticketId, { text, author, ...(files.length ? { files } : {}) });
  if (id) await links.markOurs(job.ticketId, id);
  await links.markDelivered(job.ticketId, fingerprint, job.key);
}

/** The job's files as the adapter's comment call takes them (see `outgoingFiles`). */
function filesOf(job: OutboxJob<CommentJob>, { provider, blobs, logger }: DeliveryDeps): Promise<OutgoingFile[]> {
  return outgoingFiles(job.payload.files ?? [], blobs, provider.attachments ?? 'links', (file) =>
    logger.warn('file bytes no longer stored; the comment goes without it', { key: job.key, file: file.name }),
  );
}

/** As long as an agent is likely to edit a comment: a post's record of its uploads lives this long. */
const UPLOADED_TTL_MS = 30 * 24 * 3_600_000;
const uploadedKey = (postKey: string): string => `post-uploads:${postKey}`;

/** Whether a file of an agent's comment goes as an upload: the provider hands out its bytes and it is within the limit. */
function uploadable(file: CommentFile, maxBytes: number, provider: TicketProvider): boolean {
  return !!file.ref && !!provider.readAttachment && !(file.size !== undefined && file.size > maxBytes);
}

/**
 * The bytes of an agent's files that the platform takes as uploads, read from the provider when the
 * job runs (the job holds refs only). A file too large, or that the provider cannot hand out, stays
 * a link in the post: only a failure worth retrying (the vendor down, a rate limit) fails the job,
 * since the comment's text must not wait on a file that will never come.
 */
async function uploadsOf(job: OutboxJob<PostJob>, maxBytes: number, { provider, logger }: DeliveryDeps): Promise<{ uploads: Upload[]; uploaded: Set<CommentFile> }> {
  const uploads: Upload[] = [];
  const uploaded = new Set<CommentFile>();
  for (const file of job.payload.message.files ?? []) {
    if (!uploadable(file, maxBytes, provider)) continue;
    let bytes: Buffer;
    try {
      bytes = await provider.readAttachment!(job.ticketId, file.ref!, maxBytes);
    } catch (error) {
      if (error instanceof ProviderError && error.transient) throw error;
      logger.warn('file of an agent comment could not be read; posted as a line instead', { key: job.key, file: file.name, error });
      continue;
    }
    if (bytes.length > maxBytes) continue;
    uploads.push({ name: file.name, contentType: file.contentType, bytes });
    uploaded.add(file);
  }
  return { uploads, uploaded };
}

/** The comment with a line for each file not posted as an upload: its name, size and link where there is one. */
function withFileLinks(message: PostJob['payload']['message'], uploaded: ReadonlySet<CommentFile>): PostJob['payload']['message'] {
  const rest = (message.files ?? []).filter((f) => !uploaded.has(f));
  if (!rest.length) return message;
  const lines = fileLinksText(rest.map((f) => ({ name: f.name, size: f.size, link: f.url })), ' (not shown here: ask support for it)');
  return { ...message, text: message.text ? `${message.text}\n\n${lines}` : lines };
}

/** What to do when a job fails for good: a reply that could not be delivered is told in its thread. */
export function failureNotice(outbox: Outbox<Delivery>, provider: TicketProvider) {
  return async (job: OutboxJob<Delivery>, error: unknown): Promise<void> => {
    if (job.kind !== 'comment') return;
    const reason = error instanceof Error ? error.message : String(error);
    await outbox.enqueue(failureNoticeJob(provider.id, job, reason, { provider: provider.displayName, cause: failureCause(error) }));
  };
}
