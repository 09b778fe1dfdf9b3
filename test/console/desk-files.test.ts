import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalDesk } from '../../adapters/local/desk.js';
import { openStore } from '../../src/store/index.js';
import { runScript } from '../support/bot-process.js';

const dir = mkdtempSync(join(tmpdir(), 'tb-desk-files-'));
const filesDir = join(dir, 'files');
const env = { STORE_URL: `sqlite://${join(dir, 'tickets.sqlite')}`, LOCAL_FILES_DIR: filesDir, LOG_LEVEL: 'warn' };
const desk = (...args: string[]) => runScript('adapters/local/desk-cli.ts', env, args);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the desk CLI keeps files', { timeout: 60_000 }, () => {
  it('sends a file with --attach and lists each file by name beside its comment', async () => {
    const kv = await openStore(env.STORE_URL);
    const ticket = await new LocalDesk(kv, filesDir).create({ subject: 'Printer', description: 'On fire' }, { key: 'console:ada', name: 'ada' });
    await new LocalDesk(kv, filesDir).comment(ticket.id, 'customer', 'ada', 'here is a photo', [{ name: 'photo.png', contentType: 'image/png', bytes: Buffer.from('png bytes') }]);
    await kv.close();
    const path = join(dir, 'wiring.txt');
    writeFileSync(path, 'red to red\n');

    const reply = await desk('reply', ticket.id, 'See', 'the', 'diagram', '--attach', path);
    expect(reply.code).toBe(0);
    expect(reply.stdout.join('\n')).toMatch(/with wiring\.txt/);
    const show = (await desk('show', ticket.id)).stdout;
    const lines = show.filter((l) => l.includes('📎'));
    expect(lines).toEqual([expect.stringMatching(/📎 photo\.png \(9 B, image\/png\)/), expect.stringMatching(/📎 wiring\.txt \(11 B, text\/plain\)/)]);
    // The path printed is where the bytes are.
    expect(readFileSync(lines[1]!.trim().split(/\s+/).at(-1)!, 'utf8')).toBe('red to red\n');
    expect(show.join('\n')).toMatch(/Support \(agent\): See the diagram/);
    expect((await desk('reply', ticket.id, 'x', '--attach', join(dir, 'missing.png'))).code).toBe(1);
  });

  it('shows the files posted with the open form under the description', async () => {
    const kv = await openStore(env.STORE_URL);
    const files = [{ name: 'screen.png', contentType: 'image/png', bytes: Buffer.from('screen bytes') }];
    const ticket = await new LocalDesk(kv, filesDir).create({ subject: 'Blank screen', description: 'Since the update' }, { key: 'discord:1', name: 'ada' }, files);
    await kv.close();
    const show = (await desk('show', ticket.id)).stdout;
    const at = show.indexOf('Since the update');
    expect(show[at + 1]).toMatch(/^ {4}📎 screen\.png \(12 B, image\/png\) {2}\S+/);
    expect(readFileSync(show[at + 1]!.trim().split(/\s+/).at(-1)!, 'utf8')).toBe('screen bytes');
  });
});
