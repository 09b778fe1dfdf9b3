// npm run bench: every figure of docs/bench.md, printed as a table and written to bench/results.json.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchAck } from './ack.js';
import { benchMemory } from './memory.js';
import { benchPoll, type PollRow } from './poll.js';
import { benchRelay } from './relay.js';
import { benchScale } from './scale.js';
import { benchStartup } from './startup.js';

const started = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model.trim() ?? 'unknown',
  cpus: cpus.length,
  memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  os: `${os.type()} ${os.release()} ${os.arch()}`,
  node: process.version,
};
log(`machine: ${machine.cpu} × ${machine.cpus}, ${machine.memory_gb} GB, ${machine.os}, Node ${machine.node}`);

const startup = await benchStartup(log);
const memory = await benchMemory(log);
const poll = await benchPoll(log);
const relay = await benchRelay(log);
const scale = await benchScale(log);
const ack = await benchAck(log);

const calls: Record<string, Record<string, { idle: number; one_changed: number; first_cycle: number; peak_cycle: number; notice_cycles_max: number }>> = {};
for (const row of poll) {
  (calls[row.provider] ??= {})[String(row.tickets)] = {
    idle: row.idle_avg,
    one_changed: row.changed_avg,
    first_cycle: row.first_cycle,
    peak_cycle: row.peak_cycle,
    notice_cycles_max: row.notice_cycles_max,
  };
}

const results = {
  machine,
  ran_at: new Date().toISOString(),
  duration_s: Math.round((performance.now() - started) / 1000),
  'ack.p50_ms': ack.p50_ms,
  'ack.p99_ms': ack.p99_ms,
  'ack.p99_ratio': ack.p99_ratio,
  'ack.p99_ratio_bare_to_bare': ack.p99_ratio_bare_to_bare,
  'relay.p50_ms': relay.p50_ms,
  'relay.p95_ms': relay.p95_ms,
  'relay.open_tickets': relay.open_tickets,
  'poll.calls_per_cycle': calls,
  ...perVendorAt1000('poll.idle_calls_per_ticket_per_min', (row) => row.idle_calls_per_ticket_per_min),
  ...perVendorAt1000('poll.quiet_notice_max_s', (row) => row.quiet_notice_max_s),
  'scale.replicas': scale.replicas,
  'scale.provider_calls_max_1s': scale.provider_calls_max_1s,
  'scale.provider_limit_per_s': scale.provider_limit_per_s,
  'scale.provider_429': scale.provider_429,
  'scale.lost': scale.lost,
  'scale.duplicated': scale.duplicated,
  'scale.drain_s': scale.drain_s,
  'memory.rss_mb': memory.rss_mb,
  'memory.kb_per_ticket': memory.kb_per_ticket,
  'startup.ms': startup.ms,
  details: { ack, relay, scale, poll, memory, startup },
};
writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${table(results.duration_s)}\n`);

function table(seconds: number): string {
  const lines = [
    `Machine: ${machine.cpu} × ${machine.cpus}, ${machine.memory_gb} GB RAM, ${machine.os}, Node ${machine.node} (run took ${seconds} s)`,
    '',
    '| figure | value | target |',
    '| --- | --- | --- |',
    `| ack p50 / p99, full stack (${ack.concurrency} concurrent /ticket, ${ack.samples} samples) | ${ack.full.p50_ms} / ${ack.full.p99_ms} ms | |`,
    `| ack p50 / p99, bare Bolt app (two processes, ${ack.samples} samples each) | ${ack.bare.p50_ms} / ${ack.bare.p99_ms} ms | |`,
    `| ack p99 ratio full / bare | ${ack.p99_ratio} | ≤ 1.2 ${ack.p99_ratio <= 1.2 ? 'met' : 'NOT met'} |`,
    `| ack p99 ratio bare / bare (the same code in two processes: this run's noise) | ${ack.p99_ratio_bare_to_bare} | |`,
    `| modals opened after ack (views.open ok / calls) | ${ack.modals_opened} / ${ack.modal_calls} | |`,
    `| relay p50 / p95 (${relay.provider}, ${relay.open_tickets} open, poll ${relay.poll_interval_ms} ms, ${relay.delivered}/${relay.samples} relayed) | ${relay.p50_ms} / ${relay.p95_ms} ms | p95 ≤ ${relay.poll_interval_ms + 1000} ms ${relay.p95_ms <= relay.poll_interval_ms + 1000 ? 'met' : 'NOT met'} |`,
    `| relay provider calls: mean / max in any 1 s | ${relay.provider_calls_per_s} / ${relay.provider_calls_max_1s} per s | ≤ ${relay.provider_limit_per_s} per s ${relay.provider_calls_max_1s <= relay.provider_limit_per_s ? 'met' : 'NOT met'} |`,
    `| scale: ${scale.replicas} replicas on Redis, a burst of ${scale.messages_each_way} replies and ${scale.messages_each_way} agent comments over ${scale.tickets} Spacebring tickets: most calls in any 1 s / 429s / lost / duplicated / drained in | ${scale.provider_calls_max_1s} / ${scale.provider_429} / ${scale.lost} / ${scale.duplicated} / ${scale.drain_s} s | ≤ ${scale.provider_limit_per_s}, 0, 0, 0 ${scale.provider_calls_max_1s <= scale.provider_limit_per_s && scale.provider_429 === 0 && scale.lost === 0 && scale.duplicated === 0 ? 'met' : 'NOT met'} |`,
    `| memory per linked ticket (RSS growth from empty to ${memory.tickets} tickets) | ${memory.kb_per_ticket} KB | ≤ 1 KB ${memory.kb_per_ticket <= 1 ? 'met' : 'NOT met'} |`,
    `| memory RSS of npm start, ${memory.tickets} linked tickets, after a full poll cycle (empty process ${memory.empty_rss_mb} MB; anonymous ${memory.rss_anon_mb} MB, mapped files ${memory.rss_file_mb} MB) | ${memory.rss_mb} MB | ≤ 100 MB ${memory.rss_mb <= 100 ? 'met' : 'NOT met'} |`,
    `| start-up, spawn → ready line (median of ${startup.runs}; in-process ${startup.self_reported_ms} ms) | ${startup.ms} ms | |`,
    '',
    'Idle polling at 1,000 linked open tickets and a 15 s interval (target for the five vendors ≤ 0.05 calls per ticket per minute; notice = the longest wait measured for an agent comment on a quiet ticket):',
    '',
    '| provider | strategy | calls per ticket per minute | quiet notice, worst | target |',
    '| --- | --- | --- | --- | --- |',
    ...poll
      .filter((row) => row.tickets === 1000)
      .map((row) => `| ${row.provider} | ${row.strategy} | ${row.idle_calls_per_ticket_per_min} | ${row.quiet_notice_max_s} s | ${row.provider === 'local' ? 'none (no remote calls)' : row.idle_calls_per_ticket_per_min <= 0.05 ? '≤ 0.05 met' : '≤ 0.05 NOT met'} |`),
    '',
    'Provider calls per poll cycle (steady state; idle / one changed ticket per cycle; peak cycle; cycles until a change is read, worst):',
    '',
    '| provider | strategy | 10 tickets | 100 tickets | 1,000 tickets |',
    '| --- | --- | --- | --- | --- |',
    ...Object.entries(groupBy(poll)).map(([provider, rows]) => `| ${provider} | ${rows[0]!.strategy} | ${rows.map(cell).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** `<prefix>.<provider>` for each provider's 1,000-ticket row. */
function perVendorAt1000(prefix: string, value: (row: PollRow) => number): Record<string, number> {
  return Object.fromEntries(poll.filter((row) => row.tickets === 1000).map((row) => [`${prefix}.${row.provider}`, value(row)]));
}

function cell(row: PollRow): string {
  return `${row.idle_avg} / ${row.changed_avg}; peak ${row.peak_cycle}; ≤ ${row.notice_cycles_max} cycles`;
}

function groupBy(rows: readonly PollRow[]): Record<string, PollRow[]> {
  const out: Record<string, PollRow[]> = {};
  for (const row of rows) (out[row.provider] ??= []).push(row);
  return out;
}
