import { describe, expect, it } from 'vitest';
import { computeResults, ResultsInputSchema, ScoringInputError, type ResultsInput } from '../../src/index.js';

const valid = (): ResultsInput => ({
  rubric: {
    criteria: [
      { id: 'a', weight: 2, maxScore: 10 },
      { id: 'b', weight: 1, maxScore: 5 },
    ],
  },
  entries: [{ id: 'e1' }, { id: 'e2' }],
  scores: [
    { entryId: 'e1', judgeId: 'j1', criteria: { a: 7, b: 3 } },
    { entryId: 'e2', judgeId: 'j1', criteria: { a: 5, b: 5 } },
  ],
  aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
  tiers: [{ id: 'gold', quota: 1 }],
});

function problemsOf(input: unknown): { path: string; message: string }[] {
  try {
    computeResults(input as ResultsInput);
  } catch (error) {
    expect(error).toBeInstanceOf(ScoringInputError);
    return (error as ScoringInputError).problems.map((p) => ({ path: p.path.join('.'), message: p.message }));
  }
  throw new Error('expected a ScoringInputError');
}

describe('input validation', () => {
  it('accepts valid input and applies the documented defaults', () => {
    const parsed = ResultsInputSchema.parse(valid());
    expect(parsed.aggregation.trim).toBe(1);
    expect(parsed.disagreementThreshold).toBe(15);
    expect(parsed.tiePolicy).toBe('include');
    expect(parsed.quotaScope).toBe('contest');
    expect(parsed.tieBreak).toEqual([]);
    expect(() => computeResults(valid())).not.toThrow();
  });

  it('strips extra fields on stored documents (criterion names, entry titles)', () => {
    const input = valid();
    input.rubric.criteria[0] = { ...input.rubric.criteria[0]!, name: { zh: '设计' } } as never;
    input.entries[0] = { id: 'e1', title: 'x', category: null } as never;
    expect(() => computeResults(input)).not.toThrow();
  });

  it('reports shape problems with paths (zod)', () => {
    const input = valid() as unknown as Record<string, unknown>;
    input.aggregation = { method: 'mode', normalization: 'none', minJudges: 0 };
    (input.rubric as { criteria: unknown[] }).criteria.push({ id: 'c', weight: 0, maxScore: -1 });
    const paths = problemsOf(input).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'aggregation.method',
        'aggregation.minJudges',
        'rubric.criteria.2.weight',
        'rubric.criteria.2.maxScore',
      ]),
    );
  });

  it('lists every cross-reference problem at once, never a partial result', () => {
    const input = valid();
    input.rubric.criteria.push({ id: 'a', weight: 1, maxScore: 1 }); // duplicate criterion
    input.entries.push({ id: 'e1' }); // duplicate entry
    input.scores = [
      { entryId: 'e1', judgeId: 'j1', criteria: { a: 7, b: 3 } },
      { entryId: 'e1', judgeId: 'j1', criteria: { a: 6, b: 2 } }, // duplicate judge + entry
      { entryId: 'nope', judgeId: 'j2', criteria: { a: 1, b: 1 } }, // unknown entry
      { entryId: 'e2', judgeId: 'j2', criteria: { a: 11, b: -1 } }, // out of range, both
      { entryId: 'e2', judgeId: 'j3', criteria: { a: 1, zz: 2 } }, // missing b, unknown zz
      { entryId: 'e2', judgeId: '', criteria: { a: 1, b: 1 } }, // empty judge id
    ];
    input.tieBreak = ['b', 'ghost'];
    input.tiers = [{ id: 'gold' }, { id: 'gold', quota: 2 }];
    const problems = problemsOf(input);
    const at = (path: string) => problems.filter((p) => p.path === path).map((p) => p.message);
    expect(at('rubric.criteria.2.id')).toEqual(['duplicate criterion id "a"']);
    expect(at('entries.2.id')).toEqual(['duplicate entry id "e1"']);
    expect(at('scores.1')[0]).toMatch(/duplicate score: judge "j1" already scored entry "e1"/);
    expect(at('scores.2.entryId')).toEqual(['unknown entry "nope"']);
    expect(at('scores.3.criteria.a')).toEqual(['must be between 0 and 10']);
    expect(at('scores.3.criteria.b')).toEqual(['must be between 0 and 5']);
    expect(at('scores.4.criteria.b')).toEqual(['missing criterion "b"']);
    expect(at('scores.4.criteria.zz')).toEqual(['unknown criterion "zz"']);
    expect(at('scores.5.judgeId')).toEqual(['must not be empty']);
    expect(at('tieBreak.1')).toEqual(['unknown criterion "ghost"']);
    expect(at('tiers.0')).toEqual(['a tier needs a quota, a share or a minScore']);
    expect(at('tiers.1.id')).toEqual(['duplicate tier id "gold"']);
    expect(problems).toHaveLength(12);
  });

  it('reports zod and cross-reference problems together', () => {
    const input = valid() as unknown as Record<string, unknown>;
    input.disagreementThreshold = -1;
    (input.scores as { criteria: Record<string, unknown> }[])[0]!.criteria = { a: 'seven', b: 3 };
    (input.scores as { entryId: string }[])[1]!.entryId = 'missing';
    const problems = problemsOf(input);
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining(['disagreementThreshold', 'scores.0.criteria.a', 'scores.1.entryId']),
    );
  });

  it('requires a category on every entry under quotaScope category', () => {
    const input = { ...valid(), quotaScope: 'category' as const };
    input.entries = [{ id: 'e1', category: 'primary' }, { id: 'e2' }];
    expect(problemsOf(input)).toEqual([
      { path: 'entries.1.category', message: "required when quotaScope is 'category'" },
    ]);
  });

  it('rejects non-object input and non-finite values', () => {
    expect(problemsOf(null).length).toBeGreaterThan(0);
    const input = valid();
    input.scores[0]!.criteria.a = Number.NaN;
    input.bootstrap = { samples: 0, seed: -1 };
    const paths = problemsOf(input).map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['scores.0.criteria.a', 'bootstrap.samples', 'bootstrap.seed']),
    );
  });

  it('puts the problems in the error message', () => {
    const input = valid();
    input.scores[0]!.criteria.a = 99;
    expect(() => computeResults(input)).toThrow(/scores\[0\]\.criteria\.a: must be between 0 and 10/);
  });
});
