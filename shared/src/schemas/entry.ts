import { z } from 'zod';
import { CodeSchema, IdSchema } from './common.js';

export const ENTRY_STATUSES = ['active', 'withdrawn'] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

export const EntryInputSchema = z.strictObject({
  code: CodeSchema,
  title: text(300),
  teacherName: text(100),
  school: text(200),
  category: CodeSchema.optional(),
  subject: CodeSchema.optional(),
  roundId: CodeSchema.optional(),
  /** File names of photos, matched to uploads; kept for imports. */
  imageFileNames: z.array(z.string().trim().min(1).max(255)).max(20).default([]),
});
export type EntryInput = z.input<typeof EntryInputSchema>;

/**
 * Written out rather than `.partial()`: zod keeps `.default([])` inside `.partial()`, which would wipe the
 * image file names on every edit that leaves them out. `null` clears category or subject.
 */
export const EntryUpdateSchema = z.strictObject({
  version: z.number().int().min(0),
  code: CodeSchema.optional(),
  title: text(300).optional(),
  teacherName: text(100).optional(),
  school: text(200).optional(),
  category: CodeSchema.nullable().optional(),
  subject: CodeSchema.nullable().optional(),
  imageFileNames: z.array(z.string().trim().min(1).max(255)).max(20).optional(),
});
export type EntryUpdate = z.infer<typeof EntryUpdateSchema>;

export const EntryWithdrawSchema = z.strictObject({
  version: z.number().int().min(0),
  reason: z.string().trim().min(1).max(500),
});
export const EntryRestoreSchema = z.strictObject({ version: z.number().int().min(0) });

export const PHOTO_SIZES = ['thumb', 'large', 'original'] as const;
export const PhotoSizeQuerySchema = z.strictObject({ size: z.enum(PHOTO_SIZES).default('large') });

export const PhotoSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  width: z.number(),
  height: z.number(),
  size: z.number(),
});
export type Photo = z.infer<typeof PhotoSchema>;

/** What organizers see. Judges get a blind projection (code, title, category, subject, photos). */
export const EntrySchema = z.object({
  id: z.string(),
  contestId: z.string(),
  roundIds: z.array(z.string()),
  code: z.string(),
  title: z.string(),
  teacherName: z.string(),
  school: z.string(),
  category: z.string().nullable(),
  subject: z.string().nullable(),
  imageFileNames: z.array(z.string()),
  photos: z.array(PhotoSchema),
  /** File names listed for the entry that have no uploaded photo yet. */
  missingPhotos: z.array(z.string()),
  status: z.enum(ENTRY_STATUSES),
  withdrawnReason: z.string().nullable(),
  hasFeedbackLink: z.boolean(),
  version: z.number(),
});
export type Entry = z.infer<typeof EntrySchema>;

export const EntryListQuerySchema = z.strictObject({
  status: z.enum(ENTRY_STATUSES).optional(),
  category: CodeSchema.optional(),
  subject: CodeSchema.optional(),
  school: z.string().trim().min(1).max(200).optional(),
  /** Matches code, title or teacher (plain text, not a pattern). */
  q: z.string().trim().min(1).max(100).optional(),
  /** Entries come sorted by code; `after` is the last code of the previous page. */
  after: z.string().max(40).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type EntryListQuery = z.infer<typeof EntryListQuerySchema>;

export const EntryListSchema = z.object({
  entries: z.array(EntrySchema),
  /** Entries matching the filter, over all pages. */
  total: z.number(),
  nextAfter: z.string().nullable(),
  counts: z.object({ active: z.number(), withdrawn: z.number(), withoutPhotos: z.number() }),
});
export type EntryList = z.infer<typeof EntryListSchema>;

export const EntryImportQuerySchema = z.strictObject({
  /** `true` checks every row and answers what would be imported, writing nothing. */
  dryRun: z
    .enum(['true', 'false', '1', '0'])
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

export const TemplateQuerySchema = z.strictObject({ format: z.enum(['csv', 'xlsx']).default('xlsx') });

export const FeedbackLinksRequestSchema = z.strictObject({
  /** Entries to issue links for; all active entries when left out. Issuing again replaces older links. */
  entryIds: z.array(IdSchema).min(1).max(100_000).optional(),
});
export const FeedbackLinkSchema = z.object({
  entryId: z.string(),
  code: z.string(),
  teacherName: z.string(),
  school: z.string(),
  url: z.string(),
});
export type FeedbackLink = z.infer<typeof FeedbackLinkSchema>;

/** Columns of the CSV/XLSX import, in the order of the template. */
export const ENTRY_IMPORT_COLUMNS = [
  'code',
  'teacherName',
  'school',
  'category',
  'subject',
  'title',
  'imageFileNames',
] as const;

/** Chinese headers accepted in imports, mapped to the columns above. */
export const ENTRY_IMPORT_HEADER_ALIASES: Record<string, (typeof ENTRY_IMPORT_COLUMNS)[number]> = {
  作品编号: 'code',
  编号: 'code',
  教师: 'teacherName',
  教师姓名: 'teacherName',
  学校: 'school',
  组别: 'category',
  类别: 'category',
  学科: 'subject',
  题目: 'title',
  作品名称: 'title',
  图片: 'imageFileNames',
  图片文件: 'imageFileNames',
};

export const ImportProblemSchema = z.object({
  row: z.number(),
  column: z.string().nullable(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;
