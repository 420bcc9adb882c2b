import { describe, expect, it } from 'vitest';
import {
  AssignmentInputError,
  describeReason,
  planAssignment,
  type AssignmentPlanInput,
  type AssignmentReason,
} from '../src/index.js';
import { countByJudge, entry, expectValidPlan, judge, judgesOf } from './assignment-helpers.js';

const poolOf = (
  input: Omit<AssignmentPlanInput, 'scope' | 'seed'> & { seed?: number },
): AssignmentPlanInput => ({
  scope: 'pool',
  seed: 1,
  ...input,
});

describe('planAssignment: pool scope, hand-checked examples', () => {
  it('spreads 3 entries x 2 judges over 3 judges evenly', () => {
    const input = poolOf({
      judgesPerEntry: 2,
      judges: [judge('A', 's1'), judge('B', 's2'), judge('C', 's3')],
      entries: [entry('e1', 'x'), entry('e2', 'y'), entry('e3', 'z')],
    });
    const plan = planAssignment(input);
    expectValidPlan(plan, { ...input, judgesPerEntry: 2 } as never);
    expect(plan.loads).toEqual([
      { judgeId: 'A', count: 2 },
      { judgeId: 'B', count: 2 },
      { judgeId: 'C', count: 2 },
    ]);
    expect(plan.spread).toEqual({ pool: 0 });
    expect(plan.problems).toEqual([]);
    expect(plan.assignments.map((a) => a.reason.kind)).toEqual(Array(6).fill('pool'));
    expect(plan.assignments.every((a) => a.panelId === null)).toBe(true);
  });

  it('keeps a judge away from entries of the own school and still balances', () => {
    // A teaches at school x, so e1 (from x) must go to B and C; A then takes e2 and e3, and B and C
    // one of them each: everybody ends with 2.
    const input = poolOf({
      judgesPerEntry: 2,
      judges: [judge('A', 'x'), judge('B', 'y'), judge('C', 'z')],
      entries: [entry('e1', 'x'), entry('e2', 'q'), entry('e3', 'r')],
    });
    const plan = planAssignment(input);
    const byEntry = judgesOf(plan.assignments);
    expect(byEntry.get('e1')).toEqual(['B', 'C']);
    expect(byEntry.get('e2')).toContain('A');
    expect(byEntry.get('e3')).toContain('A');
    expect(new Set([...byEntry.get('e2')!, ...byEntry.get('e3')!])).toEqual(new Set(['A', 'B', 'C']));
    expect(plan.loads.map((l) => l.count)).toEqual([2, 2, 2]);
    const e1 = plan.assignments.filter((a) => a.entryId === 'e1');
    for (const a of e1) expect(a.reason).toMatchObject({ candidates: 2, excludedByConflict: 1 });
    const e2 = plan.assignments.find((a) => a.entryId === 'e2')!;
    expect(e2.reason).toMatchObject({ candidates: 3, excludedByConflict: 0 });
  });

  it('honours declared school conflicts and entry-code conflicts (normalised like hasConflict)', () => {
    const input = poolOf({
      judgesPerEntry: 1,
      judges: [
        judge('A', null, { conflictSchools: ['Ｎｏ．２ Ｍｉｄｄｌｅ Ｓｃｈｏｏｌ'] }),
        judge('B', null, { conflictEntryCodes: [' e2 '] }),
      ],
      entries: [entry('e1', 'No.2 Middle School'), entry('e2', null)],
    });
    const plan = planAssignment(input);
    expect(plan.assignments.map((a) => [a.entryId, a.judgeId])).toEqual([
      ['e1', 'B'],
      ['e2', 'A'],
    ]);
  });

  it('reports an entry nobody may judge, and one that gets fewer judges than needed', () => {
    const input = poolOf({
      judgesPerEntry: 2,
      judges: [judge('A', 'x'), judge('B', 'x'), judge('C', 'y')],
      entries: [entry('e1', 'x'), entry('e2', 'y'), entry('e3', 'z')],
    });
    const plan = planAssignment(input);
    expect(judgesOf(plan.assignments).get('e1')).toEqual(['C']);
    expect(judgesOf(plan.assignments).get('e2')).toEqual(['A', 'B']);
    expect(plan.problems).toEqual([
      {
        entryId: 'e1',
        kind: 'notEnoughJudges',
        needed: 2,
        got: 1,
        message: '1 of 2 judges: the pool has 3 judges, 2 excluded by conflicts of interest',
      },
    ]);

    const none = planAssignment(
      poolOf({ judgesPerEntry: 1, judges: [judge('A', 'x')], entries: [entry('e1', 'x')] }),
    );
    expect(none.assignments).toEqual([]);
    expect(none.problems).toMatchObject([{ entryId: 'e1', needed: 1, got: 0, kind: 'notEnoughJudges' }]);
  });

  it('plans nothing and reports everything when there are no judges', () => {
    const plan = planAssignment(poolOf({ judges: [], entries: [entry('e1', 'x')] }));
    expect(plan).toEqual({
      assignments: [],
      loads: [],
      problems: [expect.objectContaining({ entryId: 'e1', needed: 5, got: 0 })],
      spread: { pool: 0 },
    });
  });

  it('records the load the judge had and the lowest load among candidates', () => {
    const plan = planAssignment(
      poolOf({
        judgesPerEntry: 1,
        judges: [judge('A', 'a'), judge('B', 'b')],
        entries: [entry('e1', 'x'), entry('e2', 'x')],
      }),
    );
    const reasons = plan.assignments.map((a) => a.reason).sort((a, b) => a.loadBefore - b.loadBefore);
    expect(reasons).toEqual([
      { kind: 'pool', loadBefore: 0, minLoad: 0, candidates: 2, excludedByConflict: 0 },
      { kind: 'pool', loadBefore: 0, minLoad: 0, candidates: 2, excludedByConflict: 0 },
    ]);
    expect(plan.loads.map((l) => l.count)).toEqual([1, 1]);
  });
});

describe('planAssignment: panel scope', () => {
  const panels = [
    { id: 'P1', category: 'math' },
    { id: 'P2', category: 'chinese' },
    { id: 'P3', category: null },
  ];
  const judges = [
    judge('a1', 's1', { panelId: 'P1' }),
    judge('a2', 's2', { panelId: 'P1' }),
    judge('b1', 's1', { panelId: 'P2' }),
    judge('b2', 's2', { panelId: 'P2' }),
    judge('c1', 's1', { panelId: 'P3' }),
    judge('c2', 's2', { panelId: 'P3' }),
    judge('free', 's3'),
  ];

  it('sends entries to the panel of their category, else to a panel without a category', () => {
    const entries = [
      entry('m1', 'x', 'math'),
      entry('z1', 'x', 'chinese'),
      entry('o1', 'x', 'art'),
      entry('n1', 'x', null),
    ];
    const plan = planAssignment({ scope: 'panel', seed: 3, judgesPerEntry: 2, panels, judges, entries });
    expect(Object.fromEntries(judgesOf(plan.assignments))).toEqual({
      m1: ['a1', 'a2'],
      z1: ['b1', 'b2'],
      o1: ['c1', 'c2'],
      n1: ['c1', 'c2'],
    });
    for (const a of plan.assignments) {
      expect(a.panelId).toBe(a.reason.panelId);
      expect(a.reason.kind).toBe('panel');
    }
    expect(plan.loads.find((l) => l.judgeId === 'free')).toEqual({ judgeId: 'free', count: 0 });
    expect(plan.spread).toEqual({ P1: 0, P2: 0, P3: 0 });
    expect(plan.problems).toEqual([]);
  });

  it('reports entries with no panel for their category and no panel without a category', () => {
    const plan = planAssignment({
      scope: 'panel',
      seed: 3,
      judgesPerEntry: 2,
      panels: panels.slice(0, 2),
      judges: judges.slice(0, 4),
      entries: [entry('o1', 'x', 'art'), entry('m1', 'x', 'math')],
    });
    expect(plan.problems).toEqual([
      {
        entryId: 'o1',
        kind: 'noPanel',
        needed: 2,
        got: 0,
        message: 'no panel for category "art" and no panel without a category',
      },
    ]);
    expect(judgesOf(plan.assignments).get('m1')).toEqual(['a1', 'a2']);
  });

  it('splits entries between panels of the same category in proportion to their judges', () => {
    // 12 seats over 6 judges: the 4-judge panel takes 4 entries, the 2-judge panel 2; everyone has 2.
    const plan = planAssignment({
      scope: 'panel',
      seed: 11,
      judgesPerEntry: 2,
      panels: [
        { id: 'big', category: 'k' },
        { id: 'small', category: 'k' },
      ],
      judges: [
        ...['b1', 'b2', 'b3', 'b4'].map((id) => judge(id, id, { panelId: 'big' })),
        ...['s1', 's2'].map((id) => judge(id, id, { panelId: 'small' })),
      ],
      entries: Array.from({ length: 6 }, (_, i) => entry(`e${i}`, 'x', 'k')),
    });
    expect(plan.loads.map((l) => l.count)).toEqual([2, 2, 2, 2, 2, 2]);
    for (const [, ids] of judgesOf(plan.assignments)) expect(new Set(ids.map((id) => id[0])).size).toBe(1);
  });

  it('prefers a panel that can seat all judges over an emptier panel full of conflicts', () => {
    const plan = planAssignment({
      scope: 'panel',
      seed: 5,
      judgesPerEntry: 2,
      panels: [
        { id: 'P1', category: 'k' },
        { id: 'P2', category: 'k' },
      ],
      judges: [
        judge('a1', 'x', { panelId: 'P1' }),
        judge('a2', 'y', { panelId: 'P1' }),
        judge('b1', 'q', { panelId: 'P2' }),
        judge('b2', 'r', { panelId: 'P2' }),
      ],
      // e0 goes first either way; e1 comes from school x, which P1 cannot fully judge.
      entries: [entry('e0', 'z', 'k'), entry('e1', 'x', 'k')],
      keep: [
        { entryId: 'e0', judgeId: 'b1' },
        { entryId: 'e0', judgeId: 'b2' },
      ],
    });
    expect(judgesOf(plan.assignments).get('e1')).toEqual(['b1', 'b2']);
    expect(plan.problems).toEqual([]);
  });

  it('rejects judges in unknown panels', () => {
    expect(() =>
      planAssignment({
        scope: 'panel',
        seed: 1,
        panels: [],
        judges: [judge('a', 'x', { panelId: 'nope' })],
        entries: [],
      }),
    ).toThrow(/judges\[0\]\.panelId: unknown panel "nope"/);
  });
});

describe('planAssignment: calibration and kept work', () => {
  it('gives a calibration entry to every judge without a conflict, first in their lists', () => {
    const judges = [judge('A', 'x'), judge('B', 'y'), judge('C', 'z'), judge('D', 'w')];
    const entries = [entry('cal', 'x'), entry('e1', 'q'), entry('e2', 'r')];
    const plan = planAssignment(poolOf({ judgesPerEntry: 2, judges, entries, calibrationEntryIds: ['cal'] }));
    expectValidPlan(plan, { judges, entries, judgesPerEntry: 2 });
    const cal = plan.assignments.filter((a) => a.entryId === 'cal');
    expect(cal.map((a) => a.judgeId)).toEqual(['B', 'C', 'D']);
    for (const a of cal) {
      expect(a.reason).toMatchObject({ kind: 'calibration', candidates: 3, excludedByConflict: 1 });
      expect(a.order).toBe(0);
    }
    // 3 calibration + 4 regular seats over 4 judges: loads 2,2,2,1 in some order.
    expect(plan.loads.map((l) => l.count).sort()).toEqual([1, 2, 2, 2]);
    expect(plan.spread).toEqual({ pool: 1 });
  });

  it('calibration in panel scope stays within the entry panel', () => {
    const plan = planAssignment({
      scope: 'panel',
      seed: 2,
      judgesPerEntry: 1,
      panels: [
        { id: 'P1', category: 'a' },
        { id: 'P2', category: 'b' },
      ],
      judges: [
        judge('a1', 's1', { panelId: 'P1' }),
        judge('a2', 's2', { panelId: 'P1' }),
        judge('a3', 's3', { panelId: 'P1' }),
        judge('b1', 's1', { panelId: 'P2' }),
      ],
      entries: [entry('cal', 's2', 'a'), entry('x', 's9', 'b')],
      calibrationEntryIds: ['cal'],
    });
    expect(judgesOf(plan.assignments).get('cal')).toEqual(['a1', 'a3']);
  });

  it('keeps existing assignments, counts them, and keeps their positions', () => {
    const judges = [judge('A', 'a'), judge('B', 'b'), judge('C', 'c')];
    const entries = [entry('e1', 'x'), entry('e2', 'x'), entry('e3', 'x')];
    const plan = planAssignment(
      poolOf({
        judgesPerEntry: 2,
        judges,
        entries,
        keep: [
          { entryId: 'e1', judgeId: 'A', order: 3 },
          { entryId: 'e2', judgeId: 'A' },
        ],
      }),
    );
    const byEntry = judgesOf(plan.assignments);
    expect(byEntry.get('e1')).toContain('A');
    expect(byEntry.get('e2')).toContain('A');
    // A already has two; the four open seats go to B and C, A only reaches 2 again via e3 if needed.
    expect(plan.loads).toEqual([
      { judgeId: 'A', count: 2 },
      { judgeId: 'B', count: 2 },
      { judgeId: 'C', count: 2 },
    ]);
    const kept = plan.assignments.filter((a) => a.reason.kind === 'kept');
    expect(kept.map((a) => [a.entryId, a.judgeId])).toEqual([
      ['e1', 'A'],
      ['e2', 'A'],
    ]);
    expect(kept[0]!.order).toBe(3);
    expect(kept[1]!.order).toBe(4);
  });

  it('never adds judges to an entry that already has enough kept judges', () => {
    const plan = planAssignment(
      poolOf({
        judgesPerEntry: 1,
        judges: [judge('A', 'a'), judge('B', 'b')],
        entries: [entry('e1', 'x')],
        keep: [
          { entryId: 'e1', judgeId: 'A' },
          { entryId: 'e1', judgeId: 'B' },
        ],
      }),
    );
    expect(plan.assignments.map((a) => a.reason.kind)).toEqual(['kept', 'kept']);
  });

  it('keeps the finished work of a judge who dropped out, who gets nothing new', () => {
    const input = poolOf({
      judgesPerEntry: 2,
      judges: [judge('A', 'a'), judge('B', 'b'), judge('C', 'c')],
      entries: [entry('e1', 'x'), entry('e2', 'x'), entry('e3', 'x')],
      keep: [{ entryId: 'e1', judgeId: 'Z', order: 0 }],
      closedJudgeIds: ['Z'],
    });
    const plan = planAssignment(input);
    const byEntry = judgesOf(plan.assignments);
    expect(byEntry.get('e1')).toHaveLength(2);
    expect(byEntry.get('e1')).toContain('Z');
    expect(plan.assignments.filter((a) => a.judgeId === 'Z')).toHaveLength(1);
    expect(plan.problems).toEqual([]);
    // Without the closed list the unknown judge is an input error, so a typo cannot pass silently.
    expect(() => planAssignment({ ...input, closedJudgeIds: [] })).toThrow(/unknown judge "Z"/);
  });
});

describe('planAssignment: input validation', () => {
  it('lists every problem at once', () => {
    let error: unknown;
    try {
      planAssignment(
        poolOf({
          judges: [judge('A', 'x'), judge('A', 'y')],
          entries: [entry('e1', 'x'), entry('e1', 'z')],
          calibrationEntryIds: ['nope'],
          keep: [
            { entryId: 'e1', judgeId: 'A' },
            { entryId: 'e9', judgeId: 'Z' },
          ],
        }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AssignmentInputError);
    const problems = (error as AssignmentInputError).problems;
    expect(problems).toEqual([
      { path: ['entries', 1, 'id'], message: 'duplicate id "e1" (also at entries[0])' },
      { path: ['judges', 1, 'id'], message: 'duplicate id "A" (also at judges[0])' },
      { path: ['calibrationEntryIds', 0], message: 'unknown entry "nope"' },
      { path: ['keep', 0], message: 'judge "A" has a conflict of interest with entry "e1"' },
      { path: ['keep', 1, 'entryId'], message: 'unknown entry "e9"' },
      { path: ['keep', 1, 'judgeId'], message: 'unknown judge "Z"' },
    ]);
    expect((error as Error).message).toMatch(
      /^Invalid assignment input \(6 problems\):\n {2}entries\[1\]\.id: duplicate/,
    );
  });

  it('rejects a bad shape with zod paths', () => {
    expect(() => planAssignment({ scope: 'everyone', seed: -1, entries: [], judges: [] } as never)).toThrow(
      AssignmentInputError,
    );
    try {
      planAssignment({
        scope: 'pool',
        seed: 1.5,
        judgesPerEntry: 0,
        entries: [{ id: '' }],
        judges: [],
      } as never);
    } catch (e) {
      const paths = (e as AssignmentInputError).problems.map((p) => p.path.join('.'));
      expect(paths).toEqual(
        expect.arrayContaining(['seed', 'judgesPerEntry', 'entries.0.id', 'entries.0.code']),
      );
    }
    expect.assertions(2);
  });

  it('rejects duplicate keeps and two kept entries at one position', () => {
    expect(() =>
      planAssignment(
        poolOf({
          judges: [judge('A', 'a')],
          entries: [entry('e1', 'x'), entry('e2', 'x')],
          keep: [
            { entryId: 'e1', judgeId: 'A', order: 0 },
            { entryId: 'e1', judgeId: 'A' },
            { entryId: 'e2', judgeId: 'A', order: 0 },
          ],
        }),
      ),
    ).toThrow(
      /keep\[1\]: judge "A" is assigned entry "e1" twice\n {2}keep\[2\]\.order: judge "A" has two entries at position 0/,
    );
  });
});

describe('planAssignment: determinism and order', () => {
  const judges = Array.from({ length: 12 }, (_, j) => judge(`j${j}`, `s${j % 4}`));
  const entries = Array.from({ length: 40 }, (_, i) => entry(`e${String(i).padStart(2, '0')}`, `s${i % 7}`));
  const input = poolOf({ judgesPerEntry: 3, judges, entries, seed: 42 });

  it('gives the same plan for the same input, whatever the input order', () => {
    const a = planAssignment(input);
    expect(planAssignment(input)).toEqual(a);
    expect(
      planAssignment({ ...input, judges: [...judges].reverse(), entries: [...entries].reverse() }),
    ).toEqual(a);
    expectValidPlan(a, { judges, entries, judgesPerEntry: 3 });
    expect(a.spread.pool).toBeLessThanOrEqual(1);
  });

  it('gives different plans for different seeds', () => {
    const a = planAssignment(input);
    const b = planAssignment({ ...input, seed: 43 });
    expect(b.assignments.map((x) => [x.entryId, x.judgeId, x.order])).not.toEqual(
      a.assignments.map((x) => [x.entryId, x.judgeId, x.order]),
    );
  });

  it('shuffles each judge list differently', () => {
    const plan = planAssignment(
      poolOf({
        judgesPerEntry: 3,
        judges: judges.slice(0, 3).map((j, i) => ({ ...j, school: `t${i}` })),
        entries,
        seed: 9,
      }),
    );
    const lists = new Map<string, string[]>();
    for (const a of [...plan.assignments].sort((x, y) => x.order - y.order))
      lists.set(a.judgeId, [...(lists.get(a.judgeId) ?? []), a.entryId]);
    const [l0, l1, l2] = [...lists.values()];
    expect(l0).toHaveLength(40);
    expect(new Set([l0!.join(), l1!.join(), l2!.join()]).size).toBe(3);
    expect(countByJudge(plan.assignments).get('j0')).toBe(40);
  });
});

describe('describeReason', () => {
  const reason: AssignmentReason = {
    kind: 'panel',
    panelId: 'p2',
    loadBefore: 31,
    minLoad: 31,
    candidates: 12,
    excludedByConflict: 3,
  };

  it('explains a panel assignment in Chinese and English', () => {
    expect(describeReason(reason, 'zh', { p2: '第二评审组' })).toBe(
      '第二评审组：该作品可选评委 12 人（3 人因回避排除），分配时该评委已有 31 件，为最少者之一',
    );
    expect(describeReason(reason, 'en', { p2: 'Panel 2' })).toBe(
      'Panel 2: 12 eligible judges for this entry (3 excluded by conflicts of interest); this judge had 31 entries, among the fewest',
    );
    expect(describeReason(reason, 'zh')).toMatch(/^评审组 p2：/);
  });

  it('says when the judge was not the least loaded, and names other kinds', () => {
    const pool: AssignmentReason = {
      kind: 'pool',
      loadBefore: 5,
      minLoad: 4,
      candidates: 1,
      excludedByConflict: 0,
    };
    expect(describeReason(pool, 'zh')).toBe(
      '评委池：该作品可选评委 1 人（0 人因回避排除），分配时该评委已有 5 件，可选评委中最少者有 4 件',
    );
    expect(describeReason(pool, 'en')).toBe(
      'Judge pool: 1 eligible judge for this entry (0 excluded by conflicts of interest); this judge had 5 entries, the fewest among eligible judges was 4',
    );
    expect(describeReason({ ...pool, kind: 'kept' }, 'zh')).toBe('评委池：保留原有分配（已评分或已锁定）');
    expect(describeReason({ ...pool, kind: 'calibration' }, 'en')).toMatch(/^Judge pool: calibration entry/);
    expect(describeReason({ ...pool, kind: 'extra' }, 'zh')).toMatch(/^评委池：追加评审；/);
    expect(describeReason({ ...pool, replacesJudgeId: 'j7' }, 'zh')).toMatch(
      /^评委池：接替退出的评委（j7）未完成的评审；/,
    );
  });
});
