import { afterEach, describe, expect, it } from 'vitest';
import { SLACK_DEFAULTS, blockActions, viewSubmission, type FakeSlackCall } from '../../../fakes/slack/index.js';
import { openFormValues, openTicket, openedView, startRig, type Rig, type RigOptions } from './rig.js';

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

const GRETA = { id: 'U0000000004', name: 'greta', real_name: 'Greta Beispiel', locale: 'de-DE' };
const C = SLACK_DEFAULTS.channelId;
const BOT = SLACK_DEFAULTS.botUserId;
const isCard = (c: FakeSlackCall) => Array.isArray(c.args.blocks) && c.args.thread_ts === undefined && c.response.ok === true;

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

  it('tells the requester in the card’s language, DEFAULT_LOCALE, why the card came to a DM and what to ask for', async () => {
    const r = await rig({ defaultLocale: 'de', fake: { channels: [{ id: C, name: 'general', is_archived: true }] } });
    await openTicket(r, { subject: 'Drucker', description: 'brennt' });
    // The bot's DM with Alice, as the fake names it.
    const card = await r.fake.waitFor('chat.postMessage', (c) => isCard(c) && c.args.channel === `D${SLACK_DEFAULTS.userId.slice(1)}`);
    const notice = await r.fake.waitFor('chat.postMessage', (c) => c.args.thread_ts === card.response.ts);
    expect(notice.args.text).toBe(
      `Die Karte Ihres Tickets konnte nicht in <#${C}> gepostet werden: dieser Kanal ist archiviert. Das Ticket ist offen und wird stattdessen hier verfolgt: ` +
        'Die Antworten des Supports kommen in diesem Thread an, und Ihre Antworten darin erreichen den Support. ' +
        `Damit Tickets in <#${C}> gepostet werden, bitten Sie einen Slack-Admin, <@${BOT}> in den Kanal einzuladen (oder seine Archivierung aufzuheben).`,
    );
  });

  it('asks a German requester in German why they reopen, and in German again when they leave it blank', async () => {
    const alice = { id: SLACK_DEFAULTS.userId, name: SLACK_DEFAULTS.userName, real_name: 'Alice Example', locale: 'de-DE' };
    const r = await rig({ fake: { users: [alice] } });
    await openTicket(r, { subject: 'Drucker', description: 'brennt' });
    const card = await r.fake.waitFor('chat.postMessage', isCard);
    await r.fake.waitFor('chat.postEphemeral', (c) => /eröffnet/.test(String(c.args.text))); // linked by now
    await r.h.desk.setStatus('1', 'closed');
    await r.fake.waitFor('chat.update', (c) => c.args.ts === card.response.ts && JSON.stringify(c.args.blocks).includes('ticket_reopen'));

    await r.send.interaction(blockActions({ actions: [{ action_id: 'ticket_reopen', value: '1' }], message: { ts: card.response.ts as string } }));
    const opened = await r.fake.waitFor('views.open', (c) => (c.args.view as { callback_id?: string }).callback_id === 'reopen_ticket');
    const modal = opened.args.view as { title: { text: string }; submit: { text: string }; close: { text: string }; blocks: Array<{ label: { text: string } }> };
    expect([modal.title.text, modal.submit.text, modal.close.text, modal.blocks[0]!.label.text]).toEqual(['#1 wieder öffnen', 'Wieder öffnen', 'Abbrechen', 'Warum wieder öffnen?']);

    const view = openedView(opened);
    const blank = await r.send.interaction(viewSubmission({ view: { id: view.id, callback_id: view.callback_id, private_metadata: view.private_metadata, state: { values: { reason: { value: { type: 'plain_text_input', value: ' ' } } } } } }));
    expect(blank).toEqual({ response_action: 'errors', errors: { reason: 'Bitte sagen Sie, warum das Ticket wieder geöffnet wird.' } });
  });
});
