import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import {
  EntryImportQuerySchema,
  EntryInputSchema,
  EntryListQuerySchema,
  EntryRestoreSchema,
  EntryUpdateSchema,
  EntryWithdrawSchema,
  FeedbackLinksRequestSchema,
  IdSchema,
  PhotoSizeQuerySchema,
  TemplateQuerySchema,
  type FeedbackLink,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import { csvDocument } from '../http/csv.js';
import { photoFiles, singleFile, uploadName } from '../http/uploads.js';
import { body, params, query } from '../http/validate.js';
import { readTable } from '../imports/table.js';
import { EntriesService } from './entries.service.js';
import { EntryPhotosService, MAX_PHOTOS_PER_ENTRY, type Upload } from './entry-photos.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const EntryParams = z.strictObject({ contestId: IdSchema, entryId: IdSchema });
const PhotoParams = z.strictObject({ contestId: IdSchema, entryId: IdSchema, photoId: IdSchema });
const FormatQuery = z.strictObject({ format: z.enum(['json', 'csv']).default('json') });
const BulkQuery = z.strictObject({ replace: z.enum(['true', 'false']).default('false') });
const BULK_PHOTOS = 50;

const uploads = (req: Request): Upload[] => ((req.files as Express.Multer.File[] | undefined) ?? []).map((f) => ({ name: uploadName(f), data: f.buffer }));

/** Sends a stored photo; ids never change content, so browsers and tablets may keep it for good. */
export async function sendPhoto(req: Request, res: Response, photo: { etag: string; contentType: string; stream: () => NodeJS.ReadableStream }) {
  res.set({ ETag: photo.etag, 'Cache-Control': 'private, max-age=31536000, immutable', 'Content-Type': photo.contentType });
  if (req.headers['if-none-match'] === photo.etag) {
    res.status(304).end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const s = photo.stream();
    s.once('error', reject);
    s.once('end', resolve);
    s.pipe(res);
  });
}

export function entriesRoutes(ctx: AppContext): Router {
  const router = Router();
  const entries = new EntriesService(ctx);
  const photos = new EntryPhotosService(ctx);
  const organizer = requireContestRole(ctx, 'organizer');
  const member = requireContestRole(ctx, 'organizer', 'judge');
  const photoUpload = (max: number) => photoFiles(ctx.config.maxUploadBytes, max);

  router.get('/contests/:contestId/entries', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await entries.list(contestId, query(req, EntryListQuerySchema)));
  });

  router.post('/contests/:contestId/entries', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.status(201).json(await entries.create(contestId, body(req, EntryInputSchema), actorOf(req)));
  });

  router.get('/contests/:contestId/entries/import-template', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { format } = query(req, TemplateQuerySchema);
    const t = await entries.template(contestId, format);
    res.type(t.type).attachment(t.fileName).send(t.data);
  });

  router.post('/contests/:contestId/entries/import', organizer, singleFile(), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { dryRun } = query(req, EntryImportQuerySchema);
    if (!req.file) throw badRequest('file: upload a CSV or XLSX file in the "file" field', [{ path: 'file', message: 'required' }]);
    const name = uploadName(req.file);
    const table = await readTable(req.file.buffer, name);
    const result = await entries.importTable(contestId, table, name, dryRun, actorOf(req));
    res.status(dryRun ? 200 : 201).json(result);
  });

  router.post('/contests/:contestId/entries/feedback-links', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { format } = query(req, FormatQuery);
    const links = await entries.issueFeedbackLinks(contestId, body(req, FeedbackLinksRequestSchema).entryIds, actorOf(req));
    res.set('Cache-Control', 'no-store'); // the links are secrets shown once
    if (format === 'csv') res.type('text/csv; charset=utf-8').attachment('feedback-links.csv').send(feedbackCsv(links));
    else res.status(201).json({ links });
  });

  router.post('/contests/:contestId/photos', organizer, photoUpload(BULK_PHOTOS), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { replace } = query(req, BulkQuery);
    res.json(await photos.bulk(contestId, uploads(req), replace === 'true', actorOf(req)));
  });

  router.get('/contests/:contestId/entries/:entryId', organizer, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    res.json(await entries.get(contestId, entryId));
  });

  router.patch('/contests/:contestId/entries/:entryId', organizer, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    res.json(await entries.update(contestId, entryId, body(req, EntryUpdateSchema), actorOf(req)));
  });

  router.post('/contests/:contestId/entries/:entryId/withdraw', organizer, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    const { version, reason } = body(req, EntryWithdrawSchema);
    res.json(await entries.setStatus(contestId, entryId, 'withdrawn', version, reason, actorOf(req)));
  });

  router.post('/contests/:contestId/entries/:entryId/restore', organizer, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    const { version } = body(req, EntryRestoreSchema);
    res.json(await entries.setStatus(contestId, entryId, 'active', version, null, actorOf(req)));
  });

  router.post('/contests/:contestId/entries/:entryId/photos', organizer, photoUpload(MAX_PHOTOS_PER_ENTRY), async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    res.status(201).json(await photos.add(contestId, entryId, uploads(req), actorOf(req)));
  });

  router.delete('/contests/:contestId/entries/:entryId/photos/:photoId', organizer, async (req, res) => {
    const { contestId, entryId, photoId } = params(req, PhotoParams);
    res.json(await photos.remove(contestId, entryId, photoId, actorOf(req)));
  });

  router.get('/contests/:contestId/entries/:entryId/photos/:photoId', member, async (req, res) => {
    const { contestId, entryId, photoId } = params(req, PhotoParams);
    const { size } = query(req, PhotoSizeQuerySchema);
    await sendPhoto(req, res, await photos.openForMember(contestId, entryId, photoId, size, req.user!, req.contestRoles ?? []));
  });

  return router;
}

function feedbackCsv(links: FeedbackLink[]): string {
  return csvDocument(['code', 'teacherName', 'school', 'url'], links.map((l) => [l.code, l.teacherName, l.school, l.url]));
}
