import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { en } from './en.ts';
import { fr, type Messages } from './fr.ts';

export type Lang = 'fr' | 'en';

const MESSAGES: Record<Lang, Messages> = { fr, en };
const STORAGE_KEY = 'carnet.lang';

interface I18n {
  lang: Lang;
  t: Messages;
  setLang(lang: Lang): void;
}

const I18nContext = createContext<I18n | undefined>(undefined);

/** French unless the person chose English before; the choice is kept on this device. */
function initialLang(): Lang {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLangState(next);
  }, []);
  useEffect(() => {
    // Screen readers pick their voice from <html lang> (WCAG 3.1.1).
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo(() => ({ lang, t: MESSAGES[lang], setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (i18n === undefined) throw new Error('useI18n must be used inside <I18nProvider>.');
  return i18n;
}

/** The messages of the current language. */
export function useT(): Messages {
  return useI18n().t;
}

/** The current language, also handed to the design system so that its own labels follow it. */
export function useLang(): Lang {
  return useI18n().lang;
}
