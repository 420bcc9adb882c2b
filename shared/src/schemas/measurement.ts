import { z } from 'zod';
import { CodeSchema, IdSchema, LocalizedTextSchema } from './common.js';
import { MeasurementRuleSchema } from '../engine/measurement.js';

/**
 * Where a measured value stands. Single entry: `recorded` (it counts). Double entry: `pending` (one reading),
 * `agreed` (two recorders entered the same value: it counts) or `disagreement` (they differ: nothing counts
 * until the organizer decides). `resolved`: the organizer set the value; recorders can no longer change it.
 */
export const MEASUREMENT_STATUSES = ['recorded', 'pending', 'agreed', 'disagreement', 'resolved'] as const;
export const MeasurementStatusSchema = z.enum(MEASUREMENT_STATUSES);
export type MeasurementStatus = z.infer<typeof MeasurementStatusSchema>;

const VersionSchema = z.number().int().min(0);

/** PUT .../measurements/:entryId/:criterionId: the recorder's reading; the rule decides which values are allowed. */
export const MeasurementRecordSchema = z.strictObject({
  value: z.number(),
  /** The version the recorder's screen shows; 0 when nothing was recorded yet. */
  baseVersion: VersionSchema,
});
export type MeasurementRecord = z.infer<typeof MeasurementRecordSchema>;

/** POST .../resolve: the organizer's value, which counts from then on, and why (kept in the audit log). */
export const MeasurementResolveSchema = z.strictObject({
  value: z.number(),
  reason: z.string().trim().min(1).max(500),
  /** The version the organizer read; 0 when no recorder has entered anything yet. */
  version: VersionSchema,
});
export type MeasurementResolve = z.infer<typeof MeasurementResolveSchema>;

export const MeasurementListQuerySchema = z.strictObject({
  status: MeasurementStatusSchema.optional(),
  entryId: IdSchema.optional(),
  criterionId: CodeSchema.optional(),
  /** Another round than the current one. */
  round: CodeSchema.optional(),
});
export type MeasurementListQuery = z.infer<typeof MeasurementListQuerySchema>;

export const MeasurementReadingSchema = z.object({
  userId: z.string(),
  username: z.string(),
  value: z.number(),
  at: z.string(),
});
export type MeasurementReading = z.infer<typeof MeasurementReadingSchema>;

/** A measurement as organizers see it: every reading, the counted value and the organizer's decision. */
export const MeasurementSchema = z.object({
  id: z.string(),
  contestId: z.string(),
  roundId: z.string(),
  entryId: z.string(),
  code: z.string(),
  criterionId: z.string(),
  readings: z.array(MeasurementReadingSchema),
  /** The value the results use; null until it counts. */
  value: z.number().nullable(),
  status: MeasurementStatusSchema,
  resolution: z
    .object({
      userId: z.string().nullable(),
      username: z.string().nullable(),
      value: z.number(),
      reason: z.string(),
      at: z.string(),
    })
    .nullable(),
  version: z.number(),
  updatedAt: z.string(),
});
export type Measurement = z.infer<typeof MeasurementSchema>;

export const MeasurementListSchema = z.object({
  roundId: z.string(),
  doubleEntry: z.boolean(),
  measurements: z.array(MeasurementSchema),
  /** Over the whole round, whatever the filter; `missing` counts entry x criterion pairs nobody has recorded. */
  counts: z.record(z.enum([...MEASUREMENT_STATUSES, 'missing']), z.number().int()),
});
export type MeasurementList = z.infer<typeof MeasurementListSchema>;

/** A measurement criterion as the recorder sees it: how values are entered and turned into points. */
export const RecordingCriterionSchema = z.object({
  id: z.string(),
  name: LocalizedTextSchema,
  description: z.object({ zh: z.string(), en: z.string().optional() }),
  maxScore: z.number(),
  rule: MeasurementRuleSchema,
});

/**
 * One cell of the recorder's sheet. The recorder sees their own reading only (double entry is blind), the
 * status, and the counted value once it counts.
 */
export const RecordingCellSchema = z.object({
  status: MeasurementStatusSchema.nullable(),
  version: z.number(),
  own: z.object({ value: z.number(), at: z.string() }).nullable(),
  value: z.number().nullable(),
});
export type RecordingCell = z.infer<typeof RecordingCellSchema>;

/** GET .../recording: the round's active entries by code (no teacher, school or title), with their cells. */
export const RecordingListSchema = z.object({
  contest: z.object({ id: z.string(), name: z.string(), status: z.string() }),
  roundId: z.string(),
  doubleEntry: z.boolean(),
  criteria: z.array(RecordingCriterionSchema),
  entries: z.array(
    z.object({
      entryId: z.string(),
      code: z.string(),
      category: z.string().nullable(),
      cells: z.record(z.string(), RecordingCellSchema),
    }),
  ),
});
export type RecordingList = z.infer<typeof RecordingListSchema>;

/** The recorder's answer to a write: the cell as it is now. */
export const RecordingWriteSchema = RecordingCellSchema.extend({
  entryId: z.string(),
  criterionId: z.string(),
});
export type RecordingWrite = z.infer<typeof RecordingWriteSchema>;

/**
 * The public venue screen. Stations are the contest's categories (entries without one form a station with
 * id null). Totals come from counted measurements only (a value not counted yet earns 0 for now); judges'
 * marks appear only once the organizer releases them.
 */
export const ScoreboardEntrySchema = z.object({
  code: z.string(),
  /** Only once the contest is published. */
  teacherName: z.string().optional(),
  /** Points per measurement criterion; null until its value counts. */
  points: z.record(z.string(), z.number().nullable()),
  /** How many measurement values count so far, of `criteria` measurement criteria. */
  counted: z.number().int(),
  /** The measured part on the 0-100 scale, values not counted yet as 0. */
  measured: z.number(),
  /** Present once released: the judges' aggregated total on the 0-100 scale (null until a judge has submitted). */
  judged: z.number().nullable().optional(),
  /** Before release the measured part; after, both parts by their weights (null until judged). */
  total: z.number().nullable(),
});
export type ScoreboardEntry = z.infer<typeof ScoreboardEntrySchema>;

export const ScoreboardSchema = z.object({
  contest: z.object({ id: z.string(), name: z.string(), status: z.string() }),
  roundId: z.string(),
  judgementReleased: z.boolean(),
  criteria: z.array(
    z.object({
      id: z.string(),
      name: LocalizedTextSchema,
      kind: z.enum(['judgement', 'measurement']),
      weight: z.number(),
      maxScore: z.number(),
    }),
  ),
  stations: z.array(
    z.object({
      id: z.string().nullable(),
      name: LocalizedTextSchema.nullable(),
      /** Best total first, then by code. */
      entries: z.array(ScoreboardEntrySchema),
    }),
  ),
  updatedAt: z.string(),
});
export type Scoreboard = z.infer<typeof ScoreboardSchema>;
