/**
 * A JSON log line as a person reads it on a terminal: `12:04:05 WARN  message key=value …`.
 * A line that is not JSON is returned as it is. Stacks go on their own indented lines.
 */
export function formatPretty(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { time, level, msg, ...fields } = record;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const stacks: string[] = [];
  const pairs = Object.entries(fields).map(([key, value]) => {
    if (value && typeof value === 'object' && typeof (value as { stack?: unknown }).stack === 'string') {
      const { stack, ...rest } = value as { stack: string };
      stacks.push(stack.replace(/^/gm, '    '));
      return `${key}=${JSON.stringify(rest)}`;
    }
    return `${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`;
  });
  const head = `${clock} ${String(level).toUpperCase().padEnd(5)} ${String(msg ?? '')}`;
  return [[head, ...pairs].join(' '), ...stacks].join('\n');
}
