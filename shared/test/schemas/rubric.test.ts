import { describe, expect, it } from 'vitest';
import {
  ContestUpdateSchema,
  RubricInputSchema,
  isValidCriterionValue,
  rubricWeightSum,
} from '../../src/index.js';

const criterion = (id: string, weight: number, maxScore = 10, step = 1) => ({ id, name: { zh: id }, weight, maxScore, step });

describe('rubricWeightSum', () => {
  it('adds the weights without floating-point noise', () => {
    expect(rubricWeightSum([{ weight: 0.1 }, { weight: 0.2 }])).toBe(0.3);
    expect(rubricWeightSum([{ weight: 20 }, { weight: 30 }, { weight: 25 }])).toBe(75);
    expect(rubricWeightSum([])).toBe(0);
  });
});

describe('RubricInputSchema', () => {
  it('accepts weights that do not add up to 100 and fills in defaults', () => {
    const r = RubricInputSchema.parse({ criteria: [criterion('a', 3), criterion('b', 1)] });
    expect(r.criteria[0]).toMatchObject({ step: 1, description: { zh: '' } });
  });

  it('names the step that does not divide maxScore, duplicate ids and zero weights', () => {
    const paths = (input: unknown) => {
      const r = RubricInputSchema.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(paths({ criteria: [criterion('a', 1, 10, 3)] })).toEqual(['criteria.0.step']);
    expect(paths({ criteria: [criterion('a', 1), criterion('a', 2)] })).toEqual(['criteria.1.id']);
    expect(paths({ criteria: [criterion('a', 0)] })).toEqual(['criteria.0.weight']);
    expect(paths({ criteria: [] })).toEqual(['criteria']);
  });

  it('puts half steps on the grid', () => {
    expect(isValidCriterionValue({ maxScore: 10, step: 0.5 }, 7.5)).toBe(true);
    expect(isValidCriterionValue({ maxScore: 10, step: 0.5 }, 7.25)).toBe(false);
  });
});

describe('ContestUpdateSchema', () => {
  it('keeps settings that were not sent out of the update (no defaults)', () => {
    const u = ContestUpdateSchema.parse({ version: 0, settings: { tiePolicy: 'exclude' } });
    expect(u.settings).toEqual({ tiePolicy: 'exclude' });
  });

  it('refuses fields that are not editable this way', () => {
    expect(ContestUpdateSchema.safeParse({ version: 0, status: 'published' }).success).toBe(false);
    expect(ContestUpdateSchema.safeParse({ version: 0, createdBy: 'x' }).success).toBe(false);
  });
});
