import type { PlaceNotice } from '../src/chat.js';
import type { Translate } from './i18n.js';

/** A notice outside any thread, as a sentence in the reader's language. */
export function placeNoticeText(notice: PlaceNotice, t: Translate): string {
  const { subject, provider } = notice;
  return t(notice.searched ? 'opening.notOpened' : 'opening.notOpenedUnsearchable', { subject, provider });
}
