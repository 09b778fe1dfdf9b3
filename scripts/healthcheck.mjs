// The image's HEALTHCHECK: healthy when GET /healthz on HEALTH_PORT answers 2xx within 3 s.
// Plain Node (global fetch), so the runtime image needs no curl or wget. /healthz, not /readyz:
// an unhealthy container gets restarted, and a restart cures a hung process, not an outage of
// Slack, the store or the vendor (those show on /readyz; alert on it).
const port = process.env.HEALTH_PORT;
if (!port || !/^\d+$/.test(port)) {
  process.stderr.write('healthcheck: HEALTH_PORT must be set to the port the bot serves /healthz on\n');
  process.exit(1);
}
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) });
  if (!response.ok) process.stderr.write(`healthcheck: /healthz answered ${response.status}\n`);
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`healthcheck: ${error instanceof Error ? (error.cause?.code ?? error.message) : String(error)}\n`);
  process.exit(1);
}
