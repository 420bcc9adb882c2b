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
