import { Router } from 'express';
import { z } from 'zod';
import { AdvancementQuerySchema, AdvancementRequestSchema, IdSchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { body, params, query } from '../http/validate.js';
import { AdvancementService } from './advancement.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });

export function advancementRoutes(ctx: AppContext): Router {
  const router = Router();
  const advancement = new AdvancementService(ctx);

  /** `?dryRun=true` previews who goes on to the next round; without it the organizer confirms. */
  router.post('/contests/:contestId/advancement', requireContestRole(ctx, 'organizer'), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { dryRun, lang } = query(req, AdvancementQuerySchema);
    const input = body(req, AdvancementRequestSchema);
    res
      .status(dryRun ? 200 : 201)
      .json(await advancement.advance(contestId, input, { dryRun, lang, actor: actorOf(req) }));
  });

  /** What was confirmed, round by round: the rules, the counts and the entries that went on. */
  router.get('/contests/:contestId/advancements', requireContestRole(ctx, 'organizer'), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json({ advancements: await advancement.history(contestId) });
  });

  return router;
}
