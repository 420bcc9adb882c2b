import { describe, expect, it } from 'vitest';
import { computeResults, type ResultsInput } from '../../src/index.js';
import { byEntry, totalsInput } from './helpers.js';

type Method = 'mean' | 'median' | 'trimmedMean';
const scoreOf = (totals: number[], method: Method, trim?: number) => {
  const row = Object.fromEntries(totals.map((t, i) => [`j${i}`, t]));
  const out = computeResults(
    totalsInput({ e: row }, { aggregation: { method, trim, normalization: 'none', minJudges: 1 } }),
  );
  return out.entries[0]!.score;
};

describe('rule 3: aggregation over the entry judges', () => {
  it('mean', () => {
    expect(scoreOf([50, 60, 70, 80, 100], 'mean')).toBe(72);
  });

  it('median, and the mean of the two middle values when even', () => {
    expect(scoreOf([100, 50, 70, 60, 80], 'median')).toBe(70);
    expect(scoreOf([50, 100, 60, 70], 'median')).toBe(65);
    expect(scoreOf([42], 'median')).toBe(42);
  });

  it('trimmedMean drops `trim` highest and lowest (default 1)', () => {
    expect(scoreOf([50, 60, 70, 80, 100], 'trimmedMean')).toBe(70); // (60 + 70 + 80) / 3
    expect(scoreOf([10, 50, 90], 'trimmedMean', 1)).toBe(50);
    expect(scoreOf([0, 40, 60, 62, 100], 'trimmedMean', 2)).toBe(60);
    expect(scoreOf([0, 40, 60, 62, 100], 'trimmedMean', 0)).toBe(52.4);
  });

  it('trimmedMean falls back to the mean below 2 * trim + 1 judges', () => {
    expect(scoreOf([50, 70], 'trimmedMean', 1)).toBe(60);
    expect(scoreOf([50, 60, 70, 100], 'trimmedMean', 2)).toBe(70);
  });

  it('an entry with fewer than minJudges scores is incomplete: no rank, no tier', () => {
    const input: ResultsInput = totalsInput(
      { full: { A: 75, B: 80, C: 85 }, short: { A: 99, B: 99 } },
      {
        aggregation: { method: 'mean', normalization: 'none', minJudges: 3 },
        tiers: [{ id: 'gold', quota: 5 }],
      },
    );
    input.entries.push({ id: 'none' });
    const out = computeResults(input);
    const e = byEntry(out);
    expect(e.full).toMatchObject({ rank: 1, tierId: 'gold', flags: [] });
    expect(e.short).toMatchObject({
      judgeCount: 2,
      score: 99,
      rank: null,
      tierId: null,
      tierConfidence: null,
      flags: ['incomplete'],
    });
    expect(e.none).toMatchObject({
      judgeCount: 0,
      score: null,
      rank: null,
      tierId: null,
      criteria: { points: null },
    });
    expect(out.entries.map((x) => x.entryId)).toEqual(['full', 'none', 'short']); // incomplete last
    expect(out.tiers[0]).toMatchObject({ count: 1, quota: 5 });
  });
});

describe('rule 4: per-criterion feedback is the mean raw value', () => {
  it('averages each criterion over the entry judges, raw even under zscore', () => {
    const input: ResultsInput = {
      rubric: {
        criteria: [
          { id: 'design', weight: 1, maxScore: 10 },
          { id: 'delivery', weight: 3, maxScore: 5 },
        ],
      },
      entries: [{ id: 'e1' }, { id: 'e2' }],
      scores: [
        { entryId: 'e1', judgeId: 'A', criteria: { design: 4, delivery: 1 } },
        { entryId: 'e1', judgeId: 'B', criteria: { design: 5, delivery: 2 } },
        { entryId: 'e1', judgeId: 'C', criteria: { design: 9, delivery: 2 } },
        { entryId: 'e2', judgeId: 'A', criteria: { design: 8, delivery: 4 } },
        { entryId: 'e2', judgeId: 'B', criteria: { design: 6, delivery: 3 } },
        { entryId: 'e2', judgeId: 'C', criteria: { design: 1, delivery: 5 } },
      ],
      aggregation: { method: 'median', normalization: 'zscore', minJudges: 1 },
    };
    const e = byEntry(computeResults(input));
    expect(e.e1!.criteria).toEqual({ design: 6, delivery: 5 / 3 });
    expect(e.e2!.criteria).toEqual({ design: 5, delivery: 4 });
  });
});
