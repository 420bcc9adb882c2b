import { z } from 'zod';
import { CodeSchema, IdSchema } from './common.js';
import { UsernameSchema } from './auth.js';

const JudgeNameSchema = z.string().trim().min(1).max(100);
const SchoolSchema = z.string().trim().max(200);
const ConflictSchoolsSchema = z.array(z.string().trim().min(1).max(200)).max(100);
const ConflictEntryCodesSchema = z.array(CodeSchema).max(1000);

export const JudgeInputSchema = z.strictObject({
  name: JudgeNameSchema,
  /**
   * The judge's account. An existing account is reused; a new one gets no password (sign-in by one-time
   * code only). When omitted a name such as `judge-a1b2c3-4` is generated.
   */
  username: UsernameSchema.optional(),
  school: SchoolSchema.optional(),
  panelId: IdSchema.nullable().optional(),
  /** Conflicts of interest beyond the own school: other schools and specific entry codes. */
  conflictSchools: ConflictSchoolsSchema.default([]),
  conflictEntryCodes: ConflictEntryCodesSchema.default([]),
});
export type JudgeInput = z.input<typeof JudgeInputSchema>;

/**
 * Written out rather than `JudgeInputSchema.partial()`: zod keeps `.default([])` inside `.partial()`, which
 * would silently wipe conflicts on every update that leaves them out. The account (username) is not edited
 * here; conflicts change through their own route (PUT .../conflicts), which checks entry codes.
 * `active: true` reactivates a deactivated judge; `active: false` deactivates like DELETE.
 */
export const JudgeUpdateSchema = z.strictObject({
  version: z.number().int().min(0),
  name: JudgeNameSchema.optional(),
  school: SchoolSchema.nullable().optional(),
  panelId: IdSchema.nullable().optional(),
  active: z.boolean().optional(),
});
export type JudgeUpdate = z.infer<typeof JudgeUpdateSchema>;

/** PUT replaces both lists. */
export const ConflictsUpdateSchema = z.strictObject({
  version: z.number().int().min(0),
  conflictSchools: ConflictSchoolsSchema,
  conflictEntryCodes: ConflictEntryCodesSchema,
});
export type ConflictsUpdate = z.infer<typeof ConflictsUpdateSchema>;

export const PanelInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  category: CodeSchema.optional(),
});
export type PanelInput = z.infer<typeof PanelInputSchema>;

export const PanelUpdateSchema = z.strictObject({
  version: z.number().int().min(0),
  name: z.string().trim().min(1).max(100).optional(),
  /** null clears the category. */
  category: CodeSchema.nullable().optional(),
});
export type PanelUpdate = z.infer<typeof PanelUpdateSchema>;

export const AssignJudgesSchema = z.strictObject({
  judgeIds: z.array(IdSchema).min(1).max(500),
});

export const JudgeSchema = z.object({
  id: z.string(),
  contestId: z.string(),
  userId: z.string(),
  name: z.string(),
  username: z.string().nullable(),
  school: z.string().nullable(),
  panelId: z.string().nullable(),
  conflictSchools: z.array(z.string()),
  conflictEntryCodes: z.array(z.string()),
  active: z.boolean(),
  version: z.number(),
});
export type Judge = z.infer<typeof JudgeSchema>;

export const JudgeListItemSchema = JudgeSchema.extend({ panelName: z.string().nullable() });
export type JudgeListItem = z.infer<typeof JudgeListItemSchema>;

export const JudgeListSchema = z.object({
  judges: z.array(JudgeListItemSchema),
  counts: z.object({
    total: z.number(),
    active: z.number(),
    inactive: z.number(),
    /** Active judges not yet in a panel. */
    withoutPanel: z.number(),
  }),
});
export type JudgeList = z.infer<typeof JudgeListSchema>;

export const PanelSchema = z.object({
  id: z.string(),
  contestId: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  /** Active judges in the panel. */
  judgeCount: z.number(),
  version: z.number(),
});
export type Panel = z.infer<typeof PanelSchema>;

export const ConflictingEntriesSchema = z.object({
  judgeId: z.string(),
  entryCodes: z.array(z.string()),
});

/** A freshly issued one-time sign-in code; shown once, only its hash is stored. */
export const SignInCodeSchema = z.object({
  code: z.string(),
  expiresAt: z.string(),
  url: z.string(),
  qrSvg: z.string(),
});
export type SignInCode = z.infer<typeof SignInCodeSchema>;

export const SignInCodeSheetRowSchema = SignInCodeSchema.extend({
  judgeId: z.string(),
  name: z.string(),
  username: z.string().nullable(),
  panel: z.string().nullable(),
});
export type SignInCodeSheetRow = z.infer<typeof SignInCodeSheetRowSchema>;

/** Codes for every active judge, or only for the judges named. */
export const SignInCodesRequestSchema = z.strictObject({
  judgeIds: z.array(IdSchema).min(1).max(500).optional(),
});

export const SignInCodesQuerySchema = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
});

/** Columns of the judge CSV/XLSX import. */
export const JUDGE_IMPORT_COLUMNS = [
  'name',
  'username',
  'school',
  'panel',
  'conflictSchools',
  'conflictEntryCodes',
] as const;
export type JudgeImportColumn = (typeof JUDGE_IMPORT_COLUMNS)[number];

/** Chinese headers accepted in judge imports, mapped to the columns above. */
export const JUDGE_IMPORT_HEADER_ALIASES: Record<string, JudgeImportColumn> = {
  姓名: 'name',
  用户名: 'username',
  学校: 'school',
  单位: 'school',
  '学校/单位': 'school',
  评审组: 'panel',
  回避学校: 'conflictSchools',
  回避作品: 'conflictEntryCodes',
};

/** List cells in imports: separated by ";" or "," (full-width and "、" too, as typed in Chinese). */
export const splitListCell = (cell: string): string[] =>
  cell
    .split(/[;,；，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
