import { normalizeEntryCode, normalizeSchool } from '../conflicts.js';
import type { AssignmentInputProblem } from './errors.js';

export interface ModelEntry {
  id: string;
  code: string;
  school?: string | null;
  category?: string | null;
}
export interface ModelJudge {
  id: string;
  school?: string | null;
  panelId?: string | null;
  conflictSchools: string[];
  conflictEntryCodes: string[];
}
export interface ModelPanel {
  id: string;
  category?: string | null;
}

/**
 * Entries, judges and panels in index form, each sorted by id so nothing depends on input order.
 * Conflicts are inverted once (school → judges, code → judges) so each entry's conflicted judges are found
 * in time proportional to their number, never entries × judges.
 */
export interface Model {
  entryIds: string[];
  entryCategory: (string | null)[];
  entryIndex: Map<string, number>;
  judgeIds: string[];
  judgeIndex: Map<string, number>;
  /** Panel index of each judge, -1 for none. */
  judgePanel: Int32Array;
  /** Judges that hold work but get no new work (named only by existing assignments, or dropping out). */
  closed: Uint8Array;
  panelIds: string[];
  panelCategory: (string | null)[];
  /** Conflicted judges of entry e: confJudges[confStart[e] .. confStart[e + 1]), ascending. */
  confStart: Int32Array;
  confJudges: Int32Array;
}

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function sortedUnique<T extends { id: string }>(
  items: readonly T[],
  what: string,
  problems: AssignmentInputProblem[],
): T[] {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined)
      problems.push({
        path: [what, i, 'id'],
        message: `duplicate id "${item.id}" (also at ${what}[${first}])`,
      });
    else seen.set(item.id, i);
  });
  return [...items].sort((a, b) => compareIds(a.id, b.id));
}

/** Builds the index form; appends problems (duplicates, unknown panels) instead of throwing. */
export function buildModel(
  entries: readonly ModelEntry[],
  judges: readonly ModelJudge[],
  panels: readonly ModelPanel[],
  opts: { checkPanels: boolean; extraClosedJudgeIds?: readonly string[] },
  problems: AssignmentInputProblem[],
): Model {
  const sortedEntries = sortedUnique(entries, 'entries', problems);
  const sortedPanels = sortedUnique(panels, 'panels', problems);
  const sortedJudges = sortedUnique(judges, 'judges', problems);

  const panelIndex = new Map<string, number>();
  const panelIds: string[] = [];
  const panelCategory: (string | null)[] = [];
  for (const p of sortedPanels) {
    if (panelIndex.has(p.id)) continue;
    panelIndex.set(p.id, panelIds.length);
    panelIds.push(p.id);
    panelCategory.push(p.category ?? null);
  }

  const judgeIndex = new Map<string, number>();
  const judgeIds: string[] = [];
  const judgeList: ModelJudge[] = [];
  for (const j of sortedJudges) {
    if (judgeIndex.has(j.id)) continue;
    judgeIndex.set(j.id, judgeIds.length);
    judgeIds.push(j.id);
    judgeList.push(j);
  }
  const closedExtra = [...new Set(opts.extraClosedJudgeIds ?? [])]
    .filter((id) => !judgeIndex.has(id))
    .sort(compareIds);
  // Closed judges are appended after the real ones; they hold work but are never in a group.
  const realJudges = judgeIds.length;
  for (const id of closedExtra) {
    judgeIndex.set(id, judgeIds.length);
    judgeIds.push(id);
  }
  const J = judgeIds.length;
  const judgePanel = new Int32Array(J).fill(-1);
  const closed = new Uint8Array(J);
  for (let j = realJudges; j < J; j++) closed[j] = 1;
  const judgeInputIndex = new Map<string, number>();
  judges.forEach((j, i) => {
    if (!judgeInputIndex.has(j.id)) judgeInputIndex.set(j.id, i);
  });
  judgeList.forEach((j, idx) => {
    if (j.panelId == null) return;
    const p = panelIndex.get(j.panelId);
    if (p !== undefined) judgePanel[idx] = p;
    else if (opts.checkPanels)
      problems.push({
        path: ['judges', judgeInputIndex.get(j.id) ?? idx, 'panelId'],
        message: `unknown panel "${j.panelId}"`,
      });
  });

  const entryIndex = new Map<string, number>();
  const entryIds: string[] = [];
  const entryList: ModelEntry[] = [];
  for (const e of sortedEntries) {
    if (entryIndex.has(e.id)) continue;
    entryIndex.set(e.id, entryIds.length);
    entryIds.push(e.id);
    entryList.push(e);
  }
  const E = entryIds.length;

  // Inverted conflicts, normalized exactly as conflicts.ts does (the same functions).
  const schoolCache = new Map<string, string>();
  const normSchool = (s: string | null | undefined): string => {
    if (s == null) return '';
    let n = schoolCache.get(s);
    if (n === undefined) {
      n = normalizeSchool(s);
      schoolCache.set(s, n);
    }
    return n;
  };
  const bySchool = new Map<string, number[]>();
  const byCode = new Map<string, number[]>();
  judgeList.forEach((j, idx) => {
    const schools = new Set([j.school ?? '', ...j.conflictSchools].map(normSchool).filter(Boolean));
    for (const s of schools) {
      const list = bySchool.get(s);
      if (list) list.push(idx);
      else bySchool.set(s, [idx]);
    }
    const codes = new Set(j.conflictEntryCodes.map(normalizeEntryCode).filter(Boolean));
    for (const c of codes) {
      const list = byCode.get(c);
      if (list) list.push(idx);
      else byCode.set(c, [idx]);
    }
  });

  const confStart = new Int32Array(E + 1);
  const parts: number[] = [];
  const stamp = new Int32Array(J).fill(-1);
  const addOnce = (j: number, e: number): void => {
    if (stamp[j] === e) return;
    stamp[j] = e;
    parts.push(j);
  };
  for (let e = 0; e < E; e++) {
    const entry = entryList[e]!;
    const start = parts.length;
    const school = normSchool(entry.school);
    const fromSchool = school ? bySchool.get(school) : undefined;
    if (fromSchool) for (const j of fromSchool) addOnce(j, e);
    if (byCode.size > 0) {
      const code = normalizeEntryCode(entry.code);
      const fromCode = code ? byCode.get(code) : undefined;
      if (fromCode) for (const j of fromCode) addOnce(j, e);
    }
    if (parts.length - start > 1) {
      const sorted = parts.slice(start).sort((a, b) => a - b);
      for (let k = 0; k < sorted.length; k++) parts[start + k] = sorted[k]!;
    }
    confStart[e + 1] = parts.length;
  }

  return {
    entryIds,
    entryCategory: entryList.map((e) => e.category ?? null),
    entryIndex,
    judgeIds,
    judgeIndex,
    judgePanel,
    closed,
    panelIds,
    panelCategory,
    confStart,
    confJudges: Int32Array.from(parts),
  };
}

/** True when judge j has a conflict with entry e (closed judges not in the input are never checked). */
export function isConflicted(model: Model, e: number, j: number): boolean {
  const { confStart, confJudges } = model;
  let lo = confStart[e]!;
  let hi = confStart[e + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = confJudges[mid]!;
    if (v === j) return true;
    if (v < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
