import { loadDotEnv } from '../src/env-file.js';
import { redact } from '../src/logger.js';
import { secretsIn } from '../src/config.js';
import { readConfig } from './doctor/config.js';
import { checkDiscord, checkProvider, checkSlack, checkStore, type Verdict } from './doctor/live.js';

/**
 * `npm run doctor`: every configuration problem at once, then live, read-only checks of what is
 * configured (a front-end without its token is skipped). One line per check, ✓ or ✗ with what to
 * do; exit 0 only when every check passes. Secrets are never printed: each line is scrubbed of
 * every credential value the environment holds.
 */
loadDotEnv();
const env = process.env;
const secrets = secretsIn(env);
let failed = 0;

function say(verdict: Verdict, what: string): void {
  if (!verdict.ok) failed++;
  process.stdout.write(redact(`${verdict.ok ? '✓' : '✗'} ${what}: ${verdict.detail}\n`, secrets));
}

const config = await readConfig(env);
if (config.problems.length === 0) say({ ok: true, detail: 'every setting reads' }, 'configuration');
for (const problem of config.problems) say({ ok: false, detail: `${problem.variable}: ${problem.expected}` }, 'configuration');

if (config.core) {
  const core = config.core;
  const checks: [string, Promise<Verdict | Verdict[]>][] = [['store', checkStore(core)]];
  if (config.providerOk) checks.push([`provider ${core.TICKET_PROVIDER}`, checkProvider(core, env)]);
  if (config.slack) checks.push(['slack', checkSlack(config.slack)]);
  if (config.discord) checks.push(['discord', checkDiscord(config.discord)]);
  for (const [what, verdicts] of checks) for (const verdict of [await verdicts].flat()) say(verdict, what);
  if (!env['SLACK_BOT_TOKEN']) process.stdout.write('- slack: not configured (SLACK_BOT_TOKEN unset), skipped\n');
  if (!env['DISCORD_TOKEN']) process.stdout.write('- discord: not configured (DISCORD_TOKEN unset), skipped\n');
}

process.stdout.write(failed === 0 ? 'All checks passed.\n' : `${failed} check${failed === 1 ? '' : 's'} failed.\n`);
process.exit(failed === 0 ? 0 : 1);
