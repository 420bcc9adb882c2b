import { z } from 'zod';

// Mongo ObjectIds travel as 24-hex strings; anything else is rejected before it reaches a query.
export const IdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hexadecimal id');
export type Id = z.infer<typeof IdSchema>;

/** Text shown in the UI in Simplified Chinese first, English optional. */
export const LocalizedTextSchema = z.strictObject({
  zh: z.string().trim().min(1).max(200),
  en: z.string().trim().max(200).optional(),
});
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

export const CodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only');

export const PageQuerySchema = z.strictObject({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
