import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeResults,
  ResultsOutputSchema,
  SCORE_EPSILON,
  type ResultsInput,
  type ResultsOutput,
} from '../../src/index.js';
import { createPrng } from '../../src/engine/prng.js';

// Two criteria: a out of 10 (weight 1) and b out of 20 (weight 3). Adding k to a and 2k to b moves
// a judge's total by 100 * (k / 10 + 3 * 2k / 20) / 4 = 10k points.
const RUBRIC = {
  criteria: [
    { id: 'a', weight: 1, maxScore: 10 },
    { id: 'b', weight: 3, maxScore: 20 },
  ],
};

type Mark = [number, number] | null;
interface Contest {
  judges: number;
  rows: { category: string; marks: Mark[] }[];
}

const contestArb: fc.Arbitrary<Contest> = fc.integer({ min: 1, max: 5 }).chain((judges) =>
  fc.record({
    judges: fc.constant(judges),
    rows: fc.array(
      fc.record({
        category: fc.constantFrom('k1', 'k2', 'k3'),
        marks: fc.array(
          fc.option(fc.tuple(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 20 })), { freq: 5 }),
          {
            minLength: judges,
            maxLength: judges,
          },
        ),
      }),
      { minLength: 1, maxLength: 14 },
    ),
  }),
);

const tierArb = fc.oneof(
  fc.record({ quota: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ share: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ minScore: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ quota: fc.integer({ min: 0, max: 6 }), minScore: fc.integer({ min: 0, max: 100 }) }),
);

const configArb = fc.record({
  method: fc.constantFrom('mean' as const, 'median' as const, 'trimmedMean' as const),
  trim: fc.integer({ min: 0, max: 2 }),
  normalization: fc.constantFrom('none' as const, 'zscore' as const),
  minJudges: fc.integer({ min: 1, max: 3 }),
  tiePolicy: fc.constantFrom('include' as const, 'exclude' as const),
  quotaScope: fc.constantFrom('contest' as const, 'category' as const),
  tieBreak: fc.subarray(['a', 'b']),
  tiers: fc.array(tierArb, { maxLength: 3 }),
  bootstrap: fc.option(fc.record({ samples: fc.integer({ min: 1, max: 15 }), seed: fc.nat() }), {
    nil: undefined,
  }),
});
type Config = typeof configArb extends fc.Arbitrary<infer T> ? T : never;

function toInput(contest: Contest, config: Config): ResultsInput {
  return {
    rubric: RUBRIC,
    entries: contest.rows.map((row, i) => ({ id: `e${i}`, category: row.category })),
    scores: contest.rows.flatMap((row, i) =>
      row.marks.flatMap((mark, j) =>
        mark === null ? [] : [{ entryId: `e${i}`, judgeId: `j${j}`, criteria: { a: mark[0], b: mark[1] } }],
      ),
    ),
    aggregation: {
      method: config.method,
      trim: config.trim,
      normalization: config.normalization,
      minJudges: config.minJudges,
    },
    tiePolicy: config.tiePolicy,
    quotaScope: config.quotaScope,
    tieBreak: config.tieBreak,
    tiers: config.tiers.map((t, i) => ({ id: `t${i}`, ...t })),
    bootstrap: config.bootstrap,
  };
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

const rankedByScope = (out: ResultsOutput, byCategory: boolean) => {
  const scopes = new Map<string, ResultsOutput['entries']>();
  for (const e of out.entries) {
    if (e.rank === null) continue;
    const key = byCategory ? (e.category ?? '') : '';
    scopes.set(key, [...(scopes.get(key) ?? []), e]);
  }
  return [...scopes.values()];
};

describe('properties', () => {
  it('permuting input order (entries, scores, criterion keys) changes nothing', () => {
    fc.assert(
      fc.property(contestArb, configArb, fc.nat(), (contest, config, seed) => {
        const input = toInput(contest, config);
        const permuted: ResultsInput = {
          ...input,
          entries: shuffle(input.entries, seed),
          scores: shuffle(input.scores, seed + 1).map((s) => ({
            ...s,
            criteria: { b: s.criteria.b!, a: s.criteria.a! },
          })),
        };
        expect(computeResults(permuted)).toEqual(computeResults(input));
      }),
      { numRuns: 150 },
    );
  });

  it("under zscore, shifting all of one judge's totals by the same amount changes no rank and no quota tier", () => {
    const quotaTiers = fc.array(
      fc.oneof(
        fc.record({ quota: fc.integer({ min: 0, max: 6 }) }),
        fc.record({ share: fc.double({ min: 0, max: 1, noNaN: true }) }),
      ),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(
        contestArb,
        configArb,
        quotaTiers,
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (contest, config, tiers, pick, where) => {
          const cfg: Config = {
            ...config,
            normalization: 'zscore',
            tieBreak: [],
            tiers,
            bootstrap: undefined,
          };
          // Every judge needs 2+ totals with a spread, or it keeps raw totals and the property does not apply.
          for (let j = 0; j < contest.judges; j++) {
            const totals = contest.rows.flatMap((r) => {
              const m = r.marks[j];
              return m ? [m[0] * 10 + m[1] * 15] : [];
            });
            fc.pre(totals.length >= 2 && Math.max(...totals) > Math.min(...totals));
          }
          const judge = pick % contest.judges;
          const marks = contest.rows.flatMap((r) => (r.marks[judge] ? [r.marks[judge]] : []));
          const low = Math.max(...marks.map(([a, b]) => -Math.min(a, Math.floor(b / 2))));
          const high = Math.min(...marks.map(([a, b]) => Math.min(10 - a, Math.floor((20 - b) / 2))));
          const k = low + Math.floor(where * (high - low + 1 - 1e-9));
          const shifted: Contest = {
            ...contest,
            rows: contest.rows.map((r) => ({
              ...r,
              marks: r.marks.map((m, j) => (m && j === judge ? ([m[0] + k, m[1] + 2 * k] as Mark) : m)),
            })),
          };
          const before = computeResults(toInput(contest, cfg));
          const after = computeResults(toInput(shifted, cfg));
          const view = (o: ResultsOutput) => o.entries.map((e) => [e.entryId, e.rank, e.tierId]);
          expect(view(after)).toEqual(view(before));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("tier counts never exceed quotas under 'exclude'", () => {
    fc.assert(
      fc.property(contestArb, configArb, (contest, config) => {
        const out = computeResults(toInput(contest, { ...config, tiePolicy: 'exclude' }));
        for (const tier of out.tiers) {
          if (tier.quota !== null) expect(tier.count).toBeLessThanOrEqual(tier.quota);
          for (const c of tier.categories ?? [])
            if (c.quota !== null) expect(c.count).toBeLessThanOrEqual(c.quota);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ranks form a valid competition ranking in each scope, and the output matches its schema', () => {
    fc.assert(
      fc.property(contestArb, configArb, (contest, config) => {
        const out = computeResults(toInput(contest, config));
        ResultsOutputSchema.parse(out);
        for (const scope of rankedByScope(out, config.quotaScope === 'category')) {
          scope.forEach((e, i) => {
            const rank = e.rank!;
            // Rank = 1 + number of entries ranked strictly better.
            expect(rank).toBe(1 + scope.filter((o) => o.rank! < rank).length);
            if (i === 0) expect(rank).toBe(1);
            else {
              const prev = scope[i - 1]!;
              expect(rank === prev.rank || rank === i + 1).toBe(true);
              expect(e.score!).toBeLessThanOrEqual(prev.score! + SCORE_EPSILON);
              if (rank === prev.rank)
                expect(Math.abs(e.score! - prev.score!)).toBeLessThanOrEqual(SCORE_EPSILON);
            }
          });
        }
        // Tiers only go to ranked entries, in tier order down the ranking.
        for (const scope of rankedByScope(out, config.quotaScope === 'category')) {
          const order = scope.map((e) =>
            e.tierId === null ? Infinity : out.tiers.findIndex((t) => t.tierId === e.tierId),
          );
          const assigned = order.filter((t) => t !== Infinity);
          expect(assigned).toEqual([...assigned].sort((x, y) => x - y));
        }
        expect(
          out.entries
            .filter((e) => e.rank === null)
            .every((e) => e.tierId === null && e.flags.includes('incomplete')),
        ).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
