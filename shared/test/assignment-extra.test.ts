import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasConflict } from '../src/conflicts.js';
import { AssignmentInputError, planAssignment, planExtraJudges, replaceJudge } from '../src/index.js';
import { entry, judge, judgesOf, type TJudge } from './assignment-helpers.js';

const pairs = (list: { entryId: string; judgeId: string }[]) => list.map((a) => [a.entryId, a.judgeId]);

describe('planExtraJudges', () => {
  const judges = ['A', 'B', 'C', 'D'].map((id) => judge(id, `s${id}`));
  const existing = [
    { entryId: 'e1', judgeId: 'A' },
    { entryId: 'e1', judgeId: 'B' },
    { entryId: 'e2', judgeId: 'C' },
    { entryId: 'e2', judgeId: 'D' },
    { entryId: 'e3', judgeId: 'A' },
    { entryId: 'e3', judgeId: 'C' },
  ];
  const entries = [
    { ...entry('e3', 'x'), priority: 1 },
    { ...entry('e1', 'x'), priority: 3 },
    { ...entry('e2', 'x'), priority: 2 },
  ];

  it('serves the highest priority first, picks the least-loaded new judge, and stops at the budget', () => {
    // Loads A2 B1 C2 D1. e1 may take C or D: D has fewer. e2 may take A or B: B has fewer. e3: budget gone.
    const plan = planExtraJudges({ scope: 'pool', seed: 1, entries, judges, existing, budget: 2 });
    expect(pairs(plan.assignments)).toEqual([
      ['e1', 'D'],
      ['e2', 'B'],
    ]);
    expect(plan.assignments.map((a) => a.order)).toEqual([1, 1]);
    expect(plan.assignments[0]!.reason).toEqual({
      kind: 'extra',
      loadBefore: 1,
      minLoad: 1,
      candidates: 4,
      excludedByConflict: 0,
    });
    expect(plan.skipped).toEqual([
      { entryId: 'e3', reason: 'budget', wanted: 1, got: 0, message: 'budget exhausted' },
    ]);
    expect(plan.budgetLeft).toBe(0);
    expect(plan.loads).toEqual([
      { judgeId: 'A', count: 2 },
      { judgeId: 'B', count: 2 },
      { judgeId: 'C', count: 2 },
      { judgeId: 'D', count: 2 },
    ]);
  });

  it('without a budget serves everyone, and reports entries with no judge left to add', () => {
    const plan = planExtraJudges({
      scope: 'pool',
      seed: 1,
      entries: [...entries, { ...entry('e4', 'sB'), priority: 0 }],
      judges,
      existing: [
        ...existing,
        { entryId: 'e4', judgeId: 'A' },
        { entryId: 'e4', judgeId: 'C' },
        { entryId: 'e4', judgeId: 'D' },
      ],
      extraPerEntry: 2,
    });
    const added = judgesOf(plan.assignments);
    expect(added.get('e1')).toEqual(['C', 'D']);
    expect(added.get('e2')).toEqual(['A', 'B']);
    expect(added.get('e3')).toEqual(['B', 'D']);
    expect(added.get('e4')).toBeUndefined();
    expect(plan.skipped).toEqual([
      {
        entryId: 'e4',
        reason: 'noEligibleJudge',
        wanted: 2,
        got: 0,
        message: '0 of 2 extra judges: no other judge in the pool without a conflict of interest',
      },
    ]);
    expect(plan.budgetLeft).toBeNull();
  });

  it('in panel scope adds judges from the panel most of the entry judges sit in', () => {
    const panelJudges: TJudge[] = [
      judge('a1', 'x1', { panelId: 'P1' }),
      judge('a2', 'x2', { panelId: 'P1' }),
      judge('a3', 'x3', { panelId: 'P1' }),
      judge('b1', 'y1', { panelId: 'P2' }),
      judge('b2', 'y2', { panelId: 'P2' }),
    ];
    const plan = planExtraJudges({
      scope: 'panel',
      seed: 4,
      panels: [{ id: 'P1' }, { id: 'P2' }],
      entries: [{ ...entry('e1', 'z'), priority: 1 }],
      judges: panelJudges,
      existing: [
        { entryId: 'e1', judgeId: 'a1' },
        { entryId: 'e1', judgeId: 'a2' },
        { entryId: 'e1', judgeId: 'b1' },
        { entryId: 'other', judgeId: 'a3' },
        { entryId: 'other2', judgeId: 'a3' },
      ],
    });
    // a3 is busier than b2, but b2 is in the other panel.
    expect(pairs(plan.assignments)).toEqual([['e1', 'a3']]);
    expect(plan.assignments[0]!.reason).toMatchObject({ kind: 'extra', panelId: 'P1', loadBefore: 2 });
    expect(plan.assignments[0]!.order).toBe(2);
  });

  it('rejects duplicate existing assignments', () => {
    expect(() =>
      planExtraJudges({ scope: 'pool', seed: 1, entries, judges, existing: [existing[0]!, existing[0]!] }),
    ).toThrow(AssignmentInputError);
  });

  it('respects budget, priority, conflicts and existing judges on random contests', () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      budget: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
      extraPerEntry: fc.integer({ min: 1, max: 3 }),
      judgeSchools: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 8 }),
      entries: fc.array(
        fc.record({ school: fc.integer({ min: 0, max: 4 }), priority: fc.integer({ min: 0, max: 3 }) }),
        {
          maxLength: 15,
        },
      ),
      existingBits: fc.array(fc.boolean(), { minLength: 120, maxLength: 120 }),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const js = c.judgeSchools.map((s, k) => judge(`j${k}`, `s${s}`));
        const es = c.entries.map((e, i) => ({ ...entry(`e${i}`, `s${e.school}`), priority: e.priority }));
        const existing = es.flatMap((e, i) =>
          js
            .filter((j, k) => c.existingBits[(i * 8 + k) % 120] && !hasConflict(j, e))
            .map((j) => ({ entryId: e.id, judgeId: j.id })),
        );
        const plan = planExtraJudges({
          scope: 'pool',
          seed: c.seed,
          budget: c.budget,
          extraPerEntry: c.extraPerEntry,
          entries: es,
          judges: js,
          existing,
        });
        if (c.budget !== undefined) expect(plan.assignments.length).toBeLessThanOrEqual(c.budget);
        const had = new Set(existing.map((a) => `${a.entryId}/${a.judgeId}`));
        const seen = new Set<string>();
        for (const a of plan.assignments) {
          expect(a.reason.kind).toBe('extra');
          const key = `${a.entryId}/${a.judgeId}`;
          expect(had.has(key) || seen.has(key)).toBe(false);
          seen.add(key);
          expect(
            hasConflict(
              js.find((j) => j.id === a.judgeId)!,
              es.find((e) => e.id === a.entryId)!,
            ),
          ).toBe(false);
        }
        const got = judgesOf(plan.assignments);
        for (const e of es) {
          const n = got.get(e.id)?.length ?? 0;
          const eligible = js.filter((j) => !hasConflict(j, e) && !had.has(`${e.id}/${j.id}`)).length;
          const skip = plan.skipped.find((s) => s.entryId === e.id);
          if (n === c.extraPerEntry) expect(skip).toBeUndefined();
          else expect(skip).toMatchObject({ got: n, wanted: c.extraPerEntry });
          if (skip?.reason === 'noEligibleJudge') expect(n).toBe(eligible);
          // Once the budget runs out, nothing of lower priority is served.
          if (skip?.reason === 'budget')
            for (const lower of es.filter((x) => x.priority < e.priority))
              expect(got.get(lower.id)).toBeUndefined();
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('replaceJudge', () => {
  const judges = ['A', 'B', 'C', 'D'].map((id) => judge(id, `s${id}`));
  const entries = [entry('e1', 'x'), entry('e2', 'x'), entry('e3', 'sD')];
  const assignments = [
    { entryId: 'e1', judgeId: 'A', scored: true, order: 0 },
    { entryId: 'e2', judgeId: 'A', scored: false, order: 1 },
    { entryId: 'e3', judgeId: 'A', scored: false, order: 2 },
    { entryId: 'e1', judgeId: 'B', scored: false, order: 0 },
    { entryId: 'e2', judgeId: 'C', scored: false, order: 0 },
    { entryId: 'e3', judgeId: 'B', scored: true, order: 1 },
    { entryId: 'e3', judgeId: 'C', scored: false, order: 1 },
  ];

  it('keeps scored work, hands unscored work to eligible least-loaded judges, keeps everyone else in place', () => {
    const plan = replaceJudge({
      scope: 'pool',
      seed: 1,
      droppedJudgeId: 'A',
      entries,
      judges: judges.slice(1),
      assignments,
    });
    // e2 (on C): B and D could take it; D has nothing. e3 is from D's school and B and C have it already.
    expect(plan.removed).toEqual([
      { entryId: 'e2', judgeId: 'A' },
      { entryId: 'e3', judgeId: 'A' },
    ]);
    const added = plan.assignments.filter((a) => a.reason.kind !== 'kept');
    expect(pairs(added)).toEqual([['e2', 'D']]);
    expect(added[0]!.reason).toEqual({
      kind: 'pool',
      loadBefore: 0,
      minLoad: 0,
      candidates: 3,
      excludedByConflict: 0,
      replacesJudgeId: 'A',
    });
    expect(added[0]!.order).toBe(0);
    const kept = plan.assignments.filter((a) => a.reason.kind === 'kept');
    expect(kept.map((a) => [a.entryId, a.judgeId, a.order])).toEqual([
      ['e1', 'A', 0],
      ['e1', 'B', 0],
      ['e2', 'C', 0],
      ['e3', 'B', 1],
      ['e3', 'C', 1],
    ]);
    expect(plan.problems).toEqual([
      {
        entryId: 'e3',
        kind: 'notEnoughJudges',
        needed: 3,
        got: 2,
        message: '2 of 3 judges: the pool has 3 judges, 1 excluded by conflicts of interest',
      },
    ]);
    expect(plan.loads).toEqual([
      { judgeId: 'A', count: 1 },
      { judgeId: 'B', count: 2 },
      { judgeId: 'C', count: 2 },
      { judgeId: 'D', count: 1 },
    ]);
  });

  it('reports entries that cannot be covered', () => {
    const plan = replaceJudge({
      scope: 'pool',
      seed: 1,
      droppedJudgeId: 'A',
      entries: [entry('e3', 'sD')],
      judges: [judge('B', 'sB'), judge('D', 'sD')],
      assignments: [
        { entryId: 'e3', judgeId: 'A', scored: false },
        { entryId: 'e3', judgeId: 'B', scored: true },
      ],
    });
    expect(plan.assignments.map((a) => [a.entryId, a.judgeId, a.reason.kind])).toEqual([['e3', 'B', 'kept']]);
    expect(plan.problems).toEqual([
      {
        entryId: 'e3',
        kind: 'notEnoughJudges',
        needed: 2,
        got: 1,
        message: '1 of 2 judges: the pool has 2 judges, 1 excluded by conflicts of interest',
      },
    ]);
  });

  it('in panel scope replaces from the entry panel, even when another panel is emptier', () => {
    const plan = replaceJudge({
      scope: 'panel',
      seed: 3,
      droppedJudgeId: 'a1',
      panels: [{ id: 'P1' }, { id: 'P2' }],
      entries: [entry('e1', 'z'), entry('e2', 'z')],
      judges: [
        judge('a1', 'x', { panelId: 'P1' }),
        judge('a2', 'y', { panelId: 'P1' }),
        judge('a3', 'w', { panelId: 'P1' }),
        judge('b1', 'v', { panelId: 'P2' }),
      ],
      assignments: [
        { entryId: 'e1', judgeId: 'a1', scored: false },
        { entryId: 'e1', judgeId: 'a2', scored: false },
        { entryId: 'e2', judgeId: 'a3', scored: true },
        { entryId: 'e2', judgeId: 'a2', scored: true },
      ],
    });
    expect(judgesOf(plan.assignments).get('e1')).toEqual(['a2', 'a3']);
    expect(plan.assignments.find((a) => a.entryId === 'e1' && a.judgeId === 'a3')!.reason).toMatchObject({
      kind: 'panel',
      panelId: 'P1',
      replacesJudgeId: 'a1',
    });
  });

  it('rejects a plan that would keep a conflict', () => {
    expect(() =>
      replaceJudge({
        scope: 'pool',
        seed: 1,
        droppedJudgeId: 'A',
        entries: [entry('e1', 'sB')],
        judges: [judge('B', 'sB')],
        assignments: [{ entryId: 'e1', judgeId: 'B', scored: true }],
      }),
    ).toThrow(/assignments\[0\]: judge "B" has a conflict of interest with entry "e1"/);
  });

  it('on random plans: scored work stays, unscored work moves to a new eligible judge or is reported', () => {
    const arb = fc.record({
      seed: fc.integer({ min: 0, max: 0xffffffff }),
      schools: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 10 }),
      entrySchools: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 25 }),
      scoredBits: fc.array(fc.boolean(), { minLength: 97, maxLength: 97 }),
      dropped: fc.nat(),
      scope: fc.constantFrom('pool' as const, 'panel' as const),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const panels = [{ id: 'P0' }, { id: 'P1' }];
        const js = c.schools.map((s, k) => judge(`j${k}`, `s${s}`, { panelId: `P${k % 2}` }));
        const es = c.entrySchools.map((s, i) => entry(`e${i}`, `s${s}`));
        const base = planAssignment({
          scope: c.scope,
          seed: c.seed,
          judgesPerEntry: 3,
          panels,
          judges: js,
          entries: es,
        });
        const current = base.assignments.map((a, i) => ({
          entryId: a.entryId,
          judgeId: a.judgeId,
          order: a.order,
          panelId: a.panelId,
          scored: c.scoredBits[i % 97]!,
        }));
        const droppedId = js[c.dropped % js.length]!.id;
        const remaining = js.filter((j) => j.id !== droppedId);
        const plan = replaceJudge({
          scope: c.scope,
          seed: c.seed,
          droppedJudgeId: droppedId,
          panels,
          entries: es,
          judges: remaining,
          assignments: current,
        });

        const result = new Set(plan.assignments.map((a) => `${a.entryId}/${a.judgeId}`));
        for (const a of current) {
          const stays = a.judgeId !== droppedId || a.scored;
          expect(result.has(`${a.entryId}/${a.judgeId}`)).toBe(stays);
        }
        expect(plan.removed.length).toBe(current.filter((a) => a.judgeId === droppedId && !a.scored).length);
        for (const a of plan.assignments) {
          if (a.reason.kind === 'kept') {
            expect(a.order).toBe(
              current.find((x) => x.entryId === a.entryId && x.judgeId === a.judgeId)!.order,
            );
            continue;
          }
          expect(a.reason.replacesJudgeId).toBe(droppedId);
          expect(a.judgeId).not.toBe(droppedId);
          const j = remaining.find((x) => x.id === a.judgeId)!;
          expect(
            hasConflict(
              j,
              es.find((e) => e.id === a.entryId)!,
            ),
          ).toBe(false);
          if (c.scope === 'panel') expect(a.panelId).toBe(js.find((x) => x.id === droppedId)!.panelId);
        }
        const before = judgesOf(current);
        const after = judgesOf(plan.assignments);
        expect(after.size).toBeLessThanOrEqual(before.size);
        for (const { entryId } of plan.removed) {
          const n = after.get(entryId)?.length ?? 0;
          const problem = plan.problems.find((p) => p.entryId === entryId);
          if (n === before.get(entryId)!.length) expect(problem).toBeUndefined();
          else expect(problem).toMatchObject({ needed: before.get(entryId)!.length, got: n });
        }
        expect(plan.problems.every((p) => plan.removed.some((r) => r.entryId === p.entryId))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
