import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OpenTicketInput, Requester, type ProviderId } from './domain.js';
import { FileRef } from './files.js';
import type { KeyValueStore } from './store/index.js';

/**
 * A ticket being opened: written before the provider's create call and removed once the ticket is
 * linked, so a process killed in between leaves a record the next start reconciles. `marker` is
 * the line carried in the ticket's description, by which the vendor's copy is found again.
 */
export const Opening = z.object({
  submission: z.string(),
  marker: z.string(),
  input: OpenTicketInput,
  requester: Requester,
  place: z.string(),
  startedAt: z.number(),
  /** The files posted with the form, already in the store: they go with the ticket, or follow it as its first comment. */
  files: z.array(FileRef).optional(),
});
export type Opening = z.infer<typeof Opening>;

/** The idempotency marker of a form submission: the same submission always carries the same one. */
export function markerOf(submission: string): string {
  return `ticket-bridge-ref: ${createHash('sha256').update(submission).digest('hex').slice(0, 20)}`;
}

/** The description the vendor receives: the person's words, then the marker on a line of its own. */
export function markedDescription(description: string, marker: string): string {
  return `${description.trimEnd()}\n\n${marker}`;
}

/** The unfinished openings of one provider, in the store. */
export class Openings {
  constructor(
    private readonly kv: KeyValueStore,
    private readonly provider: ProviderId,
  ) {}

  async begin(opening: Opening): Promise<void> {
    await this.kv.set(this.key(opening.submission), opening);
    await this.kv.add(this.set, opening.submission);
  }

  async finish(submission: string): Promise<void> {
    await this.kv.remove(this.set, submission);
    await this.kv.delete(this.key(submission));
  }

  async unfinished(): Promise<Opening[]> {
    const ids = await this.kv.members(this.set);
    const found: Opening[] = [];
    for (const id of ids) {
      const parsed = Opening.safeParse(await this.kv.get(this.key(id)));
      if (parsed.success) found.push(parsed.data);
      else await this.kv.remove(this.set, id);
    }
    return found;
  }

  private get set(): string {
    return `openings:${this.provider}`;
  }

  private key(submission: string): string {
    return `opening:${this.provider}:${submission}`;
  }
}
