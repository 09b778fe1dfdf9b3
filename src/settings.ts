import { z } from 'zod';
import { ConfigError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Parses environment variables with a zod object whose keys are the variable names. A bad one
 * becomes a ConfigError naming it and saying what it accepts (the first of each variable's issues),
 * the others ride along in its `problems`; a value itself is never echoed, since it may be a secret.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env): z.infer<S> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    input[key] = value === undefined || value.trim() === '' ? undefined : value.trim();
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const byVariable = new Map<string, string>();
  for (const issue of parsed.error.issues) {
    const variable = String(issue.path[0] ?? 'environment');
    if (!byVariable.has(variable)) byVariable.set(variable, issue.message);
  }
  const [[variable, message], ...rest] = [...byVariable.entries()] as [[string, string], ...[string, string][]];
  throw new ConfigError(variable, message, rest.map(([v, m]) => new ConfigError(v, m)));
}

/** A required setting; `what` says what it holds, e.g. "the API token from the F5 console". */
export function required(what: string): z.ZodString {
  return z.string({ error: `required: ${what}` }).min(1, `required: ${what}`);
}

/** An http(s) base URL; a trailing slash is dropped. */
export function baseUrl(fallback?: string) {
  const url = z
    .string({ error: 'required: an http(s) base URL' })
    .url('expects an http(s) URL, e.g. https://api.example.com')
    .refine((v) => /^https?:\/\//.test(v), 'expects an http(s) URL')
    .transform((v) => v.replace(/\/+$/, ''));
  return fallback === undefined ? url : url.default(fallback.replace(/\/+$/, ''));
}

/** One value of a fixed list, with the list in the error. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback?: T[number]) {
  const schema = z.enum(values, { error: `expects one of: ${values.join(', ')}` });
  return fallback === undefined ? schema : schema.default(fallback as never);
}

/** A comma-separated list; empty when unset. */
export function list() {
  return z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));
}

/**
 * A comma-separated list of host names, lowercased (as a URL's `hostname` is, which they are
 * compared with); empty when unset. A scheme, path or port is refused rather than never matching.
 */
export function hostList() {
  const expects = 'expects host names separated by commas, e.g. files.example.com (no scheme, path or port)';
  return list()
    .transform((hosts) => hosts.map((h) => h.toLowerCase()))
    .refine((hosts) => hosts.every((h) => /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(h)), expects);
}

/**
 * A whole number within bounds, written in decimal digits only: `0x3e8`, `0b1111101000`, `1e3` or
 * `1_000` are refused rather than read as 1000, so what the operator sees is what the bot uses.
 */
export function integer(min: number, max: number, fallback: number) {
  const expects = `expects a whole number from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, expects)
    .transform(Number)
    .pipe(z.number().int(expects).min(min, expects).max(max, expects))
    .default(fallback);
}

/** A TCP port, optional: unset means the feature is off. 0 picks a free port (tests). */
export function optionalPort() {
  const expects = 'expects a port number from 0 to 65535';
  return z
    .string()
    .regex(/^\d+$/, expects)
    .transform(Number)
    .pipe(z.number().int(expects).min(0, expects).max(65_535, expects))
    .optional();
}
