/** `/ticket …` typed as text (Slack's command text, the console), parsed the same everywhere. */
export type TicketCommand =
  | { name: 'open'; fields: Record<string, string>; rest: string }
  | { name: 'reply'; ticketId: string; text: string }
  | { name: 'status'; ticketId: string }
  | { name: 'list' }
  | { name: 'close'; ticketId: string }
  | { name: 'reopen'; ticketId: string; text: string }
  | { name: 'rate'; ticketId: string; score: string; comment: string }
  | { name: 'retry'; jobKey: string }
  | { name: 'help' };

export type ParsedCommand = TicketCommand | { name: 'error'; message: string };

export const HELP = [
  '/ticket open subject="…" description="…" [priority=low|normal|high|urgent] [category=…]',
  '/ticket reply <id> <text>',
  '/ticket status <id>',
  '/ticket list',
  '/ticket close <id>',
  '/ticket reopen <id> <text>',
  '/ticket rate <id> <1-5> [comment]',
  '/ticket retry <delivery>',
  '/ticket help',
].join('\n');

/** Parses the text after `/ticket`. Quoted values may hold spaces; `#42` and `42` name the same ticket. */
export function parseTicketCommand(input: string): ParsedCommand {
  const text = input.trim();
  const [word = '', ...restWords] = text.split(/\s+/);
  const rest = text.slice(word.length).trim();
  const name = word.toLowerCase();
  const [first = '', ...others] = restWords;
  const ticketId = first.replace(/^#/, '');
  const after = rest.slice(first.length).trim();
  const needId = (usage: string): ParsedCommand => ({ name: 'error', message: `ticket id: expects /ticket ${usage}` });

  switch (name) {
    case '':
    case 'open':
    {
      const { fields, words } = keyValues(rest);
      return { name: 'open', fields, rest: words.join(' ') };
    }
    case 'reply':
      if (!ticketId) return needId('reply <id> <text>');
      if (!after) return { name: 'error', message: 'text: expects /ticket reply <id> <text>' };
      return { name: 'reply', ticketId, text: after };
    case 'status':
    case 'close':
      return ticketId ? { name, ticketId } : needId(`${name} <id>`);
    case 'reopen':
      return ticketId ? { name: 'reopen', ticketId, text: after } : needId('reopen <id> <text>');
    case 'rate': {
      if (!ticketId) return needId('rate <id> <1-5> [comment]');
      const [score = '', ...comment] = others;
      if (!/^[1-5]$/.test(score)) return { name: 'error', message: 'score: expects a whole number from 1 to 5' };
      return { name: 'rate', ticketId, score, comment: comment.join(' ') };
    }
    case 'retry':
      return first ? { name: 'retry', jobKey: first } : { name: 'error', message: 'delivery: expects /ticket retry <delivery> as shown by /ticket status' };
    case 'list':
    case 'help':
      return { name };
    default:
      return { name: 'error', message: `command: expects one of open, reply, status, list, close, reopen, rate, retry, help (got "${word}")` };
  }
}

/** `key="a b" k2=v rest` → fields {key: 'a b', k2: 'v'} and the other words ['rest']. */
function keyValues(text: string): { fields: Record<string, string>; words: string[] } {
  const fields: Record<string, string> = {};
  const words: string[] = [];
  const pattern = /(\w+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+))|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    const [, key, doubleQuoted, singleQuoted, bare, word] = match;
    if (key) fields[key.toLowerCase()] = (doubleQuoted?.replace(/\\(.)/g, '$1') ?? singleQuoted ?? bare ?? '').trim();
    else if (word) words.push(word);
  }
  return { fields, words };
}
