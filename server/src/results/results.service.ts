import mongoose, { Types } from 'mongoose';
import {
  distribution,
  ENGINE_VERSION,
  type ContestSettings,
  type Distribution,
  type MeasurementRule,
  type ResultsOutput,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { currentRoundId } from '../contests/rounds.js';
import { HttpError, conflict, notFound } from '../http/errors.js';
import type { EntryDoc } from '../entries/entries.model.js';
import { ScoreTable, runEngine } from './engine-runner.js';
import type { ResultRowDoc } from './results.model.js';

type Localized = { zh: string; en?: string | null };
/** `kind` and `rule` only on measurement criteria (their points come from recorded values, not judges). */
export type CriterionInfo = {
  id: string;
  name: Localized;
  weight: number;
  maxScore: number;
  kind?: 'measurement';
  rule?: MeasurementRule;
};
export type EntryInfo = {
  code: string;
  title: string;
  teacherName: string;
  school: string;
  category: string | null;
  subject: string | null;
  photos: { id: string; width: number; height: number }[];
};

export type Computed = {
  contest: ContestDoc;
  roundId: string;
  criteria: CriterionInfo[];
  output: ResultsOutput;
  entries: Map<string, EntryInfo>;
  /** Comments of submitted scores per entry, in judge-id order (judges are not named). */
  comments: Map<string, string[]>;
  scoreCount: number;
  computedAt: Date;
};

export type ResultsSummary = {
  roundId: string;
  engineVersion: string;
  computedAt: string;
  counts: { entries: number; ranked: number; incomplete: number; scores: number };
  criteria: CriterionInfo[];
  tiers: { id: string; name: Localized; count: number; quota: number | null; cutoffScore: number | null }[];
  judges: (ResultsOutput['judges'][number] & { name: string })[];
  reliability: { judges: { id: string; name: string }[]; entryCount: number; icc: number | null }[];
  /** The cohort each teacher is compared with: ranked entries' scores and criterion means. */
  distributions: { score: Distribution; criteria: Record<string, Distribution> };
};

const INSERT_CHUNK = 1000;

/** The bootstrap's seed comes from the contest, so the same scores always give the same confidence. */
const bootstrapSeed = (contestId: string) => Number.parseInt(contestId.slice(-8), 16) >>> 0;

export class ResultsService {
  constructor(private readonly ctx: AppContext) {}

  async contest(contestId: string): Promise<ContestDoc> {
    const contest = await this.ctx.models.Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    return contest;
  }

  /**
   * Runs the engine on the submitted scores and the counted measurements of the round's active entries.
   * Entries and scores are read with cursors into compact arrays (never a whole collection of documents at once).
   */
  async compute(contest: ContestDoc, roundId = currentRoundId(contest)): Promise<Computed> {
    const { Rubric, Entry, Score, Measurement } = this.ctx.models;
    const contestId = contest._id;
    const rubric = await Rubric.findOne({ contestId, roundId }).lean();
    if (!rubric || !rubric.criteria.length) throw conflict(`Round "${roundId}" has no rubric yet; there are no results to compute`, { roundId });
    const criteria: CriterionInfo[] = rubric.criteria.map((c) => ({
      id: c.id,
      name: { zh: c.name?.zh ?? c.id, en: c.name?.en ?? null },
      weight: c.weight,
      maxScore: c.maxScore,
      ...(c.kind === 'measurement' ? { kind: 'measurement' as const, rule: c.rule as MeasurementRule } : {}),
    }));
    const table = new ScoreTable(criteria.map(({ id, weight, maxScore, kind, rule }) => ({ id, weight, maxScore, ...(kind ? { kind, rule } : {}) })));
    const entries = new Map<string, EntryInfo>();
    const entryCursor = Entry.find(
      { contestId, roundIds: roundId, status: 'active' },
      { code: 1, title: 1, teacherName: 1, school: 1, category: 1, subject: 1, photos: 1 },
    )
      .lean<EntryDoc[]>()
      .cursor();
    for await (const e of entryCursor) {
      const id = String(e._id);
      table.addEntry(id, e.category ?? null);
      entries.set(id, {
        code: e.code,
        title: e.title,
        teacherName: e.teacherName,
        school: e.school,
        category: e.category ?? null,
        subject: e.subject ?? null,
        photos: (e.photos ?? []).map((p) => ({ id: String(p._id), width: p.width, height: p.height })),
      });
    }
    const comments = new Map<string, { judgeId: string; text: string }[]>();
    const scoreCursor = Score.find({ contestId, roundId, status: 'submitted' }, { entryId: 1, judgeId: 1, values: 1, comment: 1 }).lean().cursor();
    for await (const s of scoreCursor) {
      const entryId = String(s.entryId);
      if (!table.addScore(entryId, String(s.judgeId), (s.values ?? {}) as Record<string, unknown>)) continue;
      const text = (s.comment ?? '').trim();
      if (text) comments.set(entryId, [...(comments.get(entryId) ?? []), { judgeId: String(s.judgeId), text }]);
    }
    // Only values that count: a pending or disputed double entry leaves the entry incomplete.
    if (table.measuring) {
      const measurementCursor = Measurement.find({ contestId, roundId, value: mongoose.trusted({ $ne: null }) }, { entryId: 1, criterionId: 1, value: 1 })
        .lean()
        .cursor();
      for await (const m of measurementCursor) table.addMeasurement(String(m.entryId), m.criterionId, m.value as number);
    }

    const settings = contest.settings as ContestSettings;
    let output: ResultsOutput;
    try {
      output = await runEngine(table, {
        aggregation: settings.aggregation,
        disagreementThreshold: settings.disagreementThreshold,
        tiers: settings.tiers.map(({ id, quota, share, minScore }) => ({ id, quota, share, minScore })),
        tiePolicy: settings.tiePolicy,
        quotaScope: settings.quotaScope,
        tieBreak: settings.tieBreak,
        ...(settings.bootstrapSamples > 0 ? { bootstrap: { samples: settings.bootstrapSamples, seed: bootstrapSeed(String(contestId)) } } : {}),
      });
    } catch (err) {
      // Stored scores that the engine refuses mean the settings and the data disagree: say what, never a 500.
      if ((err as Error).name === 'ScoringInputError')
        throw new HttpError(409, 'results_not_computable', `Results cannot be computed: ${(err as Error).message}`, {
          problems: (err as { problems?: unknown[] }).problems?.slice(0, 50),
        });
      throw err;
    }
    const ordered = new Map([...comments].map(([id, list]) => [id, list.sort((a, b) => a.judgeId.localeCompare(b.judgeId)).map((c) => c.text)]));
    return { contest, roundId, criteria, output, entries, comments: ordered, scoreCount: table.scoreCount, computedAt: this.ctx.now() };
  }

  /** Tier names, judge names and the cohort distributions around the engine's numbers. */
  async summarize(c: Computed): Promise<ResultsSummary> {
    const settings = c.contest.settings as ContestSettings;
    const judgeIds = c.output.judges.map((j) => j.judgeId);
    const judges = judgeIds.length
      ? await this.ctx.models.Judge.find({ _id: mongoose.trusted({ $in: judgeIds }) }, { name: 1 }).lean()
      : [];
    const names = new Map(judges.map((j) => [String(j._id), j.name]));
    const ranked = c.output.entries.filter((e) => e.rank !== null);
    const criteria: Record<string, Distribution> = {};
    for (const k of c.criteria) criteria[k.id] = distribution(ranked.map((e) => e.criteria[k.id]), k.maxScore);
    return {
      roundId: c.roundId,
      engineVersion: c.output.engineVersion,
      computedAt: c.computedAt.toISOString(),
      counts: { entries: c.output.entries.length, ranked: ranked.length, incomplete: c.output.entries.length - ranked.length, scores: c.scoreCount },
      criteria: c.criteria,
      tiers: c.output.tiers.map((t) => {
        const s = settings.tiers.find((x) => x.id === t.tierId);
        return { id: t.tierId, name: s?.name ?? { zh: t.tierId }, count: t.count, quota: t.quota, cutoffScore: t.cutoffScore };
      }),
      judges: c.output.judges.map((j) => ({ ...j, name: names.get(j.judgeId) ?? '' })),
      reliability: c.output.reliability.panels.map((p) => ({
        judges: p.judgeIds.map((id) => ({ id, name: names.get(id) ?? '' })),
        entryCount: p.entryCount,
        icc: p.icc,
      })),
      distributions: { score: distribution(ranked.map((e) => e.score), 100), criteria },
    };
  }

  /**
   * Stores the immutable results of the current round. Answers the contest fields to set together with
   * the status, and an undo for when that status change fails.
   */
  async snapshot(contest: ContestDoc, actor: AuditActor) {
    const { ResultSnapshot, ResultRow } = this.ctx.models;
    const computed = await this.compute(contest);
    const summary = await this.summarize(computed);
    const snapshotId = new Types.ObjectId();
    const undo = async () => {
      await ResultRow.deleteMany({ snapshotId });
      await ResultSnapshot.deleteOne({ _id: snapshotId });
    };
    try {
      // A snapshot left by an earlier failed publication of this round is replaced.
      const stale = await ResultSnapshot.find({ contestId: contest._id, roundId: computed.roundId }, { _id: 1 }).lean();
      if (stale.length && String(contest.publishedSnapshotId ?? '') !== String(stale[0]!._id)) {
        await ResultRow.deleteMany({ snapshotId: mongoose.trusted({ $in: stale.map((s) => s._id) }) });
        await ResultSnapshot.deleteMany({ _id: mongoose.trusted({ $in: stale.map((s) => s._id) }) });
      }
      await ResultSnapshot.create({
        _id: snapshotId,
        contestId: contest._id,
        roundId: computed.roundId,
        engineVersion: ENGINE_VERSION,
        settings: contest.settings,
        criteria: computed.criteria,
        summary,
        entryCount: computed.output.entries.length,
        createdBy: actor.userId,
      });
      let rows: Record<string, unknown>[] = [];
      for (const e of computed.output.entries) {
        const info = computed.entries.get(e.entryId)!;
        rows.push({
          snapshotId,
          contestId: contest._id,
          entryId: new Types.ObjectId(e.entryId),
          ...info,
          judgeCount: e.judgeCount,
          score: e.score,
          rank: e.rank,
          tierId: e.tierId,
          tierConfidence: e.tierConfidence,
          criteria: e.criteria,
          flags: e.flags,
          comments: computed.comments.get(e.entryId) ?? [],
        });
        if (rows.length === INSERT_CHUNK) {
          await ResultRow.insertMany(rows, { lean: true });
          rows = [];
        }
      }
      if (rows.length) await ResultRow.insertMany(rows, { lean: true });
    } catch (err) {
      await undo();
      throw err;
    }
    return {
      set: { publishedSnapshotId: snapshotId, publishedAt: this.ctx.now() },
      effects: { snapshotId: String(snapshotId), engineVersion: ENGINE_VERSION, entries: computed.output.entries.length, tiers: summary.tiers.map((t) => ({ id: t.id, count: t.count })) },
      undo,
    };
  }

  /** The published snapshot of a contest, or null while it is not published. */
  async published(contest: ContestDoc) {
    if (contest.status !== 'published' || !contest.publishedSnapshotId) return null;
    return this.ctx.models.ResultSnapshot.findById(contest.publishedSnapshotId).lean();
  }

  async publishedRow(snapshotId: Types.ObjectId, entryId: Types.ObjectId | string): Promise<ResultRowDoc | null> {
    return this.ctx.models.ResultRow.findOne({ snapshotId, entryId }).lean<ResultRowDoc>();
  }
}
