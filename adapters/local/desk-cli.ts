import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { lookup } from 'mime-types';
import { loadCoreConfig } from '../../src/config.js';
import { ConfigError, ProviderError, StoreUnavailable } from '../../src/errors.js';
import { TicketStatus } from '../../src/domain.js';
import { openStore } from '../../src/store/index.js';
import { LocalDesk } from './desk.js';
import type { NewDeskFile } from './files.js';
import type { DeskFile } from './schemas.js';
import { formatSize } from '../../src/files.js';
import { readSettings } from './settings.js';

/**
 * The support agent's side of the local desk, run from another terminal while the bot runs:
 * it writes to the same store, and the bot's relay picks the changes up.
 */
const USAGE = [
  'npm run desk -- list',
  'npm run desk -- show <id>',
  'npm run desk -- reply <id> <text> [--attach <path>]…',
  'npm run desk -- status <id> <open|in_progress|waiting|resolved|closed>',
  'npm run desk -- close <id>',
].join('\n');

async function run(args: string[]): Promise<void> {
  const [command, id = '', ...rest] = args;
  const config = loadCoreConfig(process.env);
  // A person is waiting at the terminal: the store gets one call's deadline to answer, not start-up's.
  const kv = await openStore(config.STORE_URL, { timeoutMs: config.STORE_TIMEOUT_MS, connectTimeoutMs: config.STORE_TIMEOUT_MS });
  const desk = new LocalDesk(kv, readSettings(process.env).filesDir);
  // Shown as the author of every reply, so the thread says who answered.
  const agent = process.env['DESK_AGENT']?.trim() || 'Support';
  try {
    switch (command) {
      case 'list': {
        const tickets = await desk.list();
        if (!tickets.length) console.log('No tickets yet.');
        for (const t of tickets) console.log(`#${t.id}  ${t.status.padEnd(11)} ${t.priority ?? '-'}  ${t.subject}  (${t.requester.name})`);
        break;
      }
      case 'show': {
        const t = await desk.get(needId(id));
        console.log(`#${t.id} ${t.subject}`);
        console.log(`status: ${t.status}   priority: ${t.priority ?? '-'}   category: ${t.category ?? '-'}   requester: ${t.requester.name}`);
        if (t.rating) console.log(`rating: ${t.rating.score}/5${t.rating.comment ? ` "${t.rating.comment}"` : ''}`);
        const fileLine = (f: DeskFile): string => `    📎 ${f.name} (${formatSize(f.size)}, ${f.contentType})  ${desk.files.pathOf(f.sha256)}`;
        console.log(`\n${t.description}`);
        for (const f of t.files ?? []) console.log(fileLine(f));
        console.log('');
        for (const c of await desk.comments(t.id)) {
          console.log(`${c.createdAt}  ${c.author} (${c.origin}): ${c.text}`);
          for (const f of c.files ?? []) console.log(fileLine(f));
        }
        break;
      }
      case 'reply': {
        const { words, attach } = splitAttach(rest);
        const text = words.join(' ').trim();
        if (!text && !attach.length) throw new UsageError('text: expects npm run desk -- reply <id> <text> [--attach <path>]');
        const files = await Promise.all(attach.map(readAttachment));
        const c = await desk.comment(needId(id), 'agent', agent, text, files);
        console.log(`Replied on #${c.ticketId} as ${agent}${files.length ? ` with ${files.map((f) => f.name).join(', ')}` : ''}.`);
        break;
      }
      case 'status':
      case 'close': {
        const parsed = TicketStatus.safeParse(command === 'close' ? 'closed' : rest[0]);
        if (!parsed.success) throw new UsageError(`status: expects one of ${TicketStatus.options.join(', ')}`);
        const t = await desk.setStatus(needId(id), parsed.data);
        console.log(`#${t.id} is now ${t.status}.`);
        break;
      }
      default:
        throw new UsageError(USAGE);
    }
  } finally {
    await kv.close();
  }
}

class UsageError extends Error {}

/** The reply's words, and the paths given with `--attach` (the flag may repeat). */
function splitAttach(args: string[]): { words: string[]; attach: string[] } {
  const words: string[] = [];
  const attach: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] !== '--attach') words.push(args[i]!);
    else if (args[i + 1]) attach.push(args[++i]!);
    else throw new UsageError('--attach: expects a file path');
  }
  return { words, attach };
}

async function readAttachment(path: string): Promise<NewDeskFile> {
  try {
    return { name: basename(path), contentType: lookup(path) || 'application/octet-stream', bytes: await readFile(path) };
  } catch {
    throw new UsageError(`--attach: cannot read ${path}`);
  }
}

function needId(id: string): string {
  const bare = id.replace(/^#/, '');
  if (!bare) throw new UsageError('id: expects a ticket number, e.g. 12');
  return bare;
}

run(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) console.error(error.message);
  else if (error instanceof ProviderError && error.kind === 'not_found') console.error('No such ticket.');
  else if (error instanceof StoreUnavailable) console.error('desk: the ticket store is unreachable; nothing was changed. Try again in a minute.');
  else console.error(`desk: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = error instanceof ConfigError ? 2 : 1;
});
