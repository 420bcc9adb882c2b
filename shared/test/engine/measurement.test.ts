import { describe, expect, it } from 'vitest';
import {
  computeResults,
  judgeTotal,
  ResultsOutputSchema,
  ScoringInputError,
  type ResultsInput,
} from '../../src/index.js';
import { byEntry } from './helpers.js';

// A skills contest: judges mark craft (weight 60); a recorder measures the time (weight 30, linear
// 60 s -> 30 points, 120 s -> 0) and a safety check (weight 10, pass/fail out of 10).
const RUBRIC: ResultsInput['rubric'] = {
  criteria: [
    { id: 'craft', weight: 60, maxScore: 10 },
    {
      id: 'time',
      weight: 30,
      maxScore: 30,
      kind: 'measurement',
      rule: { type: 'linear', best: 60, worst: 120 },
    },
    { id: 'safety', weight: 10, maxScore: 10, kind: 'measurement', rule: { type: 'passFail' } },
  ],
};

const base = (overrides: Partial<ResultsInput> = {}): ResultsInput => ({
  rubric: RUBRIC,
  entries: [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }],
  scores: [
    { entryId: 'e1', judgeId: 'A', criteria: { craft: 8 } },
    { entryId: 'e1', judgeId: 'B', criteria: { craft: 6 } },
    { entryId: 'e2', judgeId: 'A', criteria: { craft: 9 } },
    { entryId: 'e2', judgeId: 'B', criteria: { craft: 9 } },
    { entryId: 'e3', judgeId: 'A', criteria: { craft: 5 } },
    { entryId: 'e3', judgeId: 'B', criteria: { craft: 7 } },
  ],
  measurements: [
    { entryId: 'e1', criteria: { time: 90, safety: 1 } },
    { entryId: 'e2', criteria: { time: 120, safety: 0 } },
    { entryId: 'e3', criteria: { time: 60, safety: 1 } },
  ],
  aggregation: { method: 'mean', normalization: 'none', minJudges: 2 },
  ...overrides,
});

function problemsOf(input: ResultsInput): string[] {
  try {
    computeResults(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScoringInputError);
    return (error as ScoringInputError).problems.map((p) => `${p.path.join('.')}: ${p.message}`);
  }
  throw new Error('expected a ScoringInputError');
}

describe('measurement criteria in the engine', () => {
  it('combines the aggregated judge total and the measured part by their weight sums', () => {
    const out = computeResults(base());
    ResultsOutputSchema.parse(out);
    const e = byEntry(out);
    // e1: judges 80 and 60 -> 70. Measured: time 90 s = 15 points, safety pass = 10 points:
    // 100 * (30 * 15/30 + 10 * 10/10) / 40 = 62.5. Score = (60 * 70 + 40 * 62.5) / 100 = 67.
    expect(e.e1!.score).toBeCloseTo(67, 12);
    // e2: judges 90, 90; measured 0 -> (60 * 90) / 100 = 54.
    expect(e.e2!.score).toBeCloseTo(54, 12);
    // e3: judges 50, 70 -> 60; measured 100 -> (3600 + 4000) / 100 = 76.
    expect(e.e3!.score).toBeCloseTo(76, 12);
    expect(out.entries.map((x) => [x.entryId, x.rank])).toEqual([
      ['e3', 1],
      ['e1', 2],
      ['e2', 3],
    ]);
  });

  it('keeps judge totals, judge statistics and disagreement on the judgement criteria only', () => {
    const out = computeResults(base({ disagreementThreshold: 15 }));
    const e = byEntry(out);
    // Rule 1 over craft alone: 8/10 -> 80, not diluted by the measured weights.
    expect(e.e1!.judgeTotals).toEqual([
      { judgeId: 'A', total: 80, normalized: 80 },
      { judgeId: 'B', total: 60, normalized: 60 },
    ]);
    expect(e.e1!.flags).toEqual(['disagreement']);
    expect(e.e2!.flags).toEqual([]);
    const judgedOnly = computeResults({
      ...base({ disagreementThreshold: 15 }),
      rubric: { criteria: [RUBRIC.criteria[0]!] },
      measurements: [],
    });
    expect(out.judges).toEqual(judgedOnly.judges);
    expect(out.reliability).toEqual(judgedOnly.reliability);
    const totals = (o: typeof out) => Object.fromEntries(o.entries.map((x) => [x.entryId, x.judgeTotals]));
    expect(totals(out)).toEqual(totals(judgedOnly));
  });

  it('z-scores the judgement totals only, then adds the measured part', () => {
    const zscore = { method: 'mean', normalization: 'zscore', minJudges: 2 } as const;
    const out = byEntry(computeResults(base({ aggregation: zscore })));
    const judgedOnly = byEntry(
      computeResults({
        ...base({ aggregation: zscore }),
        rubric: { criteria: [RUBRIC.criteria[0]!] },
        measurements: [],
      }),
    );
    const measured = { e1: 62.5, e2: 0, e3: 100 };
    for (const id of ['e1', 'e2', 'e3'] as const) {
      expect(out[id]!.judgeTotals).toEqual(judgedOnly[id]!.judgeTotals);
      expect(out[id]!.score).toBeCloseTo((60 * judgedOnly[id]!.score! + 40 * measured[id]) / 100, 10);
    }
  });

  it('gives the points of measurement criteria in the per-criterion feedback', () => {
    const e = byEntry(computeResults(base()));
    expect(e.e1!.criteria).toEqual({ craft: 7, time: 15, safety: 10 });
    expect(e.e2!.criteria).toEqual({ craft: 9, time: 0, safety: 0 });
    expect(Object.keys(e.e1!.criteria)).toEqual(['craft', 'time', 'safety']);
  });

  it('leaves an entry missing a measurement value incomplete: no score, no rank, no tier', () => {
    const input = base({
      measurements: [
        { entryId: 'e1', criteria: { time: 90 } },
        { entryId: 'e3', criteria: { time: 60, safety: 1 } },
      ],
      tiers: [{ id: 'gold', quota: 3 }],
    });
    const out = computeResults(input);
    const e = byEntry(out);
    for (const id of ['e1', 'e2']) {
      expect(e[id]!.flags).toContain('incomplete');
      expect(e[id]!.rank).toBeNull();
      expect(e[id]!.tierId).toBeNull();
      expect(e[id]!.score).toBeNull();
    }
    // What is known is still shown: the judges' criterion means and the points measured so far.
    expect(e.e1!.criteria).toEqual({ craft: 7, time: 15, safety: null });
    expect(e.e2!.criteria).toEqual({ craft: 9, time: null, safety: null });
    expect(e.e3!.rank).toBe(1);
    expect(e.e3!.tierId).toBe('gold');
    expect(out.tiers[0]!.count).toBe(1);
    expect(out.entries.map((x) => x.entryId)).toEqual(['e3', 'e1', 'e2']);
  });

  it('still needs minJudges judges when measurements are complete', () => {
    const input = base();
    input.scores = input.scores.filter((s) => !(s.entryId === 'e2' && s.judgeId === 'B'));
    const e = byEntry(computeResults(input));
    expect(e.e2!.flags).toContain('incomplete');
    expect(e.e2!.score).toBeCloseTo(54, 12); // one judge: kept for information
    expect(e.e2!.rank).toBeNull();
  });

  it('breaks ties on a measurement criterion by its points', () => {
    // Equal scores: e1 faster (more time points), e2 passes safety instead.
    const input: ResultsInput = {
      rubric: RUBRIC,
      entries: [{ id: 'e1' }, { id: 'e2' }],
      scores: [
        { entryId: 'e1', judgeId: 'A', criteria: { craft: 5 } },
        { entryId: 'e2', judgeId: 'A', criteria: { craft: 5 } },
      ],
      measurements: [
        { entryId: 'e1', criteria: { time: 60, safety: 0 } },
        { entryId: 'e2', criteria: { time: 80, safety: 1 } },
      ],
      aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
    };
    // e1: 30 * 1 = 30; e2: 30 * 2/3 + 10 = 30 -> equal measured parts, equal scores.
    const tied = computeResults(input);
    expect(tied.entries.map((x) => x.rank)).toEqual([1, 1]);
    expect(computeResults({ ...input, tieBreak: ['time'] }).entries.map((x) => [x.entryId, x.rank])).toEqual([
      ['e1', 1],
      ['e2', 2],
    ]);
    expect(
      computeResults({ ...input, tieBreak: ['safety'] }).entries.map((x) => [x.entryId, x.rank]),
    ).toEqual([
      ['e2', 1],
      ['e1', 2],
    ]);
  });

  it('bootstrap resamples judge totals only: entries whose judges agree keep their tier every time', () => {
    const input = base({
      scores: [
        { entryId: 'e1', judgeId: 'A', criteria: { craft: 7 } },
        { entryId: 'e1', judgeId: 'B', criteria: { craft: 7 } },
        { entryId: 'e2', judgeId: 'A', criteria: { craft: 9 } },
        { entryId: 'e2', judgeId: 'B', criteria: { craft: 9 } },
        { entryId: 'e3', judgeId: 'A', criteria: { craft: 6 } },
        { entryId: 'e3', judgeId: 'B', criteria: { craft: 6 } },
      ],
      tiers: [{ id: 'gold', quota: 1 }],
      bootstrap: { samples: 200, seed: 7 },
    });
    const out = computeResults(input);
    // Scores 67, 54 and (3600 + 4000) / 100 = 76: close, yet nothing moves because no judge varies.
    expect(out.entries.map((x) => [x.entryId, x.tierConfidence])).toEqual([
      ['e3', 1],
      ['e1', 1],
      ['e2', 1],
    ]);
  });

  it('bootstrap with disagreeing judges still gives a confidence in [0, 1] and flags boundary entries', () => {
    const out = computeResults(
      base({ tiers: [{ id: 'gold', quota: 1 }], bootstrap: { samples: 500, seed: 3 } }),
    );
    ResultsOutputSchema.parse(out);
    // e3 (60 judged, 76 total) and e1 (70 judged, 67 total) swap when judges are redrawn.
    const e = byEntry(out);
    expect(e.e3!.tierConfidence).toBeGreaterThan(0.5);
    expect(e.e3!.tierConfidence).toBeLessThan(1);
    expect(e.e2!.tierConfidence).toBe(1);
    expect(e.e3!.flags.includes('boundary')).toBe(e.e3!.tierConfidence! < 0.8);
  });
});

describe('a rubric of measurement criteria only', () => {
  const input = (overrides: Partial<ResultsInput> = {}): ResultsInput => ({
    rubric: {
      criteria: [
        {
          id: 'time',
          weight: 3,
          maxScore: 30,
          kind: 'measurement',
          rule: { type: 'linear', best: 60, worst: 120 },
        },
        {
          id: 'defects',
          weight: 1,
          maxScore: 10,
          kind: 'measurement',
          rule: {
            type: 'bands',
            bands: [
              { max: 1, points: 10 },
              { min: 1, max: 3, points: 5 },
            ],
          },
        },
      ],
    },
    entries: [{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }],
    scores: [],
    measurements: [
      { entryId: 'e1', criteria: { time: 90, defects: 0 } },
      { entryId: 'e2', criteria: { time: 70, defects: 2 } },
      { entryId: 'e3', criteria: { time: 100 } },
    ],
    aggregation: { method: 'trimmedMean', normalization: 'zscore', minJudges: 3 },
    ...overrides,
  });

  it('needs no judges: judgeCount 0, score = 100 * sum(w * points / max) / sum(w)', () => {
    const out = computeResults(
      input({ tiers: [{ id: 'gold', quota: 1 }], bootstrap: { samples: 50, seed: 1 } }),
    );
    ResultsOutputSchema.parse(out);
    const e = byEntry(out);
    // e1: (3 * 15/30 + 1 * 10/10) / 4 = 0.625; e2: (3 * 25/30 + 5/10) / 4 = 0.75.
    expect(e.e1!.score).toBeCloseTo(62.5, 12);
    expect(e.e2!.score).toBeCloseTo(75, 12);
    expect(e.e1!.judgeCount).toBe(0);
    expect(e.e1!.judgeTotals).toEqual([]);
    expect(e.e2!.rank).toBe(1);
    expect(e.e1!.rank).toBe(2);
    expect(e.e2!.tierId).toBe('gold');
    // Nothing to resample: the measured scores are fixed.
    expect(e.e1!.tierConfidence).toBe(1);
    expect(e.e2!.tierConfidence).toBe(1);
    expect(e.e3!.flags).toEqual(['incomplete']);
    expect(e.e3!.score).toBeNull();
    expect(e.e3!.criteria).toEqual({ time: 10, defects: null });
    expect(out.judges).toEqual([]);
    expect(out.reliability.panels).toEqual([]);
  });

  it('refuses judge scores, since there is nothing for a judge to score', () => {
    expect(problemsOf(input({ scores: [{ entryId: 'e1', judgeId: 'A', criteria: {} }] }))).toEqual([
      'scores.0: the rubric has no judgement criteria, so no judge scores',
    ]);
  });
});

describe('measurement input validation', () => {
  it('lists every problem: unknown entries, duplicates, wrong kinds, unknown criteria, bad pass/fail', () => {
    const input = base({
      scores: [
        { entryId: 'e1', judgeId: 'A', criteria: { craft: 8, time: 90 } },
        { entryId: 'e1', judgeId: 'B', criteria: {} },
      ],
      measurements: [
        { entryId: 'e1', criteria: { time: 90, safety: 2 } },
        { entryId: 'e1', criteria: { time: 80 } },
        { entryId: 'nope', criteria: { craft: 3, speed: 1 } },
      ],
    });
    expect(problemsOf(input)).toEqual([
      'scores.0.criteria.time: "time" is a measurement criterion: its value is recorded in measurements, not scored by judges',
      'scores.1.criteria.craft: missing criterion "craft"',
      'measurements.0.criteria.safety: must be 1 (pass) or 0 (fail)',
      'measurements.1.entryId: duplicate measurements for entry "e1" (measurements[0])',
      'measurements.2.entryId: unknown entry "nope"',
      'measurements.2.criteria.craft: "craft" is a judgement criterion: judges score it, it is not measured',
      'measurements.2.criteria.speed: unknown criterion "speed"',
    ]);
  });

  it('refuses non-finite values and a criterion without a rule, and accepts a tie-break on a measurement', () => {
    const input = base({ measurements: [{ entryId: 'e1', criteria: { time: Infinity } }] });
    expect(problemsOf(input)).toEqual(['measurements.0.criteria.time: expected a finite number']);
    const noRule = base({
      rubric: {
        criteria: [RUBRIC.criteria[0]!, { id: 'time', weight: 1, maxScore: 5, kind: 'measurement' }],
      },
      measurements: [],
    });
    expect(problemsOf(noRule)).toEqual(['rubric.criteria.1.rule: a measurement criterion needs a rule']);
    expect(() => computeResults(base({ tieBreak: ['safety', 'craft'] }))).not.toThrow();
    expect(problemsOf(base({ tieBreak: ['speed'] }))).toEqual(['tieBreak.0: unknown criterion "speed"']);
  });

  it('refuses a measurements list that names a criterion when the rubric has no measurement criteria', () => {
    const input = base({
      rubric: { criteria: [RUBRIC.criteria[0]!] },
      measurements: [{ entryId: 'e1', criteria: { time: 1 } }],
    });
    expect(problemsOf(input)).toEqual(['measurements.0.criteria.time: unknown criterion "time"']);
  });
});

describe('judgeTotal with measurement criteria', () => {
  it('leaves measurement criteria out, as the engine does', () => {
    const out = computeResults(base());
    const e1 = byEntry(out).e1!;
    expect(judgeTotal(RUBRIC.criteria, { craft: 8 })).toBe(e1.judgeTotals[0]!.total);
    expect(judgeTotal(RUBRIC.criteria, { craft: 8, time: 90 })).toBe(80);
  });
});
