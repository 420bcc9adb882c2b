import { expect } from 'vitest';
import { hasConflict } from '../src/conflicts.js';
import type { AssignmentPlan, PlannedAssignment } from '../src/index.js';

export interface TJudge {
  id: string;
  school?: string | null;
  panelId?: string | null;
  conflictSchools: string[];
  conflictEntryCodes: string[];
}
export interface TEntry {
  id: string;
  code: string;
  school?: string | null;
  category?: string | null;
}

export const judge = (id: string, school: string | null, extra: Partial<TJudge> = {}): TJudge => ({
  id,
  school,
  panelId: null,
  conflictSchools: [],
  conflictEntryCodes: [],
  ...extra,
});
export const entry = (id: string, school: string | null, category: string | null = null): TEntry => ({
  id,
  code: id.toUpperCase(),
  school,
  category,
});

/** Judge ids per entry, sorted. */
export function judgesOf(assignments: readonly { entryId: string; judgeId: string }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of assignments) {
    const list = out.get(a.entryId) ?? [];
    list.push(a.judgeId);
    out.set(a.entryId, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

export function countByJudge(assignments: readonly PlannedAssignment[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const a of assignments) out.set(a.judgeId, (out.get(a.judgeId) ?? 0) + 1);
  return out;
}

/**
 * Invariants every plan must satisfy, checked against the reference conflict rule (hasConflict):
 * no conflicted pair, no judge twice on an entry, loads equal the assignment counts, each judge's
 * positions are 0..n-1, and entries short of judges are exactly the ones reported.
 */
export function expectValidPlan(
  plan: AssignmentPlan,
  input: { entries: TEntry[]; judges: TJudge[]; judgesPerEntry?: number },
): void {
  const entries = new Map(input.entries.map((e) => [e.id, e]));
  const judges = new Map(input.judges.map((j) => [j.id, j]));
  const pairs = new Set<string>();
  for (const a of plan.assignments) {
    const e = entries.get(a.entryId);
    const j = judges.get(a.judgeId);
    expect(e, a.entryId).toBeDefined();
    expect(j, a.judgeId).toBeDefined();
    expect(hasConflict(j!, e!), `${a.judgeId} must not get ${a.entryId}`).toBe(false);
    const key = `${a.entryId}/${a.judgeId}`;
    expect(pairs.has(key), `duplicate ${key}`).toBe(false);
    pairs.add(key);
  }
  const counts = countByJudge(plan.assignments);
  expect(plan.loads.map((l) => l.judgeId)).toEqual([...judges.keys()].sort());
  for (const l of plan.loads) expect(l.count, l.judgeId).toBe(counts.get(l.judgeId) ?? 0);

  const orders = new Map<string, number[]>();
  for (const a of plan.assignments) orders.set(a.judgeId, [...(orders.get(a.judgeId) ?? []), a.order]);
  for (const [judgeId, list] of orders)
    expect(
      [...list].sort((x, y) => x - y),
      judgeId,
    ).toEqual(list.map((_, i) => i));

  const perEntry = judgesOf(plan.assignments);
  const needed = input.judgesPerEntry ?? 5;
  const short = input.entries
    .filter((e) => (perEntry.get(e.id)?.length ?? 0) < needed)
    .map((e) => e.id)
    .sort();
  expect(plan.problems.map((p) => p.entryId).sort()).toEqual(short);
  for (const p of plan.problems) {
    expect(p.needed).toBe(needed);
    expect(p.got).toBe(perEntry.get(p.entryId)?.length ?? 0);
  }
}
