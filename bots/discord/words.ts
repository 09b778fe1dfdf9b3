import { CATALOGUE, matchLocale, translator, type Locale, type MessageKey, type Translate } from '../../handlers/i18n.js';

export type Say = Translate;

/** Our language for a Discord client's locale (`de`, `es-ES`, `es-419`, `ru`, `en-US` …); undefined when it is none of ours. */
export const localeOf = (locale: string | null | undefined): Locale | undefined => matchLocale(locale);

/** The words for a Discord client's locale; English when it is none of ours. */
export const sayFor = (locale: string | null | undefined): Say => translator(localeOf(locale));

/** English: what Discord shows a client whose language has no localization. */
export const say: Say = translator('en');

/** The Discord locales each of our languages is offered under (Spanish serves Spain and Latin America). */
const DISCORD_LOCALES: Record<Exclude<Locale, 'en'>, readonly string[]> = { de: ['de'], es: ['es-ES', 'es-419'], ru: ['ru'] };

/** A key in every language but English, by Discord locale: `name_localizations` and `description_localizations`. */
export function localizations(key: MessageKey): Record<string, string> {
  const entries = Object.entries(DISCORD_LOCALES).flatMap(([language, locales]) => locales.map((locale) => [locale, CATALOGUE[language as Locale][key] ?? ''] as const));
  return Object.fromEntries(entries);
}
