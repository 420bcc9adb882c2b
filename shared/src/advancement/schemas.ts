import { z } from 'zod';

/** How many of a group advance: `top` entries, or a `share` of the group's ranked entries (rounded half up). */
export const AdvancementLimitSchema = z
  .strictObject({
    top: z.number().int().min(0).optional(),
    share: z.number().min(0).max(1).optional(),
  })
  .superRefine((limit, ctx) => {
    if ((limit.top === undefined) === (limit.share === undefined))
      ctx.addIssue({ code: 'custom', path: [], message: 'give either top or share' });
  });
export type AdvancementLimit = z.infer<typeof AdvancementLimitSchema>;

/**
 * The organizer's rules for sending entries on to the next round. They apply one after another, each
 * to the entries the previous ones kept: minScore, then perSchool, then perCategory, then overall. So
 * "each school sends its best 3, of those the best 50 go on" is { perSchool: { top: 3 }, overall: { top: 50 } }.
 * With no rule at all every ranked entry advances. Each rule on its own sends under `include` everything it
 * sends under `exclude`; a chain need not (a tie let through by perSchool can crowd an entry out of overall).
 */
export const AdvancementRulesSchema = z.strictObject({
  minScore: z.number().optional(),
  perSchool: AdvancementLimitSchema.optional(),
  perCategory: AdvancementLimitSchema.optional(),
  overall: AdvancementLimitSchema.optional(),
  /** At a cut inside a tie: `include` takes the whole tied group, `exclude` none of it (as for tiers). */
  tiePolicy: z.enum(['include', 'exclude']).default('include'),
});
export type AdvancementRules = z.input<typeof AdvancementRulesSchema>;

/** One entry of the round's results. Extra fields (titles, flags) are stripped. */
export const AdvancementEntrySchema = z.object({
  id: z.string().min(1),
  score: z.number().nullable(),
  /**
   * The rank in the round's results. Entries are ordered by score; rank orders only scores equal within
   * SCORE_EPSILON (it carries the round's tie-break), and an equal rank there is a tie.
   */
  rank: z.number().int().min(1).nullable(),
  category: z.string().min(1).nullable().optional(),
  school: z.string().min(1).nullable().optional(),
  /** Incomplete entries never advance; score and rank may then be null. */
  incomplete: z.boolean().default(false),
});
export type AdvancementEntry = z.input<typeof AdvancementEntrySchema>;

export const AdvancementInputSchema = z.strictObject({
  entries: z.array(AdvancementEntrySchema),
  rules: AdvancementRulesSchema,
});
export type AdvancementInput = z.input<typeof AdvancementInputSchema>;

export const ADVANCEMENT_SCOPES = ['school', 'category', 'overall'] as const;
export type AdvancementScope = (typeof ADVANCEMENT_SCOPES)[number];

export const ADVANCEMENT_REASONS = ['incomplete', 'belowMinScore', 'outsideTop', 'tieExcluded'] as const;
export type AdvancementReasonKind = (typeof ADVANCEMENT_REASONS)[number];

export const AdvancementReasonSchema = z.object({
  entryId: z.string(),
  reason: z.enum(ADVANCEMENT_REASONS),
  /** For outsideTop and tieExcluded: the rule that cut the entry, and its group (null for overall). */
  scope: z.enum(ADVANCEMENT_SCOPES).optional(),
  group: z.string().nullable().optional(),
  /** For outsideTop and tieExcluded: how many that group could send. */
  limit: z.number().int().optional(),
  /** For belowMinScore. */
  minScore: z.number().optional(),
});
export type AdvancementReason = z.infer<typeof AdvancementReasonSchema>;

export const AdvancementGroupSchema = z.object({
  scope: z.enum(ADVANCEMENT_SCOPES),
  /** School or category; null for overall. */
  group: z.string().nullable(),
  /** Complete entries of the group: what a share is taken of. */
  ranked: z.number().int(),
  /** top, or the share of `ranked` rounded half up. */
  limit: z.number().int(),
  /** Still in the running when this rule applied. */
  considered: z.number().int(),
  /** Kept by this rule; above `limit` only by a tie under `include`. */
  selected: z.number().int(),
  /** Of those selected, how many advance once the later rules have applied. */
  advancing: z.number().int(),
  /** Lowest score selected; null when none. */
  cutoffScore: z.number().nullable(),
});
export type AdvancementGroup = z.infer<typeof AdvancementGroupSchema>;

export const AdvancementPlanSchema = z.object({
  /** In order: score, then rank, then entry id. */
  advancing: z.array(z.string()),
  /** Every other entry with the first rule that stopped it: ranked ones in order, then incomplete ones by id. */
  notAdvancing: z.array(AdvancementReasonSchema),
  /** Per rule in the order applied, groups by id. */
  groups: z.array(AdvancementGroupSchema),
  counts: z.object({
    entries: z.number().int(),
    incomplete: z.number().int(),
    belowMinScore: z.number().int(),
    advancing: z.number().int(),
  }),
});
export type AdvancementPlan = z.infer<typeof AdvancementPlanSchema>;
