/** Splits `?prefix=` off a Redis URL; the rest goes to the client unchanged. */
export function parseRedisUrl(url: string): { url: string; prefix: string } {
  const parsed = new URL(url);
  const prefix = parsed.searchParams.get('prefix') || 'tb';
  parsed.searchParams.delete('prefix');
  return { url: parsed.toString().replace(/\?$/, ''), prefix };
}

/** Reconnect back-off of every Redis client: quick at first, then every 2 s until it is back. */
export function reconnectDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 5), 2_000);
}
