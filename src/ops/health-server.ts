import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

interface HealthServerOptions {
  port: number;
  host: string;
  readiness: Readiness;
  metrics: Metrics;
  logger: Logger;
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * The operator's endpoints, on a port of their own (HEALTH_PORT), apart from any chat traffic:
 * `/healthz` (the process answers), `/readyz` (200, or 503 with what is down), `/metrics`
 * (Prometheus text). Started before the store opens, so a bot stuck reaching its store is seen
 * as alive and not ready rather than as nothing at all.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const { readiness, metrics, logger } = options;
  const server = createServer((req, res) => {
    void route(req, res).catch((error: unknown) => {
      logger.warn('health endpoint failed', { path: req.url, error });
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
    });
  });
  // An idle scraper's keep-alive must not hold the stop up.
  server.keepAliveTimeout = 5_000;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n', { allow: 'GET, HEAD' });
    switch (path) {
      case '/healthz':
        return send(res, 200, 'application/json', '{"status":"alive"}\n');
      case '/readyz': {
        const report = await readiness.report();
        const body = report.ready ? { status: 'ready' } : { status: 'not ready', down: report.down };
        return send(res, report.ready ? 200 : 503, 'application/json', JSON.stringify(body) + '\n');
      }
      case '/metrics':
        return send(res, 200, metrics.contentType, await metrics.render());
      default:
        return send(res, 404, 'text/plain', 'not found: try /healthz, /readyz or /metrics\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? `port ${options.port} is in use` : error.code === 'EACCES' ? `port ${options.port} needs privileges` : error.message;
      reject(new ConfigError(error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' ? 'HEALTH_HOST' : 'HEALTH_PORT', `cannot serve health checks: ${why}`));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  server.on('error', (error) => logger.error('health server error', { error }));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    close: () => closeServer(server),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
