import { Router } from 'express';
import { z } from 'zod';
import {
  AssignmentListQuerySchema,
  AssignmentRequestSchema,
  DryRunQuerySchema,
  ExtraJudgesRequestSchema,
  IdSchema,
  ReplaceJudgeRequestSchema,
  RoundQuerySchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { body, params, query } from '../http/validate.js';
import { AssignmentsService } from './assignments.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const JudgeParams = z.strictObject({ contestId: IdSchema, judgeId: IdSchema });

export function assignmentsRoutes(ctx: AppContext): Router {
  const router = Router();
  const assignments = new AssignmentsService(ctx);
  const organizer = requireContestRole(ctx, 'organizer');

  /** Plans the round's assignment; `?dryRun=true` answers the plan without writing it. */
  router.post('/contests/:contestId/assignments', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { dryRun } = query(req, DryRunQuerySchema);
    const input = body(req, AssignmentRequestSchema);
    res
      .status(dryRun ? 200 : 201)
      .json(await assignments.plan(contestId, input, { dryRun, actor: actorOf(req) }));
  });

  router.get('/contests/:contestId/assignments', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await assignments.list(contestId, query(req, AssignmentListQuerySchema)));
  });

  router.post('/contests/:contestId/assignments/extra', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { dryRun } = query(req, DryRunQuerySchema);
    const input = body(req, ExtraJudgesRequestSchema);
    res
      .status(dryRun ? 200 : 201)
      .json(await assignments.extra(contestId, input, { dryRun, actor: actorOf(req) }));
  });

  router.get('/contests/:contestId/assignments/calibration', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await assignments.calibration(contestId, query(req, RoundQuerySchema).round));
  });

  router.post('/contests/:contestId/assignments/calibration/release', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { round } = body(req, RoundQuerySchema);
    res.json(await assignments.releaseCalibration(contestId, round, actorOf(req)));
  });

  router.post('/contests/:contestId/judges/:judgeId/replace', organizer, async (req, res) => {
    const { contestId, judgeId } = params(req, JudgeParams);
    const { dryRun } = query(req, DryRunQuerySchema);
    const input = body(req, ReplaceJudgeRequestSchema);
    res.json(await assignments.replace(contestId, judgeId, input, { dryRun, actor: actorOf(req) }));
  });

  return router;
}
