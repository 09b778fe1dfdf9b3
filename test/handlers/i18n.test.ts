import { describe, expect, it } from 'vitest';
import { CATALOGUE, LOCALES, localeFromEnv, matchLocale, t } from '../../handlers/i18n.js';

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();

describe('the message catalogue', () => {
  const reference = CATALOGUE.en;

  it.each(LOCALES.filter((l) => l !== 'en'))('%s has every English key and no other', (locale) => {
    const keys = Object.keys(CATALOGUE[locale]);
    expect(Object.keys(reference).filter((k) => !keys.includes(k)), 'missing keys').toEqual([]);
    expect(keys.filter((k) => !(k in reference)), 'keys English does not have').toEqual([]);
  });

  it.each(LOCALES)('%s uses the same placeholders as English in every message, and leaves none blank', (locale) => {
    for (const [key, english] of Object.entries(reference)) {
      const text = CATALOGUE[locale][key] ?? '';
      expect(text.trim(), `${locale} ${key}`).not.toBe('');
      expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(english));
    }
  });

  it('translates through i18next and leaves the values as given', () => {
    expect(t('de', 'close.done', { id: '12', status: 'solved' })).toBe('Ticket #12 ist jetzt solved.');
    expect(t('ru', 'button.close')).toBe('Закрыть');
    expect(t(undefined, 'button.close')).toBe('Close');
    // No HTML escaping: each front-end escapes for its own markup.
    expect(t('es', 'error.vendorSays', { provider: 'Acme', message: '<b>&' })).toBe('Acme dice: «<b>&».');
  });

  it('picks the closest supported language from what platforms and the environment name', () => {
    expect(matchLocale('de-DE')).toBe('de');
    expect(matchLocale('es-419')).toBe('es');
    expect(matchLocale('ru_RU.UTF-8')).toBe('ru');
    expect(matchLocale('pt-BR')).toBeUndefined();
    expect(localeFromEnv({ LANG: 'de_AT.UTF-8' }, 'en')).toBe('de');
    expect(localeFromEnv({ LC_ALL: 'C', LANG: 'ru_RU.UTF-8' }, 'es')).toBe('es');
    expect(localeFromEnv({}, 'ru')).toBe('ru');
  });
});
