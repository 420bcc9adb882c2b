import { z } from 'zod';

// Item objects are not strict: callers pass stored documents (names, versions, ...); extra fields are stripped.
const IdString = z.string().min(1);
const Seed = z.number().int().min(0).max(0xffffffff);

export const AssignmentEntrySchema = z.object({
  id: IdString,
  code: z.string(),
  school: z.string().nullable().optional(),
  category: z.string().nullable().optional(),
});
export type AssignmentEntry = z.input<typeof AssignmentEntrySchema>;

export const AssignmentJudgeSchema = z.object({
  id: IdString,
  school: z.string().nullable().optional(),
  panelId: IdString.nullable().optional(),
  conflictSchools: z.array(z.string()).default([]),
  conflictEntryCodes: z.array(z.string()).default([]),
});
export type AssignmentJudge = z.input<typeof AssignmentJudgeSchema>;

export const AssignmentPanelSchema = z.object({
  id: IdString,
  category: z.string().nullable().optional(),
});
export type AssignmentPanel = z.input<typeof AssignmentPanelSchema>;

export const ASSIGNMENT_SCOPES = ['panel', 'pool'] as const;
export const AssignmentScopeSchema = z.enum(ASSIGNMENT_SCOPES);
export type AssignmentScope = z.infer<typeof AssignmentScopeSchema>;

/** An existing assignment that must stay; `order` (its place in the judge's list) is kept when given. */
export const KeptAssignmentSchema = z.object({
  entryId: IdString,
  judgeId: IdString,
  order: z.number().int().min(0).optional(),
});
export type KeptAssignment = z.input<typeof KeptAssignmentSchema>;

export const AssignmentPlanInputSchema = z.strictObject({
  scope: AssignmentScopeSchema,
  judgesPerEntry: z.number().int().min(1).max(1000).default(5),
  seed: Seed,
  entries: z.array(AssignmentEntrySchema),
  judges: z.array(AssignmentJudgeSchema),
  panels: z.array(AssignmentPanelSchema).default([]),
  /** Scored by every eligible judge in scope (in panel scope: every judge of the entry's panel). */
  calibrationEntryIds: z.array(IdString).default([]),
  keep: z.array(KeptAssignmentSchema).default([]),
  /** Judges no longer taking work (dropped out) whose kept work stays; they get nothing new. */
  closedJudgeIds: z.array(IdString).default([]),
});
export type AssignmentPlanInput = z.input<typeof AssignmentPlanInputSchema>;
export type ParsedAssignmentPlanInput = z.output<typeof AssignmentPlanInputSchema>;

export const ExtraJudgesInputSchema = z.strictObject({
  scope: AssignmentScopeSchema,
  seed: Seed,
  /** Entries that should get extra judges; higher priority is served first. */
  entries: z.array(AssignmentEntrySchema.extend({ priority: z.number().finite().default(0) })),
  judges: z.array(AssignmentJudgeSchema),
  panels: z.array(AssignmentPanelSchema).default([]),
  /** Every current assignment of the contest (entries not listed above still count toward judges' loads). */
  existing: z.array(KeptAssignmentSchema).default([]),
  extraPerEntry: z.number().int().min(1).max(1000).default(1),
  /** Most extra assignments in total; unlimited when omitted. */
  budget: z.number().int().min(0).optional(),
});
export type ExtraJudgesInput = z.input<typeof ExtraJudgesInputSchema>;
export type ParsedExtraJudgesInput = z.output<typeof ExtraJudgesInputSchema>;

export const ReplaceJudgeInputSchema = z.strictObject({
  scope: AssignmentScopeSchema,
  seed: Seed,
  droppedJudgeId: IdString,
  entries: z.array(AssignmentEntrySchema),
  /** The judges who stay (the dropped judge, if listed, gets no new work). */
  judges: z.array(AssignmentJudgeSchema),
  panels: z.array(AssignmentPanelSchema).default([]),
  /**
   * The current plan; `scored` work of the dropped judge stays, the rest is handed on. `panelId` (as planned)
   * keeps handed-on work in its panel when the entry has no other judge left to tell.
   */
  assignments: z.array(
    KeptAssignmentSchema.extend({ scored: z.boolean(), panelId: IdString.nullable().optional() }),
  ),
});
export type ReplaceJudgeInput = z.input<typeof ReplaceJudgeInputSchema>;
export type ParsedReplaceJudgeInput = z.output<typeof ReplaceJudgeInputSchema>;

// ---- Output ----

export const ASSIGNMENT_REASON_KINDS = ['calibration', 'kept', 'panel', 'pool', 'extra'] as const;
export type AssignmentReasonKind = (typeof ASSIGNMENT_REASON_KINDS)[number];

/** Why a judge got an entry, in numbers the UI can put into its own words (see describeReason). */
export interface AssignmentReason {
  kind: AssignmentReasonKind;
  /** The entry's panel in panel scope. */
  panelId?: string;
  /** Entries the judge already had when this one was given (counting kept and calibration work). */
  loadBefore: number;
  /** The lowest load among the judges who could have taken the entry at that moment. */
  minLoad: number;
  /** Judges in scope (the pool or the panel) without a conflict with this entry. */
  candidates: number;
  /** Judges in scope excluded by a conflict of interest. */
  excludedByConflict: number;
  /** Set by replaceJudge: the judge whose unscored work this replaces. */
  replacesJudgeId?: string;
}

export interface PlannedAssignment {
  entryId: string;
  judgeId: string;
  panelId: string | null;
  /** Position in the judge's list (0-based). */
  order: number;
  reason: AssignmentReason;
}

export interface JudgeLoad {
  judgeId: string;
  count: number;
}

export type AssignmentProblemKind = 'noPanel' | 'notEnoughJudges';

export interface AssignmentProblem {
  entryId: string;
  kind: AssignmentProblemKind;
  needed: number;
  got: number;
  message: string;
}

export interface AssignmentPlan {
  /** Sorted by entry id, then judge id. */
  assignments: PlannedAssignment[];
  /** Every judge passed in, sorted by id. */
  loads: JudgeLoad[];
  problems: AssignmentProblem[];
  /** max - min load per group: `pool`, or each panel id in panel scope. */
  spread: Record<string, number>;
}

export type ExtraSkipReason = 'budget' | 'noEligibleJudge' | 'noPanel';

export interface ExtraJudgesSkip {
  entryId: string;
  reason: ExtraSkipReason;
  wanted: number;
  got: number;
  message: string;
}

export interface ExtraJudgesPlan {
  /** Only the new assignments (reason kind `extra`), in the order they were planned (highest priority first). */
  assignments: PlannedAssignment[];
  /** Entries that got fewer extra judges than asked, and why. */
  skipped: ExtraJudgesSkip[];
  /** Loads after the extra assignments, every judge passed in, sorted by id. */
  loads: JudgeLoad[];
  /** Extra assignments still allowed by the budget (null when unlimited). */
  budgetLeft: number | null;
}

export interface ReplaceJudgePlan extends AssignmentPlan {
  /** The dropped judge's unscored assignments, handed on. */
  removed: { entryId: string; judgeId: string }[];
}

/** The group key used for `spread` in pool scope. */
export const POOL_GROUP_ID = 'pool';
