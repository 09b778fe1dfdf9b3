import { pino, stdSerializers, stdTimeFunctions } from 'pino';
import { formatPretty } from './log-format.js';

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
  /** Where each finished line goes (tests); stderr by default, readable when it is a terminal. */
  write?: (line: string) => void;
}

/**
 * pino, behind the small interface the code calls: one JSON line per event on stderr (stdout
 * belongs to the console front-end), `level` as its word and `time` in ISO 8601. Any Error among
 * the fields goes through pino's error serializer (type, message, stack, and the `cause` chain).
 * Secrets are replaced in the finished line, so a token inside an error message, a stack or a
 * nested field is caught too. On a terminal the line is printed readable instead; pino-pretty's
 * worker thread is not used, so every line is written before the process exits.
 */
export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets ?? [];
  const toTerminal = !options.write && process.stderr.isTTY === true;
  const write = options.write ?? ((line: string) => void process.stderr.write(line + '\n'));
  const base = pino(
    {
      level: options.level,
      base: null,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    {
      write(chunk: string) {
        const line = redact(chunk.trimEnd(), secrets);
        write(toTerminal ? formatPretty(line) : line);
      },
    },
  );
  const log = (level: Exclude<LogLevel, 'silent'>) => (msg: string, fields?: Record<string, unknown>) => {
    if (fields) base[level](serialise(fields), msg);
    else base[level](msg);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** `text` with every secret value (of 4 characters or more) replaced. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

export const silentLogger: Logger = createLogger({ level: 'silent' });

/** Errors under any field name (`error`, `noticeError` …), not just pino's `err`. */
function serialise(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = value instanceof Error ? stdSerializers.errWithCause(value) : value;
  return out;
}
