import { describe, expect, it } from 'vitest';
import { loadCoreConfig, secretsIn } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createLogger, redact } from '../../src/logger.js';
import { runScript } from '../support/bot-process.js';

describe('core configuration', () => {
  it('defaults to the embedded setup: local desk, SQLite under ./data, 15 s polls, 5 s store calls', () => {
    expect(loadCoreConfig({})).toEqual({
      TICKET_PROVIDER: 'local',
      STORE_URL: 'sqlite://./data/tickets.sqlite',
      STORE_TIMEOUT_MS: 5_000,
      STORE_CONNECT_TIMEOUT_MS: 30_000,
      POLL_INTERVAL_MS: 15_000,
      FOLLOW_UP_DAYS: 14,
      POLL_QUIET_MAX_MS: 600_000,
      DEFAULT_LOCALE: 'en',
      HEALTH_HOST: '0.0.0.0',
      HEALTH_PORT: undefined,
      MAX_ATTACHMENT_MB: 10,
      LOG_LEVEL: 'info',
      CONSOLE: 'auto',
    });
  });

  it('collects every bad setting of a group: the first is the one-line message, all are in problems', () => {
    let error: unknown;
    try {
      loadCoreConfig({ POLL_INTERVAL_MS: '0x10', HEALTH_PORT: '70000', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.message);
    expect(problems).toEqual([
      'POLL_INTERVAL_MS: expects a whole number from 100 to 3600000',
      'LOG_LEVEL: expects one of: debug, info, warn, error, silent',
      'HEALTH_PORT: expects a port number from 0 to 65535',
    ]);
    expect((error as ConfigError).message).toBe(problems[0]);
  });

  it.each([
    [{ TICKET_PROVIDER: 'nope' }, 'TICKET_PROVIDER: expects one of: local, f5xc, selectel, consoleconnect, spacebring, verifik'],
    [{ POLL_INTERVAL_MS: '-1' }, 'POLL_INTERVAL_MS: expects a whole number from 100 to 3600000'],
    [{ MAX_ATTACHMENT_MB: '0' }, 'MAX_ATTACHMENT_MB: expects a whole number from 1 to 1000'],
    [{ FOLLOW_UP_DAYS: '400' }, 'FOLLOW_UP_DAYS: expects a whole number from 0 to 365'],
    [{ POLL_INTERVAL_MS: 'soon' }, 'POLL_INTERVAL_MS: expects a whole number from 100 to 3600000'],
    [{ POLL_QUIET_MAX_MS: '10' }, 'POLL_QUIET_MAX_MS: expects a whole number from 1000 to 86400000'],
    [{ STORE_URL: 'mysql://db' }, 'STORE_URL: expects sqlite://<path> or redis://<host>:<port>'],
    [{ STORE_URL: 'redis://cache:six' }, 'STORE_URL: expects sqlite://<path> or redis://<host>:<port>'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: expects one of: debug, info, warn, error, silent'],
    [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE: expects one of: en, de, es, ru'],
  ])('rejects %o naming the variable and what it accepts', (env, message) => {
    expect(() => loadCoreConfig(env)).toThrow(new ConfigError(message.split(':')[0]!, message.slice(message.indexOf(':') + 2)));
  });

  it('knows which values are secrets, so logs can scrub them', () => {
    expect(secretsIn({ SELECTEL_TOKEN: 'abc123', SLACK_SIGNING_SECRET: 's3cr3t', PORT: '3000' }).sort()).toEqual(['abc123', 's3cr3t']);
  });
});

describe('start-up with a bad setting', { timeout: 60_000 }, () => {
  const start = (env: Record<string, string>) => runScript('src/main.ts', { STORE_URL: 'sqlite://:memory:', ...env });

  it.each([
    [{ TICKET_PROVIDER: 'nope' }, /^ticket-bridge: TICKET_PROVIDER: expects one of: local, f5xc/],
    [{ POLL_INTERVAL_MS: '-1' }, /^ticket-bridge: POLL_INTERVAL_MS: expects a whole number from 100 to 3600000$/],
    [{ STORE_URL: 'redis://cache:six' }, /^ticket-bridge: STORE_URL: expects sqlite:\/\/<path> or redis:\/\/<host>:<port>$/],
    [{ TICKET_PROVIDER: 'verifik' }, /^ticket-bridge: VERIFIK_TOKEN: required/],
  ])('%o stops with exit code 2 and one line naming the variable', async (env, line) => {
    const { code, stdout, stderr } = await start(env);
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(line);
    expect(stdout).toEqual([]);
  });

  it('never prints the secret it was given', async () => {
    const token = 'vk_live_do_not_print_me_123';
    const { code, stderr } = await start({ TICKET_PROVIDER: 'verifik', VERIFIK_TOKEN: token, VERIFIK_BASE_URL: 'not a url' });
    expect(code).toBe(2);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(/^ticket-bridge: VERIFIK_BASE_URL: /);
    expect(stderr.join('\n')).not.toContain(token);
  });
});

describe('logs', () => {
  it('never carry a secret, wherever it hides in a line', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: ['xoxb-123456', 'ab'], write: (l) => lines.push(l) });
    logger.debug('not at this level');
    logger.error('call failed', { error: new Error('401 for token xoxb-123456'), nested: { header: 'Bearer xoxb-123456' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('xoxb-123456');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'call failed', error: { message: '401 for token [redacted]' }, nested: { header: 'Bearer [redacted]' } });
    // Values too short to be secrets are left alone, or every "ab" in a line would vanish.
    expect(redact('about', ['ab'])).toBe('about');
  });
});
