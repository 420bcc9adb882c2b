import { describe, expect, it } from 'vitest';
import { computeResults } from '../../src/index.js';
import { byEntry, field, totalsInput } from './helpers.js';

describe('rule 8: flags', () => {
  it('disagreement when max - min of raw totals is greater than the threshold (default 15)', () => {
    const table = { exact: { A: 70, B: 85, C: 80 }, over: { A: 70, B: 85.5 }, single: { A: 10 } };
    const flags = field(computeResults(totalsInput(table)), 'flags');
    expect(flags).toEqual({ exact: [], over: ['disagreement'], single: [] });
    const strict = field(computeResults(totalsInput(table, { disagreementThreshold: 10 })), 'flags');
    expect(strict).toEqual({ exact: ['disagreement'], over: ['disagreement'], single: [] });
  });

  it('disagreement uses raw totals, not normalized ones', () => {
    // A and B agree perfectly after zscore (both z = -1, 0, 1) but differ by 20 raw points on e1.
    const out = computeResults(
      totalsInput(
        { e1: { A: 60, B: 80 }, e2: { A: 70, B: 85 }, e3: { A: 80, B: 90 } },
        { aggregation: { method: 'mean', normalization: 'zscore', minJudges: 1 } },
      ),
    );
    expect(field(out, 'flags')).toEqual({ e1: ['disagreement'], e2: [], e3: [] });
  });

  it('incomplete entries are flagged and can also disagree', () => {
    const out = computeResults(
      totalsInput(
        { e: { A: 10, B: 90 } },
        { aggregation: { method: 'mean', normalization: 'none', minJudges: 3 } },
      ),
    );
    expect(out.entries[0]!.flags).toEqual(['incomplete', 'disagreement']);
  });

  it('no bootstrap: tierConfidence null and no boundary flags', () => {
    const out = computeResults(
      totalsInput({ x: { A: 60, B: 100 }, y: { A: 79, B: 79 } }, { tiers: [{ id: 'gold', quota: 1 }] }),
    );
    expect(field(out, 'tierConfidence')).toEqual({ x: null, y: null });
    expect(out.entries.every((e) => !e.flags.includes('boundary'))).toBe(true);
  });
});

describe('rule 9: bootstrap tier confidence', () => {
  // x: totals 60 and 100 (mean 80); y: 79 and 79. One gold place. A resample of x is 60, 80 or 100
  // with probabilities 1/4, 1/2, 1/4, so x keeps gold (and y stays out) with probability 3/4.
  const contest = (samples: number, seed: number) =>
    totalsInput(
      { x: { A: 60, B: 100 }, y: { A: 79, B: 79 }, z: { A: 20, B: 20 } },
      { tiers: [{ id: 'gold', quota: 1 }], bootstrap: { samples, seed } },
    );

  it('confidence is the share of resamples giving the real tier', () => {
    const out = byEntry(computeResults(contest(4000, 1)));
    expect(out.x!.tierId).toBe('gold');
    expect(out.x!.tierConfidence).toBeGreaterThan(0.72);
    expect(out.x!.tierConfidence).toBeLessThan(0.78);
    expect(out.y!.tierConfidence).toBe(out.x!.tierConfidence); // y is out exactly when x is in
    expect(out.z!.tierConfidence).toBe(1);
    expect(out.x!.flags).toEqual(['disagreement', 'boundary']);
    expect(out.y!.flags).toEqual(['boundary']);
    expect(out.z!.flags).toEqual([]);
    // A share of the samples.
    expect(Number.isInteger(out.x!.tierConfidence! * 4000)).toBe(true);
  });

  it('is deterministic for a seed and independent of input order', () => {
    const a = computeResults(contest(500, 99));
    const reversed = contest(500, 99);
    reversed.entries.reverse();
    reversed.scores.reverse();
    expect(computeResults(reversed)).toEqual(a);
    const other = computeResults(contest(500, 100));
    expect(byEntry(other).x!.tierConfidence).not.toBe(byEntry(a).x!.tierConfidence);
  });

  it('resamples the normalized totals under zscore without renormalizing', () => {
    // A: 60, 70, 80 and B: 80, 85, 90 normalize to identical totals per entry, so every resample
    // reproduces the real scores: confidence 1. Resampling raw totals would swap e1 and e2 at times.
    const out = computeResults(
      totalsInput(
        { e1: { A: 60, B: 80 }, e2: { A: 70, B: 85 }, e3: { A: 80, B: 90 } },
        {
          aggregation: { method: 'mean', normalization: 'zscore', minJudges: 1 },
          tiers: [
            { id: 'gold', quota: 1 },
            { id: 'silver', quota: 1 },
          ],
          bootstrap: { samples: 300, seed: 5 },
        },
      ),
    );
    expect(field(out, 'tierConfidence')).toEqual({ e1: 1, e2: 1, e3: 1 });
    const raw = computeResults(
      totalsInput(
        { e1: { A: 60, B: 80 }, e2: { A: 70, B: 85 }, e3: { A: 80, B: 90 } },
        {
          tiers: [
            { id: 'gold', quota: 1 },
            { id: 'silver', quota: 1 },
          ],
          bootstrap: { samples: 300, seed: 5 },
        },
      ),
    );
    expect(byEntry(raw).e2!.tierConfidence).toBeLessThan(1);
  });

  it('recomputes ties and tie policies in each resample', () => {
    // Two identical entries tie for one place: under include both always get it, under exclude neither.
    const table = { p: { A: 70, B: 90 }, q: { A: 70, B: 90 } };
    const tiers = [{ id: 'gold', quota: 1 }];
    const include = computeResults(
      totalsInput(table, { tiers, tiePolicy: 'include', bootstrap: { samples: 400, seed: 3 } }),
    );
    const exclude = computeResults(
      totalsInput(table, { tiers, tiePolicy: 'exclude', bootstrap: { samples: 400, seed: 3 } }),
    );
    expect(field(include, 'tierId')).toEqual({ p: 'gold', q: 'gold' });
    expect(field(exclude, 'tierId')).toEqual({ p: null, q: null });
    // Each resamples to 70, 80 or 90 (1/4, 1/2, 1/4): P(p > q) = 5/16, P(tie) = 6/16. Under include
    // p keeps gold when p >= q (11/16); under exclude p keeps "no tier" when p <= q (11/16).
    const pIn = byEntry(include).p!.tierConfidence!;
    const pOut = byEntry(exclude).p!.tierConfidence!;
    expect(pIn).toBeGreaterThan(0.6);
    expect(pIn).toBeLessThan(0.77);
    expect(pOut).toBeGreaterThan(0.6);
    expect(pOut).toBeLessThan(0.77);
  });

  it('uses the tie-break criteria of the judges drawn', () => {
    // Equal scores; tieBreak on a criterion where r always beats s, whatever the judges drawn.
    const input = {
      rubric: {
        criteria: [
          { id: 'idea', weight: 1, maxScore: 10 },
          { id: 'craft', weight: 1, maxScore: 10 },
        ],
      },
      entries: [{ id: 'r' }, { id: 's' }],
      scores: [
        { entryId: 'r', judgeId: 'A', criteria: { idea: 9, craft: 5 } },
        { entryId: 'r', judgeId: 'B', criteria: { idea: 8, craft: 6 } },
        { entryId: 's', judgeId: 'A', criteria: { idea: 6, craft: 8 } },
        { entryId: 's', judgeId: 'B', criteria: { idea: 5, craft: 9 } },
      ],
      aggregation: { method: 'mean' as const, normalization: 'none' as const, minJudges: 1 },
      tiers: [{ id: 'gold', quota: 1 }],
      tieBreak: ['idea'],
      bootstrap: { samples: 200, seed: 11 },
    };
    const out = byEntry(computeResults(input));
    expect(out.r).toMatchObject({ rank: 1, tierId: 'gold', tierConfidence: 1 });
    expect(out.s).toMatchObject({ rank: 2, tierId: null, tierConfidence: 1 });
  });
});
