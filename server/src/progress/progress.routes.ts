import { Router } from 'express';
import { z } from 'zod';
import { CodeSchema, IdSchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { requireContestRole } from '../http/auth.js';
import { params, query } from '../http/validate.js';
import { ProgressService } from './progress.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const ProgressQuery = z.strictObject({ round: CodeSchema.optional() });

export function progressRoutes(ctx: AppContext): Router {
  const router = Router();
  const progress = new ProgressService(ctx);

  router.get('/contests/:contestId/progress', requireContestRole(ctx, 'organizer'), async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.set('Cache-Control', 'no-store');
    res.json(await progress.progress(contestId, query(req, ProgressQuery).round));
  });

  return router;
}
