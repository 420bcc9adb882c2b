// The results engine as the server runs it: scores and measurements packed into typed arrays, unpacked inline
// for small contests and in a worker thread for large ones, must give exactly what the engine gives on the
// plain input.
import { describe, expect, it } from 'vitest';
import { computeResults, type ResultsInput } from '@pingxuan/shared';
import { ScoreTable, runEngine, type EngineCriterion } from '../../server/src/results/engine-runner.js';

const CRITERIA: EngineCriterion[] = [
  { id: 'craft', weight: 40, maxScore: 40 },
  {
    id: 'time',
    weight: 30,
    maxScore: 30,
    kind: 'measurement',
    rule: { type: 'linear', best: 60, worst: 180 },
  },
  { id: 'safety', weight: 10, maxScore: 10 },
  { id: 'leak', weight: 20, maxScore: 20, kind: 'measurement', rule: { type: 'passFail' } },
];
const REST = {
  aggregation: { method: 'mean' as const, trim: 0, normalization: 'zscore' as const, minJudges: 2 },
  tiers: [{ id: 'first', share: 0.1 }],
};

/** A contest of `entries` entries x 3 judges; every 7th entry lacks its leak test, every 11th has no time yet. */
function contest(entries: number) {
  const table = new ScoreTable(CRITERIA);
  const input: ResultsInput = {
    rubric: { criteria: CRITERIA },
    entries: [],
    scores: [],
    measurements: [],
    ...REST,
  };
  for (let e = 0; e < entries; e++) {
    const id = `e${String(e).padStart(5, '0')}`;
    const category = e % 2 ? 'a' : null;
    table.addEntry(id, category);
    input.entries.push({ id, category });
    const measured: Record<string, number> = {};
    if (e % 11) measured.time = 60 + ((e * 37) % 150);
    if (e % 7) measured.leak = e % 3 ? 1 : 0;
    for (const [k, v] of Object.entries(measured)) table.addMeasurement(id, k, v);
    if (Object.keys(measured).length) input.measurements!.push({ entryId: id, criteria: measured });
    for (let j = 0; j < 3; j++) {
      const values = { craft: (e * 13 + j * 5) % 41, safety: (e + j) % 11, time: 999 };
      // A value stored for a measurement criterion is not the judge's to give: the table drops it.
      table.addScore(id, `j${j}`, values);
      input.scores.push({
        entryId: id,
        judgeId: `j${j}`,
        criteria: { craft: values.craft, safety: values.safety },
      });
    }
  }
  return { table, input };
}

describe('engine runner with measurement criteria', () => {
  it('gives the engine its own answer inline (small contest)', async () => {
    const { table, input } = contest(40);
    expect(table.scoreCount).toBeLessThan(2000);
    const out = await runEngine(table, REST);
    expect(out).toEqual(computeResults(input));
    expect(out.entries.filter((e) => e.flags.includes('incomplete')).length).toBeGreaterThan(5);
  });

  it('gives the engine its own answer from the worker (large contest)', async () => {
    const { table, input } = contest(1200);
    expect(table.scoreCount).toBeGreaterThanOrEqual(2000);
    const out = await runEngine(table, REST);
    expect(out).toEqual(computeResults(input));
    const complete = out.entries.find((e) => !e.flags.includes('incomplete'))!;
    expect(Object.keys(complete.criteria).sort()).toEqual(['craft', 'leak', 'safety', 'time']);
  });

  it('leaves out measurements of unknown entries and of criteria that are not measured', () => {
    const table = new ScoreTable(CRITERIA);
    table.addEntry('a', null);
    expect(table.addMeasurement('a', 'time', 90)).toBe(true);
    expect(table.addMeasurement('b', 'time', 90)).toBe(false);
    expect(table.addMeasurement('a', 'craft', 30)).toBe(false);
    expect(table.measuring).toBe(true);
    expect(new ScoreTable([{ id: 'craft', weight: 1, maxScore: 10 }]).measuring).toBe(false);
  });
});
