import { z } from 'zod';
import { CodeSchema, IdSchema } from './common.js';
import { AssignmentScopeSchema } from '../assignment/schemas.js';

const Seed = z.number().int().min(0).max(0xffffffff);

/** `?dryRun=true`: the plan is computed and answered, nothing is written. */
export const DryRunQuerySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

/** POST /contests/:id/assignments: plan (and apply) who scores what in a round. */
export const AssignmentRequestSchema = z.strictObject({
  round: CodeSchema.optional(),
  /** `panel`: each entry goes to a panel of its category; `pool`: any judge of the contest. */
  scope: AssignmentScopeSchema.default('panel'),
  /** Defaults to the contest's setting. */
  judgesPerEntry: z.number().int().min(1).max(50).optional(),
  /** Same seed, same data: same plan. A random one is drawn (and answered) when left out. */
  seed: Seed.optional(),
  /** Calibration: this many works per panel (per pool) are scored by every judge before the rest opens. */
  calibrationEntries: z.number().int().min(0).max(20).default(0),
});
export type AssignmentRequest = z.input<typeof AssignmentRequestSchema>;

/** POST /contests/:id/judges/:judgeId/replace: hand a dropped judge's unscored work to the others. */
export const ReplaceJudgeRequestSchema = z.strictObject({
  round: CodeSchema.optional(),
  seed: Seed.optional(),
});

export const EXTRA_JUDGE_FLAGS = ['boundary', 'disagreement'] as const;

/** POST /contests/:id/assignments/extra: more judges for entries whose tier is uncertain. */
export const ExtraJudgesRequestSchema = z.strictObject({
  round: CodeSchema.optional(),
  flags: z
    .array(z.enum(EXTRA_JUDGE_FLAGS))
    .min(1)
    .max(2)
    .default([...EXTRA_JUDGE_FLAGS]),
  /** Most extra scores asked for in this request. */
  budget: z.number().int().min(0).max(100_000),
  extraPerEntry: z.number().int().min(1).max(10).default(1),
  seed: Seed.optional(),
});
export type ExtraJudgesRequest = z.input<typeof ExtraJudgesRequestSchema>;

export const AssignmentListQuerySchema = z.strictObject({
  round: CodeSchema.optional(),
  judgeId: IdSchema.optional(),
  entryId: IdSchema.optional(),
  lang: z.enum(['zh', 'en']).default('zh'),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const RoundQuerySchema = z.strictObject({ round: CodeSchema.optional() });

export type AssignmentProblemView = {
  entryId: string;
  code: string;
  kind: string;
  needed: number;
  got: number;
  message: string;
};

export type JudgeLoadView = { judgeId: string; name: string; panelId: string | null; count: number };

/** The answer of a plan, a replacement or an extra-judges request (applied or dry run). */
export type AssignmentOutcome = {
  roundId: string;
  dryRun: boolean;
  seed: number;
  counts: { assignments: number; kept: number; added: number; removed: number };
  loads: JudgeLoadView[];
  spread: Record<string, number>;
  problems: AssignmentProblemView[];
  problemCount: number;
};

export type AssignmentPlanOutcome = AssignmentOutcome & {
  scope: 'panel' | 'pool';
  judgesPerEntry: number;
  calibrationEntryIds: string[];
};

export type ExtraJudgesOutcome = AssignmentOutcome & {
  /** Entries that were asked for (flagged), and those that got fewer extra judges than asked, and why. */
  flagged: number;
  skipped: { entryId: string; code: string; reason: string; wanted: number; got: number; message: string }[];
  budgetLeft: number | null;
};

export type AssignmentRow = {
  id: string;
  entryId: string;
  code: string;
  judgeId: string;
  judgeName: string;
  panelId: string | null;
  order: number;
  kind: string;
  calibration: boolean;
  /** Why this judge got this entry, in the language asked for. */
  explanation: string;
  scoreStatus: 'draft' | 'submitted' | null;
};

/** GET /contests/:id/assignments/calibration: each judge against the rest of their panel on the calibration works. */
export type CalibrationReport = {
  roundId: string;
  released: boolean;
  releasedAt: string | null;
  entries: {
    entryId: string;
    code: string;
    judges: { judgeId: string; name: string; total: number | null; deviation: number | null }[];
  }[];
  judges: {
    judgeId: string;
    name: string;
    panelId: string | null;
    scored: number;
    assigned: number;
    /** Mean of (own total - mean of the others' totals) over calibration works scored by at least two. */
    meanDeviation: number | null;
    meanAbsDeviation: number | null;
  }[];
};
