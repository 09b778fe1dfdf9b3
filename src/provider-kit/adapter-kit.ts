/** Small pieces of wire → domain mapping that several provider adapters share. */

import type { TicketStatus } from '../domain.js';

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
 * The closest neutral status for a vendor status word the adapter's own table does not know, so a
 * word the vendor adds later is still followed; the adapter keeps the word itself in vendorStatus.
 */
export function closestStatus(word: string): TicketStatus {
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
