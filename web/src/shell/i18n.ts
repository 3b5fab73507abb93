import i18next, { type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { common } from './strings.ts';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Strings of one area, in both languages; the area's name is its i18n namespace. */
export interface AreaStrings {
  namespace: string;
  'zh-CN': Record<string, unknown>;
  en: Record<string, unknown>;
}

// Each area keeps its strings in `web/src/<area>/i18n.ts` or `<feature>.i18n.ts` (default export):
// no shared file to edit. Files of one namespace are merged; a key defined twice is a mistake.
const areaModules = import.meta.glob<{ default: AreaStrings }>(['../*/i18n.ts', '../*/*.i18n.ts'], { eager: true });

const STORAGE_KEY = 'lenity.language';

function resources(): Resource {
  const all: Resource = { 'zh-CN': { common: common['zh-CN'] }, en: { common: common.en } };
  for (const [file, module] of Object.entries(areaModules)) {
    const strings = module.default;
    for (const language of LANGUAGES) {
      const existing = (all[language]![strings.namespace] ?? {}) as Record<string, unknown>;
      const twice = Object.keys(strings[language]).filter((key) => key in existing);
      if (twice.length > 0) throw new Error(`${file}: ${strings.namespace}:${twice.join(', ')} already defined`);
      all[language]![strings.namespace] = { ...existing, ...strings[language] };
    }
  }
  return all;
}

export function isLanguage(value: unknown): value is Language {
  return value === 'zh-CN' || value === 'en';
}

/** The language chosen on this device, else the browser's (Chinese for any zh-*, else English). */
export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (isLanguage(stored)) return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Whether the person chose a language on this device (which then wins over their profile). */
export function hasStoredLanguage(): boolean {
  return isLanguage(localStorage.getItem(STORAGE_KEY));
}

export async function changeLanguage(language: Language, remember = true): Promise<void> {
  if (remember) localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language;
  await i18next.changeLanguage(language);
}

export function setUpI18n(): typeof i18next {
  const language = initialLanguage();
  document.documentElement.lang = language;
  void i18next.use(initReactI18next).init({
    resources: resources(),
    lng: language,
    fallbackLng: 'en',
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return i18next;
}
