import { describe, expect, it } from 'vitest';
import * as shared from '../../src/index.js';
import { computeResults, ENGINE_VERSION, ResultsOutputSchema } from '../../src/index.js';
import { totalsInput } from './helpers.js';

describe('output contract', () => {
  it('is exported from the package entry point with its schemas and error type', () => {
    expect(typeof shared.computeResults).toBe('function');
    expect(shared.ResultsInputSchema).toBeDefined();
    expect(shared.ResultsOutputSchema).toBeDefined();
    expect(new shared.ScoringInputError([{ path: ['x'], message: 'y' }])).toBeInstanceOf(Error);
    expect(ENGINE_VERSION).toBe('1.0.0');
  });

  it('echoes the engine version and matches ResultsOutputSchema', () => {
    const out = computeResults(
      totalsInput(
        { e1: { B: 80, A: 70, C: 75 }, e2: { A: 60 }, e3: { C: 90, A: 40 } },
        {
          aggregation: { method: 'median', normalization: 'zscore', minJudges: 2 },
          tiers: [{ id: 'gold', quota: 1 }],
          bootstrap: { samples: 50, seed: 1 },
        },
      ),
    );
    expect(out.engineVersion).toBe('1.0.0');
    expect(ResultsOutputSchema.parse(out)).toEqual(out);
    const e1 = out.entries.find((e) => e.entryId === 'e1')!;
    expect(e1.judgeTotals.map((t) => t.judgeId)).toEqual(['A', 'B', 'C']); // sorted by judge id
    expect(e1.judgeTotals.map((t) => t.total)).toEqual([70, 80, 75]);
    const e2 = out.entries.find((e) => e.entryId === 'e2')!;
    expect(e2).toMatchObject({ rank: null, tierId: null, tierConfidence: null, flags: ['incomplete'] });
    expect(out.entries.at(-1)!.entryId).toBe('e2');
  });

  it('returns an empty result for a contest without entries', () => {
    const out = computeResults(totalsInput({}, { tiers: [{ id: 'gold', share: 0.5 }] }));
    expect(out).toEqual({
      engineVersion: '1.0.0',
      entries: [],
      tiers: [{ tierId: 'gold', count: 0, quota: 0, cutoffScore: null }],
      judges: [],
      reliability: { panels: [] },
    });
  });
});
