import { Router } from 'express';
import { z } from 'zod';
import { AssignJudgesSchema, IdSchema, PanelInputSchema, PanelUpdateSchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { body, params } from '../http/validate.js';
import { PanelsService } from './panels.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const PanelParams = z.strictObject({ contestId: IdSchema, panelId: IdSchema });

export function panelsRoutes(ctx: AppContext): Router {
  const router = Router();
  const panels = new PanelsService(ctx);
  const organizer = requireContestRole(ctx, 'organizer');

  router.get('/contests/:contestId/panels', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json({ panels: await panels.list(contestId) });
  });

  router.post('/contests/:contestId/panels', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.status(201).json(await panels.create(contestId, body(req, PanelInputSchema), actorOf(req)));
  });

  router.patch('/contests/:contestId/panels/:panelId', organizer, async (req, res) => {
    const { contestId, panelId } = params(req, PanelParams);
    res.json(await panels.update(contestId, panelId, body(req, PanelUpdateSchema), actorOf(req)));
  });

  router.delete('/contests/:contestId/panels/:panelId', organizer, async (req, res) => {
    const { contestId, panelId } = params(req, PanelParams);
    await panels.remove(contestId, panelId, actorOf(req));
    res.status(204).end();
  });

  router.post('/contests/:contestId/panels/:panelId/judges', organizer, async (req, res) => {
    const { contestId, panelId } = params(req, PanelParams);
    const { judgeIds } = body(req, AssignJudgesSchema);
    res.json(await panels.assign(contestId, panelId, judgeIds, actorOf(req)));
  });

  return router;
}
