import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeResults, judgeTotal } from '../../src/index.js';

describe('judgeTotal: rule 1 for one score, as the judging screen shows it', () => {
  it('gives the number the engine computes for the same score, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            weight: fc.integer({ min: 1, max: 1000 }).map((w) => w / 10),
            maxScore: fc.integer({ min: 1, max: 200 }).map((m) => m / 2),
            share: fc.double({ min: 0, max: 1, noNaN: true }),
          }),
          { minLength: 1, maxLength: 12 },
        ),
        (rows) => {
          const criteria = rows.map((r, i) => ({ id: `c${i}`, weight: r.weight, maxScore: r.maxScore }));
          const values = Object.fromEntries(rows.map((r, i) => [`c${i}`, r.share * r.maxScore]));
          const out = computeResults({
            rubric: { criteria },
            entries: [{ id: 'e' }],
            scores: [{ entryId: 'e', judgeId: 'j', criteria: values }],
            aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
          });
          expect(judgeTotal(criteria, values)).toBe(out.entries[0]!.judgeTotals[0]!.total);
        },
      ),
    );
  });

  it('counts a criterion without a value as 0 and a rubric without weight as 0', () => {
    const criteria = [
      { id: 'a', weight: 2, maxScore: 10 },
      { id: 'b', weight: 1, maxScore: 5 },
      { id: 'c', weight: 1, maxScore: 20 },
    ];
    expect(judgeTotal(criteria, { a: 7, b: 3, c: 10 })).toBe(62.5);
    expect(judgeTotal(criteria, { a: 10 })).toBe(50);
    expect(judgeTotal(criteria, {})).toBe(0);
    expect(judgeTotal([], {})).toBe(0);
  });
});
