import { commentJob, openCardJob, type Delivery } from './delivery/jobs.js';
import type { Outbox } from './delivery/outbox.js';
import type { OpenTicketInput, Requester, TicketLink, TicketSnapshot } from './domain.js';
import { ProviderError } from './errors.js';
import { commentText, fileLinksText, noteLinksOnce, outgoingFiles, takeFiles, type BlobStore } from './files.js';
import { newLink, type LinkStore } from './links.js';
import { markedDescription, markerOf, type Opening, type Openings } from './openings.js';
import { attributedText, type TicketProvider } from './provider.js';
import type { Relay } from './relay/relay.js';
import type { OpenRequest, OpenResult } from './service-types.js';

export interface ChatOpeningDeps {
  provider: TicketProvider;
  links: LinkStore;
  outbox: Outbox<Delivery>;
  relay: Relay;
  openings: Openings;
  blobs: BlobStore;
  /** MAX_ATTACHMENT_MB in bytes: a larger file is not taken, and the person is told. */
  maxFileBytes: number;
}

/** The words of the comment that carries files the create call could not (the vendor reads English). */
const OPENING_FILES_TEXT = 'Files sent with the ticket from chat.';

/** Whether a failed create may still have created the ticket (the answer was lost, not a refusal). */
function mayHaveActed(error: ProviderError): boolean {
  return error.kind === 'timeout' || error.kind === 'unavailable' || error.kind === 'malformed';
}

/**
 * Opening a ticket from chat, link first: an opening record before the create call, the ticket
 * linked the moment the provider answers, its card queued as the first delivery of its chat lane.
 */
export class ChatOpening {
  constructor(private readonly deps: ChatOpeningDeps) {}

  /**
   * Opens a ticket from chat. An opening record is stored before the create call and the ticket
   * carries its marker, so a process killed during the call leaves something to reconcile. The
   * moment the provider answers the ticket is linked to its requester (status, list and relay
   * know it) and its card is queued as the first delivery of its chat lane. Files posted with the
   * form are taken in first (see `takeFiles`): one left out leaves the ticket to open without it.
   */
  async open(input: OpenTicketInput, requester: Requester, request: OpenRequest): Promise<OpenResult> {
    const { provider, openings, blobs, maxFileBytes } = this.deps;
    const { refs, notes } = await takeFiles(request.files ?? [], blobs, maxFileBytes);
    const opening: Opening = {
      place: request.place,
      submission: request.submission,
      marker: markerOf(request.submission),
      input,
      requester,
      startedAt: Date.now(),
      ...(refs.length ? { files: refs } : {}),
    };
    await openings.begin(opening);
    let snapshot: TicketSnapshot;
    try {
      snapshot = await this.create(opening);
    } catch (error) {
      // A refusal certainly created nothing; after a timeout or a 5xx the vendor may hold it, and
      // the record stays for the reconciliation to find.
      if (!(error instanceof ProviderError) || !mayHaveActed(error)) await openings.finish(request.submission);
      throw error;
    }
    const link = await this.finish(opening, snapshot);
    const carried = provider.createFiles ?? provider.attachments ?? 'links';
    if (refs.length && carried !== 'bytes') await noteLinksOnce(this.deps, link.ticketId, notes);
    return { link, notes };
  }

  /**
   * Links a ticket the provider created for `opening` and queues its card; repeating it (the
   * reconciliation racing the create's own answer) lands on the same link and the same card job.
   * Files the create call could not carry are queued as the ticket's first comment, once per
   * submission.
   */
  async finish(opening: Opening, snapshot: TicketSnapshot): Promise<TicketLink> {
    const { links, outbox, relay, openings, provider } = this.deps;
    const known = await links.get(snapshot.ticket.id);
    const link = known ?? newLink(provider.id, snapshot, opening.requester);
    // Queued before the link is saved, so it is the first job of the ticket's chat lane: nothing
    // the relay queues can be posted before the card.
    await outbox.enqueue(openCardJob(link, opening.place));
    if (!known) {
      await links.save(link);
      await relay.ingest(link, snapshot, { announce: false });
    }
    if (opening.files?.length && !provider.createFiles) {
      const text = attributedText(commentText(provider, OPENING_FILES_TEXT, opening.files), opening.requester);
      await outbox.enqueue(commentJob(link, { eventKey: `open:${opening.submission}`, text, author: opening.requester, files: opening.files }));
    }
    await openings.finish(opening.submission);
    return link;
  }

  /**
   * The create call: the description with the marker, and the files where the call carries them
   * (named with their links in the description where the vendor gets links).
   */
  private async create({ input, marker, requester, files: refs = [] }: Opening): Promise<TicketSnapshot> {
    const { provider, blobs } = this.deps;
    const mode = refs.length ? provider.createFiles : undefined;
    if (!mode) return provider.createTicket({ ...input, description: markedDescription(input.description, marker) }, requester);
    // Stored a moment ago by `takeFiles`: no bytes are missing here unless the store lost them.
    const files = await outgoingFiles(refs, blobs, mode, () => undefined);
    const description = mode === 'links' ? `${input.description.trimEnd()}\n\n${fileLinksText(refs)}` : input.description;
    return provider.createTicket({ ...input, description: markedDescription(description, marker) }, requester, files);
  }
}
