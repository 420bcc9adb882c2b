import type { AdvancementEntry } from '../../src/index.js';

export interface Row {
  score: number | null;
  school?: string;
  category?: string;
  /** Higher wins among equal scores, as the round's tie-break did. */
  tieBreak?: number;
  incomplete?: boolean;
}

/** Entries e0, e1, ... with competition ranks computed from score then tieBreak (what the engine's ranks look like). */
export function entriesOf(rows: readonly Row[]): AdvancementEntry[] {
  const key = (r: Row) => [r.score ?? -Infinity, r.tieBreak ?? 0] as const;
  return rows.map((r, i) => {
    const incomplete = r.incomplete === true || r.score === null;
    const [s, t] = key(r);
    const better = rows.filter((o) => {
      if (o.incomplete === true || o.score === null) return false;
      const [os, ot] = key(o);
      return os > s || (os === s && ot > t);
    }).length;
    return {
      id: `e${i}`,
      score: r.score,
      rank: incomplete ? null : better + 1,
      school: r.school ?? null,
      category: r.category ?? null,
      incomplete,
    };
  });
}
