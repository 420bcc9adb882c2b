import { z } from 'zod';
import { CodeSchema } from './common.js';

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

export const EntryUpdateSchema = EntryInputSchema.partial().extend({ version: z.number().int().min(0) }).strict();
export type EntryUpdate = z.infer<typeof EntryUpdateSchema>;

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
  roundId: z.string(),
  code: z.string(),
  title: z.string(),
  teacherName: z.string(),
  school: z.string(),
  category: z.string().nullable(),
  subject: z.string().nullable(),
  imageFileNames: z.array(z.string()),
  photos: z.array(PhotoSchema),
  status: z.enum(ENTRY_STATUSES),
  version: z.number(),
});
export type Entry = z.infer<typeof EntrySchema>;

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
