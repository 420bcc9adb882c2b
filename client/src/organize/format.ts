// Small pure helpers of the organizer pages (kept free of React so unit tests can reach them).
import type { Language } from '../i18n';

const locale = (lng: Language) => (lng === 'en' ? 'en' : 'zh-CN');

/** "3 minutes ago" in the reader's language; `now` is passed so a refresh moves it on. */
export function formatAgo(iso: string, now: Date, lng: Language): string {
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((then - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(lng), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(0, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function formatTime(d: Date, lng: Language): string {
  return d.toLocaleTimeString(locale(lng), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function formatDateTime(iso: string, lng: Language): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale(lng), {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** Scores on the 0–100 scale with two decimals, as the export writes them. */
export function formatScore(n: number | null | undefined, lng: Language): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString(locale(lng), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A signed difference in points: "+2.40", "−1.05". */
export function formatSigned(n: number, lng: Language): string {
  const s = Math.abs(n).toLocaleString(locale(lng), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return n > 0 ? `+${s}` : n < 0 ? `−${s}` : s;
}

export function share(part: number, whole: number): number {
  return whole > 0 ? part / whole : 0;
}

/** How an ICC reads, after the usual guideline (Koo & Li 2016): below 0.5 poor … above 0.9 excellent. */
export type IccBand = 'poor' | 'moderate' | 'good' | 'excellent';
export function iccBand(icc: number): IccBand {
  if (icc < 0.5) return 'poor';
  if (icc < 0.75) return 'moderate';
  if (icc < 0.9) return 'good';
  return 'excellent';
}

/** A round step (1, 2 or 5 times a power of ten) giving about `count` intervals up to `max`. */
export function niceStep(max: number, count = 4): number {
  if (!(max > 0)) return 1;
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
}

/** Axis ticks from 0 to the first step at or above `max` (integers stay integers for counts). */
export function ticks(max: number, count = 4): number[] {
  const step = niceStep(max, count);
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  const out: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) out.push(Math.round(v * 1e6) / 1e6);
  return out;
}

export type SortKey = 'done' | 'name' | 'panel' | 'lastActivity';
type Sortable = { name: string; panelName: string | null; done: number; lastActivityAt: string | null };

/** Judges in the order chosen; ties fall back to the name so the order never jumps between refreshes. */
export function sortJudges<T extends Sortable>(list: readonly T[], key: SortKey, ascending: boolean): T[] {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, 'zh');
  const cmp: Record<SortKey, (a: T, b: T) => number> = {
    done: (a, b) => a.done - b.done,
    name: () => 0,
    panel: (a, b) => (a.panelName ?? '\uffff').localeCompare(b.panelName ?? '\uffff', 'zh'),
    // Never active sorts as the oldest.
    lastActivity: (a, b) =>
      (a.lastActivityAt ? Date.parse(a.lastActivityAt) : 0) -
      (b.lastActivityAt ? Date.parse(b.lastActivityAt) : 0),
  };
  const dir = ascending ? 1 : -1;
  return [...list].sort((a, b) => dir * (cmp[key](a, b) || byName(a, b)));
}
