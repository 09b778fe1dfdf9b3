// The memory part of the bench alone (about 15 s): prints its result as JSON, writes nothing.
import { benchMemory } from './memory.js';

const started = performance.now();
const log = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
process.stdout.write(`${JSON.stringify(await benchMemory(log), null, 2)}\n`);
