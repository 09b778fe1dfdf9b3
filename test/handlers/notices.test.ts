import { describe, expect, it } from 'vitest';
import { translator } from '../../handlers/i18n.js';
import { placeNoticeText } from '../../handlers/notices.js';

describe('notices outside a thread', () => {
  it('words a cut-off opening in the reader’s language, by whether the vendor could be searched', () => {
    const notice = { kind: 'not_opened', subject: 'Drucker brennt', provider: 'Selectel' } as const;
    expect(placeNoticeText({ ...notice, searched: true }, translator('de'))).toBe(
      'Ihr Ticket „Drucker brennt“ wurde nicht eröffnet: Selectel kennt kein solches Ticket; der Bot wurde beim Eröffnen angehalten. Bitte eröffnen Sie es erneut.',
    );
    expect(placeNoticeText({ ...notice, searched: false }, translator('en'))).toMatch(/^Your ticket "Drucker brennt" may not have been opened: .* Selectel's API cannot be searched/);
  });
});
