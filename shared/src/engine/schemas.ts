import { z } from 'zod';
import { CriterionKindSchema, MeasurementRuleSchema, refineCriterionKind } from './measurement.js';

// Item objects (criteria, entries, scores, tiers) are not strict: callers pass stored
// documents that carry extra fields (names, steps); those are stripped, not rejected.
const IdString = z.string().min(1);

export const ResultsCriterionSchema = z
  .object({
    id: IdString,
    weight: z.number().positive(),
    maxScore: z.number().positive(),
    /** Judges score judgement criteria; measurement criteria come from `measurements` through `rule`. */
    kind: CriterionKindSchema.default('judgement'),
    rule: MeasurementRuleSchema.optional(),
  })
  .superRefine(refineCriterionKind);

export const ResultsEntrySchema = z.object({
  id: IdString,
  // Stored entries use null for "no category".
  category: IdString.nullable().optional(),
});

// Criterion values: a plain object of finite numbers. Written as a custom check because
// z.record costs about 1 µs per score (half a second at 500,000 scores); ids and ranges are
// checked against the rubric in the same linear pass that indexes the scores.
const CriterionValuesSchema = z
  .custom<Record<string, number>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    'expected an object of criterion values',
  )
  .superRefine((values, ctx) => {
    for (const key in values) {
      const v = values[key];
      if (typeof v !== 'number' || !Number.isFinite(v))
        ctx.addIssue({ code: 'custom', path: [key], message: 'expected a finite number' });
    }
  });

// Plain strings here: a length check on 2 strings x 500,000 scores costs ~100 ms. An empty
// entryId is an unknown entry and an empty judgeId is refused by the cross-reference pass.
export const ResultsScoreSchema = z.object({
  entryId: z.string(),
  judgeId: z.string(),
  criteria: CriterionValuesSchema,
});

/** One entry's measured values, keyed by measurement criterion id (a missing value leaves the entry incomplete). */
export const ResultsMeasurementSchema = z.object({
  entryId: z.string(),
  criteria: CriterionValuesSchema,
});

export const ResultsAggregationSchema = z.strictObject({
  method: z.enum(['mean', 'median', 'trimmedMean']),
  /** Judges dropped at each end by trimmedMean. */
  trim: z.number().int().min(0).default(1),
  normalization: z.enum(['none', 'zscore']),
  minJudges: z.number().int().min(1),
});

export const ResultsTierSchema = z.object({
  id: IdString,
  /** Takes precedence over share when both are given. */
  quota: z.number().int().min(0).optional(),
  share: z.number().min(0).max(1).optional(),
  minScore: z.number().optional(),
});

export const ResultsBootstrapSchema = z.strictObject({
  samples: z.number().int().min(1).max(1_000_000),
  seed: z.number().int().min(0).max(0xffffffff),
});

export const ResultsInputSchema = z.strictObject({
  rubric: z.object({ criteria: z.array(ResultsCriterionSchema).min(1) }),
  entries: z.array(ResultsEntrySchema),
  scores: z.array(ResultsScoreSchema),
  /** At most one per entry; needed only when the rubric has measurement criteria. */
  measurements: z.array(ResultsMeasurementSchema).default([]),
  aggregation: ResultsAggregationSchema,
  /** Points on the 0-100 scale; max - min of raw totals above this flags disagreement. */
  disagreementThreshold: z.number().min(0).default(15),
  /** Best first. */
  tiers: z.array(ResultsTierSchema).default([]),
  tiePolicy: z.enum(['include', 'exclude']).default('include'),
  quotaScope: z.enum(['contest', 'category']).default('contest'),
  tieBreak: z.array(IdString).default([]),
  bootstrap: ResultsBootstrapSchema.optional(),
});

/** What callers pass (defaults optional). */
export type ResultsInput = z.input<typeof ResultsInputSchema>;
/** After defaults are applied. */
export type ParsedResultsInput = z.output<typeof ResultsInputSchema>;

export const RESULT_FLAGS = ['incomplete', 'disagreement', 'boundary'] as const;
export type ResultFlag = (typeof RESULT_FLAGS)[number];

export const JudgeTotalSchema = z.object({
  judgeId: z.string(),
  /** Rule 1 total on the 0-100 scale (judgement criteria only). */
  total: z.number(),
  /** The value aggregated: the z-score mapped back to the scale, or `total` without normalization. */
  normalized: z.number(),
});

export type JudgeTotal = z.infer<typeof JudgeTotalSchema>;

export const EntryResultSchema = z.object({
  entryId: z.string(),
  category: z.string().nullable(),
  judgeCount: z.number().int(),
  /** Sorted by judgeId. */
  judgeTotals: z.array(JudgeTotalSchema),
  /**
   * Null when the entry lacks a part of it: no judge scored it (the rubric has judgement criteria) or a
   * measurement value is missing. Otherwise incomplete entries keep their score for information.
   */
  score: z.number().nullable(),
  rank: z.number().int().nullable(),
  tierId: z.string().nullable(),
  tierConfidence: z.number().min(0).max(1).nullable(),
  /**
   * Per judgement criterion the mean raw value (null when no judge scored the entry); per measurement
   * criterion the points its value earned (null when the value is missing).
   */
  criteria: z.record(z.string(), z.number().nullable()),
  flags: z.array(z.enum(RESULT_FLAGS)),
});
export type EntryResult = z.infer<typeof EntryResultSchema>;

export const TierCategoryResultSchema = z.object({
  category: z.string(),
  count: z.number().int(),
  quota: z.number().int().nullable(),
  cutoffScore: z.number().nullable(),
});

export const TierResultSchema = z.object({
  tierId: z.string(),
  count: z.number().int(),
  /** Effective contest quota; null when the tier has only minScore. */
  quota: z.number().int().nullable(),
  /** Lowest score in the tier; null when empty. */
  cutoffScore: z.number().nullable(),
  /** Present only with quotaScope 'category'. */
  categories: z.array(TierCategoryResultSchema).optional(),
});
export type TierResult = z.infer<typeof TierResultSchema>;

export const JudgeStatisticsSchema = z.object({
  judgeId: z.string(),
  count: z.number().int(),
  mean: z.number(),
  sd: z.number().nullable(),
  leniency: z.number().nullable(),
  consistency: z.number().nullable(),
});
export type JudgeStatistics = z.infer<typeof JudgeStatisticsSchema>;

export const PanelReliabilitySchema = z.object({
  judgeIds: z.array(z.string()),
  entryCount: z.number().int(),
  /** ICC(2,1); null when undefined (no variance). */
  icc: z.number().nullable(),
});
export type PanelReliability = z.infer<typeof PanelReliabilitySchema>;

export const ResultsOutputSchema = z.object({
  engineVersion: z.string(),
  entries: z.array(EntryResultSchema),
  tiers: z.array(TierResultSchema),
  judges: z.array(JudgeStatisticsSchema),
  reliability: z.object({ panels: z.array(PanelReliabilitySchema) }),
});
export type ResultsOutput = z.infer<typeof ResultsOutputSchema>;
