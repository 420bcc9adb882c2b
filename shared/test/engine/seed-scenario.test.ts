import { describe, expect, it } from 'vitest';
import { computeResults, ResultsOutputSchema, type ResultsInput } from '../../src/index.js';
import { createPrng } from '../../src/engine/prng.js';

// The seed scenario: 497 entries, 5 judges, 8 criteria, tiers first (quota 70) and second (quota 127).
const CRITERIA = [
  { id: 'objectives', weight: 10, maxScore: 10 },
  { id: 'content', weight: 20, maxScore: 20 },
  { id: 'method', weight: 15, maxScore: 15 },
  { id: 'interaction', weight: 10, maxScore: 10 },
  { id: 'technology', weight: 10, maxScore: 10 },
  { id: 'delivery', weight: 15, maxScore: 15 },
  { id: 'effect', weight: 10, maxScore: 10 },
  { id: 'innovation', weight: 10, maxScore: 10 },
];

function seedScenario(): ResultsInput {
  const prng = createPrng(2024);
  const entries = Array.from({ length: 497 }, (_, i) => ({ id: `T${String(i + 1).padStart(3, '0')}` }));
  const scores = entries.flatMap((entry) => {
    const quality = 0.4 + 0.55 * prng.nextFloat();
    return ['J1', 'J2', 'J3', 'J4', 'J5'].map((judgeId) => ({
      entryId: entry.id,
      judgeId,
      // Unrounded values keep this data free of ties (on a point grid, 497 means collide).
      criteria: Object.fromEntries(
        CRITERIA.map((c) => {
          const raw = c.maxScore * (quality + 0.15 * (prng.nextFloat() - 0.5));
          return [c.id, Math.min(c.maxScore, Math.max(0, raw))];
        }),
      ),
    }));
  });
  return {
    rubric: { criteria: CRITERIA },
    entries,
    scores,
    aggregation: { method: 'trimmedMean', trim: 1, normalization: 'none', minJudges: 3 },
    tiers: [
      { id: 'first', quota: 70 },
      { id: 'second', quota: 127 },
    ],
  };
}

describe('seed scenario: 497 entries, 8 criteria, first 70 / second 127', () => {
  const input = seedScenario();

  it('gives exactly 70 / 127 when no ties sit on a boundary', () => {
    const out = computeResults(input);
    expect(() => ResultsOutputSchema.parse(out)).not.toThrow();
    expect(out.tiers.map((t) => [t.tierId, t.count, t.quota])).toEqual([
      ['first', 70, 70],
      ['second', 127, 127],
    ]);
    const ranks = out.entries.map((e) => e.rank);
    expect(new Set(ranks).size).toBe(497); // no ties anywhere in this data
    expect(out.entries.slice(0, 70).every((e) => e.tierId === 'first')).toBe(true);
    expect(out.entries.slice(70, 197).every((e) => e.tierId === 'second')).toBe(true);
    expect(out.entries.slice(197).every((e) => e.tierId === null)).toBe(true);
    expect(out.tiers[0]!.cutoffScore).toBe(out.entries[69]!.score);
  });

  it('include and exclude differ when a tie sits on the first boundary', () => {
    // Make the entries ranked 69 and 71 score exactly like the one ranked 70: a tie of three across the quota.
    const before = computeResults(input);
    const [r69, r70, r71] = [68, 69, 70].map((i) => before.entries[i]!.entryId);
    const template = new Map(
      input.scores.filter((s) => s.entryId === r70).map((s) => [s.judgeId, s.criteria]),
    );
    const tied: ResultsInput = {
      ...input,
      scores: input.scores.map((s) =>
        s.entryId === r69 || s.entryId === r71 ? { ...s, criteria: { ...template.get(s.judgeId)! } } : s,
      ),
    };

    const include = computeResults({ ...tied, tiePolicy: 'include' });
    const tieRanks = include.entries.filter((e) => [r69, r70, r71].includes(e.entryId)).map((e) => e.rank);
    expect(tieRanks).toEqual([69, 69, 69]);
    expect(include.tiers.map((t) => t.count)).toEqual([71, 127]);

    const exclude = computeResults({ ...tied, tiePolicy: 'exclude' });
    expect(exclude.tiers.map((t) => t.count)).toEqual([68, 127]);
    expect(exclude.entries.filter((e) => e.rank === 69).map((e) => e.tierId)).toEqual([
      'second',
      'second',
      'second',
    ]);
  });

  it('is fast enough to run the bootstrap in a test (1,000 samples)', () => {
    const out = computeResults({ ...input, bootstrap: { samples: 1000, seed: 7 } });
    const confidences = out.entries.map((e) => e.tierConfidence!);
    expect(confidences.every((c) => c >= 0 && c <= 1)).toBe(true);
    // Clear leaders and clear tail stay put; the boundaries are where confidence drops.
    expect(out.entries[0]!.tierConfidence).toBe(1);
    expect(out.entries[496]!.tierConfidence).toBe(1);
    const boundary = out.entries.filter((e) => e.flags.includes('boundary')).map((e) => e.rank!);
    expect(boundary.length).toBeGreaterThan(0);
    expect(boundary.every((r) => Math.abs(r - 70.5) < 40 || Math.abs(r - 197.5) < 40)).toBe(true);
  });
});
