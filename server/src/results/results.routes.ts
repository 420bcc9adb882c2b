import { Router } from 'express';
import { z } from 'zod';
import {
  IdSchema,
  ResultsExportQuerySchema,
  ResultsQuerySchema,
  type ContestSettings,
  type EntryResult,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { requireContestRole } from '../http/auth.js';
import { sendTable } from '../http/tables.js';
import { params, query } from '../http/validate.js';
import { requestedRoundId } from '../contests/rounds.js';
import { ResultsService, type Computed, type EntryInfo, type ResultsSummary } from './results.service.js';

const ContestParams = z.strictObject({ contestId: IdSchema });

type Row = Omit<EntryResult, 'judgeTotals'> & EntryInfo & { judgeTotals?: EntryResult['judgeTotals'] };

/**
 * What a school organizer's summary says: counts and prize counts of their school's entries (the prize
 * cut-offs stay the contest's), no judges and no panel statistics.
 */
function schoolSummary(full: ResultsSummary, computed: Computed, school: string): ResultsSummary {
  const own = computed.output.entries.filter((e) => computed.entries.get(e.entryId)?.school === school);
  const ranked = own.filter((e) => e.rank !== null).length;
  return {
    ...full,
    counts: {
      entries: own.length,
      ranked,
      incomplete: own.length - ranked,
      scores: own.reduce((n, e) => n + e.judgeCount, 0),
    },
    tiers: full.tiers.map((t) => ({ ...t, count: own.filter((e) => e.tierId === t.id).length, quota: null })),
    judges: [],
    reliability: [],
  };
}

export function resultsRoutes(ctx: AppContext): Router {
  const router = Router();
  const results = new ResultsService(ctx);
  // A school organizer reaches both routes, limited to their own school's entries (req.schoolScope).
  const orSchool = requireContestRole(ctx, 'organizer', 'schoolOrganizer');

  /**
   * Live results from the submitted scores, whatever the status: organizers follow them while judging. A school
   * organizer sees the ranking of their own school's entries only, without judges' names or statistics.
   */
  router.get(
    '/contests/:contestId/results',
    orSchool,
    async (req, res) => {
      const { contestId } = params(req, ContestParams);
      const q = query(req, ResultsQuerySchema);
      const contest = await results.contest(contestId);
      const computed = await results.compute(contest, requestedRoundId(contest, q.round));
      const school = req.schoolScope ?? null;
      const full = await results.summarize(computed);
      const summary = school === null ? full : schoolSummary(full, computed, school);
      const names = new Map(full.judges.map((j) => [j.judgeId, j.name]));
      const matching = computed.output.entries.filter(
        (e) =>
          (school === null || computed.entries.get(e.entryId)?.school === school) &&
          (!q.tier || e.tierId === q.tier) &&
          (q.untiered !== 'true' || e.tierId === null) &&
          (!q.flag || e.flags.includes(q.flag)) &&
          (!q.category || e.category === q.category),
      );
      const page = matching.slice(q.offset, q.offset + q.limit).map((e) => ({
        ...e,
        ...computed.entries.get(e.entryId)!,
        judgeTotals:
          school === null
            ? e.judgeTotals.map((t) => ({ ...t, judgeName: names.get(t.judgeId) ?? '' }))
            : e.judgeTotals.map((t) => ({ ...t, judgeId: '', judgeName: '' })),
      }));
      res.json({ summary, status: contest.status, total: matching.length, offset: q.offset, entries: page });
    },
  );

  /** The ranking as CSV or XLSX; a school organizer's holds their school's entries only. */
  router.get('/contests/:contestId/results/export', orSchool, async (req, res) => {
    const { contestId } = params(req, ContestParams);
    const { format } = query(req, ResultsExportQuerySchema);
    const contest = await results.contest(contestId);
    const snapshot = await results.published(contest);
    let rows: Row[];
    let criteria: Computed['criteria'];
    if (snapshot) {
      // After publication the export is the published record, not a recomputation.
      criteria = snapshot.criteria as Computed['criteria'];
      rows = (
        await ctx.models.ResultRow.find({ snapshotId: snapshot._id }).sort({ rank: 1, code: 1 }).lean()
      ).map((r) => ({
        entryId: String(r.entryId),
        code: r.code,
        title: r.title,
        teacherName: r.teacherName,
        school: r.school,
        category: r.category ?? null,
        subject: r.subject ?? null,
        photos: [],
        judgeCount: r.judgeCount,
        score: r.score ?? null,
        rank: r.rank ?? null,
        tierId: r.tierId ?? null,
        tierConfidence: r.tierConfidence ?? null,
        criteria: r.criteria as Record<string, number | null>,
        flags: r.flags as EntryResult['flags'],
      }));
      // Ranked first, then incomplete entries, as in the live table.
      rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.code.localeCompare(b.code));
    } else {
      const computed = await results.compute(contest);
      criteria = computed.criteria;
      rows = computed.output.entries.map((e) => ({ ...e, ...computed.entries.get(e.entryId)! }));
    }
    const settings = contest.settings as ContestSettings;
    const tierName = new Map(settings.tiers.map((t) => [t.id, t.name.zh]));
    const nameOf = (list: { id: string; name: { zh: string } }[], id: string | null) =>
      id ? (list.find((x) => x.id === id)?.name.zh ?? id) : '';
    const headers = [
      '排名',
      '作品编号',
      '作品名称',
      '教师姓名',
      '学校',
      '组别',
      '学科',
      '得分',
      '奖项',
      '评委人数',
      '奖项把握度',
      '标记',
      ...criteria.map((c) => c.name.zh),
    ];
    const FLAG_NAMES: Record<string, string> = {
      incomplete: '评分不足',
      disagreement: '评委分歧',
      boundary: '临界',
    };
    const school = req.schoolScope ?? null;
    if (school !== null) rows = rows.filter((r) => r.school === school);
    const table = rows.map((r) => [
      r.rank,
      r.code,
      r.title,
      r.teacherName,
      r.school,
      nameOf(contest.categories as never, r.category),
      nameOf(contest.subjects as never, r.subject),
      r.score === null ? null : Math.round(r.score * 100) / 100,
      r.tierId ? (tierName.get(r.tierId) ?? r.tierId) : '',
      r.judgeCount,
      r.tierConfidence === null ? null : Math.round(r.tierConfidence * 1000) / 1000,
      r.flags.map((f) => FLAG_NAMES[f] ?? f).join('、'),
      ...criteria.map((c) => {
        const v = r.criteria[c.id];
        return v === null || v === undefined ? null : Math.round(v * 100) / 100;
      }),
    ]);
    const base = `results-${snapshot ? 'published' : 'live'}${school === null ? '' : '-school'}`;
    await sendTable(res, format, base, '评审结果', headers, table);
  });

  return router;
}
