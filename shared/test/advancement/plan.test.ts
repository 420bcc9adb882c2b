import { describe, expect, it } from 'vitest';
import {
  AdvancementInputError,
  AdvancementPlanSchema,
  describeAdvancementReason,
  planAdvancement,
  type AdvancementInput,
  type AdvancementRules,
} from '../../src/index.js';
import { entriesOf, type Row } from './helpers.js';

const plan = (rows: Row[], rules: AdvancementRules) => {
  const out = planAdvancement({ entries: entriesOf(rows), rules });
  AdvancementPlanSchema.parse(out);
  return out;
};
const reasonOf = (out: ReturnType<typeof plan>, id: string) => out.notAdvancing.find((r) => r.entryId === id);

function problemsOf(input: unknown): string[] {
  try {
    planAdvancement(input as AdvancementInput);
  } catch (error) {
    expect(error).toBeInstanceOf(AdvancementInputError);
    return (error as AdvancementInputError).problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  }
  throw new Error('expected an AdvancementInputError');
}

describe('planAdvancement: top N overall', () => {
  it('sends the best N in order and says why the others stay', () => {
    const out = plan([{ score: 70 }, { score: 95 }, { score: 80 }, { score: 60 }, { score: 85 }], {
      overall: { top: 3 },
    });
    expect(out.advancing).toEqual(['e1', 'e4', 'e2']);
    expect(out.notAdvancing).toEqual([
      { entryId: 'e0', reason: 'outsideTop', scope: 'overall', group: null, limit: 3 },
      { entryId: 'e3', reason: 'outsideTop', scope: 'overall', group: null, limit: 3 },
    ]);
    expect(out.groups).toEqual([
      {
        scope: 'overall',
        group: null,
        ranked: 5,
        limit: 3,
        considered: 5,
        selected: 3,
        advancing: 3,
        cutoffScore: 80,
      },
    ]);
    expect(out.counts).toEqual({ entries: 5, incomplete: 0, belowMinScore: 0, advancing: 3 });
  });

  it("takes the whole tie at the cut under 'include' and none of it under 'exclude'", () => {
    const rows: Row[] = [{ score: 90 }, { score: 80 }, { score: 80 }, { score: 70 }];
    const include = plan(rows, { overall: { top: 2 } });
    expect(include.advancing).toEqual(['e0', 'e1', 'e2']);
    expect(include.groups[0]).toMatchObject({ limit: 2, selected: 3 });
    const exclude = plan(rows, { overall: { top: 2 }, tiePolicy: 'exclude' });
    expect(exclude.advancing).toEqual(['e0']);
    expect(exclude.notAdvancing.map((r) => [r.entryId, r.reason])).toEqual([
      ['e1', 'tieExcluded'],
      ['e2', 'tieExcluded'],
      ['e3', 'outsideTop'],
    ]);
  });

  it('does not call a tie that ends exactly at the cut a tie exclusion', () => {
    const rows: Row[] = [{ score: 90 }, { score: 90 }, { score: 80 }, { score: 80 }];
    const exclude = plan(rows, { overall: { top: 2 }, tiePolicy: 'exclude' });
    expect(exclude.advancing).toEqual(['e0', 'e1']);
    expect(exclude.notAdvancing.map((r) => r.reason)).toEqual(['outsideTop', 'outsideTop']);
  });

  it("respects the round's tie-break: equal scores with different ranks are not tied", () => {
    const rows: Row[] = [
      { score: 90 },
      { score: 80, tieBreak: 1 },
      { score: 80, tieBreak: 2 },
      { score: 70 },
    ];
    const out = plan(rows, { overall: { top: 2 }, tiePolicy: 'exclude' });
    expect(out.advancing).toEqual(['e0', 'e2']);
    expect(reasonOf(out, 'e1')!.reason).toBe('outsideTop');
  });

  it('treats scores within SCORE_EPSILON of each other with the same rank as tied', () => {
    const entries = [
      { id: 'a', score: 80 + 1e-12, rank: 1 },
      { id: 'b', score: 80, rank: 1 },
      { id: 'c', score: 50, rank: 3 },
    ];
    expect(planAdvancement({ entries, rules: { overall: { top: 1 } } }).advancing).toEqual(['a', 'b']);
    expect(
      planAdvancement({ entries, rules: { overall: { top: 1 }, tiePolicy: 'exclude' } }).advancing,
    ).toEqual([]);
  });

  it('rounds a share half up, of the ranked entries', () => {
    const rows: Row[] = Array.from({ length: 10 }, (_, i) => ({ score: 100 - i }));
    expect(plan(rows, { overall: { share: 0.15 } }).advancing).toHaveLength(2); // 1.5 -> 2
    expect(plan(rows, { overall: { share: 0.25 } }).advancing).toHaveLength(3); // 2.5 -> 3
    expect(plan(rows, { overall: { share: 0.04 } }).advancing).toHaveLength(0); // 0.4 -> 0
    expect(plan(rows, { overall: { share: 1 } }).advancing).toHaveLength(10);
    // Incomplete entries are not part of the base: 10 ranked + 4 incomplete, 15% is still 2.
    const withIncomplete = [...rows, ...Array.from({ length: 4 }, () => ({ score: null }))];
    const out = plan(withIncomplete, { overall: { share: 0.15 } });
    expect(out.groups[0]).toMatchObject({ ranked: 10, limit: 2 });
  });

  it('sends nobody with top 0 and every ranked entry with no rule', () => {
    const rows: Row[] = [{ score: 90 }, { score: 10 }, { score: null }];
    expect(plan(rows, { overall: { top: 0 } }).advancing).toEqual([]);
    const all = plan(rows, {});
    expect(all.advancing).toEqual(['e0', 'e1']);
    expect(all.groups).toEqual([]);
    expect(all.notAdvancing).toEqual([{ entryId: 'e2', reason: 'incomplete' }]);
  });
});

describe('planAdvancement: per school, per category and a minimum score', () => {
  it('each school sends its best 3 with a score of at least 60', () => {
    const rows: Row[] = [
      { score: 95, school: 'A' },
      { score: 85, school: 'A' },
      { score: 75, school: 'A' },
      { score: 65, school: 'A' },
      { score: 55, school: 'A' },
      { score: 62, school: 'B' },
      { score: 58, school: 'B' },
      { score: 50, school: 'C' },
    ];
    const out = plan(rows, { perSchool: { top: 3 }, minScore: 60 });
    expect(out.advancing).toEqual(['e0', 'e1', 'e2', 'e5']);
    expect(reasonOf(out, 'e3')).toEqual({
      entryId: 'e3',
      reason: 'outsideTop',
      scope: 'school',
      group: 'A',
      limit: 3,
    });
    expect(reasonOf(out, 'e4')).toEqual({ entryId: 'e4', reason: 'belowMinScore', minScore: 60 });
    expect(reasonOf(out, 'e6')!.reason).toBe('belowMinScore');
    expect(reasonOf(out, 'e7')!.reason).toBe('belowMinScore');
    expect(out.groups).toEqual([
      {
        scope: 'school',
        group: 'A',
        ranked: 5,
        limit: 3,
        considered: 4,
        selected: 3,
        advancing: 3,
        cutoffScore: 75,
      },
      {
        scope: 'school',
        group: 'B',
        ranked: 2,
        limit: 3,
        considered: 1,
        selected: 1,
        advancing: 1,
        cutoffScore: 62,
      },
      {
        scope: 'school',
        group: 'C',
        ranked: 1,
        limit: 3,
        considered: 0,
        selected: 0,
        advancing: 0,
        cutoffScore: null,
      },
    ]);
    expect(out.counts).toEqual({ entries: 8, incomplete: 0, belowMinScore: 3, advancing: 4 });
  });

  it('applies the rules in turn: best 2 per school, then the best 3 of those overall', () => {
    const rows: Row[] = [
      { score: 95, school: 'A' },
      { score: 90, school: 'A' },
      { score: 85, school: 'A' },
      { score: 80, school: 'B' },
      { score: 70, school: 'B' },
      { score: 60, school: 'C' },
    ];
    const out = plan(rows, { perSchool: { top: 2 }, overall: { top: 3 } });
    expect(out.advancing).toEqual(['e0', 'e1', 'e3']);
    expect(out.notAdvancing).toEqual([
      { entryId: 'e2', reason: 'outsideTop', scope: 'school', group: 'A', limit: 2 },
      { entryId: 'e4', reason: 'outsideTop', scope: 'overall', group: null, limit: 3 },
      { entryId: 'e5', reason: 'outsideTop', scope: 'overall', group: null, limit: 3 },
    ]);
    // Kept by its school, then cut overall: the school's row shows both numbers.
    expect(out.groups.find((g) => g.group === 'B')).toMatchObject({ selected: 2, advancing: 1 });
    expect(out.groups.at(-1)).toMatchObject({
      scope: 'overall',
      considered: 5,
      selected: 3,
      cutoffScore: 80,
    });
  });

  it('lets a tie through an earlier rule under include, which can crowd out an entry a later rule would take under exclude', () => {
    const entries = [
      { id: 'a1', score: 90, rank: 1, school: 'A' },
      { id: 'a2', score: 90, rank: 1, school: 'A' },
      { id: 'b1', score: 80, rank: 3, school: 'B' },
    ];
    const rules = { perSchool: { top: 1 }, overall: { top: 2 } };
    expect(planAdvancement({ entries, rules: { ...rules, tiePolicy: 'include' } }).advancing).toEqual([
      'a1',
      'a2',
    ]);
    const exclude = planAdvancement({ entries, rules: { ...rules, tiePolicy: 'exclude' } });
    expect(exclude.advancing).toEqual(['b1']);
    expect(exclude.notAdvancing.map((r) => [r.entryId, r.reason, r.scope])).toEqual([
      ['a1', 'tieExcluded', 'school'],
      ['a2', 'tieExcluded', 'school'],
    ]);
  });

  it('takes a share of each category, rounded half up per category', () => {
    const rows: Row[] = [
      { score: 90, category: 'k1' },
      { score: 80, category: 'k1' },
      { score: 70, category: 'k1' },
      { score: 60, category: 'k1' },
      { score: 85, category: 'k2' },
      { score: 75, category: 'k2' },
      { score: 65, category: 'k2' },
    ];
    const out = plan(rows, { perCategory: { share: 0.5 } });
    // k1: 0.5 * 4 = 2; k2: 0.5 * 3 = 1.5 -> 2.
    expect(out.advancing).toEqual(['e0', 'e4', 'e1', 'e5']);
    expect(out.groups.map((g) => [g.group, g.limit, g.selected])).toEqual([
      ['k1', 2, 2],
      ['k2', 2, 2],
    ]);
  });

  it('ties inside a school follow the tie policy too', () => {
    const rows: Row[] = [
      { score: 90, school: 'A' },
      { score: 88, school: 'A' },
      { score: 88, school: 'A' },
      { score: 99, school: 'B' },
    ];
    expect(plan(rows, { perSchool: { top: 2 } }).advancing).toEqual(['e3', 'e0', 'e1', 'e2']);
    const exclude = plan(rows, { perSchool: { top: 2 }, tiePolicy: 'exclude' });
    expect(exclude.advancing).toEqual(['e3', 'e0']);
    expect(reasonOf(exclude, 'e1')).toEqual({
      entryId: 'e1',
      reason: 'tieExcluded',
      scope: 'school',
      group: 'A',
      limit: 2,
    });
  });

  it('keeps a score a hair below the minimum (float noise) and lists incomplete entries last', () => {
    const rows: Row[] = [
      { score: 60 - 1e-12 },
      { score: 59.99 },
      { score: 95, incomplete: true },
      { score: null },
    ];
    const out = plan(rows, { minScore: 60 });
    expect(out.advancing).toEqual(['e0']);
    expect(out.notAdvancing).toEqual([
      { entryId: 'e1', reason: 'belowMinScore', minScore: 60 },
      { entryId: 'e2', reason: 'incomplete' },
      { entryId: 'e3', reason: 'incomplete' },
    ]);
    expect(out.counts).toEqual({ entries: 4, incomplete: 2, belowMinScore: 1, advancing: 1 });
  });
});

describe('planAdvancement input validation', () => {
  it('lists every problem with its path', () => {
    const entries = [
      { id: 'a', score: 90, rank: 1, school: 'A' },
      { id: 'a', score: 80, rank: 2, school: 'A' },
      { id: 'b', score: null, rank: 3, school: 'B' },
      { id: 'c', score: 70, rank: null, school: null, category: 'k1' },
      { id: 'd', score: null, rank: null, incomplete: true },
    ];
    expect(problemsOf({ entries, rules: { perSchool: { top: 1 }, perCategory: { top: 1 } } })).toEqual([
      'entries.0.category: required when rules.perCategory is set',
      'entries.1.id: duplicate entry id "a" (entries[0])',
      'entries.1.category: required when rules.perCategory is set',
      'entries.2.score: a complete entry needs a score',
      'entries.2.category: required when rules.perCategory is set',
      'entries.3.rank: a complete entry needs a rank',
      'entries.3.school: required when rules.perSchool is set',
    ]);
  });

  it('refuses a limit with both or neither of top and share, bad numbers and unknown rules', () => {
    const entries = [{ id: 'a', score: 90, rank: 1 }];
    expect(problemsOf({ entries, rules: { overall: { top: 3, share: 0.5 } } })).toEqual([
      'rules.overall: give either top or share',
    ]);
    expect(problemsOf({ entries, rules: { overall: {} } })).toEqual([
      'rules.overall: give either top or share',
    ]);
    expect(problemsOf({ entries, rules: { overall: { top: -1 } } })).toHaveLength(1);
    expect(problemsOf({ entries, rules: { overall: { top: 1.5 } } })).toHaveLength(1);
    expect(problemsOf({ entries, rules: { overall: { share: 1.2 } } })).toHaveLength(1);
    expect(problemsOf({ entries, rules: { perTeacher: { top: 1 } } })).toEqual([
      'rules: Unrecognized key: "perTeacher"',
    ]);
    expect(problemsOf({ entries: [{ id: 'a', score: 90, rank: 0 }], rules: {} })).toHaveLength(1);
  });
});

describe('describeAdvancementReason', () => {
  it('explains each reason in Chinese and English', () => {
    const school = { entryId: 'e', reason: 'outsideTop', scope: 'school', group: 's1', limit: 3 } as const;
    expect(describeAdvancementReason(school, 'zh', { s1: '实验小学' })).toBe('未进入本校（实验小学）前 3 名');
    expect(describeAdvancementReason(school, 'en')).toBe('Not among the top 3 of its school (s1)');
    const overall = {
      entryId: 'e',
      reason: 'tieExcluded',
      scope: 'overall',
      group: null,
      limit: 50,
    } as const;
    expect(describeAdvancementReason(overall, 'zh')).toContain('总排名前 50 名');
    expect(describeAdvancementReason(overall, 'en')).toContain('top 50 overall');
    expect(describeAdvancementReason({ entryId: 'e', reason: 'belowMinScore', minScore: 60 }, 'zh')).toBe(
      '得分低于晋级最低分 60',
    );
    expect(describeAdvancementReason({ entryId: 'e', reason: 'incomplete' }, 'en')).toBe(
      'Not fully judged, so it cannot advance',
    );
  });
});
