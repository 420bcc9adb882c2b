import { Router } from 'express';
import { z } from 'zod';
import { IdSchema, ShowcaseQuerySchema, WinnersQuerySchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { sendPhoto } from '../entries/entries.routes.js';
import { params, query } from '../http/validate.js';
import { PublicService } from './public.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const PhotoParams = z.strictObject({ contestId: IdSchema, entryId: IdSchema, photoId: IdSchema });
const SizeQuery = z.strictObject({ size: z.enum(['thumb', 'large']).default('large') });

/** Open to everyone, signed in or not. */
export function publicRoutes(ctx: AppContext): Router {
  const router = Router();
  const pub = new PublicService(ctx);

  router.get('/public/contests', async (_req, res) => {
    res.json(await pub.list());
  });

  router.get('/public/contests/:contestId/winners', async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await pub.winners(contestId, query(req, WinnersQuerySchema)));
  });

  router.get('/public/contests/:contestId/showcase', async (req, res) => {
    const { contestId } = params(req, ContestParams);
    res.json(await pub.showcase(contestId, query(req, ShowcaseQuerySchema).tier));
  });

  router.get('/public/contests/:contestId/entries/:entryId/photos/:photoId', async (req, res) => {
    const { contestId, entryId, photoId } = params(req, PhotoParams);
    const { size } = query(req, SizeQuery);
    await sendPhoto(req, res, await pub.photo(contestId, entryId, photoId, size));
  });

  return router;
}
