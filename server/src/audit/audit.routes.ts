import { Router } from 'express';
import mongoose from 'mongoose';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { requireAdmin, requireContestRole } from '../http/auth.js';
import { query } from '../http/validate.js';

const AuditQuerySchema = z.strictObject({
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  action: z.string().max(64).regex(/^[a-z_.]+$/).optional(),
});

export function auditRoutes(ctx: AppContext): Router {
  const router = Router();

  /** Newest first; page with ?before=<seq>. Read-only: there is no route that edits the log. */
  router.get('/contests/:contestId/audit', requireContestRole(ctx, 'organizer'), async (req, res) => {
    const q = query(req, AuditQuerySchema);
    const filter: Record<string, unknown> = { contestId: req.params.contestId };
    if (q.before) filter.seq = mongoose.trusted({ $lt: q.before });
    if (q.action) filter.action = q.action;
    const events = await ctx.models.AuditEvent.find(filter).sort({ seq: -1 }).limit(q.limit).lean();
    res.json({
      events: events.map(({ _id, ...e }) => e),
      nextBefore: events.length === q.limit ? events[events.length - 1]!.seq : null,
    });
  });

  router.get('/admin/audit/verify', requireAdmin, async (_req, res) => {
    res.json(await ctx.audit.verify());
  });

  return router;
}
