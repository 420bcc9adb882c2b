import { describe, expect, it } from 'vitest';
import { computeResults } from '../../src/index.js';
import { totalsInput } from './helpers.js';

describe('rule 10: judge statistics on raw totals', () => {
  // e1: A 60, B 70, C 80 | e2: A 50, B 65, C 65 | e3: A 90, B 85 | e4: A 40 alone | e5: D 70 alone
  const out = computeResults(
    totalsInput(
      {
        e1: { A: 60, B: 70, C: 80 },
        e2: { A: 50, B: 65, C: 65 },
        e3: { A: 90, B: 85 },
        e4: { A: 40 },
        e5: { D: 70 },
      },
      // zscore must not change judge statistics: they use raw totals.
      { aggregation: { method: 'median', normalization: 'zscore', minJudges: 1 } },
    ),
  );
  const judge = (id: string) => out.judges.find((j) => j.judgeId === id)!;

  it('count, mean and sample sd of totals', () => {
    expect(out.judges.map((j) => j.judgeId)).toEqual(['A', 'B', 'C', 'D']);
    expect(judge('A')).toMatchObject({ count: 4, mean: 60 });
    expect(judge('A').sd).toBeCloseTo(Math.sqrt(1400 / 3), 12); // 21.602...
    expect(judge('C').sd).toBeCloseTo(Math.sqrt(112.5), 12); // 80, 65
    expect(judge('D')).toEqual({
      judgeId: 'D',
      count: 1,
      mean: 70,
      sd: null,
      leniency: null,
      consistency: null,
    });
  });

  it('leniency: mean of (own total - mean of the other judges) over entries with at least 2 judges', () => {
    // A: (60 - 75) + (50 - 65) + (90 - 85) = -25 over 3 (e4 has no other judge).
    expect(judge('A').leniency).toBeCloseTo(-25 / 3, 12);
    // B: (70 - 70) + (65 - 57.5) + (85 - 90) = 2.5 over 3.
    expect(judge('B').leniency).toBeCloseTo(2.5 / 3, 12);
    // C: (80 - 65) + (65 - 57.5) = 22.5 over 2.
    expect(judge('C').leniency).toBeCloseTo(11.25, 12);
  });

  it('consistency: Pearson correlation with the other-judge means, null below 3 shared entries', () => {
    // A: x = 60, 50, 90 vs 75, 65, 85 -> 400 / sqrt(866.67 * 200).
    expect(judge('A').consistency).toBeCloseTo(0.9607689228305228, 12);
    expect(judge('B').consistency).toBeCloseTo(0.9889822382736463, 12);
    expect(judge('C').consistency).toBeNull();
  });
});

describe('rule 10: reliability, ICC(2,1) per panel', () => {
  // Shrout and Fleiss (1979), table 2: 6 targets x 4 judges. ICC(2,1) = 0.29 (0.2897637795...).
  const SF = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
  ];
  const sfTable = Object.fromEntries(
    SF.map((row, i) => [`t${i + 1}`, Object.fromEntries(row.map((v, j) => [`J${j + 1}`, v]))]),
  );

  it('reproduces the Shrout and Fleiss example', () => {
    const out = computeResults(totalsInput(sfTable));
    expect(out.reliability.panels).toHaveLength(1);
    const panel = out.reliability.panels[0]!;
    expect(panel.judgeIds).toEqual(['J1', 'J2', 'J3', 'J4']);
    expect(panel.entryCount).toBe(6);
    expect(panel.icc).toBeCloseTo(0.289763779527559, 12);
  });

  it('groups entries by their exact set of judges and skips groups under 2 entries or 2 judges', () => {
    const out = computeResults(
      totalsInput({
        ...sfTable,
        // A second panel of two judges over three entries.
        p1: { K1: 50, K2: 55 },
        p2: { K1: 70, K2: 72 },
        p3: { K1: 90, K2: 86 },
        // A lone entry with its own judge set, and single-judge entries: skipped.
        lone: { J1: 5, K1: 50 },
        s1: { J1: 4 },
        s2: { J1: 6 },
      }),
    );
    expect(out.reliability.panels.map((p) => [p.judgeIds, p.entryCount])).toEqual([
      [['J1', 'J2', 'J3', 'J4'], 6],
      [['K1', 'K2'], 3],
    ]);
    // Two-judge panel by hand: row means 52.5, 71, 88, grand 70.5: SSR = 2 * 630.5, MSR = 630.5;
    // column means 70, 71: SSC = 1.5, MSC = 1.5; SST = 1283.5, SSE = 21, MSE = 21 / 2 = 10.5.
    // ICC = (630.5 - 10.5) / (630.5 + 10.5 + 2 * (1.5 - 10.5) / 3) = 620 / 635.
    expect(out.reliability.panels[1]!.icc).toBeCloseTo(620 / 635, 12);
  });

  it('icc is null when the panel has no variance', () => {
    const out = computeResults(totalsInput({ a: { X: 70, Y: 70 }, b: { X: 70, Y: 70 } }));
    expect(out.reliability.panels).toEqual([{ judgeIds: ['X', 'Y'], entryCount: 2, icc: null }]);
  });
});
