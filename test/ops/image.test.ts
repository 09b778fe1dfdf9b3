import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { launch, ROOT } from '../support/npm-process.js';

const dockerfile = readFileSync(`${ROOT}Dockerfile`, 'utf8');
/** The runtime stage (everything after the last FROM), continuation lines joined. */
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).replace(/\\\n\s*/g, ' ');

async function healthcheck(port: string | undefined) {
  const p = launch('node', ['scripts/healthcheck.mjs'], { env: port === undefined ? {} : { HEALTH_PORT: port } });
  return { code: await p.exited, stderr: p.stderr };
}

describe('the image’s HEALTHCHECK', () => {
  const servers: Server[] = [];
  afterAll(() => servers.forEach((s) => s.close()));
  async function serve(status: number): Promise<string> {
    const server = createServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? status : 404;
      res.end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return String((server.address() as AddressInfo).port);
  }

  it('runs the script the runtime stage copies, against HEALTH_PORT, which the image sets to 8080', () => {
    expect(runtime).toMatch(/^HEALTHCHECK .*CMD \["node", "scripts\/healthcheck\.mjs"\]$/m);
    expect(runtime).toMatch(/^COPY scripts\/healthcheck\.mjs \.\/scripts\/healthcheck\.mjs$/m);
    expect(runtime).toMatch(/^ENV .*\bHEALTH_PORT=8080\b/m);
  });

  it('is healthy only when GET /healthz answers 2xx', async () => {
    expect(await healthcheck(await serve(200))).toEqual({ code: 0, stderr: [] });
    expect(await healthcheck(await serve(503))).toEqual({ code: 1, stderr: ['healthcheck: /healthz answered 503'] });
  });

  it('is unhealthy with one line when nothing listens or HEALTH_PORT is unset', async () => {
    const closed = await serve(200);
    await new Promise((resolve) => servers.pop()!.close(resolve));
    expect(await healthcheck(closed)).toEqual({ code: 1, stderr: ['healthcheck: ECONNREFUSED'] });
    expect(await healthcheck(undefined)).toEqual({ code: 1, stderr: ['healthcheck: HEALTH_PORT must be set to the port the bot serves /healthz on'] });
  });
});

describe('the runtime stage', () => {
  it('runs Node under tini as PID 1, as a non-root user, from the bundle built in the build stage', () => {
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "--enable-source-maps", "--optimize-for-size", "dist\/main\.js"\]$/m);
    expect(runtime).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
  });
});

describe('compose.yml', () => {
  const { services } = load(readFileSync(`${ROOT}compose.yml`, 'utf8')) as { services: Record<string, Record<string, unknown>> };

  it('runs the bot on Redis, and Redis with an append-only file', () => {
    expect(services['bot']?.['environment']).toMatchObject({ STORE_URL: 'redis://redis:6379', HEALTH_PORT: '8080' });
    expect((services['redis']?.['command'] as string[]).join(' ')).toMatch(/--appendonly yes/);
    expect(services['redis']?.['volumes']).toEqual(['redis-data:/data']);
  });

  it('can run `--scale bot=2`: no fixed container name or host port on the bot', () => {
    expect(services['bot']).not.toHaveProperty('container_name');
    expect(services['bot']).not.toHaveProperty('ports');
  });
});
