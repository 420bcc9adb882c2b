import type { LocalizedText } from '@pingxuan/shared';
import type { Language } from './i18n';

/** Contest names of categories, rounds and criteria: Chinese always, English when given. */
export function localized(
  text: LocalizedText | { zh: string; en?: string | undefined },
  lng: Language,
): string {
  return lng === 'en' && text.en ? text.en : text.zh;
}

export function formatDate(iso: string, lng: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(lng === 'en' ? 'en' : 'zh-CN', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

export function formatNumber(n: number, lng: Language): string {
  return n.toLocaleString(lng === 'en' ? 'en' : 'zh-CN', { maximumFractionDigits: 2 });
}

export function formatPercent(share: number, lng: Language): string {
  return share.toLocaleString(lng === 'en' ? 'en' : 'zh-CN', { style: 'percent', maximumFractionDigits: 1 });
}
