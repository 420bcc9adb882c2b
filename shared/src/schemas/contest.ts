import { z } from 'zod';
import { CodeSchema, LocalizedTextSchema } from './common.js';
import { RoleSchema, UsernameSchema, type Role } from './auth.js';

export const CONTEST_STATUSES = ['draft', 'judging', 'review', 'published'] as const;
export const ContestStatusSchema = z.enum(CONTEST_STATUSES);
export type ContestStatus = z.infer<typeof ContestStatusSchema>;

/** Status moves one way only, except review may go back to judging (to rescore). */
export const CONTEST_TRANSITIONS: Record<ContestStatus, readonly ContestStatus[]> = {
  draft: ['judging'],
  judging: ['review'],
  review: ['judging', 'published'],
  published: [],
};

export const CategorySchema = z.strictObject({ id: CodeSchema, name: LocalizedTextSchema });
export type Category = z.infer<typeof CategorySchema>;

export const RoundSchema = z.strictObject({ id: CodeSchema, name: LocalizedTextSchema });
export type Round = z.infer<typeof RoundSchema>;

export const AggregationSettingsSchema = z.strictObject({
  method: z.enum(['mean', 'median', 'trimmedMean']).default('trimmedMean'),
  trim: z.number().int().min(0).max(10).default(1),
  normalization: z.enum(['none', 'zscore']).default('none'),
  minJudges: z.number().int().min(1).max(50).default(3),
});

export const TierSettingSchema = z
  .strictObject({
    id: CodeSchema,
    name: LocalizedTextSchema,
    quota: z.number().int().min(0).optional(),
    share: z.number().min(0).max(1).optional(),
    minScore: z.number().min(0).max(100).optional(),
  })
  .refine((t) => t.quota !== undefined || t.share !== undefined || t.minScore !== undefined, {
    message: 'a tier needs a quota, a share or a minScore',
  });
export type TierSetting = z.infer<typeof TierSettingSchema>;

function uniqueIds<T extends { id: string }>(list: T[], ctx: z.RefinementCtx, what: string) {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (seen.has(item.id))
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate ${what} id "${item.id}"` });
    seen.add(item.id);
  });
}

/** The venue screen: public only while enabled; judges' marks stay off it until released. */
export const ScoreboardSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
  judgementReleased: z.boolean().default(false),
});

export const ContestSettingsSchema = z.strictObject({
  aggregation: AggregationSettingsSchema.default({
    method: 'trimmedMean',
    trim: 1,
    normalization: 'none',
    minJudges: 3,
  }),
  disagreementThreshold: z.number().min(0).max(100).default(15),
  tiers: z
    .array(TierSettingSchema)
    .max(20)
    .superRefine((l, ctx) => uniqueIds(l, ctx, 'tier'))
    .default([]),
  tiePolicy: z.enum(['include', 'exclude']).default('include'),
  quotaScope: z.enum(['contest', 'category']).default('contest'),
  tieBreak: z.array(CodeSchema).max(20).default([]),
  judgesPerEntry: z.number().int().min(1).max(50).default(5),
  bootstrapSamples: z.number().int().min(0).max(5000).default(500),
  /** Measured values count only once two different recorders have entered the same value. */
  measurementDoubleEntry: z.boolean().default(false),
  scoreboard: ScoreboardSettingsSchema.default({ enabled: false, judgementReleased: false }),
});
export type ContestSettings = z.infer<typeof ContestSettingsSchema>;

export const ContestCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5000).default(''),
  categories: z
    .array(CategorySchema)
    .max(100)
    .superRefine((l, ctx) => uniqueIds(l, ctx, 'category'))
    .default([]),
  subjects: z
    .array(CategorySchema)
    .max(200)
    .superRefine((l, ctx) => uniqueIds(l, ctx, 'subject'))
    .default([]),
  rounds: z
    .array(RoundSchema)
    .min(1)
    .max(10)
    .superRefine((l, ctx) => uniqueIds(l, ctx, 'round'))
    .default([{ id: 'main', name: { zh: '评审', en: 'Judging' } }]),
  settings: ContestSettingsSchema.default(ContestSettingsSchema.parse({})),
});
export type ContestCreate = z.input<typeof ContestCreateSchema>;

const settingsShape = ContestSettingsSchema.shape;
/**
 * Settings in an update: each top-level key sent replaces the stored one, keys left out stay as they are
 * (no defaults here, so sending only `tiers` cannot silently reset the aggregation).
 */
export const ContestSettingsPatchSchema = z.strictObject({
  aggregation: settingsShape.aggregation.unwrap().optional(),
  disagreementThreshold: settingsShape.disagreementThreshold.unwrap().optional(),
  tiers: settingsShape.tiers.unwrap().optional(),
  tiePolicy: settingsShape.tiePolicy.unwrap().optional(),
  quotaScope: settingsShape.quotaScope.unwrap().optional(),
  tieBreak: settingsShape.tieBreak.unwrap().optional(),
  judgesPerEntry: settingsShape.judgesPerEntry.unwrap().optional(),
  bootstrapSamples: settingsShape.bootstrapSamples.unwrap().optional(),
  measurementDoubleEntry: settingsShape.measurementDoubleEntry.unwrap().optional(),
  scoreboard: settingsShape.scoreboard.unwrap().optional(),
});
export type ContestSettingsPatch = z.infer<typeof ContestSettingsPatchSchema>;

/** Every field optional; `version` is the one the client read (lost updates are refused). */
export const ContestUpdateSchema = z.strictObject({
  version: z.number().int().min(0),
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(5000).optional(),
  categories: ContestCreateSchema.shape.categories.unwrap().optional(),
  subjects: ContestCreateSchema.shape.subjects.unwrap().optional(),
  rounds: ContestCreateSchema.shape.rounds.unwrap().optional(),
  settings: ContestSettingsPatchSchema.optional(),
});
export type ContestUpdate = z.infer<typeof ContestUpdateSchema>;

export const ContestStatusChangeSchema = z.strictObject({
  status: ContestStatusSchema,
  version: z.number().int().min(0),
});

export const ContestSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  categories: z.array(CategorySchema),
  subjects: z.array(CategorySchema),
  rounds: z.array(RoundSchema),
  /** The round being judged (the first until entries advance). */
  currentRoundId: z.string().nullable(),
  status: ContestStatusSchema,
  publishedAt: z.string().nullable(),
  settings: ContestSettingsSchema,
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contest = z.infer<typeof ContestSchema>;

/** What judges and teachers see of a contest: everything but the organizers' settings. */
export const ContestPublicSchema = ContestSchema.omit({ settings: true });
export type ContestPublic = z.infer<typeof ContestPublicSchema>;

/** GET /contests and GET /contests/:id: the view the caller may see, with the caller's roles in it. */
export const ContestForMemberSchema = ContestSchema.extend({
  settings: ContestSettingsSchema.optional(),
  roles: z.array(RoleSchema),
  /** The one school a school organizer (who is not also an organizer) looks after; absent for everyone else. */
  school: z.string().optional(),
});
export type ContestForMember = z.infer<typeof ContestForMemberSchema>;

/** Roles an organizer may make new (sign-in code only) accounts for: people at the venue or a school. */
export const NEW_ACCOUNT_ROLES = ['recorder', 'schoolOrganizer'] as const satisfies readonly Role[];

/**
 * Adds a user to a contest; judges are added through the judges API instead. With `displayName` the
 * username must be new: an account without a password is made for it (it signs in with one-time codes).
 */
export const MemberAddSchema = z
  .strictObject({
    username: UsernameSchema,
    role: RoleSchema,
    /** The school a school organizer looks after, written as on its entries. */
    school: z.string().trim().min(1).max(200).optional(),
    /** The name of a new account (recorders and school organizers only). */
    displayName: z.string().trim().min(1).max(100).optional(),
  })
  .superRefine((m, ctx) => {
    if (m.role === 'schoolOrganizer' && m.school === undefined)
      ctx.addIssue({ code: 'custom', path: ['school'], message: 'a school organizer needs a school' });
    if (m.role !== 'schoolOrganizer' && m.school !== undefined)
      ctx.addIssue({ code: 'custom', path: ['school'], message: 'only school organizers have a school' });
    if (m.displayName !== undefined && !(NEW_ACCOUNT_ROLES as readonly Role[]).includes(m.role))
      ctx.addIssue({
        code: 'custom',
        path: ['displayName'],
        message: 'new accounts are made for recorders and school organizers only',
      });
  });
export type MemberAdd = z.infer<typeof MemberAddSchema>;

export const MemberSchema = z.object({
  id: z.string(),
  contestId: z.string(),
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  school: z.string().nullable(),
  createdAt: z.string(),
});
export type Member = z.infer<typeof MemberSchema>;

/** GET /contests/:id/members: the members, and the schools of the contest's entries (for school organizers). */
export const MemberListSchema = z.object({
  members: z.array(MemberSchema),
  schools: z.array(z.string()),
});
export type MemberList = z.infer<typeof MemberListSchema>;

/** Issuing a member's sign-in code takes no options. */
export const MemberSignInCodeRequestSchema = z.strictObject({});
