export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

interface LoggerOptions {
  level: LogLevel;
  /** Secret values (tokens, keys) scrubbed from every line, whatever field they hide in. */
  secrets?: readonly string[];
  write?: (line: string) => void;
}

/**
 * One JSON line per event on stderr (stdout belongs to the console front-end). Secrets are
 * replaced after serialisation, so a token inside an error message or a nested field is caught too.
 */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));

  function log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...serialise(fields) });
    write(redact(line, options.secrets ?? []));
  }

  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
  };
}

/** `text` with every secret value (of 4 characters or more) replaced. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

export const silentLogger: Logger = createLogger({ level: 'silent' });

function serialise(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!fields) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? { name: value.name, message: value.message } : value;
  }
  return out;
}
