import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  CodeSchema,
  IdSchema,
  IdempotencyKeySchema,
  MeasurementListQuerySchema,
  MeasurementRecordSchema,
  MeasurementResolveSchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { HttpError, describe, zodFields } from '../http/errors.js';
import { body, params, query } from '../http/validate.js';
import { MeasurementsService } from './measurements.service.js';
import { ScoreboardService } from './scoreboard.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const CellParams = z.strictObject({ contestId: IdSchema, entryId: IdSchema, criterionId: CodeSchema });

const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

/** The optional Idempotency-Key and the body, checked together so one 400 names every bad field. */
function recordRequest(req: Parameters<RequestHandler>[0]) {
  const header = req.get('idempotency-key');
  const key = header === undefined ? null : IdempotencyKeySchema.safeParse(header);
  const input = MeasurementRecordSchema.safeParse(req.body ?? {});
  if ((key === null || key.success) && input.success) return { key: key?.data ?? null, input: input.data };
  const fields = [
    ...(key === null || key.success ? [] : zodFields(key.error, 'headers.idempotency-key')),
    ...(input.success ? [] : zodFields(input.error, 'body')),
  ];
  throw new HttpError(400, 'bad_request', describe(fields), { fields });
}

export function measurementsRoutes(ctx: AppContext): Router {
  const router = Router();
  const measurements = new MeasurementsService(ctx);
  const scoreboard = new ScoreboardService(ctx);
  const recorder = requireContestRole(ctx, 'recorder');
  const organizer = requireContestRole(ctx, 'organizer');
  const recorderOf = (req: Parameters<RequestHandler>[0]) => ({
    id: req.user!.id,
    username: req.user!.username,
  });

  router.get('/contests/:contestId/recording', recorder, noStore, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await measurements.recording(contestId, recorderOf(req)));
  });

  router.put(
    '/contests/:contestId/measurements/:entryId/:criterionId',
    recorder,
    noStore,
    async (req, res) => {
      const { contestId, entryId, criterionId } = params(req, CellParams);
      const { key, input } = recordRequest(req);
      const r = await measurements.record(
        contestId,
        entryId,
        criterionId,
        input,
        key,
        recorderOf(req),
        actorOf(req),
      );
      if (r.replayed) res.set('Idempotency-Replayed', 'true');
      res.json(r.body);
    },
  );

  router.get('/contests/:contestId/measurements', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await measurements.list(contestId, query(req, MeasurementListQuerySchema)));
  });

  router.post(
    '/contests/:contestId/measurements/:entryId/:criterionId/resolve',
    organizer,
    async (req, res) => {
      const { contestId, entryId, criterionId } = params(req, CellParams);
      res.json(
        await measurements.resolve(
          contestId,
          entryId,
          criterionId,
          body(req, MeasurementResolveSchema),
          actorOf(req),
        ),
      );
    },
  );

  // The venue screen: open to everyone while the organizer has it on, 404 otherwise.
  router.get('/public/contests/:contestId/scoreboard', noStore, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await scoreboard.scoreboard(contestId));
  });

  return router;
}
