import { Router } from 'express';
import { z } from 'zod';
import {
  AdvancementExportQuerySchema,
  AdvancementQuerySchema,
  AdvancementRequestSchema,
  IdSchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { actorOf, requireContestRole } from '../http/auth.js';
import { body, params, query } from '../http/validate.js';
import { sendTable } from '../http/tables.js';
import { AdvancementService } from './advancement.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });
const RecordParams = z.strictObject({ contestId: IdSchema, advancementId: IdSchema });

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

  /** The list of entries that went on (编号, 作品, 教师, 学校, 组别), to post or pass on. */
  router.get(
    '/contests/:contestId/advancements/:advancementId/export',
    requireContestRole(ctx, 'organizer'),
    async (req, res) => {
      const { contestId, advancementId } = params(req, RecordParams);
      const { format } = query(req, AdvancementExportQuerySchema);
      const [record, contest] = await Promise.all([
        advancement.record(contestId, advancementId),
        ctx.models.Contest.findById(contestId, { categories: 1 }).lean(),
      ]);
      const categoryName = new Map((contest?.categories ?? []).map((c) => [c.id, c.name?.zh ?? c.id]));
      await sendTable(
        res,
        format,
        `advancement-${record.fromRound}-${record.toRound}`,
        '晋级名单',
        ['作品编号', '作品名称', '教师姓名', '学校', '组别'],
        record.advancing.map((e) => [
          e.code,
          e.title,
          e.teacherName,
          e.school,
          e.category ? (categoryName.get(e.category) ?? e.category) : '',
        ]),
      );
    },
  );

  return router;
}
