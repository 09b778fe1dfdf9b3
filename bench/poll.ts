import { LocalDesk } from '../adapters/local/desk.js';
import { createProvider as createLocalProvider } from '../adapters/local/index.js';
import type { Bridge } from '../src/bridge.js';
import { silentLogger } from '../src/logger.js';
import type { TicketProvider } from '../src/provider.js';
import type { FakeProviderServer } from '../fakes/providers/types.js';
import { benchBridge, linkAll, openInput, REQUESTER, seedVendorTickets, startFake, vendorProvider, VENDORS, type VendorId } from './fixtures.js';
import { mean, round } from './stats.js';

export const POLL_TICKET_COUNTS = [10, 100, 1000] as const;
/** The production default interval: the relay's clock steps by it each cycle (cycles run back to back). */
export const POLL_INTERVAL_MS = 15_000;
export const CYCLES_PER_MIN = 60_000 / POLL_INTERVAL_MS;
/** Enough idle cycles for list providers' marks to settle twice over. */
const IDLE_CYCLES_LIST = 34;
const STEADY_WINDOW_LIST = 16;
/**
 * Without a list, the quiet back-off runs on the relay's clock: 10 minutes active (40 cycles),
 * then gaps of 30 s … 10 min (about 100 cycles) before it settles; then an hour of steady state.
 */
const IDLE_CYCLES_QUIET = 360;
const STEADY_WINDOW_QUIET = 240;
/** Cycles with one changed ticket each; on list-by-update providers they are a second apart, as in production. */
const CHANGED_CYCLES_GET = 16;
const CHANGED_CYCLES_LIST = 6;
/** A quiet ticket's change can wait up to the longest gap (40 cycles at 15 s) before it is read. */
const MAX_WAIT_CYCLES = 60;

export interface PollRow {
  provider: string;
  tickets: number;
  /** How the relay finds changes: one list sorted by update time, one whole list compared by digests, or GETs on a quiet back-off. */
  strategy: Strategy;
  /** Calls of the first cycle (GET providers; list providers start from a stored cursor). */
  first_cycle: number;
  /** Mean calls per cycle over the last cycles of the idle phase, once the back-off has settled. */
  idle_avg: number;
  /** Mean calls per cycle while one ticket gets an agent comment before every cycle. */
  changed_avg: number;
  /** The most calls any single cycle made (all quiet tickets falling due together). */
  peak_cycle: number;
  /** Cycles from an agent comment to the relay reading it (1 = the next cycle). */
  notice_cycles_mean: number;
  notice_cycles_max: number;
  /** idle_avg at 4 cycles a minute, per linked ticket. */
  idle_calls_per_ticket_per_min: number;
  /** notice_cycles_max at the 15 s interval: the worst wait measured for a change on a quiet ticket. */
  quiet_notice_max_s: number;
}

type Strategy = 'list-by-update' | 'list-digests' | 'get-quiet-backoff';

interface Target {
  provider: string;
  strategy: Strategy;
  /** Steps the relay's clock by one interval. */
  tick(): void;
  /** Calls made so far (fake.requests, or provider reads for the in-process desk). */
  calls(): number;
  bridge: Bridge;
  ticketIds: string[];
  agentComment(ticketId: string, text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Provider calls per poll cycle, for every adapter against its fake (and the in-process local
 * desk), with 10, 100 and 1,000 linked open tickets. Cycles run back to back through
 * `relay.pollOnce()` while the relay's clock steps 15 s per cycle, so the counts are those of a
 * relay polling at the default interval.
 */
export async function benchPoll(log: (line: string) => void): Promise<PollRow[]> {
  // Providers run side by side (each on its own fake and store): the counts do not depend on time.
  const local = async () => {
    const rows: PollRow[] = [];
    for (const n of POLL_TICKET_COUNTS) rows.push(await measure(await localTarget(n), n, log));
    return rows;
  };
  const vendor = async (id: VendorId) => {
    const seeded = await seedFake(id, Math.max(...POLL_TICKET_COUNTS));
    const rows: PollRow[] = [];
    for (const n of POLL_TICKET_COUNTS) rows.push(await measure(await vendorTarget(id, seeded, n), n, log));
    await seeded.fake.close();
    return rows;
  };
  return (await Promise.all([local(), ...VENDORS.map(vendor)])).flat();
}

export interface SeededFake {
  id: VendorId;
  fake: FakeProviderServer;
  ticketIds: string[];
  snapshots: Awaited<ReturnType<typeof seedVendorTickets>>;
}

/** A vendor fake holding `count` tickets opened through the adapter. */
export async function seedFake(id: VendorId, count: number): Promise<SeededFake> {
  const fake = await startFake(id);
  const snapshots = await seedVendorTickets(id, fake, count);
  return { id, fake, snapshots, ticketIds: snapshots.map((s) => s.ticket.id) };
}

async function measure(target: Target, n: number, log: (line: string) => void): Promise<PollRow> {
  const { bridge } = target;
  const perCycle: { calls: number }[] = [];
  const cycle = async () => {
    const before = target.calls();
    await bridge.relay.pollOnce();
    target.tick();
    perCycle.push({ calls: target.calls() - before });
  };

  const quiet = target.strategy === 'get-quiet-backoff';
  for (let i = 0; i < (quiet ? IDLE_CYCLES_QUIET : IDLE_CYCLES_LIST); i++) await cycle();
  const idle = perCycle.slice(-(quiet ? STEADY_WINDOW_QUIET : STEADY_WINDOW_LIST)).map((c) => c.calls);

  const listing = target.strategy === 'list-by-update';
  const changedCycles = listing ? CHANGED_CYCLES_LIST : CHANGED_CYCLES_GET;
  const changedFrom = perCycle.length;
  const waiting = new Map<string, { seen: number; cycles: number }>();
  const notice: number[] = [];
  /** One cycle, then how many cycles each waiting change took to be read, once it is. */
  const cycleAndNotice = async () => {
    await cycle();
    for (const [id, w] of waiting) {
      w.cycles++;
      if ((await bridge.links.seen(id)).size > w.seen) {
        notice.push(w.cycles);
        waiting.delete(id);
      }
    }
  };
  for (let i = 0; i < changedCycles; i++) {
    // Stamps are to the second at these vendors; a second between cycles is what production has.
    if (listing) await new Promise((r) => setTimeout(r, 1_000 - (Date.now() % 1_000) + 5));
    const ticketId = target.ticketIds[(i * 7919) % n]!;
    if (!waiting.has(ticketId)) {
      waiting.set(ticketId, { seen: (await bridge.links.seen(ticketId)).size, cycles: 0 });
      await target.agentComment(ticketId, `Agent answer ${i}`);
    }
    await cycleAndNotice();
  }
  // Changes still unread when the phase ends: count the cycles until they are.
  for (let extra = 0; waiting.size > 0 && extra < MAX_WAIT_CYCLES; extra++) await cycleAndNotice();
  const changed = perCycle.slice(changedFrom, changedFrom + changedCycles).map((c) => c.calls);
  // The first cycle reads every linked ticket once (first_cycle); the peak is of the cycles after.
  const peak = perCycle.slice(1).reduce((a, b) => (b.calls > a.calls ? b : a));
  await target.close();

  const row: PollRow = {
    provider: target.provider,
    tickets: n,
    strategy: target.strategy,
    first_cycle: perCycle[0]!.calls,
    idle_avg: round(mean(idle)),
    changed_avg: round(mean(changed)),
    peak_cycle: peak.calls,
    notice_cycles_mean: round(mean(notice)),
    notice_cycles_max: notice.length === 0 ? Number.NaN : Math.max(...notice),
    idle_calls_per_ticket_per_min: round((mean(idle) * CYCLES_PER_MIN) / n, 4),
    quiet_notice_max_s: notice.length === 0 ? Number.NaN : (Math.max(...notice) * POLL_INTERVAL_MS) / 1000,
  };
  log(`poll ${row.provider} ${n}: idle ${row.idle_avg}/cycle, one changed ${row.changed_avg}/cycle, peak ${row.peak_cycle}`);
  return row;
}

async function vendorTarget(id: VendorId, seeded: SeededFake, n: number): Promise<Target> {
  const { fake } = seeded;
  const clock = steppedClock();
  const rig = await benchBridge((deps) => vendorProvider(id, fake, deps), POLL_INTERVAL_MS, clock.now);
  const { bridge } = rig;
  await linkAll(bridge, seeded.snapshots.slice(0, n), (i) => `mem:bench:${i}`);
  const provider = bridge.options.provider;
  const strategy: Strategy = !provider.listUpdatedSince ? 'get-quiet-backoff' : id === 'selectel' || id === 'spacebring' ? 'list-by-update' : 'list-digests';
  if (provider.listUpdatedSince) {
    // A relay that has run before polls from its stored cursor; the very first cycle of a new
    // deployment instead re-reads every linked ticket once (N GETs), like a GET provider.
    await bridge.links.setCursor((await provider.listUpdatedSince(undefined, [])).cursor);
  }
  return {
    provider: id,
    strategy,
    tick: clock.tick,
    calls: () => fake.requests.length,
    bridge,
    ticketIds: seeded.ticketIds.slice(0, n),
    agentComment: async (ticketId, text) => void fake.addAgentComment(ticketId, text, 'Grace Support'),
    close: () => rig.close(),
  };
}

async function localTarget(n: number): Promise<Target> {
  let reads = 0;
  const clock = steppedClock();
  const rig = await benchBridge(async (deps) => {
    const local = createLocalProvider({ ...deps, logger: silentLogger, env: {} });
    const counted: TicketProvider = { ...local, getTicket: (id) => (reads++, local.getTicket(id)) };
    return counted;
  }, POLL_INTERVAL_MS, clock.now);
  const { bridge, kv } = rig;
  const provider = bridge.options.provider;
  const snapshots = [];
  for (let i = 0; i < n; i++) snapshots.push(await provider.createTicket(openInput(provider, i), REQUESTER));
  await linkAll(bridge, snapshots, (i) => `mem:bench:${i}`);
  const desk = new LocalDesk(kv);
  return {
    provider: 'local',
    strategy: 'get-quiet-backoff',
    tick: clock.tick,
    calls: () => reads,
    bridge,
    ticketIds: snapshots.map((s) => s.ticket.id),
    agentComment: async (ticketId, text) => void (await desk.comment(ticketId, 'agent', 'Grace Support', text)),
    close: () => rig.close(),
  };
}

/** A clock that moves only when told: one poll interval per cycle. */
function steppedClock() {
  let at = Date.now();
  return { now: () => at, tick: () => void (at += POLL_INTERVAL_MS) };
}
