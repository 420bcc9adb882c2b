import { z } from 'zod';
import { CodeSchema, IdSchema } from './common.js';
import { UsernameSchema } from './auth.js';

export const JudgeInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** A log-in name; when omitted the judge signs in by one-time code only. */
  username: UsernameSchema.optional(),
  school: z.string().trim().max(200).optional(),
  panelId: IdSchema.nullable().optional(),
  /** Conflicts of interest beyond the own school: other schools and specific entry codes. */
  conflictSchools: z.array(z.string().trim().min(1).max(200)).max(100).default([]),
  conflictEntryCodes: z.array(CodeSchema).max(1000).default([]),
});
export type JudgeInput = z.input<typeof JudgeInputSchema>;

export const JudgeUpdateSchema = JudgeInputSchema.partial().extend({ version: z.number().int().min(0) }).strict();

export const PanelInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  category: CodeSchema.optional(),
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
