import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Tree = { [k: string]: string | Tree };
const file = (ns: string, lng: string) => (ns === 'translation' ? `${lng}.json` : `${ns}.${lng}.json`);
const loadNs = (ns: string, lng: string): Tree =>
  JSON.parse(readFileSync(new URL(`../src/i18n/${file(ns, lng)}`, import.meta.url), 'utf8'));
/** Every namespace's keys, prefixed `ns:` as i18next writes them (the common file unprefixed). */
const NAMESPACES = ['translation', 'judge', 'organize', 'public', 'setup', 'assign', 'record'];
const load = (lng: string): Tree =>
  Object.fromEntries(
    NAMESPACES.flatMap((ns) => {
      const tree = loadNs(ns, lng);
      return ns === 'translation' ? Object.entries(tree) : [[`${ns}:`, tree]];
    }),
  );

/** Every leaf as `a.b.c` → text; a branch that is a string in one file and an object in the other shows up as a differing key. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('translations', () => {
  const zh = leaves(load('zh'));
  const en = leaves(load('en'));

  it('the Chinese and English files of every namespace have the same keys', () => {
    const onlyZh = [...zh.keys()].filter((k) => !en.has(k));
    const onlyEn = [...en.keys()].filter((k) => !zh.has(k));
    expect({ onlyZh, onlyEn }).toEqual({ onlyZh: [], onlyEn: [] });
    expect(zh.size).toBeGreaterThan(50);
  });

  it('each text uses the same {{placeholders}} in both languages', () => {
    const differing = [...zh]
      .filter(([k, v]) => en.has(k) && placeholders(v).join() !== placeholders(en.get(k)!).join())
      .map(([k]) => k);
    expect(differing).toEqual([]);
  });

  it('no text is empty, and the status badges say what the organizers call them', () => {
    expect([...zh, ...en].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
    expect(['draft', 'judging', 'review', 'published'].map((s) => zh.get(`status.${s}`))).toEqual([
      '草稿',
      '评审中',
      '审核中',
      '已公布',
    ]);
    expect(zh.get('feedback.notPublished')).toContain('结果公布后可在此查看评分与评语');
  });
});
