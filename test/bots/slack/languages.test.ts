import { afterEach, describe, expect, it } from 'vitest';
import { viewSubmission } from '../../../fakes/slack/index.js';
import { openFormValues, openedView, startRig, type Rig, type RigOptions } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const GRETA = { id: 'U0000000004', name: 'greta', real_name: 'Greta Beispiel', locale: 'de-DE' };

async function rig(options: RigOptions = {}): Promise<Rig> {
  const r = await startRig({ ...options, fake: { users: [GRETA], ...options.fake } });
  rigs.push(r);
  return r;
}

describe('Slack in the person’s language', () => {
  it('answers a German Slack user in German, looked up once with include_locale', async () => {
    const r = await rig();
    await r.send.command({ text: 'list', user_id: GRETA.id, user_name: GRETA.name });
    await r.fake.waitFor('response_url', (c) => c.args.text === 'Sie haben keine offenen oder kürzlich geschlossenen Tickets. /ticket list all zeigt alle.');
    const lookups = r.fake.callsTo('users.info').filter((c) => c.args.user === GRETA.id);
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((c) => String(c.args.include_locale) === 'true')).toBe(true);
    // Known now: the form opens in German without another look-up before views.open.
    const before = lookups.length;
    await r.send.command({ text: '', user_id: GRETA.id, user_name: GRETA.name });
    const view = openedView(await r.fake.waitFor('views.open'));
    expect(JSON.stringify(view)).toContain('Neues Ticket');
    expect(r.fake.callsTo('users.info').filter((c) => c.args.user === GRETA.id)).toHaveLength(before);
  });

  it('answers everyone else in English, and posts the card everyone reads in DEFAULT_LOCALE', async () => {
    const r = await rig({ defaultLocale: 'es' });
    await r.send.command({ text: 'list' });
    // Alice's Slack language is English: hers wins over the default.
    await r.fake.waitFor('response_url', (c) => c.args.text === 'You have no open or recently closed tickets. /ticket list all shows every one.');
    await r.send.command({ text: '', user_id: GRETA.id, user_name: GRETA.name });
    const view = openedView(await r.fake.waitFor('views.open'));
    await r.send.interaction(
      viewSubmission({
        user: { id: GRETA.id, name: GRETA.name },
        view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: openFormValues({ subject: 'Drucker', description: 'brennt' }) } },
      }),
    );
    const card = await r.fake.waitFor('chat.postMessage', (c) => Array.isArray(c.args.blocks) && c.args.thread_ts === undefined);
    expect(JSON.stringify(card.args.blocks)).toContain('Solicitado por');
    await r.fake.waitFor('chat.postEphemeral', (c) => c.args.user === GRETA.id && c.args.text === 'Ticket #1 bei Local desk eröffnet.');
  });
});
