import { Priority, type OpenField } from '../../src/domain.js';
import { ProviderError } from '../../src/errors.js';
import type { OutgoingFile } from '../../src/files.js';
import type { ProviderFactory, TicketProvider } from '../../src/provider.js';
import { LocalDesk } from './desk.js';
import type { NewDeskFile } from './files.js';
import { toSnapshot } from './map.js';
import { readSettings } from './settings.js';

export { readSettings };
export { toStatus } from './map.js';
export { routes } from './routes.js';

const SUBJECT_MAX = 200;

/** The files the desk keeps: those that came with their bytes. */
const withBytes = (files: readonly OutgoingFile[]): NewDeskFile[] =>
  files.flatMap((f) => (f.bytes ? [{ name: f.name, contentType: f.contentType, bytes: f.bytes }] : []));

/** The built-in desk: no account, no network; tickets live in the bot's own store. */
export const createProvider: ProviderFactory = ({ kv, env }): TicketProvider => {
  const { categories, filesDir } = readSettings(env);
  const desk = new LocalDesk(kv, filesDir);
  const fields: OpenField[] = [
    { name: 'subject', label: 'Subject', required: true, maxLength: SUBJECT_MAX },
    { name: 'description', label: 'Description', required: true, multiline: true, maxLength: 10_000 },
    { name: 'priority', label: 'Priority', required: false, options: Priority.options.map((p) => ({ value: p, label: p[0]!.toUpperCase() + p.slice(1) })) },
    { name: 'category', label: 'Category', required: false, options: categories.map((c) => ({ value: c, label: c })) },
  ];

  const snapshot = async (id: string) => toSnapshot(await desk.get(id), await desk.comments(id));

  return {
    id: 'local',
    displayName: 'Local desk',
    attachments: 'bytes',
    createFiles: 'bytes',
    fields,
    validateOpen(input) {
      const errors: Record<string, string> = {};
      if (input.subject.length > SUBJECT_MAX) errors['subject'] = `must be at most ${SUBJECT_MAX} characters`;
      if (input.category && !categories.includes(input.category)) errors['category'] = `expects one of: ${categories.join(', ')}`;
      return errors;
    },
    async createTicket(input, requester, files = []) {
      const ticket = await desk.create(input, requester, withBytes(files));
      return toSnapshot(ticket, []);
    },
    getTicket: snapshot,
    async findOpened(marker) {
      const found = (await desk.list()).find((t) => t.description.includes(marker));
      return found ? snapshot(found.id) : undefined;
    },
    async addComment(ticketId, comment) {
      const { id } = await desk.comment(ticketId, 'customer', comment.author.name, comment.text, withBytes(comment.files ?? []));
      return { id };
    },
    async readAttachment(ticketId, ref) {
      const kept = (await desk.comments(ticketId)).flatMap((c) => c.files ?? []).find((f) => f.sha256 === ref);
      if (!kept) throw new ProviderError({ kind: 'not_found', provider: 'local', method: 'GET', path: `/tickets/${ticketId}/files/${ref}` });
      return desk.files.read(kept);
    },
    async closeTicket(ticketId) {
      await desk.setStatus(ticketId, 'closed');
    },
    async reopenTicket(ticketId, text) {
      await desk.setStatus(ticketId, 'open');
      await desk.comment(ticketId, 'customer', 'requester', text);
    },
    async rateTicket(ticketId, score, comment) {
      await desk.rate(ticketId, score, comment);
    },
  };
};
