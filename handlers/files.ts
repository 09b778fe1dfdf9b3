import type { FileNote } from '../src/files.js';
import type { Translate } from './i18n.js';

/** Each note about a person's files as a sentence in their language. */
export function fileNotesText(notes: readonly FileNote[], t: Translate): string[] {
  return notes.map((note) => {
    switch (note.kind) {
      case 'too_large':
        return t('files.tooLarge', { file: note.file, limit: note.limit });
      case 'not_downloaded':
        return t('files.notDownloaded', { file: note.file });
      case 'links_only':
        return t('files.linksOnly', { provider: note.provider });
    }
  });
}
