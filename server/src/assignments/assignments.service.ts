import { randomInt } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import type {
  AssignmentRequestSchema,
  ExtraJudgesRequestSchema,
  ReplaceJudgeRequestSchema,
} from '@pingxuan/shared';
import {
  AssignmentInputError,
  conflictChecker,
  describeReason,
  judgeTotal,
  planAssignment,
  planExtraJudges,
  replaceJudge,
  type AssignmentListQuerySchema,
  type AssignmentOutcome,
  type AssignmentPlanOutcome,
  type AssignmentRow,
  type AssignmentScope,
  type CalibrationReport,
  type ExtraJudgesOutcome,
  type JudgeLoad,
  type PlannedAssignment,
  type AssignmentProblem,
} from '@pingxuan/shared';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { requestedRoundId } from '../contests/rounds.js';
import type { JudgeDoc, PanelDoc } from '../judges/judges.model.js';
import { conflict, notFound } from '../http/errors.js';
import { ResultsService } from '../results/results.service.js';
import type { AssignmentDoc } from '../scores/scores.model.js';

type Options = { dryRun: boolean; actor: AuditActor };
type EntryRow = { _id: Types.ObjectId; code: string; school?: string | null; category?: string | null };
type Existing = Pick<
  AssignmentDoc,
  '_id' | 'entryId' | 'judgeId' | 'order' | 'panelId' | 'calibration' | 'reason'
>;

/** What a round's assignment is planned from, read once per request. */
type Ground = {
  contest: ContestDoc;
  roundId: string;
  entries: EntryRow[];
  judges: JudgeDoc[];
  activeJudges: JudgeDoc[];
  panels: PanelDoc[];
  /** Current assignments of active entries in the round. */
  existing: Existing[];
  /** `${entryId}:${judgeId}` -> status of the judge's score. */
  scores: Map<string, 'draft' | 'submitted'>;
};

const MAX_PROBLEMS_SHOWN = 200;
const WRITE_CHUNK = 5000;
const pairKey = (entryId: unknown, judgeId: unknown) => `${String(entryId)}:${String(judgeId)}`;
const newSeed = () => randomInt(0, 0x1_0000_0000);

/** Planner judges: what conflicts of interest and panels need. */
const plannerJudge = (j: JudgeDoc) => ({
  id: String(j._id),
  school: j.school ?? null,
  panelId: j.panelId ? String(j.panelId) : null,
  conflictSchools: j.conflictSchools ?? [],
  conflictEntryCodes: j.conflictEntryCodes ?? [],
});
const plannerEntry = (e: EntryRow) => ({
  id: String(e._id),
  code: e.code,
  school: e.school ?? null,
  category: e.category ?? null,
});

/** Planner input errors come from stored data the organizer must fix (e.g. a conflict declared after scoring). */
function plannerConflict(err: unknown): never {
  if (err instanceof AssignmentInputError)
    throw conflict('The current assignments cannot be planned from as they are', {
      problems: err.problems.slice(0, MAX_PROBLEMS_SHOWN),
    });
  throw err;
}

/**
 * Who scores what: plans with the shared planner (deterministic for a seed, every choice explained), writes
 * only the difference from the current assignments, and never moves work a judge has already started.
 */
export class AssignmentsService {
  constructor(private readonly ctx: AppContext) {}

  /** `round` comes from the request body in every write here. */
  private async ground(contestId: string, round: string | undefined): Promise<Ground> {
    const { Contest, Entry, Judge, Panel, Assignment, Score } = this.ctx.models;
    const contest = await Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    const roundId = requestedRoundId(contest, round, 'body.round');
    const cid = contest._id;
    const [entries, judges, panels, assignments, scores] = await Promise.all([
      Entry.find({ contestId: cid, roundIds: roundId, status: 'active' }, { code: 1, school: 1, category: 1 })
        .sort({ code: 1 })
        .lean<EntryRow[]>(),
      Judge.find({ contestId: cid }).sort({ _id: 1 }).lean<JudgeDoc[]>(),
      Panel.find({ contestId: cid }).sort({ _id: 1 }).lean<PanelDoc[]>(),
      Assignment.find(
        { contestId: cid, roundId },
        { entryId: 1, judgeId: 1, order: 1, panelId: 1, calibration: 1, reason: 1 },
      ).lean<Existing[]>(),
      Score.find({ contestId: cid, roundId }, { entryId: 1, judgeId: 1, status: 1 }).lean(),
    ]);
    const active = new Set(entries.map((e) => String(e._id)));
    return {
      contest,
      roundId,
      entries,
      judges,
      activeJudges: judges.filter((j) => j.active !== false),
      panels,
      existing: assignments.filter((a) => active.has(String(a.entryId))),
      scores: new Map(scores.map((s) => [pairKey(s.entryId, s.judgeId), s.status as 'draft' | 'submitted'])),
    };
  }

  private requireStatus(contest: ContestDoc, allowed: readonly string[], what: string) {
    if (!allowed.includes(contest.status))
      throw conflict(
        `${what} is possible while the contest is ${allowed.join(' or ')}; it is ${contest.status}`,
        {
          code: 'contest_status',
          status: contest.status,
        },
      );
  }

  // ---- planning ----

  async plan(
    contestId: string,
    input: z.output<typeof AssignmentRequestSchema>,
    opts: Options,
  ): Promise<AssignmentPlanOutcome> {
    const g = await this.ground(contestId, input.round);
    this.requireStatus(g.contest, ['draft', 'judging'], 'Assigning judges');
    const judgesPerEntry = input.judgesPerEntry ?? g.contest.settings.judgesPerEntry ?? 5;
    const seed = input.seed ?? newSeed();
    const calibrationEntryIds = this.pickCalibration(g, input.scope, input.calibrationEntries);

    // Work a judge has started (a draft or a submitted score) stays with that judge; a judge who dropped out
    // keeps only finished scores, and gets nothing new.
    const judgeById = new Map(g.judges.map((j) => [String(j._id), j]));
    const entryById = new Map(g.entries.map((e) => [String(e._id), e]));
    const keep = g.existing
      .filter((a) => {
        const judge = judgeById.get(String(a.judgeId));
        const status = g.scores.get(pairKey(a.entryId, a.judgeId));
        if (!judge || !status || conflictChecker(judge)(entryById.get(String(a.entryId))!)) return false;
        return judge.active !== false || status === 'submitted';
      })
      .map((a) => ({ entryId: String(a.entryId), judgeId: String(a.judgeId), order: a.order }));
    const closedJudgeIds = [...new Set(keep.map((k) => k.judgeId))].filter(
      (id) => judgeById.get(id)?.active === false,
    );

    let plan;
    try {
      plan = planAssignment({
        scope: input.scope,
        judgesPerEntry,
        seed,
        entries: g.entries.map(plannerEntry),
        judges: g.activeJudges.map(plannerJudge),
        panels: g.panels.map((p) => ({ id: String(p._id), category: p.category ?? null })),
        calibrationEntryIds,
        keep,
        closedJudgeIds,
      });
    } catch (err) {
      plannerConflict(err);
    }

    const outcome = await this.write(g, plan.assignments, opts.dryRun, new Set(calibrationEntryIds));
    const result: AssignmentPlanOutcome = {
      ...outcome,
      seed,
      scope: input.scope,
      judgesPerEntry,
      calibrationEntryIds,
      loads: this.loads(g, plan.loads),
      spread: plan.spread,
      ...this.problems(g, plan.problems),
    };
    if (!opts.dryRun) {
      const { AssignmentRun } = this.ctx.models;
      const previous = await AssignmentRun.findOne({ contestId: g.contest._id, roundId: g.roundId }).lean();
      const sameCalibration =
        previous !== null &&
        previous.calibrationEntryIds.map(String).sort().join() === [...calibrationEntryIds].sort().join();
      await AssignmentRun.updateOne(
        { contestId: g.contest._id, roundId: g.roundId },
        {
          $set: {
            scope: input.scope,
            judgesPerEntry,
            seed,
            calibrationEntryIds: calibrationEntryIds.map((id) => new Types.ObjectId(id)),
            calibrationReleasedAt: sameCalibration ? (previous.calibrationReleasedAt ?? null) : null,
          },
        },
        { upsert: true },
      );
      await this.ctx.audit.append({
        actor: opts.actor,
        action: 'assignment.plan',
        contestId,
        target: { type: 'round', id: g.roundId },
        after: {
          scope: input.scope,
          judgesPerEntry,
          seed,
          calibrationEntries: calibrationEntryIds.length,
          counts: result.counts,
          problems: result.problemCount,
        },
      });
    }
    return result;
  }

  /**
   * The first works by code: in panel scope `perPanel` works for each panel of a category (so every panel
   * gets its own), in pool scope `perPanel` works in all.
   */
  private pickCalibration(g: Ground, scope: AssignmentScope, perPanel: number): string[] {
    if (perPanel <= 0) return [];
    if (scope === 'pool') return g.entries.slice(0, perPanel).map((e) => String(e._id));
    const panelsPerCategory = new Map<string | null, number>();
    for (const p of g.panels)
      panelsPerCategory.set(p.category ?? null, (panelsPerCategory.get(p.category ?? null) ?? 0) + 1);
    const picked: string[] = [];
    const taken = new Map<string | null, number>();
    for (const e of g.entries) {
      // An entry whose category has no panel of its own goes to the panels without a category.
      const key = panelsPerCategory.has(e.category ?? null) ? (e.category ?? null) : null;
      const want = perPanel * (panelsPerCategory.get(key) ?? 0);
      const n = taken.get(key) ?? 0;
      if (n < want) {
        picked.push(String(e._id));
        taken.set(key, n + 1);
      }
    }
    return picked;
  }

  /** A judge drops out: finished scores stay, the rest of their work goes to others; the judge is deactivated. */
  async replace(
    contestId: string,
    judgeId: string,
    input: z.output<typeof ReplaceJudgeRequestSchema>,
    opts: Options,
  ): Promise<AssignmentOutcome> {
    const g = await this.ground(contestId, input.round);
    this.requireStatus(g.contest, ['draft', 'judging'], 'Replacing a judge');
    const dropped = g.judges.find((j) => String(j._id) === judgeId);
    if (!dropped) throw notFound('Judge');
    const run = await this.ctx.models.AssignmentRun.findOne({
      contestId: g.contest._id,
      roundId: g.roundId,
    }).lean();
    const seed = input.seed ?? newSeed();
    let plan;
    try {
      plan = replaceJudge({
        scope: (run?.scope as AssignmentScope | undefined) ?? 'panel',
        seed,
        droppedJudgeId: judgeId,
        entries: g.entries.map(plannerEntry),
        judges: g.activeJudges.filter((j) => String(j._id) !== judgeId).map(plannerJudge),
        panels: g.panels.map((p) => ({ id: String(p._id), category: p.category ?? null })),
        assignments: g.existing.map((a) => ({
          entryId: String(a.entryId),
          judgeId: String(a.judgeId),
          order: a.order,
          scored: g.scores.get(pairKey(a.entryId, a.judgeId)) === 'submitted',
          panelId: a.panelId ? String(a.panelId) : null,
        })),
      });
    } catch (err) {
      plannerConflict(err);
    }
    const calibration = new Set((run?.calibrationEntryIds ?? []).map(String));
    const outcome = await this.write(g, plan.assignments, opts.dryRun, calibration);
    const result: AssignmentOutcome = {
      ...outcome,
      seed,
      loads: this.loads(
        g,
        plan.loads.filter((l) => l.judgeId !== judgeId),
      ),
      spread: plan.spread,
      ...this.problems(g, plan.problems),
    };
    if (!opts.dryRun) {
      await this.ctx.models.Judge.updateOne(
        { _id: dropped._id },
        { $set: { active: false }, $inc: { version: 1 } },
      );
      await this.ctx.audit.append({
        actor: opts.actor,
        action: 'assignment.replaceJudge',
        contestId,
        target: { type: 'judge', id: judgeId },
        before: { name: dropped.name, active: dropped.active !== false },
        after: {
          active: false,
          roundId: g.roundId,
          seed,
          counts: result.counts,
          problems: result.problemCount,
        },
      });
    }
    return result;
  }

  /** Adds judges to entries whose tier is uncertain, most uncertain first, within a budget of extra scores. */
  async extra(
    contestId: string,
    input: z.output<typeof ExtraJudgesRequestSchema>,
    opts: Options,
  ): Promise<ExtraJudgesOutcome> {
    const g = await this.ground(contestId, input.round);
    this.requireStatus(g.contest, ['judging'], 'Adding judges');
    const computed = await new ResultsService(this.ctx).compute(g.contest, g.roundId);
    const wanted = new Set<string>(input.flags);
    const flagged = computed.output.entries
      .filter((e) => !e.flags.includes('incomplete') && e.flags.some((f) => wanted.has(f)))
      .map((e) => {
        // Least confident first; disagreement alone ranks by how far apart the judges are.
        const boundary =
          e.flags.includes('boundary') && wanted.has('boundary') ? 1 - (e.tierConfidence ?? 1) : 0;
        const totals = e.judgeTotals.map((t) => t.total);
        const spread = totals.length ? Math.max(...totals) - Math.min(...totals) : 0;
        const disagreement =
          e.flags.includes('disagreement') && wanted.has('disagreement') ? spread / 100 : 0;
        return { id: e.entryId, priority: boundary + disagreement };
      });
    const entryById = new Map(g.entries.map((e) => [String(e._id), e]));
    const run = await this.ctx.models.AssignmentRun.findOne({
      contestId: g.contest._id,
      roundId: g.roundId,
    }).lean();
    const seed = input.seed ?? newSeed();
    let plan;
    try {
      plan = planExtraJudges({
        scope: (run?.scope as AssignmentScope | undefined) ?? 'panel',
        seed,
        entries: flagged
          .filter((f) => entryById.has(f.id))
          .map((f) => ({ ...plannerEntry(entryById.get(f.id)!), priority: f.priority })),
        judges: g.activeJudges.map(plannerJudge),
        panels: g.panels.map((p) => ({ id: String(p._id), category: p.category ?? null })),
        existing: g.existing.map((a) => ({
          entryId: String(a.entryId),
          judgeId: String(a.judgeId),
          order: a.order,
        })),
        extraPerEntry: input.extraPerEntry,
        budget: input.budget,
      });
    } catch (err) {
      plannerConflict(err);
    }
    const code = (id: string) => entryById.get(id)?.code ?? '';
    const result: ExtraJudgesOutcome = {
      roundId: g.roundId,
      dryRun: opts.dryRun,
      seed,
      counts: {
        assignments: g.existing.length + plan.assignments.length,
        kept: g.existing.length,
        added: plan.assignments.length,
        removed: 0,
      },
      loads: this.loads(g, plan.loads),
      spread: {},
      problems: [],
      problemCount: 0,
      flagged: flagged.length,
      skipped: plan.skipped.map((s) => ({ ...s, code: code(s.entryId) })),
      budgetLeft: plan.budgetLeft,
    };
    if (!opts.dryRun && plan.assignments.length > 0) {
      await this.insert(g, plan.assignments, new Set());
      await this.ctx.models.AssignmentRun.updateOne(
        { contestId: g.contest._id, roundId: g.roundId },
        {
          $inc: { extraAssignments: plan.assignments.length },
          $setOnInsert: { scope: 'panel', judgesPerEntry: g.contest.settings.judgesPerEntry ?? 5, seed },
        },
        { upsert: true },
      );
      await this.ctx.audit.append({
        actor: opts.actor,
        action: 'assignment.extra',
        contestId,
        target: { type: 'round', id: g.roundId },
        after: {
          flags: input.flags,
          budget: input.budget,
          extraPerEntry: input.extraPerEntry,
          seed,
          flagged: flagged.length,
          added: plan.assignments.map((a) => ({ entry: code(a.entryId), judgeId: a.judgeId })),
        },
      });
    }
    return result;
  }

  // ---- writing the difference ----

  /** Writes a full plan as the difference from the current assignments (unless a dry run) and counts it. */
  private async write(
    g: Ground,
    planned: PlannedAssignment[],
    dryRun: boolean,
    calibration: Set<string>,
  ): Promise<Omit<AssignmentOutcome, 'seed' | 'loads' | 'spread' | 'problems' | 'problemCount'>> {
    const { Assignment } = this.ctx.models;
    const existing = new Map(g.existing.map((a) => [pairKey(a.entryId, a.judgeId), a]));
    const plannedKeys = new Set(planned.map((p) => pairKey(p.entryId, p.judgeId)));
    const added = planned.filter((p) => !existing.has(pairKey(p.entryId, p.judgeId)));
    const stays = planned.filter((p) => existing.has(pairKey(p.entryId, p.judgeId)));
    const removed = g.existing.filter((a) => !plannedKeys.has(pairKey(a.entryId, a.judgeId)));
    if (!dryRun) {
      // Insert before removing: a crash in between leaves extra work, never an entry without its judges.
      await this.insert(g, added, calibration);
      const updates = stays
        .map((p) => ({ p, a: existing.get(pairKey(p.entryId, p.judgeId))! }))
        .filter(
          ({ p, a }) =>
            a.order !== p.order ||
            a.reason !== p.reason.kind ||
            Boolean(a.calibration) !== calibration.has(p.entryId),
        )
        .map(({ p, a }) => ({
          updateOne: {
            filter: { _id: a._id },
            update: { $set: { order: p.order, ...this.fields(p, calibration) } },
          },
        }));
      for (let i = 0; i < updates.length; i += WRITE_CHUNK)
        await Assignment.bulkWrite(updates.slice(i, i + WRITE_CHUNK), { ordered: false });
      for (let i = 0; i < removed.length; i += WRITE_CHUNK)
        await Assignment.deleteMany({
          _id: mongoose.trusted({ $in: removed.slice(i, i + WRITE_CHUNK).map((a) => a._id) }),
        });
    }
    return {
      roundId: g.roundId,
      dryRun,
      counts: {
        assignments: planned.length,
        kept: stays.length,
        added: added.length,
        removed: removed.length,
      },
    };
  }

  private fields(p: PlannedAssignment, calibration: Set<string>) {
    return {
      reason: p.reason.kind,
      panelId: p.panelId ? new Types.ObjectId(p.panelId) : null,
      calibration: calibration.has(p.entryId),
      explanation: p.reason,
    };
  }

  private async insert(g: Ground, rows: PlannedAssignment[], calibration: Set<string>) {
    const { Assignment } = this.ctx.models;
    for (let i = 0; i < rows.length; i += WRITE_CHUNK)
      await Assignment.insertMany(
        rows.slice(i, i + WRITE_CHUNK).map((p) => ({
          contestId: g.contest._id,
          roundId: g.roundId,
          entryId: new Types.ObjectId(p.entryId),
          judgeId: new Types.ObjectId(p.judgeId),
          order: p.order,
          ...this.fields(p, calibration),
        })),
        { ordered: false },
      );
  }

  private loads(g: Ground, loads: JudgeLoad[]) {
    const byId = new Map(g.judges.map((j) => [String(j._id), j]));
    return loads.map((l) => {
      const j = byId.get(l.judgeId);
      return {
        judgeId: l.judgeId,
        name: j?.name ?? '',
        panelId: j?.panelId ? String(j.panelId) : null,
        count: l.count,
      };
    });
  }

  private problems(g: Ground, problems: AssignmentProblem[]) {
    const code = new Map(g.entries.map((e) => [String(e._id), e.code]));
    return {
      problemCount: problems.length,
      problems: problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => ({ ...p, code: code.get(p.entryId) ?? '' })),
    };
  }

  // ---- reading ----

  async list(contestId: string, q: z.output<typeof AssignmentListQuerySchema>) {
    const { Contest, Assignment, Entry, Judge, Panel, Score } = this.ctx.models;
    const contest = await Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    const roundId = requestedRoundId(contest, q.round);
    const filter = {
      contestId: contest._id,
      roundId,
      ...(q.judgeId ? { judgeId: new Types.ObjectId(q.judgeId) } : {}),
      ...(q.entryId ? { entryId: new Types.ObjectId(q.entryId) } : {}),
    };
    const [total, page] = await Promise.all([
      Assignment.countDocuments(filter),
      Assignment.find(filter)
        .sort({ judgeId: 1, order: 1, _id: 1 })
        .skip(q.offset)
        .limit(q.limit)
        .lean<AssignmentDoc[]>(),
    ]);
    const entryIds = [...new Set(page.map((a) => String(a.entryId)))];
    const judgeIds = [...new Set(page.map((a) => String(a.judgeId)))];
    const [entries, judges, panels, scores] = await Promise.all([
      Entry.find(
        {
          contestId: contest._id,
          _id: mongoose.trusted({ $in: entryIds.map((id) => new Types.ObjectId(id)) }),
        },
        { code: 1 },
      ).lean(),
      Judge.find(
        {
          contestId: contest._id,
          _id: mongoose.trusted({ $in: judgeIds.map((id) => new Types.ObjectId(id)) }),
        },
        { name: 1 },
      ).lean(),
      Panel.find({ contestId: contest._id }, { name: 1 }).lean(),
      Score.find(
        {
          contestId: contest._id,
          roundId,
          entryId: mongoose.trusted({ $in: entryIds.map((id) => new Types.ObjectId(id)) }),
          judgeId: mongoose.trusted({ $in: judgeIds.map((id) => new Types.ObjectId(id)) }),
        },
        { entryId: 1, judgeId: 1, status: 1 },
      ).lean(),
    ]);
    const code = new Map(entries.map((e) => [String(e._id), e.code]));
    const name = new Map(judges.map((j) => [String(j._id), j.name]));
    const panelNames = Object.fromEntries(panels.map((p) => [String(p._id), p.name]));
    const status = new Map(
      scores.map((s) => [pairKey(s.entryId, s.judgeId), s.status as 'draft' | 'submitted']),
    );
    const rows: AssignmentRow[] = page.map((a) => ({
      id: String(a._id),
      entryId: String(a.entryId),
      code: code.get(String(a.entryId)) ?? '',
      judgeId: String(a.judgeId),
      judgeName: name.get(String(a.judgeId)) ?? '',
      panelId: a.panelId ? String(a.panelId) : null,
      order: a.order,
      kind: a.reason,
      calibration: Boolean(a.calibration),
      explanation: a.explanation
        ? describeReason(a.explanation as Parameters<typeof describeReason>[0], q.lang, panelNames)
        : a.reason,
      scoreStatus: status.get(pairKey(a.entryId, a.judgeId)) ?? null,
    }));
    return { roundId, total, offset: q.offset, assignments: rows };
  }

  // ---- calibration ----

  async calibration(contestId: string, round: string | undefined): Promise<CalibrationReport> {
    const { Contest, AssignmentRun, Assignment, Score, Rubric, Judge, Entry } = this.ctx.models;
    const contest = await Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    const roundId = requestedRoundId(contest, round);
    const run = await AssignmentRun.findOne({ contestId: contest._id, roundId }).lean();
    const ids = run?.calibrationEntryIds ?? [];
    const empty = {
      roundId,
      released: Boolean(run?.calibrationReleasedAt),
      releasedAt: run?.calibrationReleasedAt?.toISOString() ?? null,
    };
    if (!ids.length) return { ...empty, entries: [], judges: [] };
    const inIds = mongoose.trusted({ $in: ids });
    const [rubric, assignments, scores, entries, judges] = await Promise.all([
      Rubric.findOne({ contestId: contest._id, roundId }).lean(),
      Assignment.find({ contestId: contest._id, roundId, entryId: inIds }, { entryId: 1, judgeId: 1 }).lean(),
      Score.find(
        { contestId: contest._id, roundId, entryId: inIds, status: 'submitted' },
        { entryId: 1, judgeId: 1, values: 1 },
      ).lean(),
      Entry.find({ contestId: contest._id, _id: inIds }, { code: 1 }).sort({ code: 1 }).lean(),
      Judge.find({ contestId: contest._id }, { name: 1, panelId: 1 }).lean(),
    ]);
    const criteria = (rubric?.criteria ?? []).map((c) => ({
      id: c.id,
      weight: c.weight,
      maxScore: c.maxScore,
    }));
    const total = new Map(
      scores.map((s) => [
        pairKey(s.entryId, s.judgeId),
        judgeTotal(criteria, s.values as Record<string, number>),
      ]),
    );
    const judgeById = new Map(judges.map((j) => [String(j._id), j]));
    const perJudge = new Map<string, { assigned: number; scored: number; deviations: number[] }>();
    const stat = (id: string) => {
      let s = perJudge.get(id);
      if (!s) perJudge.set(id, (s = { assigned: 0, scored: 0, deviations: [] }));
      return s;
    };
    const report: CalibrationReport['entries'] = entries.map((e) => {
      const holders = assignments
        .filter((a) => String(a.entryId) === String(e._id))
        .map((a) => String(a.judgeId));
      const rows = holders.map((judgeId) => {
        const own = total.get(pairKey(e._id, judgeId)) ?? null;
        const panel = judgeById.get(judgeId)?.panelId;
        // The panel: the other judges of this judge's panel (or all others in pool scope) who have scored it.
        const others = holders
          .filter((o) => o !== judgeId && String(judgeById.get(o)?.panelId ?? '') === String(panel ?? ''))
          .map((o) => total.get(pairKey(e._id, o)))
          .filter((x): x is number => x !== undefined);
        const deviation =
          own !== null && others.length ? own - others.reduce((a, b) => a + b, 0) / others.length : null;
        const s = stat(judgeId);
        s.assigned++;
        if (own !== null) s.scored++;
        if (deviation !== null) s.deviations.push(deviation);
        return { judgeId, name: judgeById.get(judgeId)?.name ?? '', total: own, deviation };
      });
      return { entryId: String(e._id), code: e.code, judges: rows };
    });
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    return {
      ...empty,
      entries: report,
      judges: [...perJudge].map(([judgeId, s]) => ({
        judgeId,
        name: judgeById.get(judgeId)?.name ?? '',
        panelId: judgeById.get(judgeId)?.panelId ? String(judgeById.get(judgeId)!.panelId) : null,
        assigned: s.assigned,
        scored: s.scored,
        meanDeviation: mean(s.deviations),
        meanAbsDeviation: mean(s.deviations.map(Math.abs)),
      })),
    };
  }

  /** Opens the rest of the round to the judges once the organizer has looked at the calibration. */
  async releaseCalibration(contestId: string, round: string | undefined, actor: AuditActor) {
    const { Contest, AssignmentRun } = this.ctx.models;
    const contest = await Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    const roundId = requestedRoundId(contest, round, 'body.round');
    const at = this.ctx.now();
    const run = await AssignmentRun.findOneAndUpdate(
      {
        contestId: contest._id,
        roundId,
        'calibrationEntryIds.0': mongoose.trusted({ $exists: true }),
        calibrationReleasedAt: null,
      },
      { $set: { calibrationReleasedAt: at } },
      { returnDocument: 'after' },
    ).lean();
    if (!run)
      throw conflict('This round has no calibration waiting to be released', {
        code: 'no_calibration_pending',
      });
    await this.ctx.audit.append({
      actor,
      action: 'assignment.releaseCalibration',
      contestId,
      target: { type: 'round', id: roundId },
      after: { releasedAt: at.toISOString(), calibrationEntries: run.calibrationEntryIds.length },
    });
    return { roundId, released: true, releasedAt: at.toISOString() };
  }
}

/**
 * While a round's calibration is not released, judges see and score only the calibration works: the set of
 * their entry ids, or null when everything is open.
 */
export async function pendingCalibration(
  ctx: AppContext,
  contestId: string,
  roundId: string,
): Promise<Set<string> | null> {
  const run = await ctx.models.AssignmentRun.findOne(
    { contestId: new Types.ObjectId(contestId), roundId },
    { calibrationEntryIds: 1, calibrationReleasedAt: 1 },
  ).lean();
  if (!run || !run.calibrationEntryIds.length || run.calibrationReleasedAt) return null;
  return new Set(run.calibrationEntryIds.map(String));
}
