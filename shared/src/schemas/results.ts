import { z } from 'zod';
import { CodeSchema } from './common.js';
import { RESULT_FLAGS } from '../engine/schemas.js';

/** The organizer's live results table: one page of entries in rank order, with the whole summary. */
export const ResultsQuerySchema = z.strictObject({
  round: CodeSchema.optional(),
  tier: CodeSchema.optional(),
  /** `true` lists the entries that got no tier. */
  untiered: z.enum(['true', 'false']).optional(),
  flag: z.enum(RESULT_FLAGS).optional(),
  category: CodeSchema.optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ResultsQuery = z.infer<typeof ResultsQuerySchema>;

export const ResultsExportQuerySchema = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx') });

export const WinnersQuerySchema = z.strictObject({
  tier: CodeSchema.optional(),
  category: CodeSchema.optional(),
  school: z.string().trim().min(1).max(200).optional(),
});

export const ShowcaseQuerySchema = z.strictObject({ tier: CodeSchema.optional() });
