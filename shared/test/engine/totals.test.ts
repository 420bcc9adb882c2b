import { describe, expect, it } from 'vitest';
import { computeResults, type ResultsInput } from '../../src/index.js';
import { byEntry, totalsInput } from './helpers.js';

describe('rule 1: a judge total is 100 * sum(w * s / max) / sum(w)', () => {
  const input = (
    criteria: ResultsInput['rubric']['criteria'],
    values: Record<string, number>[],
  ): ResultsInput => ({
    rubric: { criteria },
    entries: values.map((_, i) => ({ id: `e${i}` })),
    scores: values.map((v, i) => ({ entryId: `e${i}`, judgeId: 'j1', criteria: v })),
    aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
  });

  it('weights each criterion by w / max', () => {
    const criteria = [
      { id: 'a', weight: 2, maxScore: 10 },
      { id: 'b', weight: 1, maxScore: 5 },
      { id: 'c', weight: 1, maxScore: 20 },
    ];
    // 100 * (2 * 7/10 + 1 * 3/5 + 1 * 10/20) / 4 = 100 * 2.5 / 4 = 62.5
    const out = computeResults(
      input(criteria, [
        { a: 7, b: 3, c: 10 },
        { a: 0, b: 0, c: 0 },
        { a: 10, b: 5, c: 20 },
      ]),
    );
    const e = byEntry(out);
    expect(e.e0!.judgeTotals).toEqual([{ judgeId: 'j1', total: 62.5, normalized: 62.5 }]);
    expect(e.e0!.score).toBe(62.5);
    expect(e.e1!.score).toBe(0);
    expect(e.e2!.score).toBe(100);
  });

  it('is the plain sum of points out of 100 when weights equal the max points', () => {
    const criteria = [
      { id: 'a', weight: 30, maxScore: 30 },
      { id: 'b', weight: 30, maxScore: 30 },
      { id: 'c', weight: 40, maxScore: 40 },
    ];
    const out = computeResults(input(criteria, [{ a: 20, b: 25, c: 31 }]));
    expect(out.entries[0]!.score).toBe(76);
  });
});

describe('rule 2: zscore normalization per judge, mapped back to the grand scale', () => {
  it('maps z = (x - mean_j) / sd_j back as grandMean + z * grandSd (sample sd)', () => {
    // A: 60, 70, 80 (mean 70, sd 10); B: 80, 85, 90 (mean 85, sd 5): both z = -1, 0, 1.
    // Grand over the six totals: mean 77.5, sample sd sqrt(587.5 / 5) = sqrt(117.5).
    const out = computeResults(
      totalsInput(
        { e1: { A: 60, B: 80 }, e2: { A: 70, B: 85 }, e3: { A: 80, B: 90 } },
        { aggregation: { method: 'mean', normalization: 'zscore', minJudges: 1 } },
      ),
    );
    const e = byEntry(out);
    const g = Math.sqrt(117.5);
    expect(e.e1!.score).toBeCloseTo(77.5 - g, 12);
    expect(e.e2!.score).toBeCloseTo(77.5, 12);
    expect(e.e3!.score).toBeCloseTo(77.5 + g, 12);
    expect(e.e1!.judgeTotals.map((t) => t.total)).toEqual([60, 80]); // raw totals kept alongside
    expect(e.e1!.judgeTotals[0]!.normalized).toBeCloseTo(77.5 - g, 12);
  });

  it('keeps raw totals for a judge with fewer than 2 scores or no spread, yet counts them in the grand scale', () => {
    // C scores once, D twice with the same total. Grand mean 595/9, grand sd 19.329022507905336 (worked separately).
    const out = computeResults(
      totalsInput(
        { e1: { A: 60, B: 80, C: 50 }, e2: { A: 70, B: 85, D: 40 }, e3: { A: 80, B: 90, D: 40 } },
        { aggregation: { method: 'mean', normalization: 'zscore', minJudges: 1 } },
      ),
    );
    const e = byEntry(out);
    const gm = 595 / 9;
    const gs = 19.329022507905336;
    expect(e.e1!.judgeTotals.find((t) => t.judgeId === 'C')!.normalized).toBe(50);
    expect(e.e2!.judgeTotals.find((t) => t.judgeId === 'D')!.normalized).toBe(40);
    expect(e.e1!.score).toBeCloseTo((2 * (gm - gs) + 50) / 3, 10); // 47.85472573547052
    expect(e.e2!.score).toBeCloseTo((2 * gm + 40) / 3, 10); // 57.40740740740741
    expect(e.e3!.score).toBeCloseTo((2 * (gm + gs) + 40) / 3, 10); // 70.29342241267763
  });

  it('is applied before aggregation (median of normalized totals)', () => {
    const table = { e1: { A: 60, B: 80, C: 10 }, e2: { A: 70, B: 85, C: 20 }, e3: { A: 80, B: 90, C: 30 } };
    const none = computeResults(
      totalsInput(table, { aggregation: { method: 'median', normalization: 'none', minJudges: 1 } }),
    );
    const z = computeResults(
      totalsInput(table, { aggregation: { method: 'median', normalization: 'zscore', minJudges: 1 } }),
    );
    expect(byEntry(none).e2!.score).toBe(70);
    // All three judges have z = 0 on e2, so the median is the grand mean of all nine totals.
    expect(byEntry(z).e2!.score).toBeCloseTo(525 / 9, 12);
  });
});
