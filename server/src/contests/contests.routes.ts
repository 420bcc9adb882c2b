import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import {
  CodeSchema,
  ContestCreateSchema,
  ContestStatusChangeSchema,
  ContestUpdateSchema,
  IdSchema,
  MemberAddSchema,
  MemberSignInCodeRequestSchema,
  RubricInputSchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireAdmin, requireAuth, requireContestRole } from '../http/auth.js';
import { body, params } from '../http/validate.js';
import { ContestsService } from './contests.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const RoundParams = z.strictObject({ contestId: IdSchema, roundId: CodeSchema });
const MemberParams = z.strictObject({ contestId: IdSchema, membershipId: IdSchema });

// Sign-in codes are secrets: no cache may keep them.
const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};

export function contestsRoutes(ctx: AppContext): Router {
  const router = Router();
  const contests = new ContestsService(ctx);
  const organizer = requireContestRole(ctx, 'organizer');
  const anyMember = requireContestRole(ctx, 'organizer', 'judge', 'teacher', 'recorder', 'schoolOrganizer');

  router.post('/contests', requireAdmin, async (req, res) => {
    res.status(201).json(await contests.create(actorOf(req), body(req, ContestCreateSchema)));
  });

  router.get('/contests', requireAuth, async (req, res) => {
    res.json({ contests: await contests.list(req.user!) });
  });

  router.get('/contests/:contestId', anyMember, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await contests.get(contestId, req.contestRoles ?? [], req.schoolScope ?? null));
  });

  router.patch('/contests/:contestId', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await contests.update(actorOf(req), contestId, body(req, ContestUpdateSchema)));
  });

  router.post('/contests/:contestId/status', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { status, version } = body(req, ContestStatusChangeSchema);
    res.json(await contests.changeStatus(actorOf(req), contestId, status, version));
  });

  router.get('/contests/:contestId/rounds/:roundId/rubric', requireContestRole(ctx, 'organizer', 'judge'), async (req, res) => {
    const { contestId, roundId } = params(req, RoundParams);
    res.json(await contests.getRubric(contestId, roundId));
  });

  router.put('/contests/:contestId/rounds/:roundId/rubric', organizer, async (req, res) => {
    const { contestId, roundId } = params(req, RoundParams);
    const { created, rubric } = await contests.putRubric(actorOf(req), contestId, roundId, body(req, RubricInputSchema));
    res.status(created ? 201 : 200).json(rubric);
  });

  router.get('/contests/:contestId/members', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await contests.listMembers(contestId));
  });

  router.post('/contests/:contestId/members', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.status(201).json(await contests.addMember(actorOf(req), contestId, body(req, MemberAddSchema)));
  });

  router.post('/contests/:contestId/members/:membershipId/sign-in-code', organizer, noStore, async (req, res) => {
    const { contestId, membershipId } = params(req, MemberParams);
    body(req, MemberSignInCodeRequestSchema);
    res.status(201).json(await contests.issueMemberCode(actorOf(req), contestId, membershipId));
  });

  router.delete('/contests/:contestId/members/:membershipId', organizer, async (req, res) => {
    const { contestId, membershipId } = params(req, MemberParams);
    await contests.removeMember(actorOf(req), contestId, membershipId);
    res.status(204).end();
  });

  return router;
}
