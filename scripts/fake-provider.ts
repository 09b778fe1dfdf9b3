/**
 * Starts one provider's fake for trying the bot offline:
 *
 *   npm run fake-provider -- <name> [--port <n>]
 *
 * prints the environment that points the bot at it, then reads commands on stdin so you can play
 * the vendor's support agent while the bot runs (`help` lists them). Ctrl-C stops it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ProviderId, TicketStatus } from '../src/domain.js';
import type { FakeProviderServer } from '../fakes/providers/types.js';

const NAMES = ProviderId.options.filter((name) => name !== 'local');
type FakeName = (typeof NAMES)[number];

const HELP = `commands:
  tickets                       the tickets the bot has created or read
  comment <ticketId> <text>     a support agent writes on the ticket
  status <ticketId> <status>    support changes the status (${TicketStatus.options.join(', ')})
  comments <ticketId>           the ticket's comments as the vendor holds them
  help                          this list
Ctrl-C stops the fake.`;

/**
 * Loads `fakes/providers/<name>.ts` only when asked for, so a fake that is missing or
 * broken fails for its own name alone. Each exports `start<Name>Fake`.
 */
async function loadFake(name: FakeName): Promise<() => Promise<FakeProviderServer>> {
  const module = (await import(`../fakes/providers/${name}.js`)) as Record<string, unknown>;
  const exported = `start${name[0]!.toUpperCase()}${name.slice(1)}Fake`;
  const start = module[exported];
  if (typeof start !== 'function') throw new Error(`it exports no ${exported}()`);
  return () => (start as () => Promise<FakeProviderServer>)();
}

/**
 * The fakes listen on a free port of their own; this forwarder gives them the fixed one asked for,
 * and, reading every answer, learns the ticket ids the bot has seen (the fakes cannot list them).
 */
function startForwarder(fake: FakeProviderServer, port: number, seen: Set<string>): Promise<Server> {
  const server = createServer((req, res) => {
    void forward(fake, req, res, seen).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`fake-provider: ${err instanceof Error ? err.message : String(err)}`);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function forward(fake: FakeProviderServer, req: IncomingMessage, res: ServerResponse, seen: Set<string>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined && key !== 'host' && key !== 'content-length') headers.set(key, String(value));
  }
  const hasBody = chunks.length > 0 && req.method !== 'GET' && req.method !== 'HEAD';
  const answer = await fetch(fake.url + (req.url ?? '/'), {
    method: req.method ?? 'GET',
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
  const text = await answer.text();
  harvest(fake, req.url ?? '', text, seen);
  const out: Record<string, string> = {};
  answer.headers.forEach((value, key) => {
    if (key !== 'content-length' && key !== 'transfer-encoding' && key !== 'content-encoding') out[key] = value;
  });
  res.writeHead(answer.status, out).end(text);
}

/** Every path segment and JSON value that names a ticket the fake holds. */
function harvest(fake: FakeProviderServer, url: string, body: string, seen: Set<string>): void {
  const candidates = new URL(url, 'http://fake').pathname.split('/').map(decodeURIComponent);
  const walk = (value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number') candidates.push(String(value));
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  try {
    walk(JSON.parse(body));
  } catch {
    // Not JSON: nothing to learn from it.
  }
  for (const id of candidates) if (id && fake.ticket(id)) seen.add(id);
}

/** A one-line summary of a vendor-shaped ticket: the usual names for its subject and status. */
function summary(record: Record<string, unknown>): string {
  const spec = (record.spec ?? {}) as Record<string, unknown>;
  const pick = (...values: unknown[]): string => {
    for (const v of values) {
      if (typeof v === 'string' && v.trim()) return v.split('\n')[0]!.trim();
      if (v && typeof v === 'object' && typeof (v as { en?: unknown }).en === 'string') return (v as { en: string }).en;
    }
    return '?';
  };
  const subject = pick(record.subject, record.summary, record.title, record.name, spec.subject, record.description);
  const status = pick(record.status_key, record.status, spec.status);
  return `[${status}] ${subject}`;
}

function envLine(name: FakeName, fake: FakeProviderServer, url: string): string {
  const quote = (v: string): string => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const vars = Object.entries({ TICKET_PROVIDER: name, ...fake.env }).map(
    ([key, value]) => `${key}=${quote(value.split(fake.url).join(url))}`,
  );
  return vars.join(' ');
}

function command(line: string, fake: FakeProviderServer, seen: Set<string>): string {
  const [verb = '', id = '', ...rest] = line.trim().split(/\s+/);
  const text = /^\S+\s+\S+\s+([\s\S]*)$/.exec(line.trim())?.[1]?.trim() ?? '';
  switch (verb) {
    case '':
      return '';
    case 'help':
      return HELP;
    case 'tickets':
      if (seen.size === 0) return 'no tickets yet: open one from the bot';
      return [...seen].map((t) => `${t}  ${summary(fake.ticket(t) ?? {})}`).join('\n');
    case 'comment': {
      if (!id || !text) return 'usage: comment <ticketId> <text>';
      const commentId = fake.addAgentComment(id, text);
      seen.add(id);
      return `support commented on ${id}${commentId ? ` (comment ${commentId})` : ''}`;
    }
    case 'status': {
      const status = TicketStatus.safeParse(rest[0] ?? '');
      if (!id || !status.success || rest.length > 1) return `usage: status <ticketId> <${TicketStatus.options.join('|')}>`;
      fake.setStatus(id, status.data);
      seen.add(id);
      return `${id} is now ${summary(fake.ticket(id) ?? {})}`;
    }
    case 'comments':
      if (!id) return 'usage: comments <ticketId>';
      return fake.comments(id).map((c) => `${c.byCustomer ? 'customer' : 'support '}  ${c.text.replace(/\n/g, ' ⏎ ')}`).join('\n') || 'no comments';
    default:
      return `unknown command "${verb}"; try help`;
  }
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const name = positionals[0];
  if (values.help || !name || !NAMES.includes(name as FakeName) || positionals.length > 1) {
    console.error(`usage: npm run fake-provider -- <${NAMES.join('|')}> [--port <n>]`);
    return values.help ? 0 : 2;
  }
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error('--port expects a whole number from 0 to 65535');
    return 2;
  }

  let start: () => Promise<FakeProviderServer>;
  try {
    start = await loadFake(name as FakeName);
  } catch (err) {
    console.error(`the ${name} fake is not available (fakes/providers/${name}.ts): ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const fake = await start();
  const seen = new Set<string>();
  let forwarder: Server;
  try {
    forwarder = await startForwarder(fake, port, seen);
  } catch (err) {
    await fake.close();
    console.error(`cannot listen on 127.0.0.1:${port}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  const url = `http://127.0.0.1:${(forwarder.address() as AddressInfo).port}`;

  console.log(`fake ${name} listening on ${url}`);
  console.log('start the bot with:');
  console.log(`  ${envLine(name as FakeName, fake, url)} npm start`);
  console.log(HELP);

  const input = createInterface({ input: process.stdin, output: process.stdout, prompt: `${name}> ` });
  input.on('line', (line) => {
    try {
      const out = command(line, fake, seen);
      if (out) console.log(out);
    } catch (err) {
      console.log(err instanceof Error ? err.message : String(err));
    }
    input.prompt();
  });
  input.prompt();

  // Stdin may close early (run in the background); the fake keeps serving until Ctrl-C. On a
  // terminal, readline takes Ctrl-C itself and reports it on the interface, not the process.
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve).once('SIGTERM', resolve);
    input.once('SIGINT', resolve);
  });
  input.close();
  await new Promise<void>((resolve) => {
    forwarder.closeAllConnections();
    forwarder.close(() => resolve());
  });
  await fake.close();
  console.log(`\nfake ${name} stopped`);
  return 0;
}

process.exitCode = await main();
