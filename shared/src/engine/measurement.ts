import { z } from 'zod';

/**
 * Measurement criteria (skills contests): a recorder enters a measured value (seconds, mm, a pass/fail
 * check, a count of defects) once per entry, and a rule on the criterion turns it into points out of
 * maxScore. Judgement criteria are the ones judges score.
 */
export const CRITERION_KINDS = ['judgement', 'measurement'] as const;
export const CriterionKindSchema = z.enum(CRITERION_KINDS);
export type CriterionKind = z.infer<typeof CriterionKindSchema>;

/** A value v with min <= v < max earns `points`; a missing bound is open. */
export const MeasurementBandSchema = z.strictObject({
  min: z.number().optional(),
  max: z.number().optional(),
  points: z.number(),
});
export type MeasurementBand = z.infer<typeof MeasurementBandSchema>;

/** What the value is measured in (s, mm, 个), shown to recorders; it does not change the points. */
const UnitSchema = z.string().trim().min(1).max(20).optional();

export const MeasurementRuleSchema = z.discriminatedUnion('type', [
  /** Full points at `best` or better, none at `worst` or worse, straight line between; best may be above or below worst. */
  z.strictObject({ type: z.literal('linear'), best: z.number(), worst: z.number(), unit: UnitSchema }),
  /** A value outside every band earns 0 points. */
  z.strictObject({
    type: z.literal('bands'),
    bands: z.array(MeasurementBandSchema).min(1).max(50),
    unit: UnitSchema,
  }),
  /** Value 1 = pass (maxScore points), 0 = fail (0 points). */
  z.strictObject({ type: z.literal('passFail') }),
]);
export type MeasurementRule = z.infer<typeof MeasurementRuleSchema>;

export interface RuleProblem {
  path: (string | number)[];
  message: string;
}

const EPS = 1e-9;

/** What zod cannot check on its own: the rule against the criterion's maxScore, bands against each other. */
export function measurementRuleProblems(rule: MeasurementRule, maxScore: number): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (rule.type === 'linear' && rule.best === rule.worst)
    problems.push({ path: ['worst'], message: 'best and worst must differ' });
  if (rule.type === 'bands') {
    rule.bands.forEach((b, i) => {
      if (b.min !== undefined && b.max !== undefined && !(b.min < b.max))
        problems.push({ path: ['bands', i, 'max'], message: 'max must be above min' });
      if (b.points < 0 || b.points > maxScore + EPS)
        problems.push({
          path: ['bands', i, 'points'],
          message: `must be between 0 and maxScore (${maxScore})`,
        });
    });
    // Sorted by lower bound, no band may start before every earlier band has ended.
    const order = rule.bands
      .map((b, i) => ({ i, lo: b.min ?? -Infinity, hi: b.max ?? Infinity }))
      .sort((a, b) => (a.lo === b.lo ? a.i - b.i : a.lo - b.lo));
    let reach = order[0]!;
    for (const cur of order.slice(1)) {
      if (cur.lo < reach.hi) problems.push({ path: ['bands', cur.i], message: `overlaps band ${reach.i}` });
      if (cur.hi > reach.hi) reach = cur;
    }
  }
  return problems;
}

interface KindFields {
  kind?: CriterionKind | undefined;
  rule?: MeasurementRule | undefined;
  maxScore: number;
}

/** For a criterion schema's superRefine: a measurement criterion needs a valid rule, a judgement criterion has none. */
export function refineCriterionKind(c: KindFields, ctx: z.RefinementCtx): void {
  if (c.kind === 'measurement') {
    if (c.rule === undefined)
      ctx.addIssue({ code: 'custom', path: ['rule'], message: 'a measurement criterion needs a rule' });
    else
      for (const p of measurementRuleProblems(c.rule, c.maxScore))
        ctx.addIssue({ code: 'custom', path: ['rule', ...p.path], message: p.message });
  } else if (c.rule !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['rule'], message: 'only measurement criteria take a rule' });
  }
}

/** Null when the value can be entered for the rule; otherwise why not. */
export function measurementValueProblem(rule: Pick<MeasurementRule, 'type'>, value: number): string | null {
  if (!Number.isFinite(value)) return 'expected a finite number';
  if (rule.type === 'passFail' && value !== 0 && value !== 1) return 'must be 1 (pass) or 0 (fail)';
  return null;
}

/**
 * Points (0..maxScore) for a measured value, the same number the engine uses; null when the value
 * cannot be entered for the rule (not finite, or a pass/fail other than 0 or 1). Bands: a value
 * outside every band earns 0 points.
 */
export function measurementPoints(
  criterion: { maxScore: number; rule: MeasurementRule },
  value: number,
): number | null {
  const { maxScore, rule } = criterion;
  if (measurementValueProblem(rule, value) !== null) return null;
  switch (rule.type) {
    case 'passFail':
      return value === 1 ? maxScore : 0;
    case 'linear': {
      const t = (rule.worst - value) / (rule.worst - rule.best);
      return maxScore * Math.min(1, Math.max(0, t));
    }
    case 'bands': {
      for (const b of rule.bands)
        if ((b.min === undefined || value >= b.min) && (b.max === undefined || value < b.max))
          return b.points;
      return 0;
    }
  }
}
