import { z } from 'zod';
import { CodeSchema, LocalizedTextSchema } from './common.js';
import { CriterionKindSchema, MeasurementRuleSchema, refineCriterionKind } from '../engine/measurement.js';

const EPS = 1e-9;

export const CriterionSchema = z
  .strictObject({
    id: CodeSchema,
    name: LocalizedTextSchema,
    /** What earns full marks, shown to judges on tap. */
    description: z
      .strictObject({ zh: z.string().trim().max(2000), en: z.string().trim().max(2000).optional() })
      .default({ zh: '' }),
    weight: z.number().positive().max(1000),
    maxScore: z.number().positive().max(1000),
    step: z.number().positive().max(1000).default(1),
    /** Absent means 'judgement' (judges score it); 'measurement' is recorded once per entry and converted by `rule`. */
    kind: CriterionKindSchema.optional(),
    rule: MeasurementRuleSchema.optional(),
  })
  .superRefine((c, ctx) => {
    const steps = c.maxScore / c.step;
    if (Math.abs(steps - Math.round(steps)) > EPS)
      ctx.addIssue({ code: 'custom', path: ['step'], message: 'maxScore must be a whole number of steps' });
    refineCriterionKind(c, ctx);
  });
export type Criterion = z.infer<typeof CriterionSchema>;

export const RubricInputSchema = z.strictObject({
  criteria: z
    .array(CriterionSchema)
    .min(1)
    .max(50)
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((c, i) => {
        if (seen.has(c.id))
          ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate criterion id "${c.id}"` });
        seen.add(c.id);
      });
    }),
  /** The version the client read; omitted only when creating the first rubric of a round. */
  version: z.number().int().min(0).optional(),
});
export type RubricInput = z.input<typeof RubricInputSchema>;

export const RubricSchema = z.object({
  contestId: z.string(),
  roundId: z.string(),
  criteria: z.array(CriterionSchema),
  frozen: z.boolean(),
  version: z.number(),
  /** Sum of the weights, for the UI; weights need not add up to 100 (the engine normalises). */
  weightSum: z.number(),
  updatedAt: z.string(),
});
export type Rubric = z.infer<typeof RubricSchema>;

/** A value is valid for a criterion when it is in range and on the step grid. */
export function isValidCriterionValue(c: Pick<Criterion, 'maxScore' | 'step'>, value: number): boolean {
  if (!Number.isFinite(value) || value < -EPS || value > c.maxScore + EPS) return false;
  const steps = value / c.step;
  return Math.abs(steps - Math.round(steps)) <= 1e-6;
}

/** Sum of the criteria's weights, rounded to 6 decimals so 0.1 + 0.2 shows as 0.3. */
export function rubricWeightSum(criteria: readonly Pick<Criterion, 'weight'>[]): number {
  const sum = criteria.reduce((s, c) => s + c.weight, 0);
  return Math.round(sum * 1e6) / 1e6;
}
