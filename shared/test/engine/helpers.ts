import type { ResultsInput, ResultsOutput } from '../../src/index.js';

/** One criterion with weight = maxScore = 100, so a judge's total is exactly the value given. */
export const POINTS_RUBRIC = { criteria: [{ id: 'points', weight: 100, maxScore: 100 }] };

/** A table entryId -> judgeId -> total, as input on the points rubric. */
export function totalsInput(
  table: Record<string, Record<string, number>>,
  overrides: Partial<ResultsInput> = {},
): ResultsInput {
  return {
    rubric: POINTS_RUBRIC,
    entries: Object.keys(table).map((id) => ({ id })),
    scores: Object.entries(table).flatMap(([entryId, byJudge]) =>
      Object.entries(byJudge).map(([judgeId, points]) => ({ entryId, judgeId, criteria: { points } })),
    ),
    aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
    ...overrides,
  };
}

export function byEntry(output: ResultsOutput): Record<string, ResultsOutput['entries'][number]> {
  return Object.fromEntries(output.entries.map((e) => [e.entryId, e]));
}

export const field = <K extends keyof ResultsOutput['entries'][number]>(output: ResultsOutput, key: K) =>
  Object.fromEntries(output.entries.map((e) => [e.entryId, e[key]]));
