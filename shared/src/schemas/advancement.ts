import { z } from 'zod';
import { CodeSchema } from './common.js';
import {
  AdvancementRulesSchema,
  type AdvancementGroup,
  type AdvancementReasonKind,
} from '../advancement/schemas.js';

/** POST /contests/:id/advancement: who goes on from the current round to the next one. */
export const AdvancementRequestSchema = z.strictObject({
  /** The round that follows the current one in the contest's order. */
  toRound: CodeSchema,
  rules: AdvancementRulesSchema,
});
export type AdvancementRequest = z.input<typeof AdvancementRequestSchema>;

export const AdvancementQuerySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
  lang: z.enum(['zh', 'en']).default('zh'),
});

export type AdvancementEntryView = {
  entryId: string;
  code: string;
  title: string;
  school: string;
  category: string | null;
  score: number | null;
  rank: number | null;
};

/** The organizer's preview, and the record of what was confirmed (the same computation). */
export type AdvancementOutcome = {
  dryRun: boolean;
  fromRound: string;
  toRound: string;
  counts: { entries: number; incomplete: number; belowMinScore: number; advancing: number };
  groups: AdvancementGroup[];
  advancing: AdvancementEntryView[];
  notAdvancing: (AdvancementEntryView & { reason: AdvancementReasonKind; explanation: string })[];
};

/** GET /contests/:id/advancements: each confirmed advancement, oldest first, with who went on. */
export type AdvancementRecord = {
  id: string;
  fromRound: string;
  toRound: string;
  rules: z.output<typeof AdvancementRulesSchema>;
  counts: AdvancementOutcome['counts'];
  /** The entries that went on, by code; details as they are now (scores stay with their round's results). */
  advancing: (Omit<AdvancementEntryView, 'score' | 'rank'> & { teacherName: string })[];
  confirmedAt: string;
  /** Null while a confirmation cut short waits to be confirmed again. */
  completedAt: string | null;
  /** Null for records written before who confirmed was kept. */
  confirmedBy: { userId: string | null; username: string | null } | null;
};

/** GET /contests/:id/advancements/:advancementId/export: the entries that went on, as a file. */
export const AdvancementExportQuerySchema = z.strictObject({
  format: z.enum(['csv', 'xlsx']).default('xlsx'),
});
