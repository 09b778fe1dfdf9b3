import { createHash } from 'node:crypto';
/** Small pieces of wire → domain mapping that several provider adapters share. */

import { z } from 'zod';
import type { TicketStatus } from '../domain.js';
import type { TicketProvider, ToStatus } from '../provider.js';
import type { ProviderHttp, ProviderRequest } from './http.js';

/**
 * `{ [key]: value }`, or `{}` when `value` is undefined. Spread into a record so that an absent
 * value leaves the key out, as `exactOptionalPropertyTypes` requires.
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Ids for records that carry none of their own. Call the returned function once per record, in
 * the vendor's order, with an id derived from the record's content: the first record with a given
 * base keeps it, identical twins get `<base><separator>2`, `<base><separator>3`, … so every id stays
 * stable while the list only grows. The separator is part of ids already stored, so each adapter
 * keeps the one it has always used.
 */
export function twinIds(separator: string): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return count === 1 ? base : `${base}${separator}${count}`;
  };
}

/**
 * Ids for comments whose vendor gives none, that survive an edit of the text: a hash of who wrote
 * it and when (what an edit does not change), with a twin counter for one author's comments of the
 * same instant. `legacy` is the content-hash id earlier releases derived, kept as an alias so a
 * comment seen under it is not posted again after an upgrade.
 */
export function editStableIds(prefix: string, separator: string): (who: string, when: string, legacyBase: string) => { id: string; aliases: string[] } {
  const stable = twinIds(separator);
  const legacy = twinIds(separator);
  return (who, when, legacyBase) => {
    const id = stable(`${prefix}${createHash('sha256').update(`${who}\u0000${when}`).digest('hex').slice(0, 24)}`);
    return { id, aliases: [legacy(legacyBase)] };
  };
}

/**
 * An adapter's `toStatus` from its table of the vendor's status words. Words match whatever their
 * case and punctuation (`inProgress`, `in_progress`, `In Progress`). A known word gets its neutral
 * status, and the label to show where the table gives one (else the word as the vendor wrote it);
 * an unknown word, one the vendor adds later, gets the closest neutral status and is shown as
 * written, so it is still followed and a wrong guess stays visible.
 */
export function statusTable(table: Readonly<Record<string, TicketStatus | readonly [TicketStatus, string]>>): ToStatus {
  const known = new Map(Object.entries(table).map(([word, entry]) => [matchKey(word), entry]));
  return (word) => {
    const entry = known.get(matchKey(word));
    if (entry === undefined) return { status: closestStatus(word), vendorStatus: word };
    return typeof entry === 'string' ? { status: entry, vendorStatus: word } : { status: entry[0], vendorStatus: entry[1] };
  };
}

/** The closest neutral status for a word no table knows. */
function closestStatus(word: string): TicketStatus {
  const w = word.toLowerCase();
  if (/clos|cancel|reject/.test(w)) return 'closed';
  if (/solv|complet|fixed|done/.test(w)) return 'resolved';
  if (/pend|wait|hold|custom/.test(w)) return 'waiting';
  if (/progress|work|assign|investig|review/.test(w)) return 'in_progress';
  return 'open';
}

/** Whether two texts say the same once runs of whitespace are folded: a vendor's copy of what was sent. */
export function sameText(a: string, b: string): boolean {
  const fold = (text: string) => text.replace(/\s+/g, ' ').trim();
  return fold(a) === fold(b);
}

/** Lower case, letters and digits only: what a person typed, ready to match a vendor's enumeration. */
export function matchKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** JSON text as a value, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A provider's credential check (`TicketProvider.access`): one harmless read-only call whose
 * answer is not looked at, only whether it came. `variable` names the setting a 401/403 is about.
 */
export function accessCheck(http: ProviderHttp, variable: string, req: ProviderRequest): NonNullable<TicketProvider['access']> {
  return {
    variable,
    check: async () => {
      await http.request(z.unknown(), req);
    },
  };
}
