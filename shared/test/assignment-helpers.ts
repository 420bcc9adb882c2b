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
export function judgesOf(
  assignments: readonly { entryId: string; judgeId: string }[],
): Map<string, string[]> {
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

/**
 * Reference check that a plan's loads are as even as the conflicts allow: no chain of single-entry hand-overs
 * (judge a gives one of its entries to b, who may take it and does not have it; b gives one to c; ...) leads
 * from a judge to another judge with at least two entries fewer. Such a chain would even the loads out, so its
 * absence is what "balanced whenever the conflicts allow" means; judges are compared within `groupOf`.
 */
export function improvingChain(
  plan: AssignmentPlan,
  input: { entries: TEntry[]; judges: TJudge[] },
  groupOf: (judge: TJudge) => string = () => 'pool',
): string[] | null {
  const entries = new Map(input.entries.map((e) => [e.id, e]));
  const holders = judgesOf(plan.assignments);
  const held = new Map<string, string[]>();
  for (const a of plan.assignments) held.set(a.judgeId, [...(held.get(a.judgeId) ?? []), a.entryId]);
  const load = (id: string) => held.get(id)?.length ?? 0;
  for (const from of input.judges) {
    // Breadth-first over judges of the same group reachable by hand-overs.
    const group = groupOf(from);
    const prev = new Map<string, string>([[from.id, '']]);
    const queue = [from];
    while (queue.length) {
      const a = queue.shift()!;
      if (load(a.id) <= load(from.id) - 2) {
        const path = [a.id];
        for (let p = prev.get(a.id)!; p; p = prev.get(p)!) path.unshift(p);
        return path;
      }
      for (const entryId of held.get(a.id) ?? []) {
        const e = entries.get(entryId)!;
        for (const b of input.judges) {
          if (
            prev.has(b.id) ||
            groupOf(b) !== group ||
            hasConflict(b, e) ||
            holders.get(entryId)!.includes(b.id)
          )
            continue;
          prev.set(b.id, a.id);
          queue.push(b);
        }
      }
    }
  }
  return null;
}
