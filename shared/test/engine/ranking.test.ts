import { describe, expect, it } from 'vitest';
import { computeResults, type ResultsInput } from '../../src/index.js';
import { field, totalsInput } from './helpers.js';

describe('rule 5: standard competition ranking by descending score', () => {
  it('gives tied scores the same rank and skips the next (1, 2, 2, 4)', () => {
    const out = computeResults(totalsInput({ d: { A: 70 }, b: { A: 80 }, a: { A: 90 }, c: { A: 80 } }));
    expect(out.entries.map((e) => [e.entryId, e.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  const twoCriteria = (rows: Record<string, [number, number, number]>, tieBreak: string[]): ResultsInput => ({
    // Total = 100 * (x + y + z) / 30 with three equal-weight criteria out of 10.
    rubric: {
      criteria: [
        { id: 'x', weight: 1, maxScore: 10 },
        { id: 'y', weight: 1, maxScore: 10 },
        { id: 'z', weight: 1, maxScore: 10 },
      ],
    },
    entries: Object.keys(rows).map((id) => ({ id })),
    scores: Object.entries(rows).map(([entryId, [x, y, z]]) => ({
      entryId,
      judgeId: 'A',
      criteria: { x, y, z },
    })),
    aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
    tieBreak,
  });

  it('breaks ties by the higher mean of each tieBreak criterion, in order', () => {
    const rows: Record<string, [number, number, number]> = {
      p: [9, 9, 9], // 90
      q: [6, 9, 9], // 80, x = 6
      r: [8, 7, 9], // 80, x = 8
      s: [8, 9, 7], // 80, x = 8, y = 9
      t: [5, 5, 5], // 50
    };
    expect(field(computeResults(twoCriteria(rows, [])), 'rank')).toEqual({ p: 1, q: 2, r: 2, s: 2, t: 5 });
    expect(field(computeResults(twoCriteria(rows, ['x'])), 'rank')).toEqual({ p: 1, r: 2, s: 2, q: 4, t: 5 });
    expect(field(computeResults(twoCriteria(rows, ['x', 'y'])), 'rank')).toEqual({
      p: 1,
      s: 2,
      r: 3,
      q: 4,
      t: 5,
    });
    // A tie-break never reorders entries whose scores differ.
    expect(field(computeResults(twoCriteria(rows, ['z'])), 'rank')).toEqual({ p: 1, q: 2, r: 2, s: 4, t: 5 });
  });

  it('treats scores within 1e-9 as equal', () => {
    // One criterion out of 3: totals 0, 0, 100 average to 33.333333333333336 while
    // 0, 33.33.., 66.66.. average to 33.33333333333333; float noise, not a difference.
    const input: ResultsInput = {
      rubric: { criteria: [{ id: 'k', weight: 1, maxScore: 3 }] },
      entries: [{ id: 'u' }, { id: 'v' }, { id: 'w' }],
      scores: [
        ...[0, 0, 3].map((k, j) => ({ entryId: 'u', judgeId: `j${j}`, criteria: { k } })),
        ...[0, 1, 2].map((k, j) => ({ entryId: 'v', judgeId: `j${j}`, criteria: { k } })),
        ...[0, 0, 0].map((k, j) => ({ entryId: 'w', judgeId: `j${j}`, criteria: { k } })),
      ],
      aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
    };
    const out = computeResults(input);
    const score = field(out, 'score');
    expect(score.u).not.toBe(score.v);
    expect(Math.abs((score.u as number) - (score.v as number))).toBeLessThan(1e-9);
    expect(field(out, 'rank')).toEqual({ u: 1, v: 1, w: 3 });
  });

  it('lists tied entries by entry id', () => {
    const out = computeResults(totalsInput({ zeta: { A: 50 }, alpha: { A: 50 }, mid: { A: 50 } }));
    expect(out.entries.map((e) => e.entryId)).toEqual(['alpha', 'mid', 'zeta']);
    expect(out.entries.map((e) => e.rank)).toEqual([1, 1, 1]);
  });
});
