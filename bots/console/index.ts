import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { FrontEnd, FrontEndDeps } from '../../src/frontend.js';
import { localeFromEnv, t } from '../../handlers/i18n.js';
import type { ChatContext } from '../../handlers/types.js';
import { runLine } from './commands.js';
import { ConsoleSink } from './sink.js';

interface ConsoleIo {
  input: Readable;
  output: Writable;
}

/**
 * The terminal front-end: `/ticket …` lines on stdin, answers and relayed posts on stdout. Lines
 * run one after another, so a script piped in behaves as if typed. The person at the terminal is
 * the requester of every ticket opened here; a ticket's thread is `console:<id>`.
 */
export function startConsole(deps: FrontEndDeps, io: ConsoleIo = { input: process.stdin, output: process.stdout }): FrontEnd {
  const print = (line: string) => void io.output.write(line + '\n');
  const name = deps.env['USER'] ?? safeUserName();
  // One person at one terminal: answers and relayed lines both in the terminal's language.
  const locale = localeFromEnv(deps.env, deps.defaultLocale ?? 'en');
  const sink = new ConsoleSink(print, locale);
  const ctx: ChatContext = {
    actor: { requester: { key: `console:${name}`, name }, isStaff: false },
    logger: deps.logger,
    place: sink.encodePlace({ user: name }),
    locale,
  };
  const lines = createInterface({ input: io.input, terminal: false });
  let lineNo = 0;
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (!line.trim()) return;
    const n = ++lineNo;
    queue = queue.then(async () => {
      try {
        for (const out of await runLine(deps.service, ctx, line, n)) if (out) print(out);
      } catch (error) {
        deps.logger.error('console command failed', { error });
        print(t(locale, 'error.ourFault'));
      }
    });
  });

  return {
    name: 'console',
    sink,
    async stop() {
      lines.close();
      await queue;
    },
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'you';
  }
}
