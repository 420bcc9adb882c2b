import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import zh from './zh.json';
import en from './en.json';
// One file per area (judge, organize, public) so each area's strings stay together.
import judgeZh from './judge.zh.json';
import judgeEn from './judge.en.json';
import organizeZh from './organize.zh.json';
import organizeEn from './organize.en.json';
import publicZh from './public.zh.json';
import publicEn from './public.en.json';
import setupZh from './setup.zh.json';
import setupEn from './setup.en.json';
import assignZh from './assign.zh.json';
import assignEn from './assign.en.json';
import recordZh from './record.zh.json';
import recordEn from './record.en.json';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'pingxuan.lang';
const HTML_LANG: Record<Language, string> = { zh: 'zh-CN', en: 'en' };

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    // Keys are checked against the Chinese file at compile time; test/i18n.test.ts keeps en.json in step.
    resources: {
      translation: typeof zh;
      judge: typeof judgeZh;
      organize: typeof organizeZh;
      public: typeof publicZh;
      setup: typeof setupZh;
      assign: typeof assignZh;
      record: typeof recordZh;
    };
  }
}

function stored(): Language {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return v === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage blocked (private mode): Chinese first
  }
}

export function setLanguage(lng: Language): void {
  try {
    localStorage.setItem(STORAGE_KEY, lng);
  } catch {
    // not kept across visits; the switch still works for this page
  }
  void i18n.changeLanguage(lng);
}

export function currentLanguage(): Language {
  return i18n.resolvedLanguage === 'en' ? 'en' : 'zh';
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = HTML_LANG[lng === 'en' ? 'en' : 'zh'];
});

void i18n.use(initReactI18next).init({
  resources: {
    zh: {
      translation: zh,
      judge: judgeZh,
      organize: organizeZh,
      public: publicZh,
      setup: setupZh,
      assign: assignZh,
      record: recordZh,
    },
    en: {
      translation: en,
      judge: judgeEn,
      organize: organizeEn,
      public: publicEn,
      setup: setupEn,
      assign: assignEn,
      record: recordEn,
    },
  },
  ns: ['translation', 'judge', 'organize', 'public', 'setup', 'assign', 'record'],
  defaultNS: 'translation',
  lng: stored(),
  fallbackLng: 'zh',
  supportedLngs: [...LANGUAGES],
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

export default i18n;

/** The language shown now; components using it re-render on a switch. */
export function useLanguage(): Language {
  const { i18n: instance } = useTranslation();
  return instance.resolvedLanguage === 'en' ? 'en' : 'zh';
}
