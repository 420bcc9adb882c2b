import { z } from 'zod';
import { IdSchema } from './common.js';
import { CriterionSchema } from './rubric.js';

export const SCORE_STATUS_VALUES = ['draft', 'submitted'] as const;
export const ScoreStatusSchema = z.enum(SCORE_STATUS_VALUES);
export type ScoreStatus = z.infer<typeof ScoreStatusSchema>;

/**
 * Sent by the client as the `Idempotency-Key` header on every score write: generated once per intended change
 * and reused on every retry of it, so a retried request is applied at most once.
 */
export const IdempotencyKeySchema = z
  .string({ error: 'required: a client-generated key of 8–128 letters, digits, "-" or "_"' })
  .regex(/^[A-Za-z0-9_-]{8,128}$/, 'must be 8–128 letters, digits, "-" or "_"');

/** criterion id -> points; which ids and values are allowed is checked against the round's frozen rubric. */
export const ScoreValuesSchema = z
  .record(z.string().max(40), z.number().finite())
  .refine((v) => Object.keys(v).length <= 50, 'at most 50 criteria');
export type ScoreValues = z.infer<typeof ScoreValuesSchema>;

const BaseVersionSchema = z.number().int().min(0);

/** PUT .../score: the judge's draft as it is now (replaces the values saved before; may be incomplete). */
export const ScoreSaveSchema = z.strictObject({
  values: ScoreValuesSchema,
  /** Left out: the comment saved before stays. */
  comment: z.string().max(2000).optional(),
  /** The score version the judge's screen shows; 0 when there is no score yet. */
  baseVersion: BaseVersionSchema,
});
export type ScoreSave = z.infer<typeof ScoreSaveSchema>;

export const ScoreSubmitSchema = z.strictObject({ baseVersion: BaseVersionSchema });
export type ScoreSubmit = z.infer<typeof ScoreSubmitSchema>;

export const ScoreReopenSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
  version: z.number().int().min(0),
});
export type ScoreReopen = z.infer<typeof ScoreReopenSchema>;

/** A score as its own judge sees it. */
export const JudgeScoreSchema = z.object({
  values: ScoreValuesSchema,
  comment: z.string(),
  status: ScoreStatusSchema,
  version: z.number(),
  updatedAt: z.string(),
});
export type JudgeScore = z.infer<typeof JudgeScoreSchema>;

/** An entry as a judge sees it: blind, so no teacher, school or file names. */
export const JudgingItemSchema = z.object({
  entryId: z.string(),
  code: z.string(),
  title: z.string(),
  category: z.string().nullable(),
  subject: z.string().nullable(),
  photos: z.array(z.object({ id: z.string(), width: z.number(), height: z.number() })),
  score: JudgeScoreSchema.nullable(),
});
export type JudgingItem = z.infer<typeof JudgingItemSchema>;

export const JudgingRubricSchema = z.object({ criteria: z.array(CriterionSchema) });

/** GET /contests/:contestId/judging: the judge's work list for the current round, in assignment order. */
export const JudgingListSchema = z.object({
  contest: z.object({ id: z.string(), name: z.string(), status: z.string() }),
  roundId: z.string(),
  rubric: JudgingRubricSchema,
  progress: z.object({ assigned: z.number(), submitted: z.number(), drafts: z.number() }),
  /** Present while the round's calibration works are open and `waiting` other works are held back. */
  calibration: z.object({ pending: z.literal(true), waiting: z.number() }).optional(),
  items: z.array(JudgingItemSchema),
});
export type JudgingList = z.infer<typeof JudgingListSchema>;

/** GET /contests/:contestId/judging/entries/:entryId */
export const JudgingEntrySchema = JudgingItemSchema.extend({
  roundId: z.string(),
  rubric: JudgingRubricSchema,
});
export type JudgingEntry = z.infer<typeof JudgingEntrySchema>;

/** A score as organizers see it when moderating. */
export const ScoreSchema = z.object({
  id: z.string(),
  contestId: z.string(),
  roundId: z.string(),
  entryId: z.string(),
  judgeId: z.string(),
  values: ScoreValuesSchema,
  comment: z.string(),
  status: ScoreStatusSchema,
  submittedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Score = z.infer<typeof ScoreSchema>;

export const ScoreListQuerySchema = z.strictObject({
  roundId: z.string().max(40).optional(),
  judgeId: IdSchema.optional(),
  entryId: IdSchema.optional(),
  status: ScoreStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next` of the previous page. */
  after: IdSchema.optional(),
});
export type ScoreListQuery = z.infer<typeof ScoreListQuerySchema>;

export const ScoreListSchema = z.object({ scores: z.array(ScoreSchema), next: z.string().nullable() });
export type ScoreList = z.infer<typeof ScoreListSchema>;
