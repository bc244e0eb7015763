// Language choice (German or English): stored choice first, then the browser's preferred languages.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { de } from './de.js';
import { en, type Messages } from './en.js';

export type Language = 'de' | 'en';
export const LANGUAGES: readonly Language[] = ['de', 'en'];
export const CATALOGS: Readonly<Record<Language, Messages>> = { de, en };

/** localStorage key of the language the user picked. */
export const LANGUAGE_STORAGE_KEY = 'katapp.language';

/**
 * Picks the language. A stored choice wins. Otherwise the first entry of navigator.languages that is German or
 * English decides, so "fr, de" gives German. English is the fallback.
 */
export function detectLanguage(stored: string | null, preferred: readonly string[]): Language {
  if (stored === 'de' || stored === 'en') return stored;
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'de' || primary === 'en') return primary;
  }
  return 'en';
}

function readStoredLanguage(): string | null {
  try {
    return localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
}

export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t: Messages;
  /** Date and time in the language's format, such as 14.06.2025, 09:42 or 6/14/2025, 9:42 AM. */
  formatDateTime(value: string | number | Date): string;
  /** Time of day with seconds. */
  formatTime(value: string | number | Date): string;
  formatNumber(value: number, fractionDigits?: number): string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() =>
    detectLanguage(readStoredLanguage(), navigator.languages ?? [navigator.language]),
  );

  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      localStorage.setItem(LANGUAGE_STORAGE_KEY, next);
    } catch {
      // Storage can be disabled (private mode); the choice then lasts until the page is reloaded.
    }
  }, []);

  useEffect(() => {
    document.documentElement.lang = language;
    document.title = CATALOGS[language].app.title;
  }, [language]);

  const value = useMemo<I18n>(() => {
    const locale = language === 'de' ? 'de-DE' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short' });
    const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
    // Constructing an Intl formatter costs far more than formatting, so each one is made once per language.
    const numberFormats = new Map<number, Intl.NumberFormat>();
    const numberFormat = (fractionDigits: number) => {
      let format = numberFormats.get(fractionDigits);
      if (!format) {
        format = new Intl.NumberFormat(locale, {
          minimumFractionDigits: fractionDigits,
          maximumFractionDigits: fractionDigits,
        });
        numberFormats.set(fractionDigits, format);
      }
      return format;
    };
    return {
      language,
      setLanguage,
      t: CATALOGS[language],
      formatDateTime: (input) => dateTime.format(new Date(input)),
      formatTime: (input) => time.format(new Date(input)),
      formatNumber: (input, fractionDigits = 0) => numberFormat(fractionDigits).format(input),
    };
  }, [language, setLanguage]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n() needs an <I18nProvider> above the component.');
  return value;
}
