import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeResults,
  measurementPoints,
  ResultsOutputSchema,
  SCORE_EPSILON,
  type MeasurementRule,
  type ResultsInput,
  type ResultsOutput,
} from '../../src/index.js';
import { createPrng } from '../../src/engine/prng.js';

const JUDGED = [
  { id: 'a', weight: 1, maxScore: 10 },
  { id: 'b', weight: 3, maxScore: 20 },
];
const RULES: Record<string, { weight: number; maxScore: number; rule: MeasurementRule }> = {
  time: { weight: 2, maxScore: 20, rule: { type: 'linear', best: 60, worst: 120 } },
  check: { weight: 1, maxScore: 5, rule: { type: 'passFail' } },
  defects: {
    weight: 1.5,
    maxScore: 8,
    rule: {
      type: 'bands',
      bands: [
        { max: 1, points: 8 },
        { min: 1, max: 3, points: 4 },
      ],
    },
  },
};
const MEASURED = Object.entries(RULES).map(([id, c]) => ({ id, kind: 'measurement' as const, ...c }));

interface Row {
  category: string;
  marks: ([number, number] | null)[];
  time: number | null;
  check: number | null;
  defects: number | null;
}

const contestArb = fc.integer({ min: 1, max: 4 }).chain((judges) =>
  fc.array(
    fc.record({
      category: fc.constantFrom('k1', 'k2'),
      marks: fc.array(
        fc.option(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 20 })), { freq: 5 }),
        { minLength: judges, maxLength: judges },
      ),
      time: fc.option(fc.integer({ min: 40, max: 140 }), { freq: 6 }),
      check: fc.option(fc.constantFrom(0, 1), { freq: 6 }),
      defects: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 6 }),
    }),
    { minLength: 1, maxLength: 10 },
  ),
);

const configArb = fc.record({
  method: fc.constantFrom('mean' as const, 'median' as const, 'trimmedMean' as const),
  normalization: fc.constantFrom('none' as const, 'zscore' as const),
  minJudges: fc.integer({ min: 1, max: 3 }),
  tiePolicy: fc.constantFrom('include' as const, 'exclude' as const),
  quotaScope: fc.constantFrom('contest' as const, 'category' as const),
  tiers: fc.array(
    fc.oneof(
      fc.record({ quota: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ minScore: fc.integer({ min: 0, max: 100 }) }),
    ),
    { maxLength: 2 },
  ),
  bootstrap: fc.option(fc.record({ samples: fc.integer({ min: 1, max: 10 }), seed: fc.nat() }), {
    nil: undefined,
  }),
});
type Config = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function judgedInput(rows: Row[], config: Config, tieBreak: string[] = []): ResultsInput {
  return {
    rubric: { criteria: JUDGED },
    entries: rows.map((r, i) => ({ id: `e${i}`, category: r.category })),
    scores: rows.flatMap((r, i) =>
      r.marks.flatMap((m, j) =>
        m === null ? [] : [{ entryId: `e${i}`, judgeId: `j${j}`, criteria: { a: m[0], b: m[1] } }],
      ),
    ),
    aggregation: { method: config.method, normalization: config.normalization, minJudges: config.minJudges },
    tiePolicy: config.tiePolicy,
    quotaScope: config.quotaScope,
    tiers: config.tiers.map((t, i) => ({ id: `t${i}`, ...t })),
    bootstrap: config.bootstrap,
    tieBreak,
  };
}

function measuredValues(r: Row): Record<string, number> {
  const values: Record<string, number> = {};
  for (const id of ['time', 'check', 'defects'] as const) if (r[id] !== null) values[id] = r[id];
  return values;
}

function hybridInput(rows: Row[], config: Config, tieBreak: string[] = []): ResultsInput {
  const judged = judgedInput(rows, config, tieBreak);
  return {
    ...judged,
    rubric: { criteria: [JUDGED[0]!, ...MEASURED, JUDGED[1]!] },
    measurements: rows.map((r, i) => ({ entryId: `e${i}`, criteria: measuredValues(r) })),
  };
}

/** The measured part on the 0-100 scale, computed independently of the engine; null when a value is missing. */
function measuredTotal(r: Row): number | null {
  let sum = 0;
  let weights = 0;
  for (const c of MEASURED) {
    const v = r[c.id as 'time' | 'check' | 'defects'];
    if (v === null) return null;
    sum += (c.weight * measurementPoints(c, v)!) / c.maxScore;
    weights += c.weight;
  }
  return (100 * sum) / weights;
}

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const prng = createPrng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = prng.nextInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const byId = (out: ResultsOutput) => Object.fromEntries(out.entries.map((e) => [e.entryId, e]));

describe('measurement properties', () => {
  it("a rubric without measurement criteria gives exactly today's numbers with kind 'judgement' spelled out or empty measurements", () => {
    fc.assert(
      fc.property(contestArb, configArb, fc.subarray(['a', 'b']), (rows, config, tieBreak) => {
        const input = judgedInput(rows, config, tieBreak);
        const expected = computeResults(input);
        const explicit: ResultsInput = {
          ...input,
          rubric: { criteria: JUDGED.map((c) => ({ ...c, kind: 'judgement' as const })) },
        };
        expect(computeResults(explicit)).toEqual(expected);
        expect(computeResults({ ...input, measurements: [] })).toEqual(expected);
        const emptyRecords = input.entries.map((e) => ({ entryId: e.id, criteria: {} }));
        expect(computeResults({ ...explicit, measurements: emptyRecords })).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('adding measurement criteria keeps every judge number and combines scores by weight sums', () => {
    const wj = JUDGED.reduce((s, c) => s + c.weight, 0);
    const wm = MEASURED.reduce((s, c) => s + c.weight, 0);
    fc.assert(
      fc.property(contestArb, configArb, (rows, config) => {
        const judged = computeResults(judgedInput(rows, config));
        const hybrid = computeResults(hybridInput(rows, config));
        ResultsOutputSchema.parse(hybrid);
        expect(hybrid.judges).toEqual(judged.judges);
        expect(hybrid.reliability).toEqual(judged.reliability);
        const before = byId(judged);
        const after = byId(hybrid);
        rows.forEach((r, i) => {
          const j = before[`e${i}`]!;
          const h = after[`e${i}`]!;
          expect(h.judgeTotals).toEqual(j.judgeTotals);
          expect(h.judgeCount).toBe(j.judgeCount);
          expect(h.flags.includes('disagreement')).toBe(j.flags.includes('disagreement'));
          const m = measuredTotal(r);
          const complete = j.rank !== null && m !== null;
          expect(h.rank !== null).toBe(complete);
          expect(h.flags.includes('incomplete')).toBe(!complete);
          if (m === null || j.score === null) expect(h.score).toBeNull();
          else expect(h.score!).toBeCloseTo((wj * j.score + wm * m) / (wj + wm), 9);
          for (const c of MEASURED) {
            const v = r[c.id as 'time' | 'check' | 'defects'];
            expect(h.criteria[c.id]).toBe(v === null ? null : measurementPoints(c, v));
          }
          expect(h.criteria.a).toBe(j.criteria.a);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('ranks follow the combined score in each scope', () => {
    fc.assert(
      fc.property(contestArb, configArb, (rows, config) => {
        const out = computeResults(hybridInput(rows, config));
        const scopes = new Map<string, ResultsOutput['entries']>();
        for (const e of out.entries) {
          if (e.rank === null) continue;
          const key = config.quotaScope === 'category' ? e.category! : '';
          scopes.set(key, [...(scopes.get(key) ?? []), e]);
        }
        for (const scope of scopes.values())
          for (let i = 1; i < scope.length; i++) {
            expect(scope[i]!.score!).toBeLessThanOrEqual(scope[i - 1]!.score! + SCORE_EPSILON);
            expect(scope[i]!.rank).toBe(1 + scope.filter((o) => o.rank! < scope[i]!.rank!).length);
          }
      }),
      { numRuns: 150 },
    );
  });

  it('permuting entries, scores and measurements changes nothing', () => {
    fc.assert(
      fc.property(
        contestArb,
        configArb,
        fc.subarray(['a', 'time', 'check']),
        fc.nat(),
        (rows, config, tieBreak, seed) => {
          const input = hybridInput(rows, config, tieBreak);
          const permuted: ResultsInput = {
            ...input,
            entries: shuffle(input.entries, seed),
            scores: shuffle(input.scores, seed + 1),
            measurements: shuffle(input.measurements!, seed + 2).map((m) => ({
              ...m,
              criteria: Object.fromEntries(Object.entries(m.criteria).reverse()),
            })),
          };
          expect(computeResults(permuted)).toEqual(computeResults(input));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a measurement-only rubric scores every fully measured entry without judges, whatever minJudges says', () => {
    fc.assert(
      fc.property(contestArb, configArb, (rows, config) => {
        const input: ResultsInput = {
          ...hybridInput(rows, config),
          rubric: { criteria: MEASURED },
          scores: [],
        };
        const out = byId(computeResults(input));
        rows.forEach((r, i) => {
          const e = out[`e${i}`]!;
          const m = measuredTotal(r);
          expect(e.judgeCount).toBe(0);
          expect(e.rank !== null).toBe(m !== null);
          if (m === null) expect(e.score).toBeNull();
          else {
            expect(e.score!).toBeCloseTo(m, 9);
            if (config.bootstrap) expect(e.tierConfidence).toBe(1);
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});
