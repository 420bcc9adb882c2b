import mongoose from 'mongoose';
import {
  measurementPoints,
  type ContestSettings,
  type Scoreboard,
  type ScoreboardEntry,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { currentRoundId } from '../contests/rounds.js';
import type { EntryDoc } from '../entries/entries.model.js';
import { HttpError, notFound } from '../http/errors.js';
import { ScoreTable, runEngine } from '../results/engine-runner.js';
import { MeasurementsService, isMeasured } from './measurements.service.js';

type Localized = { zh: string; en?: string | null };
const localized = (n: Localized | null | undefined, fallback: string) =>
  n?.en == null ? { zh: n?.zh ?? fallback } : { zh: n.zh, en: n.en };

/**
 * The venue screen: entries by station (the contest's categories) with their provisional totals as
 * measurements count, judges' marks only once the organizer releases them. Live, never stored.
 */
export class ScoreboardService {
  private readonly measurements: MeasurementsService;
  constructor(private readonly ctx: AppContext) {
    this.measurements = new MeasurementsService(ctx);
  }

  async scoreboard(contestId: string): Promise<Scoreboard> {
    // An unknown contest and a contest without the screen look the same: nothing to probe.
    const contest = await this.ctx.models.Contest.findById(contestId).lean<ContestDoc>();
    const settings = contest?.settings as ContestSettings | undefined;
    if (!contest || !settings?.scoreboard?.enabled) throw notFound('Scoreboard');
    const released = settings.scoreboard.judgementReleased;
    const roundId = currentRoundId(contest);
    const criteria = await this.measurements.criteria(contestId, roundId);
    const measured = criteria.filter(isMeasured);
    const judged = criteria.filter((c) => !isMeasured(c));
    const published = contest.status === 'published';

    const entries = await this.ctx.models.Entry.find(
      { contestId, roundIds: roundId, status: 'active' },
      { code: 1, category: 1, ...(published ? { teacherName: 1 } : {}) },
    )
      .sort({ code: 1 })
      .lean<Pick<EntryDoc, '_id' | 'code' | 'category' | 'teacherName'>[]>();

    const values = new Map<string, number>();
    if (measured.length) {
      const docs = await this.ctx.models.Measurement.find(
        { contestId, roundId, value: mongoose.trusted({ $ne: null }) },
        { entryId: 1, criterionId: 1, value: 1 },
      ).lean();
      for (const d of docs) values.set(`${String(d.entryId)}/${d.criterionId}`, d.value as number);
    }
    const judgedTotals =
      released && judged.length ? await this.judgedTotals(contest, roundId, judged, entries) : null;

    // The same weighting as the engine: each part by its criteria's weight sum.
    const wm = measured.reduce((s, c) => s + c.weight, 0);
    const wj = judged.reduce((s, c) => s + c.weight, 0);
    const rows = entries.map((e) => {
      const id = String(e._id);
      const points: Record<string, number | null> = {};
      let counted = 0;
      let sum = 0;
      for (const c of measured) {
        const v = values.get(`${id}/${c.id}`);
        const p = v === undefined ? null : measurementPoints(c, v);
        points[c.id] = p;
        if (p !== null) {
          counted++;
          sum += (c.weight * p) / c.maxScore;
        }
      }
      const measuredPart = wm > 0 ? Math.min(100, Math.max(0, (100 * sum) / wm)) : 0;
      const row: ScoreboardEntry = {
        code: e.code,
        ...(published ? { teacherName: e.teacherName } : {}),
        points,
        counted,
        measured: measuredPart,
        total: measuredPart,
      };
      if (judgedTotals) {
        const j = judgedTotals.get(id) ?? null;
        row.judged = j;
        row.total = j === null ? null : wm > 0 ? (wj * j + wm * measuredPart) / (wj + wm) : j;
      }
      return { row, category: e.category ?? null };
    });

    const stations: Scoreboard['stations'] = [];
    const named = new Map(contest.categories.map((c) => [c.id, localized(c.name, c.id)]));
    const ids = [...contest.categories.map((c) => c.id), null];
    for (const id of ids) {
      const list = rows.filter((r) =>
        id === null ? r.category === null || !named.has(r.category) : r.category === id,
      );
      if (!list.length) continue;
      list.sort(
        (a, b) =>
          (b.row.total ?? -Infinity) - (a.row.total ?? -Infinity) || a.row.code.localeCompare(b.row.code),
      );
      stations.push({ id, name: id === null ? null : named.get(id)!, entries: list.map((r) => r.row) });
    }

    const shown = released ? criteria : measured;
    return {
      contest: { id: contestId, name: contest.name, status: contest.status },
      roundId,
      judgementReleased: released,
      criteria: shown.map((c) => ({
        id: c.id,
        name: c.name,
        kind: isMeasured(c) ? 'measurement' : 'judgement',
        weight: c.weight,
        maxScore: c.maxScore,
      })),
      stations,
      updatedAt: this.ctx.now().toISOString(),
    };
  }

  /** Per entry the judges' aggregated total (0-100) from submitted scores, as the engine makes it; null below minJudges. */
  private async judgedTotals(
    contest: ContestDoc,
    roundId: string,
    judged: { id: string; weight: number; maxScore: number }[],
    entries: { _id: unknown; category?: string | null }[],
  ): Promise<Map<string, number | null>> {
    const table = new ScoreTable(judged.map(({ id, weight, maxScore }) => ({ id, weight, maxScore })));
    for (const e of entries) table.addEntry(String(e._id), e.category ?? null);
    const cursor = this.ctx.models.Score.find(
      { contestId: contest._id, roundId, status: 'submitted' },
      { entryId: 1, judgeId: 1, values: 1 },
    )
      .lean()
      .cursor();
    for await (const s of cursor)
      table.addScore(String(s.entryId), String(s.judgeId), (s.values ?? {}) as Record<string, unknown>);
    const settings = contest.settings as ContestSettings;
    try {
      const output = await runEngine(table, {
        aggregation: settings.aggregation,
        disagreementThreshold: settings.disagreementThreshold,
      });
      return new Map(output.entries.map((e) => [e.entryId, e.score]));
    } catch (err) {
      if ((err as Error).name === 'ScoringInputError')
        throw new HttpError(
          409,
          'results_not_computable',
          `The scoreboard cannot be computed: ${(err as Error).message}`,
        );
      throw err;
    }
  }
}
