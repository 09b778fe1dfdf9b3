import { createInstance, type TFunction } from 'i18next';
import { FALLBACK_LOCALE, LOCALES, type Locale } from '../src/config.js';
import de from './locales/de.json' with { type: 'json' };
import en from './locales/en.json' with { type: 'json' };
import es from './locales/es.json' with { type: 'json' };
import ru from './locales/ru.json' with { type: 'json' };

export { LOCALES, type Locale };

/** Every message a person can be shown, keyed by meaning; English is the reference, the others must match it (test/handlers/i18n.test.ts). */
export const CATALOGUE: Record<Locale, Record<string, string>> = { en, de, es, ru };

/** A key of the catalogue: a typo is a compile error. */
export type MessageKey = keyof typeof en;

/** Values put into a message; vendor text (subjects, statuses, refusals) goes in as it is, never translated. */
export type MessageVars = Record<string, string | number>;

/** A message chosen before the reader's language is known; rendered with `say`. */
export interface Phrase {
  key: MessageKey;
  vars?: MessageVars;
}

/** Translates a key into one language. */
export type Translate = (key: MessageKey, vars?: MessageVars) => string;

const i18n = createInstance();
// Flat keys ("close.done"): no key or namespace separators, so a dot or colon in a key is just a character.
// No escaping: each front-end escapes for its own markup, vendor text included.
void i18n.init({
  initAsync: false,
  resources: Object.fromEntries(LOCALES.map((locale) => [locale, { translation: CATALOGUE[locale] }])),
  lng: FALLBACK_LOCALE,
  fallbackLng: FALLBACK_LOCALE,
  supportedLngs: [...LOCALES],
  keySeparator: false,
  nsSeparator: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});

const translators = new Map<Locale, TFunction>(LOCALES.map((locale) => [locale, i18n.getFixedT(locale)]));

/** The translator of one language; an unknown or missing locale reads English. */
export function translator(locale: Locale | undefined): Translate {
  const t = translators.get(locale ?? FALLBACK_LOCALE) ?? translators.get(FALLBACK_LOCALE)!;
  return (key, vars) => t(key, vars ?? {}) as string;
}

/** `t(locale, key, vars)` in one call. */
export function t(locale: Locale | undefined, key: MessageKey, vars?: MessageVars): string {
  return translator(locale)(key, vars);
}

/** A phrase in one language. */
export function say(locale: Locale | undefined, phrase: Phrase): string {
  return translator(locale)(phrase.key, phrase.vars);
}

/**
 * The supported language closest to what a platform or the environment names: Slack's `de-DE`,
 * Discord's `es-ES` or `es-419`, a `LANG` of `ru_RU.UTF-8`. Undefined when none is supported.
 */
export function matchLocale(raw: string | undefined | null): Locale | undefined {
  const base = raw?.trim().toLowerCase().split(/[-_.@]/)[0];
  return LOCALES.find((locale) => locale === base);
}

/** The terminal's language: `LC_ALL`, then `LC_MESSAGES`, then `LANG` (POSIX order); the fallback when none is supported. */
export function localeFromEnv(env: Readonly<Record<string, string | undefined>>, fallback: Locale): Locale {
  for (const name of ['LC_ALL', 'LC_MESSAGES', 'LANG']) {
    const value = env[name];
    if (value) return matchLocale(value) ?? fallback;
  }
  return fallback;
}
