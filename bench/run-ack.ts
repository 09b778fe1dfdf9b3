// The ack part of the bench alone (about 45 s a run): `npx tsx bench/run-ack.ts [runs]`
// prints each run's p99 ratio and its bare-to-bare noise, then every result as JSON; writes nothing.
import { benchAck, type AckResult } from './ack.js';

const runs = Number(process.argv[2] ?? 1);
const results: AckResult[] = [];
for (let i = 0; i < runs; i++) results.push(await benchAck((line) => process.stderr.write(`${line}\n`)));
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
