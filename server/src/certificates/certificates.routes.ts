import { Router } from 'express';
import { z } from 'zod';
import { CodeSchema, IdSchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { requireContestRole } from '../http/auth.js';
import { params, query } from '../http/validate.js';
import { CertificatesService } from './certificates.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const EntryParams = z.strictObject({ contestId: IdSchema, entryId: IdSchema });
const Lang = z.enum(['zh', 'en']).default('zh');
const TierQuery = z.strictObject({ tier: CodeSchema, lang: Lang });
const EntryQuery = z.strictObject({ lang: Lang });

/** Award certificates as PDF, from the published results only; for the contest's organizers. */
export function certificatesRoutes(ctx: AppContext): Router {
  const router = Router();
  const certificates = new CertificatesService(ctx);
  const organizer = requireContestRole(ctx, 'organizer');

  /** Every winner of one tier, one page each, in rank order. */
  router.get('/contests/:contestId/certificates', organizer, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { tier, lang } = query(req, TierQuery);
    await certificates.send(await certificates.prepare(contestId, { tier }, lang), res);
  });

  router.get('/contests/:contestId/certificates/:entryId', organizer, async (req, res) => {
    const { contestId, entryId } = params(req, EntryParams);
    const { lang } = query(req, EntryQuery);
    await certificates.send(await certificates.prepare(contestId, { entryId }, lang), res);
  });

  return router;
}
