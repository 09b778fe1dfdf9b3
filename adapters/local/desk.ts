import { randomBytes } from 'node:crypto';
import type { OpenTicketInput, Requester, TicketStatus } from '../../src/domain.js';
import { ProviderError } from '../../src/errors.js';
import type { KeyValueStore } from '../../src/store/index.js';
import { DeskFiles, type NewDeskFile } from './files.js';
import { DeskComment, DeskTicket } from './schemas.js';
import { DEFAULT_FILES_DIR } from './settings.js';

/**
 * The built-in support desk: tickets and comments in the bot's own store, so a support agent can
 * work them from another process (the desk CLI) while the bot relays. Every comment is a key of
 * its own plus a set member, so concurrent writers never overwrite each other's comments.
 */
export class LocalDesk {
  readonly files: DeskFiles;

  constructor(
    private readonly kv: KeyValueStore,
    filesDir: string = DEFAULT_FILES_DIR,
  ) {
    this.files = new DeskFiles(filesDir);
  }

  /** `files` are the description's: posted with the open form. */
  async create(input: OpenTicketInput, requester: Requester, files: readonly NewDeskFile[] = []): Promise<DeskTicket> {
    const now = new Date().toISOString();
    const kept = await Promise.all(files.map((f) => this.files.save(f)));
    const ticket: DeskTicket = {
      id: await this.nextId(),
      subject: input.subject,
      description: input.description,
      status: 'open',
      ...(input.priority ? { priority: input.priority } : {}),
      ...(input.category ? { category: input.category } : {}),
      requester,
      createdAt: now,
      updatedAt: now,
      ...(kept.length ? { files: kept } : {}),
    };
    await this.save(ticket);
    await this.kv.add('desk:tickets', ticket.id);
    return ticket;
  }

  async get(id: string): Promise<DeskTicket> {
    const parsed = DeskTicket.safeParse(await this.kv.get(`desk:ticket:${id}`));
    if (!parsed.success) throw new ProviderError({ kind: 'not_found', provider: 'local', method: 'GET', path: `/tickets/${id}` });
    return parsed.data;
  }

  async list(): Promise<DeskTicket[]> {
    const ids = await this.kv.members('desk:tickets');
    const tickets = await Promise.all(ids.map((id) => this.get(id).catch(() => undefined)));
    return tickets.filter((t): t is DeskTicket => t !== undefined).sort((a, b) => Number(a.id) - Number(b.id));
  }

  async comments(ticketId: string): Promise<DeskComment[]> {
    const ids = await this.kv.members(`desk:comments:${ticketId}`);
    const raw = await Promise.all(ids.map((id) => this.kv.get(`desk:comment:${ticketId}:${id}`)));
    return raw
      .flatMap((value) => {
        const parsed = DeskComment.safeParse(value);
        return parsed.success ? [parsed.data] : [];
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async comment(ticketId: string, origin: 'agent' | 'customer', author: string, text: string, files: readonly NewDeskFile[] = []): Promise<DeskComment> {
    const ticket = await this.get(ticketId);
    const kept = await Promise.all(files.map((f) => this.files.save(f)));
    const comment: DeskComment = {
      // Time first, so ids sort in the order comments were written (see commentStamp).
      id: `${commentStamp().toString(36).padStart(9, '0')}${randomBytes(3).toString('hex')}`,
      ticketId,
      origin,
      author,
      text,
      createdAt: new Date().toISOString(),
      ...(kept.length ? { files: kept } : {}),
    };
    await this.kv.set(`desk:comment:${ticketId}:${comment.id}`, comment);
    await this.kv.add(`desk:comments:${ticketId}`, comment.id);
    await this.save({ ...ticket, updatedAt: comment.createdAt });
    return comment;
  }

  /** The agent corrects a comment: same id, new text. */
  async editComment(ticketId: string, commentId: string, text: string): Promise<void> {
    const key = `desk:comment:${ticketId}:${commentId}`;
    const parsed = DeskComment.safeParse(await this.kv.get(key));
    if (!parsed.success) throw new ProviderError({ kind: 'not_found', provider: 'local', method: 'PATCH', path: `/tickets/${ticketId}/comments/${commentId}` });
    await this.kv.set(key, { ...parsed.data, text });
    await this.save({ ...(await this.get(ticketId)), updatedAt: new Date().toISOString() });
  }

  async setStatus(ticketId: string, status: TicketStatus): Promise<DeskTicket> {
    const ticket = { ...(await this.get(ticketId)), status, updatedAt: new Date().toISOString() };
    await this.save(ticket);
    return ticket;
  }

  async rate(ticketId: string, score: number, comment?: string): Promise<void> {
    const ticket = await this.get(ticketId);
    await this.save({ ...ticket, rating: { score, ...(comment ? { comment } : {}) } });
  }

  private save(ticket: DeskTicket): Promise<void> {
    return this.kv.set(`desk:ticket:${ticket.id}`, ticket);
  }

  /** Small increasing numbers people can type; atomic across processes through setIfAbsent. */
  private async nextId(): Promise<string> {
    let n = ((await this.kv.get<number>('desk:last-id')) ?? 0) + 1;
    while (!(await this.kv.setIfAbsent(`desk:id:${n}`, '1'))) n++;
    await this.kv.set('desk:last-id', n);
    return String(n);
  }
}

let lastStamp = 0;

/**
 * A millisecond time that never repeats in this process: comments written within one millisecond
 * (an agent's burst, a script) share their `createdAt`, and their ids alone then keep them in the
 * order written, where a random suffix would shuffle them.
 */
function commentStamp(): number {
  lastStamp = Math.max(Date.now(), lastStamp + 1);
  return lastStamp;
}
