import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  ConflictsUpdateSchema,
  IdSchema,
  JudgeInputSchema,
  JudgeUpdateSchema,
  SignInCodesQuerySchema,
  SignInCodesRequestSchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { badRequest } from '../http/errors.js';
import { singleFile, uploadName } from '../http/uploads.js';
import { body, params, query } from '../http/validate.js';
import { readTable } from '../imports/table.js';
import { JudgesService, signInSheetCsv } from './judges.service.js';
import { panelsRoutes } from './panels.routes.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const JudgeParams = z.strictObject({ contestId: IdSchema, judgeId: IdSchema });

// Codes are secrets shown once: no caching anywhere on the way.
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

export function judgesRoutes(ctx: AppContext): Router {
  const router = Router();
  const judges = new JudgesService(ctx);
  const organizer = requireContestRole(ctx, 'organizer');

  router.get('/contests/:contestId/judges', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await judges.list(contestId));
  });

  router.post('/contests/:contestId/judges', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.status(201).json(await judges.create(contestId, body(req, JudgeInputSchema), actorOf(req)));
  });

  router.post('/contests/:contestId/judges/import', organizer, singleFile(), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    if (!req.file) throw badRequest('file: upload a CSV or XLSX file in the "file" field', [{ path: 'file', message: 'required' }]);
    const table = await readTable(req.file.buffer, uploadName(req.file));
    const imported = await judges.importTable(contestId, table, uploadName(req.file), actorOf(req));
    res.status(201).json({ imported: imported.length, judges: imported });
  });

  router.post('/contests/:contestId/judges/sign-in-codes', organizer, noStore, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { format } = query(req, SignInCodesQuerySchema);
    const { judgeIds } = body(req, SignInCodesRequestSchema);
    const rows = await judges.issueCodes(contestId, judgeIds, actorOf(req));
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('sign-in-codes.csv').send(signInSheetCsv(rows));
      return;
    }
    res.json({ codes: rows });
  });

  router.get('/contests/:contestId/judges/:judgeId', organizer, async (req, res) => {
    const { contestId, judgeId } = params(req, JudgeParams);
    res.json(await judges.get(contestId, judgeId));
  });

  router.patch('/contests/:contestId/judges/:judgeId', organizer, async (req, res) => {
    const { contestId, judgeId } = params(req, JudgeParams);
    res.json(await judges.update(contestId, judgeId, body(req, JudgeUpdateSchema), actorOf(req)));
  });

  router.delete('/contests/:contestId/judges/:judgeId', organizer, async (req, res) => {
    const { contestId, judgeId } = params(req, JudgeParams);
    res.json(await judges.deactivate(contestId, judgeId, actorOf(req)));
  });

  router.put('/contests/:contestId/judges/:judgeId/conflicts', organizer, async (req, res) => {
    const { contestId, judgeId } = params(req, JudgeParams);
    res.json(await judges.setConflicts(contestId, judgeId, body(req, ConflictsUpdateSchema), actorOf(req)));
  });

  router.get('/contests/:contestId/judges/:judgeId/conflicting-entries', organizer, async (req, res) => {
    const { contestId, judgeId } = params(req, JudgeParams);
    res.json(await judges.conflictingEntries(contestId, judgeId));
  });

  router.post('/contests/:contestId/judges/:judgeId/sign-in-code', organizer, noStore, async (req, res) => {
    const { contestId, judgeId } = params(req, JudgeParams);
    body(req, z.strictObject({}));
    res.status(201).json(await judges.issueCode(contestId, judgeId, actorOf(req)));
  });

  router.use(panelsRoutes(ctx));
  return router;
}
