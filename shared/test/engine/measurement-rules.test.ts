import { describe, expect, it } from 'vitest';
import {
  MeasurementRuleSchema,
  RubricInputSchema,
  measurementPoints,
  measurementRuleProblems,
  type MeasurementRule,
} from '../../src/index.js';

const points = (rule: MeasurementRule, value: number, maxScore = 20) =>
  measurementPoints({ maxScore, rule }, value);

describe('linear rule: maxScore * clamp((worst - v) / (worst - best), 0, 1)', () => {
  // Time in seconds: 60 s or faster earns all 20 points, 120 s or slower none.
  const time: MeasurementRule = { type: 'linear', best: 60, worst: 120 };

  it('gives full points at best, none at worst and a straight line between', () => {
    expect(points(time, 60)).toBe(20);
    expect(points(time, 120)).toBe(0);
    expect(points(time, 90)).toBe(10);
    expect(points(time, 75)).toBe(15);
  });

  it('clamps beyond best and beyond worst', () => {
    expect(points(time, 30)).toBe(20);
    expect(points(time, 0)).toBe(20);
    expect(points(time, 121)).toBe(0);
    expect(points(time, 1e9)).toBe(0);
  });

  it('works when larger is better (best above worst)', () => {
    // Parts finished: 10 earns all 8 points, 0 earns none.
    const parts: MeasurementRule = { type: 'linear', best: 10, worst: 0 };
    expect(points(parts, 10, 8)).toBe(8);
    expect(points(parts, 5, 8)).toBe(4);
    expect(points(parts, 0, 8)).toBe(0);
    expect(points(parts, 12, 8)).toBe(8);
    expect(points(parts, -3, 8)).toBe(0);
  });

  it('handles negative measures (a signed deviation in mm)', () => {
    const deviation: MeasurementRule = { type: 'linear', best: -0.5, worst: -2.5 };
    expect(points(deviation, -1.5, 10)).toBe(5);
  });

  it('refuses best equal to worst', () => {
    expect(measurementRuleProblems({ type: 'linear', best: 3, worst: 3 }, 10)).toEqual([
      { path: ['worst'], message: 'best and worst must differ' },
    ]);
  });
});

describe('bands rule: v in [min, max) earns the band points', () => {
  // Defects: 0 -> 10, 1-2 -> 6, 3-4 -> 2, 5 or more -> outside every band.
  const defects: MeasurementRule = {
    type: 'bands',
    bands: [
      { max: 1, points: 10 },
      { min: 1, max: 3, points: 6 },
      { min: 3, max: 5, points: 2 },
    ],
  };

  it('includes the lower bound and excludes the upper bound', () => {
    expect(points(defects, 0)).toBe(10);
    expect(points(defects, 0.999)).toBe(10);
    expect(points(defects, 1)).toBe(6);
    expect(points(defects, 2.999)).toBe(6);
    expect(points(defects, 3)).toBe(2);
    expect(points(defects, 4.5)).toBe(2);
  });

  it('treats a missing bound as open', () => {
    expect(points(defects, -100)).toBe(10);
    const atLeast: MeasurementRule = { type: 'bands', bands: [{ min: 50, points: 5 }] };
    expect(points(atLeast, 1e12)).toBe(5);
    expect(points(atLeast, 49.99)).toBe(0);
  });

  it('gives 0 points to a value outside every band (past the last band or in a gap)', () => {
    expect(points(defects, 5)).toBe(0);
    expect(points(defects, 99)).toBe(0);
    const gap: MeasurementRule = {
      type: 'bands',
      bands: [
        { min: 0, max: 1, points: 4 },
        { min: 2, max: 3, points: 8 },
      ],
    };
    expect(points(gap, 1.5)).toBe(0);
    expect(points(gap, -1)).toBe(0);
  });

  it('accepts bands that touch, in any order', () => {
    expect(measurementRuleProblems(defects, 10)).toEqual([]);
    const reversed: MeasurementRule = { type: 'bands', bands: [...defects.bands].reverse() };
    expect(measurementRuleProblems(reversed, 10)).toEqual([]);
    expect(points(reversed, 1)).toBe(6);
  });

  it('names overlapping bands, empty bands and points outside [0, maxScore]', () => {
    const problems = (bands: { min?: number; max?: number; points: number }[], maxScore = 10) =>
      measurementRuleProblems({ type: 'bands', bands }, maxScore);
    expect(
      problems([
        { min: 0, max: 2, points: 5 },
        { min: 1, max: 3, points: 5 },
      ]),
    ).toEqual([{ path: ['bands', 1], message: 'overlaps band 0' }]);
    // Two bands open below overlap; so does a band inside a long earlier band.
    expect(
      problems([
        { max: 2, points: 5 },
        { max: 4, points: 5 },
      ]),
    ).toEqual([{ path: ['bands', 1], message: 'overlaps band 0' }]);
    expect(
      problems([
        { min: 0, max: 100, points: 1 },
        { min: 10, max: 20, points: 1 },
        { min: 30, max: 40, points: 1 },
      ]).map((p) => p.path),
    ).toEqual([
      ['bands', 1],
      ['bands', 2],
    ]);
    expect(problems([{ min: 3, max: 3, points: 1 }])).toEqual([
      { path: ['bands', 0, 'max'], message: 'max must be above min' },
    ]);
    expect(problems([{ min: 0, points: 11 }])).toEqual([
      { path: ['bands', 0, 'points'], message: 'must be between 0 and maxScore (10)' },
    ]);
    expect(problems([{ min: 0, points: -1 }]).map((p) => p.path)).toEqual([['bands', 0, 'points']]);
    expect(problems([{ min: 0, points: 10 }])).toEqual([]);
  });

  it('needs at least one band', () => {
    expect(MeasurementRuleSchema.safeParse({ type: 'bands', bands: [] }).success).toBe(false);
  });
});

describe('passFail rule', () => {
  const check: MeasurementRule = { type: 'passFail' };

  it('gives maxScore for 1 (pass) and 0 for 0 (fail)', () => {
    expect(points(check, 1, 15)).toBe(15);
    expect(points(check, 0, 15)).toBe(0);
  });

  it('accepts only 0 or 1', () => {
    expect(points(check, 0.5)).toBeNull();
    expect(points(check, 2)).toBeNull();
    expect(points(check, -1)).toBeNull();
  });
});

describe('measurementPoints on values that cannot be entered', () => {
  it('returns null for NaN and infinities under every rule', () => {
    const rules: MeasurementRule[] = [
      { type: 'linear', best: 0, worst: 1 },
      { type: 'bands', bands: [{ points: 1 }] },
      { type: 'passFail' },
    ];
    for (const rule of rules) for (const v of [NaN, Infinity, -Infinity]) expect(points(rule, v)).toBeNull();
  });
});

describe('MeasurementRuleSchema', () => {
  it('refuses unknown rule types, extra fields and non-finite bounds', () => {
    expect(MeasurementRuleSchema.safeParse({ type: 'curve' }).success).toBe(false);
    expect(MeasurementRuleSchema.safeParse({ type: 'passFail', x: 1 }).success).toBe(false);
    expect(MeasurementRuleSchema.safeParse({ type: 'linear', best: 0, worst: Infinity }).success).toBe(false);
    expect(MeasurementRuleSchema.safeParse({ type: 'linear', best: 0 }).success).toBe(false);
  });
});

describe('RubricInputSchema with measurement criteria', () => {
  const judged = { id: 'craft', name: { zh: '工艺' }, weight: 60, maxScore: 60 };
  const timed = {
    id: 'time',
    name: { zh: '用时' },
    weight: 20,
    maxScore: 20,
    kind: 'measurement',
    rule: { type: 'linear', best: 600, worst: 1200 },
  };
  const paths = (input: unknown) => {
    const r = RubricInputSchema.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('keeps kind and rule, and leaves kind absent on judgement criteria', () => {
    const r = RubricInputSchema.parse({ criteria: [judged, timed] });
    expect(r.criteria[0]!.kind).toBeUndefined();
    expect(r.criteria[1]).toMatchObject({
      kind: 'measurement',
      rule: { type: 'linear', best: 600, worst: 1200 },
    });
  });

  it('needs a rule on a measurement criterion and refuses one on a judgement criterion', () => {
    expect(paths({ criteria: [{ ...timed, rule: undefined }] })).toEqual([
      'criteria.0.rule: a measurement criterion needs a rule',
    ]);
    expect(paths({ criteria: [{ ...judged, rule: { type: 'passFail' } }] })).toEqual([
      'criteria.0.rule: only measurement criteria take a rule',
    ]);
    expect(paths({ criteria: [{ ...judged, kind: 'judgement', rule: { type: 'passFail' } }] })).toEqual([
      'criteria.0.rule: only measurement criteria take a rule',
    ]);
  });

  it('checks the rule against the criterion (band points within maxScore, overlaps, best != worst)', () => {
    const bands = (list: unknown[]) => ({ ...timed, rule: { type: 'bands', bands: list } });
    expect(paths({ criteria: [bands([{ max: 5, points: 25 }])] })).toEqual([
      'criteria.0.rule.bands.0.points: must be between 0 and maxScore (20)',
    ]);
    expect(
      paths({
        criteria: [
          bands([
            { max: 5, points: 20 },
            { min: 4, points: 10 },
          ]),
        ],
      }),
    ).toEqual(['criteria.0.rule.bands.1: overlaps band 0']);
    expect(paths({ criteria: [{ ...timed, rule: { type: 'linear', best: 5, worst: 5 } }] })).toEqual([
      'criteria.0.rule.worst: best and worst must differ',
    ]);
    expect(paths({ criteria: [{ ...timed, kind: 'score' }] })).toHaveLength(1);
  });
});
