// Issue 2's contract: after `npm run build`, plain Node (ESM) can import the engine by package name.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const testsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('@pingxuan/shared as a built package', () => {
  it('exports computeResults, the schemas and ScoringInputError to plain Node ESM', () => {
    const script = `
      import { computeResults, ResultsInputSchema, ResultsOutputSchema, ScoringInputError, ENGINE_VERSION } from '@pingxuan/shared';
      const out = computeResults({
        rubric: { criteria: [{ id: 'a', weight: 1, maxScore: 10 }] },
        entries: [{ id: 'e1' }, { id: 'e2' }],
        scores: [
          { entryId: 'e1', judgeId: 'j1', criteria: { a: 7 } },
          { entryId: 'e2', judgeId: 'j1', criteria: { a: 9 } },
        ],
        aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
        tiers: [{ id: 'first', quota: 1 }],
      });
      let problems = 0;
      try { computeResults({ rubric: { criteria: [] }, entries: [], scores: [{ entryId: 'x' }] }); } catch (e) { if (e instanceof ScoringInputError) problems = e.problems.length; }
      console.log(JSON.stringify({ version: ENGINE_VERSION, first: out.entries[0], valid: ResultsOutputSchema.safeParse(out).success, hasInput: typeof ResultsInputSchema.parse, problems }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: testsDir, encoding: 'utf8' }));
    expect(out.version).toBe('1.0.0');
    expect(out.first).toMatchObject({ entryId: 'e2', score: 90, rank: 1, tierId: 'first' });
    expect(out.valid).toBe(true);
    expect(out.hasInput).toBe('function');
    expect(out.problems).toBeGreaterThan(1);
  });
});
