import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import {
  IdSchema,
  IdempotencyKeySchema,
  ScoreListQuerySchema,
  ScoreReopenSchema,
  ScoreSaveSchema,
  ScoreSubmitSchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { HttpError, describe, zodFields } from '../http/errors.js';
import { body, params, query } from '../http/validate.js';
import { ScoresService, type WriteResult } from './scores.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const EntryParams = z.strictObject({ contestId: IdSchema, entryId: IdSchema });
const ScoreParams = z.strictObject({ contestId: IdSchema, scoreId: IdSchema });

// Judges' screens are blind and personal: nothing of them may be kept by a shared cache or browser.
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** The Idempotency-Key header and the body, checked together so one 400 names every bad field. */
function writeRequest<S extends z.ZodType>(req: Request, schema: S): { key: string; input: z.infer<S> } {
  const key = IdempotencyKeySchema.safeParse(req.get('idempotency-key'));
  const input = schema.safeParse(req.body ?? {});
  if (key.success && input.success) return { key: key.data, input: input.data };
  const fields = [
    ...(key.success ? [] : zodFields(key.error, 'headers.idempotency-key')),
    ...(input.success ? [] : zodFields(input.error, 'body')),
  ];
  throw new HttpError(400, 'bad_request', describe(fields), { fields });
}

const answer = (res: Response, r: WriteResult) => {
  if (r.replayed) res.set('Idempotency-Replayed', 'true');
  res.status(r.status).json(r.body);
};

export function scoresRoutes(ctx: AppContext): Router {
  const router = Router();
  const scores = new ScoresService(ctx);
  const judgeMember = requireContestRole(ctx, 'judge');
  const organizer = requireContestRole(ctx, 'organizer');
  const judgeOf = (req: Request, contestId: string) => scores.judgeFor(contestId, req.user!.id);

  router.get('/contests/:contestId/judging', judgeMember, noStore, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await scores.judgingList(contestId, await judgeOf(req, contestId)));
  });

  router.get('/contests/:contestId/judging/entries/:entryId', judgeMember, noStore, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    res.json(await scores.judgingEntry(contestId, await judgeOf(req, contestId), entryId));
  });

  router.put(
    '/contests/:contestId/judging/entries/:entryId/score',
    judgeMember,
    noStore,
    async (req, res) => {
      const { contestId, entryId } = params(req, EntryParams);
      const judge = await judgeOf(req, contestId);
      const { key, input } = writeRequest(req, ScoreSaveSchema);
      answer(res, await scores.save(contestId, judge, entryId, input, key, actorOf(req)));
    },
  );

  router.post(
    '/contests/:contestId/judging/entries/:entryId/submit',
    judgeMember,
    noStore,
    async (req, res) => {
      const { contestId, entryId } = params(req, EntryParams);
      const judge = await judgeOf(req, contestId);
      const { key, input } = writeRequest(req, ScoreSubmitSchema);
      answer(res, await scores.submit(contestId, judge, entryId, input, key, actorOf(req)));
    },
  );

  router.post('/contests/:contestId/scores/:scoreId/reopen', organizer, async (req, res) => {
    const { contestId, scoreId } = params(req, ScoreParams);
    res.json(await scores.reopen(contestId, scoreId, body(req, ScoreReopenSchema), actorOf(req)));
  });

  router.get('/contests/:contestId/scores', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await scores.list(contestId, query(req, ScoreListQuerySchema)));
  });

  return router;
}
