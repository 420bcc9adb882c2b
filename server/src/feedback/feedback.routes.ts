import { Router } from 'express';
import { z } from 'zod';
import { IdSchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { sendPhoto } from '../entries/entries.routes.js';
import { params, query } from '../http/validate.js';
import { FeedbackService } from './feedback.service.js';

/** Feedback tokens are 32 random bytes in base64url. */
const TokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a feedback link');
const TokenParams = z.strictObject({ token: TokenSchema });
const PhotoParams = z.strictObject({ token: TokenSchema, photoId: IdSchema });
const SizeQuery = z.strictObject({ size: z.enum(['thumb', 'large']).default('large') });

/** Open to anyone holding the link: the link is the teacher's key to their own entry. */
export function feedbackRoutes(ctx: AppContext): Router {
  const router = Router();
  const feedback = new FeedbackService(ctx);

  router.get('/feedback/:token', async (req, res) => {
    const { token } = params(req, TokenParams);
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.json(await feedback.view(token));
  });

  router.get('/feedback/:token/photos/:photoId', async (req, res) => {
    const { token, photoId } = params(req, PhotoParams);
    const { size } = query(req, SizeQuery);
    await sendPhoto(req, res, await feedback.photo(token, photoId, size));
  });

  return router;
}
