import { describe, expect, it } from 'vitest';
import type { Criterion, JudgingList } from '@pingxuan/shared';
import { isComplete, missingCriteria, onGrid, stepValue, typeDigit } from '../src/judge/scoring';
import { workState } from '../src/judge/outbox';
import { judgedCriteria, workView } from '../src/judge/works';

const half = { step: 0.5, maxScore: 10 };
const whole = { step: 1, maxScore: 20 };
const tenth = { step: 0.1, maxScore: 1 };

describe('the criterion stepper', () => {
  it('starts an unscored criterion from full marks', () => {
    expect(stepValue(half, undefined, 1)).toBe(10);
    expect(stepValue(half, undefined, -1)).toBe(9.5);
    expect(stepValue(whole, undefined, -1)).toBe(19);
  });

  it("moves on the criterion's step and stays within 0 and the maximum", () => {
    expect(stepValue(half, 8, 1)).toBe(8.5);
    expect(stepValue(half, 8, -1)).toBe(7.5);
    expect(stepValue(half, 10, 1)).toBe(10);
    expect(stepValue(half, 0, -1)).toBe(0);
    expect(stepValue(whole, 7, 1)).toBe(8);
  });

  it('leaves no float residue on decimal steps', () => {
    expect(stepValue(tenth, 0.2, 1)).toBe(0.3);
    expect(stepValue(tenth, 0.7, 1)).toBe(0.8);
    expect(onGrid(tenth, 0.30000000000000004)).toBe(0.3);
    expect(onGrid(half, 7.74)).toBe(7.5);
  });
});

describe('digits typed on a focused criterion', () => {
  const type = (c: typeof half, keys: string) => {
    let text = '';
    let value: number | null = null;
    for (const k of keys) {
      const r = typeDigit(c, text, k);
      text = r.text;
      if (r.value !== null) value = r.value;
    }
    return value;
  };

  it('builds numbers within the maximum and on the step grid', () => {
    expect(type(half, '8')).toBe(8);
    expect(type(half, '8.5')).toBe(8.5);
    expect(type(whole, '15')).toBe(15);
    expect(type(half, '10')).toBe(10);
  });

  it('starts afresh when the next digit would leave the range or the grid', () => {
    expect(type(half, '93')).toBe(3); // 93 > 10: the 3 starts a new number
    expect(type(half, '8.3')).toBe(3); // 8.3 is off the half-point grid: the 3 starts a new number
    expect(type(half, '.')).toBeNull(); // nothing to set yet
  });
});

describe('completeness', () => {
  const criteria = [
    { id: 'a', name: { zh: 'A' }, description: { zh: '' }, weight: 1, maxScore: 10, step: 1 },
    { id: 'b', name: { zh: 'B' }, description: { zh: '' }, weight: 1, maxScore: 10, step: 0.5 },
  ] satisfies Criterion[];

  it('names the criteria without a valid value', () => {
    expect(missingCriteria(criteria, { a: 3 }).map((c) => c.id)).toEqual(['b']);
    expect(missingCriteria(criteria, { a: 3, b: 0.25 }).map((c) => c.id)).toEqual(['b']);
    expect(isComplete(criteria, { a: 3, b: 0 })).toBe(true);
    expect(isComplete([], {})).toBe(false);
  });
});

describe('work states', () => {
  const base = {
    contestId: 'c',
    entryId: 'e',
    values: {},
    comment: '',
    status: 'draft' as const,
    server: null,
    conflict: null,
    rejected: null,
    changedAt: 0,
  };
  it('tells the device copy from the server-confirmed one', () => {
    expect(workState(undefined, false)).toBe('todo');
    expect(workState({ ...base, values: { a: 1 } }, true)).toBe('device');
    expect(
      workState(
        {
          ...base,
          values: { a: 1 },
          server: { values: { a: 1 }, comment: '', status: 'draft', version: 1, updatedAt: '' },
        },
        false,
      ),
    ).toBe('synced');
    expect(workState({ ...base, status: 'submitted' }, true)).toBe('submitting');
    expect(workState({ ...base, status: 'submitted' }, false)).toBe('submitted');
    expect(workState({ ...base, conflict: { server: null, code: 'conflict' } }, false)).toBe('conflict');
  });
});

describe('a work as the judge sees it', () => {
  const list = {
    contest: { id: 'c', name: '技能大赛', status: 'judging' },
    roundId: 'main',
    rubric: {
      criteria: [
        { id: 'a', name: { zh: 'A' }, description: { zh: '' }, weight: 60, maxScore: 10, step: 1 },
        {
          id: 'time',
          name: { zh: '用时' },
          description: { zh: '' },
          weight: 40,
          maxScore: 10,
          step: 1,
          kind: 'measurement' as const,
        },
      ],
    },
    progress: { assigned: 1, submitted: 0, drafts: 0 },
    items: [
      {
        entryId: 'e1',
        code: 'A-001',
        title: '作品',
        category: null,
        subject: null,
        photos: [],
        score: { values: { a: 5 }, comment: '好', status: 'draft' as const, version: 1, updatedAt: '' },
      },
    ],
  } as unknown as JudgingList;
  const snap = {
    scores: new Map(),
    pending: new Set<string>(),
    hold: null,
    retryAt: null,
    sending: false,
    confirmedAt: null,
  };

  it('leaves measurement criteria to the organizers: not asked of the judge, not in the judge total', () => {
    expect(judgedCriteria(list).map((c) => c.id)).toEqual(['a']);
    const w = workView(list, snap, list.items[0]!);
    expect(w.missing).toEqual([]);
    expect(w.total).toBe(50);
    expect([w.state, w.comment]).toEqual(['synced', '好']);
  });
});
