import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPretty } from '../../src/log-format.js';
import { createLogger } from '../../src/logger.js';
import { runScriptWithin } from '../support/bot-process.js';

describe('logs (pino)', () => {
  it('are JSON lines with the level word, an ISO time, and errors with stack and cause, secrets scrubbed everywhere', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', secrets: ['s3cret-token-123'], write: (l) => lines.push(l) });
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    logger.warn('vendor call failed', { ticketId: '42', error: new Error('401 with s3cret-token-123', { cause }) });
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]!) as Record<string, unknown> & { error: { stack: string; cause: { code: string; message: string } } };
    expect(record).toMatchObject({ level: 'warn', msg: 'vendor call failed', ticketId: '42', error: { type: 'Error', message: '401 with [redacted]' } });
    expect(new Date(record['time'] as string).toISOString()).toBe(record['time']);
    expect(record.error.stack).toMatch(/^Error: 401 with \[redacted\]\n\s+at /);
    expect(record.error.cause).toMatchObject({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(lines[0]).not.toContain('s3cret-token-123');
  });

  it('read as plain lines on a terminal: time, level, message, fields, then the stack', () => {
    const line = JSON.stringify({ level: 'error', time: '2026-12-01T10:04:05.123Z', store: 'redis://x:6379', error: { type: 'Error', message: 'down', stack: 'Error: down\n    at f (a.ts:1:1)' }, msg: 'store unreachable' });
    expect(formatPretty(line).split('\n')).toEqual([
      '10:04:05 ERROR store unreachable store=redis://x:6379 error={"type":"Error","message":"down"}',
      '    Error: down',
      '        at f (a.ts:1:1)',
    ]);
    expect(formatPretty('not json')).toBe('not json');
  });
});

describe('.env', () => {
  it('is read when present, and the environment wins over it', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tb-dotenv-'));
    try {
      writeFileSync(join(dir, '.env'), 'POLL_INTERVAL_MS=0x10\nLOG_LEVEL=loud\n');
      // Run from that folder: the environment's POLL_INTERVAL_MS wins over the file's bad one, and
      // the file's LOG_LEVEL, which nothing else sets, is read and refused by name.
      const run = await runScriptWithin(join(process.cwd(), 'src/main.ts'), { POLL_INTERVAL_MS: '500' }, 30_000, [], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toEqual(['ticket-bridge: LOG_LEVEL: expects one of: debug, info, warn, error, silent']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
