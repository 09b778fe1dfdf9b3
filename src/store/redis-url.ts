/** Splits `?prefix=` off a Redis URL; the rest goes to the client unchanged. */
export function parseRedisUrl(url: string): { url: string; prefix: string } {
  const parsed = new URL(url);
  const prefix = parsed.searchParams.get('prefix') || 'tb';
  parsed.searchParams.delete('prefix');
  return { url: parsed.toString().replace(/\?$/, ''), prefix };
}
