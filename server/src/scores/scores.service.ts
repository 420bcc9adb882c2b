import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import {
  conflictChecker,
  isValidCriterionValue,
  type Criterion,
  type JudgeScore,
  type JudgingEntry,
  type JudgingItem,
  type JudgingList,
  type Score,
  type ScoreList,
  type ScoreListQuery,
  type ScoreReopen,
  type ScoreSave,
  type ScoreStatus,
  type ScoreSubmit,
  type ScoreValues,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { pendingCalibration } from '../assignments/assignments.service.js';
import type { AuditActor, AuditInput } from '../audit/audit.service.js';
import { canonicalJson } from '../audit/audit.service.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { rubricView } from '../contests/contests.service.js';
import { currentRoundId } from '../contests/rounds.js';
import type { EntryDoc } from '../entries/entries.model.js';
import type { JudgeDoc } from '../judges/judges.model.js';
import { HttpError, badRequest, conflict, forbidden, notFound } from '../http/errors.js';
import { APPLIED_KEYS_KEPT, type ScoreDoc } from './scores.model.js';

type Field = { path: string; message: string };
type Timestamped = { createdAt?: Date | null; updatedAt?: Date | null };
type StoredScore = ScoreDoc & Timestamped;
type AppliedKey = {
  key: string;
  requestHash: string;
  response: { status: number; body: JudgeScore };
  at: Date;
  audited?: boolean;
  action?: string | null;
  actor?: AuditActor | null;
};

/** What a score write answers; `replayed` when it is the stored answer to an earlier request with the same key. */
export type WriteResult = { status: number; body: JudgeScore; replayed: boolean };

/** Where one judge's write lands: the score of (contest, round, entry, judge). */
type Target = { contestId: string; roundId: string; entryId: string; judge: JudgeDoc };

// Every score write waits until a majority has it: an acknowledged score must survive a failover.
const MAJORITY = { writeConcern: { w: 'majority' as const } };

const iso = (d: Date | null | undefined) => (d ?? new Date(0)).toISOString();

export function judgeScoreView(s: StoredScore): JudgeScore {
  return {
    values: { ...((s.values ?? {}) as ScoreValues) },
    comment: s.comment ?? '',
    status: s.status as ScoreStatus,
    version: s.version,
    updatedAt: iso(s.updatedAt),
  };
}

export function scoreView(s: StoredScore): Score {
  return {
    id: String(s._id),
    contestId: String(s.contestId),
    roundId: s.roundId,
    entryId: String(s.entryId),
    judgeId: String(s.judgeId),
    ...judgeScoreView(s),
    submittedAt: s.submittedAt ? s.submittedAt.toISOString() : null,
    createdAt: iso(s.createdAt),
  };
}

/** Blind: code, title, category, subject and photo sizes only; never teacher, school or file names. */
function itemView(e: EntryDoc, score: StoredScore | null): JudgingItem {
  return {
    entryId: String(e._id),
    code: e.code,
    title: e.title,
    category: e.category ?? null,
    subject: e.subject ?? null,
    photos: (e.photos ?? []).map((p) => ({
      id: String((p as { _id?: unknown })._id),
      width: p.width,
      height: p.height,
    })),
    score: score ? judgeScoreView(score) : null,
  };
}

/** Identifies a request: the same key sent with anything else is a client bug, not a retry. */
function requestHash(op: 'save' | 'submit', t: Target, body: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ op, contestId: t.contestId, entryId: t.entryId, body }))
    .digest('hex');
}

const keyReused = () =>
  new HttpError(
    422,
    'idempotency_key_reused',
    'headers.idempotency-key: this key was already used for a different request',
    {
      fields: [
        {
          path: 'headers.idempotency-key',
          message: 'already used for a different request; generate a new key for a new change',
        },
      ],
    },
  );

const locked = (current: StoredScore) =>
  new HttpError(
    409,
    'score_locked',
    'This score has been submitted and is locked; the organizer can reopen it',
    {
      current: judgeScoreView(current),
    },
  );

/** Values checked against the rubric; each problem names `body.values.<criterion id>`. */
function invalidValues(criteria: readonly Criterion[], values: Record<string, number>): Field[] {
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const fields: Field[] = [];
  for (const [id, value] of Object.entries(values)) {
    const c = byId.get(id);
    if (!c) fields.push({ path: `body.values.${id}`, message: 'not a criterion judges score in this round' });
    else if (!isValidCriterionValue(c, value))
      fields.push({
        path: `body.values.${id}`,
        message: `must be between 0 and ${c.maxScore} in steps of ${c.step}`,
      });
  }
  return fields;
}

const fieldsError = (message: string, fields: Field[]) =>
  badRequest(`${message}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);

/** Marks an applied key's audit event as written; if this fails, the repair would write the event a second time. */
async function markAudited(ctx: AppContext, scoreId: unknown, key: string) {
  try {
    await ctx.models.Score.updateOne(
      { _id: scoreId, 'appliedKeys.key': key },
      { $set: { 'appliedKeys.$.audited': true } },
      // Bookkeeping, not a change of the score: its updatedAt stays what the judge was answered.
      { timestamps: false },
    );
  } catch (err) {
    ctx.logger.error({ err, scoreId: String(scoreId), key }, 'could not mark a score change as audited');
  }
}

/**
 * Appends the audit events that a crash (or a failed append) cut off between a score change and its event,
 * oldest first, and returns how many. Run at start-up before listening: a change still being written by a
 * running server would otherwise be audited twice. The event is rebuilt from what the change stored: its
 * answer (the state after), the answer before it when that is the version it started from, and who made it.
 */
export async function repairScoreAudit(ctx: AppContext): Promise<number> {
  const docs = await ctx.models.Score.find({ 'appliedKeys.audited': false })
    .select('+appliedKeys')
    .lean<(Omit<StoredScore, 'appliedKeys'> & { appliedKeys: AppliedKey[] })[]>();
  const pending = docs.flatMap((d) =>
    d.appliedKeys.flatMap((a, i) => (a.audited === false ? [{ d, a, prev: d.appliedKeys[i - 1] }] : [])),
  );
  pending.sort((x, y) => x.a.at.getTime() - y.a.at.getTime());
  for (const { d, a, prev } of pending) {
    const identity = {
      id: String(d._id),
      contestId: String(d.contestId),
      roundId: d.roundId,
      entryId: String(d.entryId),
      judgeId: String(d.judgeId),
      createdAt: iso(d.createdAt),
    };
    const view = (b: JudgeScore) => ({
      ...identity,
      ...b,
      submittedAt: b.status === 'submitted' ? (d.submittedAt?.toISOString() ?? b.updatedAt) : null,
    });
    const body = a.response.body;
    const before = prev && prev.response.body.version === body.version - 1 ? view(prev.response.body) : null;
    await ctx.audit.append({
      actor: a.actor ?? null,
      action: a.action ?? (body.status === 'submitted' ? 'score.submit' : 'score.save'),
      contestId: identity.contestId,
      target: { type: 'score', id: identity.id },
      before,
      after: { ...view(body), idempotencyKey: a.key, auditedAfterRestart: true },
    });
    await markAudited(ctx, d._id, a.key);
  }
  return pending.length;
}

/** Frozen rubrics kept in memory per service; a bound keeps a long-running server's map small. */
const FROZEN_RUBRICS_KEPT = 200;

export class ScoresService {
  /** The judged criteria of frozen rubrics: a frozen rubric never changes, so each save need not read it. */
  private readonly frozenCriteria = new Map<string, Criterion[]>();

  constructor(private readonly ctx: AppContext) {}

  // ---- who and where ----

  /** The caller's active Judge in this contest; a membership alone (or a deactivated judge) is not enough. */
  async judgeFor(contestId: string, userId: string): Promise<JudgeDoc> {
    const judge = await this.ctx.models.Judge.findOne({ contestId, userId, active: true }).lean<JudgeDoc>();
    if (!judge) throw forbidden('You are not an active judge of this contest');
    return judge;
  }

  private async contest(contestId: string): Promise<ContestDoc> {
    const contest = await this.ctx.models.Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    return contest;
  }

  /** The criteria judges score: measurement criteria are recorded by recorders and never shown to judges. */
  private async criteria(contestId: string, roundId: string): Promise<Criterion[]> {
    const key = `${contestId}:${roundId}`;
    const known = this.frozenCriteria.get(key);
    if (known) return known;
    const rubric = await this.ctx.models.Rubric.findOne({ contestId, roundId }).lean();
    const criteria = rubric ? rubricView(rubric).criteria.filter((c) => c.kind !== 'measurement') : [];
    if (rubric?.frozen) {
      if (this.frozenCriteria.size >= FROZEN_RUBRICS_KEPT) this.frozenCriteria.clear();
      this.frozenCriteria.set(key, criteria);
    }
    return criteria;
  }

  /**
   * The entry, if this judge is assigned to it in the round, it is still in the contest and no conflict of
   * interest has been declared since; otherwise 404, so a judge cannot probe which entries exist.
   */
  private async assignedEntry(t: Target): Promise<EntryDoc> {
    const { Assignment, Entry } = this.ctx.models;
    const assigned = await Assignment.exists({
      contestId: t.contestId,
      roundId: t.roundId,
      entryId: t.entryId,
      judgeId: t.judge._id,
    });
    // Until the organizer releases the calibration, only the calibration works are open.
    const calibration = assigned ? await pendingCalibration(this.ctx, t.contestId, t.roundId) : null;
    const entry =
      assigned && (!calibration || calibration.has(t.entryId))
        ? await Entry.findOne({ _id: t.entryId, contestId: t.contestId, status: 'active' }).lean<EntryDoc>()
        : null;
    if (!entry || conflictChecker(t.judge)(entry)) throw notFound('Entry');
    return entry;
  }

  /**
   * What a write checks, read at once (none depends on another): the assignment (404 first, whatever else
   * is wrong), the judged criteria and the stored score.
   */
  private async readForWrite(t: Target): Promise<{ criteria: Criterion[]; current: StoredScore | null }> {
    const [, criteria, current] = await Promise.all([
      this.assignedEntry(t),
      this.criteria(t.contestId, t.roundId),
      this.current(t),
    ]);
    return { criteria, current };
  }

  private current(t: Target): Promise<StoredScore | null> {
    return this.ctx.models.Score.findOne({
      contestId: t.contestId,
      roundId: t.roundId,
      entryId: t.entryId,
      judgeId: t.judge._id,
    }).lean<StoredScore>();
  }

  private requireJudging(contest: ContestDoc) {
    if (contest.status !== 'judging')
      throw new HttpError(
        409,
        'contest_not_judging',
        `Scores can only be changed while the contest is judging (it is ${contest.status})`,
        {
          contestStatus: contest.status,
        },
      );
  }

  /** A write must start from the version the judge saw, on a score not yet submitted. */
  private requireWritable(current: StoredScore | null, baseVersion: number) {
    if (current?.status === 'submitted') throw locked(current);
    const version = current?.version ?? 0;
    if (version !== baseVersion)
      throw conflict(
        `The score was changed elsewhere (version ${version}, you sent ${baseVersion}); reload it`,
        {
          current: current ? judgeScoreView(current) : null,
        },
      );
  }

  // ---- reading (judges) ----

  async judgingList(contestId: string, judge: JudgeDoc): Promise<JudgingList> {
    const { Assignment, Entry, Score } = this.ctx.models;
    const contest = await this.contest(contestId);
    const roundId = currentRoundId(contest);
    const [criteria, assignments, scores, calibration] = await Promise.all([
      this.criteria(contestId, roundId),
      Assignment.find({ contestId, roundId, judgeId: judge._id }, { entryId: 1, order: 1 })
        .sort({ order: 1, _id: 1 })
        .lean(),
      Score.find({ contestId, roundId, judgeId: judge._id }).lean<StoredScore[]>(),
      pendingCalibration(this.ctx, contestId, roundId),
    ]);
    const ids = assignments
      .filter((a) => !calibration || calibration.has(String(a.entryId)))
      .map((a) => a.entryId);
    const entries = ids.length
      ? await Entry.find({ contestId, _id: mongoose.trusted({ $in: ids }), status: 'active' }).lean<
          EntryDoc[]
        >()
      : [];
    const entryById = new Map(entries.map((e) => [String(e._id), e]));
    const scoreByEntry = new Map(scores.map((s) => [String(s.entryId), s]));
    const conflicts = conflictChecker(judge);
    const items: JudgingItem[] = [];
    for (const a of assignments) {
      const e = entryById.get(String(a.entryId));
      if (!e || conflicts(e)) continue;
      items.push(itemView(e, scoreByEntry.get(String(e._id)) ?? null));
    }
    return {
      contest: { id: String(contest._id), name: contest.name, status: contest.status },
      roundId,
      rubric: { criteria },
      progress: {
        assigned: items.length,
        submitted: items.filter((i) => i.score?.status === 'submitted').length,
        drafts: items.filter((i) => i.score?.status === 'draft').length,
      },
      ...(calibration ? { calibration: { pending: true, waiting: assignments.length - ids.length } } : {}),
      items,
    };
  }

  async judgingEntry(contestId: string, judge: JudgeDoc, entryId: string): Promise<JudgingEntry> {
    const contest = await this.contest(contestId);
    const t: Target = { contestId, roundId: currentRoundId(contest), entryId, judge };
    const entry = await this.assignedEntry(t);
    const [criteria, score] = await Promise.all([this.criteria(contestId, t.roundId), this.current(t)]);
    return { ...itemView(entry, score), roundId: t.roundId, rubric: { criteria } };
  }

  // ---- writing (judges) ----

  /** Saves the judge's draft: the values sent replace the ones saved before; a comment left out stays. */
  async save(
    contestId: string,
    judge: JudgeDoc,
    entryId: string,
    input: ScoreSave,
    key: string,
    actor: AuditActor,
  ): Promise<WriteResult> {
    const { contest, t } = await this.target(contestId, judge, entryId);
    return this.idempotent(t, key, requestHash('save', t, input), async (hash) => {
      const { criteria, current } = await this.readForWrite(t);
      this.requireJudging(contest);
      const bad = invalidValues(criteria, input.values);
      if (bad.length) throw fieldsError('Some values do not fit the rubric', bad);
      this.requireWritable(current, input.baseVersion);
      // Stored in rubric order, so every answer lists criteria alike.
      const values = Object.fromEntries(
        criteria.filter((c) => c.id in input.values).map((c) => [c.id, input.values[c.id]!]),
      );
      const comment = input.comment ?? current?.comment ?? '';
      return this.apply(
        t,
        key,
        hash,
        current,
        input.baseVersion,
        { values, comment, status: 'draft', submittedAt: null },
        'score.save',
        actor,
      );
    });
  }

  /** Submits: every criterion must have a valid value; the score is then locked until an organizer reopens it. */
  async submit(
    contestId: string,
    judge: JudgeDoc,
    entryId: string,
    input: ScoreSubmit,
    key: string,
    actor: AuditActor,
  ): Promise<WriteResult> {
    const { contest, t } = await this.target(contestId, judge, entryId);
    return this.idempotent(t, key, requestHash('submit', t, input), async (hash) => {
      const { criteria, current } = await this.readForWrite(t);
      this.requireJudging(contest);
      this.requireWritable(current, input.baseVersion);
      const values = (current?.values ?? {}) as ScoreValues;
      const fields: Field[] = [];
      for (const c of criteria) {
        const v = values[c.id];
        if (v === undefined)
          fields.push({
            path: `body.values.${c.id}`,
            message: 'needs a value before the score can be submitted',
          });
        else if (!isValidCriterionValue(c, v))
          fields.push({
            path: `body.values.${c.id}`,
            message: `must be between 0 and ${c.maxScore} in steps of ${c.step}`,
          });
      }
      if (!criteria.length) fields.push({ path: 'body.values', message: 'this round has no rubric' });
      if (fields.length || !current)
        throw fieldsError('Every criterion needs a valid value before submitting', fields);
      return this.apply(
        t,
        key,
        hash,
        current,
        input.baseVersion,
        {
          values: { ...values },
          comment: current.comment ?? '',
          status: 'submitted',
          submittedAt: this.ctx.now(),
        },
        'score.submit',
        actor,
      );
    });
  }

  private async target(contestId: string, judge: JudgeDoc, entryId: string) {
    const contest = await this.contest(contestId);
    return { contest, t: { contestId, roundId: currentRoundId(contest), entryId, judge } satisfies Target };
  }

  /**
   * Answers a key already applied with its stored answer; otherwise runs the write. A twin of this request
   * (a retry racing the original) may be applied between the first look and the write, so a conflict is
   * answered with the twin's answer when there is one: every copy of a request gets the same answer.
   */
  private async idempotent(
    t: Target,
    key: string,
    hash: string,
    run: (hash: string) => Promise<WriteResult>,
  ): Promise<WriteResult> {
    const replay = await this.replay(t, key, hash);
    if (replay) return replay;
    try {
      return await run(hash);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) {
        const twin = await this.replay(t, key, hash);
        if (twin) return twin;
      }
      throw err;
    }
  }

  /** The stored answer if this judge's key was already applied; 422 if the key was used for another request. */
  private async replay(t: Target, key: string, hash: string): Promise<WriteResult | null> {
    const doc = await this.ctx.models.Score.findOne({
      contestId: t.contestId,
      judgeId: t.judge._id,
      'appliedKeys.key': key,
    })
      .select('+appliedKeys')
      .lean<Omit<StoredScore, 'appliedKeys'> & { appliedKeys: AppliedKey[] }>();
    const applied = doc?.appliedKeys.find((a) => a.key === key);
    if (!applied) return null;
    if (applied.requestHash !== hash) throw keyReused();
    return { status: applied.response.status, body: applied.response.body, replayed: true };
  }

  /**
   * One single-document update applies the change AND records the key with its answer, guarded by the base
   * version and by the key not being there yet: a change is applied once or not at all, without transactions.
   */
  private async apply(
    t: Target,
    key: string,
    hash: string,
    current: StoredScore | null,
    baseVersion: number,
    next: { values: ScoreValues; comment: string; status: ScoreStatus; submittedAt: Date | null },
    action: string,
    actor: AuditActor,
  ): Promise<WriteResult> {
    const { Score } = this.ctx.models;
    const now = this.ctx.now();
    const body: JudgeScore = {
      values: next.values,
      comment: next.comment,
      status: next.status,
      version: baseVersion + 1,
      updatedAt: now.toISOString(),
    };
    const status = 200;
    const where = { contestId: t.contestId, roundId: t.roundId, entryId: t.entryId, judgeId: t.judge._id };
    let updated: StoredScore | null = null;
    try {
      updated = await Score.findOneAndUpdate(
        {
          ...where,
          version: baseVersion,
          status: 'draft',
          'appliedKeys.key': mongoose.trusted({ $ne: key }),
        },
        {
          $set: {
            values: next.values,
            comment: next.comment,
            status: next.status,
            submittedAt: next.submittedAt,
            updatedAt: now,
          },
          $inc: { version: 1 },
          $push: {
            appliedKeys: {
              // audited: false until the event is appended, so a crash in between is repaired at start-up.
              $each: [
                {
                  key,
                  requestHash: hash,
                  response: { status, body },
                  at: now,
                  audited: false,
                  action,
                  actor,
                },
              ],
              $slice: -APPLIED_KEYS_KEPT,
            },
          },
          $setOnInsert: { createdAt: now },
        },
        // The first score of an entry is an upsert; the unique index turns a racing twin into E11000.
        {
          upsert: !current,
          returnDocument: 'after',
          timestamps: false,
          setDefaultsOnInsert: false,
          ...MAJORITY,
        },
      ).lean<StoredScore>();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    if (!updated) {
      // Lost a race: another change got there first (the judge must see it before overwriting it), or a
      // twin of this request did (idempotent() then answers as the twin was answered).
      const now = await this.current(t);
      this.requireWritable(now, baseVersion);
      throw conflict('The score was changed elsewhere while saving; reload it', {
        current: now ? judgeScoreView(now) : null,
      });
    }
    const audited = await this.auditAfterWrite({
      actor,
      action,
      contestId: t.contestId,
      target: { type: 'score', id: String(updated._id) },
      before: current ? { ...scoreView(current) } : null,
      after: { ...scoreView(updated), idempotencyKey: key },
    });
    if (audited) await markAudited(this.ctx, updated._id, key);
    return { status, body, replayed: false };
  }

  /**
   * The change is already stored and (with the key) acknowledged on any retry, so a failing audit append must
   * not turn it into an error the client would retry with a new key; it is logged loudly, and the key, still
   * marked unaudited, gets its event from repairScoreAudit() at the next start-up. True once appended.
   */
  private async auditAfterWrite(event: AuditInput): Promise<boolean> {
    try {
      await this.ctx.audit.append(event);
      return true;
    } catch (err) {
      this.ctx.logger.error(
        { err, auditEvent: event },
        'AUDIT APPEND FAILED after a score change was stored; it is appended at the next start-up (repairScoreAudit)',
      );
      return false;
    }
  }

  // ---- organizers ----

  /** Sends a submitted score back to its judge as a draft; the reason goes to the audit log. */
  async reopen(contestId: string, scoreId: string, input: ScoreReopen, actor: AuditActor): Promise<Score> {
    const { Score } = this.ctx.models;
    const contest = await this.contest(contestId);
    if (contest.status !== 'judging' && contest.status !== 'review')
      throw new HttpError(
        409,
        'contest_not_judging',
        `Scores can only be reopened while judging or in review (the contest is ${contest.status})`,
        {
          contestStatus: contest.status,
        },
      );
    const current = await Score.findOne({ _id: scoreId, contestId }).lean<StoredScore>();
    if (!current) throw notFound('Score');
    if (current.status !== 'submitted')
      throw new HttpError(409, 'not_submitted', 'Only a submitted score can be reopened', {
        current: scoreView(current),
      });
    const now = this.ctx.now();
    const updated = await Score.findOneAndUpdate(
      { _id: scoreId, contestId, version: input.version, status: 'submitted' },
      { $set: { status: 'draft', submittedAt: null, updatedAt: now }, $inc: { version: 1 } },
      { returnDocument: 'after', timestamps: false, ...MAJORITY },
    ).lean<StoredScore>();
    if (!updated) {
      const latest = await Score.findOne({ _id: scoreId, contestId }).lean<StoredScore>();
      if (!latest) throw notFound('Score');
      throw conflict(
        `The score was changed elsewhere (version ${latest.version}, you sent ${input.version})`,
        { current: scoreView(latest) },
      );
    }
    const view = scoreView(updated);
    await this.auditAfterWrite({
      actor,
      action: 'score.reopen',
      contestId,
      target: { type: 'score', id: scoreId },
      before: scoreView(current),
      after: { ...view, reason: input.reason },
    });
    return view;
  }

  /** Scores for moderation, oldest first, paged by id. */
  async list(contestId: string, q: ScoreListQuery): Promise<ScoreList> {
    const filter: Record<string, unknown> = { contestId };
    if (q.roundId) filter.roundId = q.roundId;
    if (q.judgeId) filter.judgeId = q.judgeId;
    if (q.entryId) filter.entryId = q.entryId;
    if (q.status) filter.status = q.status;
    if (q.after) filter._id = mongoose.trusted({ $gt: new mongoose.Types.ObjectId(q.after) });
    const docs = await this.ctx.models.Score.find(filter)
      .sort({ _id: 1 })
      .limit(q.limit + 1)
      .lean<StoredScore[]>();
    const page = docs.slice(0, q.limit);
    return {
      scores: page.map(scoreView),
      next: docs.length > q.limit ? String(page[page.length - 1]!._id) : null,
    };
  }
}
