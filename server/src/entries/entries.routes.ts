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

const uploads = (req: Request): Upload[] =>
  ((req.files as Express.Multer.File[] | undefined) ?? []).map((f) => ({
    name: uploadName(f),
    data: f.buffer,
  }));

/** Sends a stored photo; ids never change content, so browsers and tablets may keep it for good. */
export async function sendPhoto(
  req: Request,
  res: Response,
  photo: { etag: string; contentType: string; stream: () => NodeJS.ReadableStream },
) {
  res.set({
    ETag: photo.etag,
    'Cache-Control': 'private, max-age=31536000, immutable',
    'Content-Type': photo.contentType,
  });
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
  // School organizers reach these routes too, limited to their own school's entries (req.schoolScope).
  const orSchool = requireContestRole(ctx, 'organizer', 'schoolOrganizer');
  const scope = (req: Request) => req.schoolScope ?? null;
  const member = requireContestRole(ctx, 'organizer', 'judge', 'schoolOrganizer');
  const photoUpload = (max: number) => photoFiles(ctx.config.maxUploadBytes, max);

  router.get('/contests/:contestId/entries', orSchool, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await entries.list(contestId, query(req, EntryListQuerySchema), scope(req)));
  });

  router.post('/contests/:contestId/entries', orSchool, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res
      .status(201)
      .json(await entries.create(contestId, body(req, EntryInputSchema), actorOf(req), scope(req)));
  });

  router.get('/contests/:contestId/entries/import-template', orSchool, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { format } = query(req, TemplateQuerySchema);
    const t = await entries.template(contestId, format);
    res.type(t.type).attachment(t.fileName).send(t.data);
  });

  router.post('/contests/:contestId/entries/import', orSchool, singleFile(), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { dryRun } = query(req, EntryImportQuerySchema);
    if (!req.file)
      throw badRequest('file: upload a CSV or XLSX file in the "file" field', [
        { path: 'file', message: 'required' },
      ]);
    const name = uploadName(req.file);
    const table = await readTable(req.file.buffer, name);
    const result = await entries.importTable(contestId, table, name, dryRun, actorOf(req), scope(req));
    res.status(dryRun ? 200 : 201).json(result);
  });

  router.post('/contests/:contestId/entries/feedback-links', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { format } = query(req, FormatQuery);
    const links = await entries.issueFeedbackLinks(
      contestId,
      body(req, FeedbackLinksRequestSchema).entryIds,
      actorOf(req),
    );
    res.set('Cache-Control', 'no-store'); // the links are secrets shown once
    if (format === 'csv')
      res.type('text/csv; charset=utf-8').attachment('feedback-links.csv').send(feedbackCsv(links));
    else res.status(201).json({ links });
  });

  router.post('/contests/:contestId/photos', organizer, photoUpload(BULK_PHOTOS), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { replace } = query(req, BulkQuery);
    res.json(await photos.bulk(contestId, uploads(req), replace === 'true', actorOf(req)));
  });

  router.get('/contests/:contestId/entries/:entryId', orSchool, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    res.json(await entries.get(contestId, entryId, scope(req)));
  });

  router.patch('/contests/:contestId/entries/:entryId', orSchool, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    res.json(
      await entries.update(contestId, entryId, body(req, EntryUpdateSchema), actorOf(req), scope(req)),
    );
  });

  router.post('/contests/:contestId/entries/:entryId/withdraw', orSchool, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    const { version, reason } = body(req, EntryWithdrawSchema);
    res.json(
      await entries.setStatus(contestId, entryId, 'withdrawn', version, reason, actorOf(req), scope(req)),
    );
  });

  router.post('/contests/:contestId/entries/:entryId/restore', orSchool, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    const { version } = body(req, EntryRestoreSchema);
    res.json(await entries.setStatus(contestId, entryId, 'active', version, null, actorOf(req), scope(req)));
  });

  router.post(
    '/contests/:contestId/entries/:entryId/photos',
    orSchool,
    photoUpload(MAX_PHOTOS_PER_ENTRY),
    async (req, res) => {
      const { contestId, entryId } = params(req, EntryParams);
      if (scope(req) !== null) await entries.entryDoc(contestId, entryId, scope(req));
      res.status(201).json(await photos.add(contestId, entryId, uploads(req), actorOf(req)));
    },
  );

  router.delete('/contests/:contestId/entries/:entryId/photos/:photoId', orSchool, async (req, res) => {
    const { contestId, entryId, photoId } = params(req, PhotoParams);
    if (scope(req) !== null) await entries.entryDoc(contestId, entryId, scope(req));
    res.json(await photos.remove(contestId, entryId, photoId, actorOf(req)));
  });

  router.get('/contests/:contestId/entries/:entryId/photos/:photoId', member, async (req, res) => {
    const { contestId, entryId, photoId } = params(req, PhotoParams);
    const { size } = query(req, PhotoSizeQuerySchema);
    let roles = req.contestRoles ?? [];
    // A school organizer sees their own school's photos as an organizer does, and no others.
    if (roles.includes('schoolOrganizer') && !roles.includes('organizer')) {
      await entries.entryDoc(contestId, entryId, scope(req));
      roles = [...roles, 'organizer'];
    }
    await sendPhoto(
      req,
      res,
      await photos.openForMember(contestId, entryId, photoId, size, req.user!, roles),
    );
  });

  return router;
}

function feedbackCsv(links: FeedbackLink[]): string {
  return csvDocument(
    ['code', 'teacherName', 'school', 'url'],
    links.map((l) => [l.code, l.teacherName, l.school, l.url]),
  );
}
