// Bundles the service into dist/ so `npm start` runs plain Node: no TypeScript loader in the
// running process, which starts faster and holds less memory. Dependencies stay external.
//
// `--if-stale` (what `npm start` runs) builds only when dist/ is missing or older than a file it
// was built from, and otherwise writes nothing, so a fresh dist/ starts in a read-only folder.
import { copyFileSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist`;
/** The esbuild inputs of the last build, relative to the root, with the build script itself. */
const inputsFile = `${outdir}/build-inputs.json`;

const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

// Worker threads' scripts are started by path, not imported, so esbuild does not see them: each
// is plain JavaScript, copied beside the bundle where `new URL('./…', import.meta.url)` finds it.
const workers = ['bots/slack/form-opener-worker.mjs'];
const copied = (file) => `${outdir}/${file.split('/').pop()}`;

function isStale() {
  const builtAt = mtime(inputsFile);
  if (builtAt === undefined || mtime(`${outdir}/main.js`) === undefined) return 'dist/ is missing';
  const lost = workers.find((file) => mtime(copied(file)) === undefined);
  if (lost) return `${copied(lost).slice(root.length)} is missing`;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return 'dist/build-inputs.json is unreadable';
  }
  // An input edited, added by an edited import, or deleted: any of them shows in this list.
  const changed = inputs.find((input) => (mtime(`${root}${input}`) ?? Infinity) > builtAt);
  return changed ? `${changed} changed` : undefined;
}

if (process.argv.includes('--if-stale')) {
  const why = isStale();
  if (!why) process.exit(0);
  process.stderr.write(`ticket-bridge: building dist/ (${why})\n`);
}

const { build } = await import('esbuild');
rmSync(outdir, { recursive: true, force: true }); // chunks of older builds would pile up
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
for (const file of workers) copyFileSync(`${root}${file}`, copied(file));
// tsconfig.json steers how esbuild compiles class fields; the image's build stage copies it too.
const inputs = [...Object.keys(result.metafile.inputs), ...workers, 'scripts/build.mjs', 'package.json', 'tsconfig.json'].filter((f) => mtime(`${root}${f}`) !== undefined);
writeFileSync(inputsFile, JSON.stringify(inputs, null, 1) + '\n');
