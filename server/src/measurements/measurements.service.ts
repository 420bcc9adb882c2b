import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import {
  MEASUREMENT_STATUSES,
  measurementValueProblem,
  type ContestSettings,
  type Criterion,
  type Measurement,
  type MeasurementList,
  type MeasurementListQuery,
  type MeasurementRecord,
  type MeasurementResolve,
  type MeasurementRule,
  type MeasurementStatus,
  type RecordingCell,
  type RecordingList,
  type RecordingWrite,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import { canonicalJson } from '../audit/audit.service.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { rubricView } from '../contests/contests.service.js';
import { currentRoundId, requestedRoundId } from '../contests/rounds.js';
import type { EntryDoc } from '../entries/entries.model.js';
import { HttpError, badRequest, conflict, notFound } from '../http/errors.js';
import { MEASUREMENT_KEYS_KEPT, type MeasurementDoc } from './measurements.model.js';

type Timestamped = { createdAt?: Date | null; updatedAt?: Date | null };
type Stored = MeasurementDoc & Timestamped;
type Reading = { userId: unknown; username: string; value: number; at: Date };
type AppliedKey = { key: string; userId: unknown; requestHash: string; response: RecordingWrite; at: Date };
export type MeasuredCriterion = Criterion & { kind: 'measurement'; rule: MeasurementRule };
export type Recorder = { id: string; username: string };
export type RecordResult = { body: RecordingWrite; replayed: boolean };

/** Where one write lands: the measurement of (contest, round, entry, criterion). */
type Target = { contestId: string; roundId: string; entryId: string; criterion: MeasuredCriterion };

// An acknowledged value must survive a failover, as scores do.
const MAJORITY = { writeConcern: { w: 'majority' as const } };
// Two readings of a measured value agree when they are the same number (not merely close: the recorders
// read the same instrument, so any difference is worth the organizer's look).
const EPS = 1e-9;

const iso = (d: Date | null | undefined) => (d ?? new Date(0)).toISOString();

export const isMeasured = (c: Criterion): c is MeasuredCriterion =>
  c.kind === 'measurement' && c.rule !== undefined;

export function measurementView(m: Stored, code: string): Measurement {
  const r = m.resolution;
  return {
    id: String(m._id),
    contestId: String(m.contestId),
    roundId: m.roundId,
    entryId: String(m.entryId),
    code,
    criterionId: m.criterionId,
    readings: (m.readings as Reading[]).map((x) => ({
      userId: String(x.userId),
      username: x.username,
      value: x.value,
      at: iso(x.at),
    })),
    value: m.value ?? null,
    status: m.status as MeasurementStatus,
    resolution: r
      ? {
          userId: r.userId ? String(r.userId) : null,
          username: r.username ?? null,
          value: r.value,
          reason: r.reason,
          at: iso(r.at),
        }
      : null,
    version: m.version,
    updatedAt: iso(m.updatedAt),
  };
}

/** A recorder's view of one measurement: their own reading only (double entry is blind). */
function cellView(m: Stored | null, userId: string): RecordingCell {
  const own = m ? (m.readings as Reading[]).find((x) => String(x.userId) === userId) : undefined;
  return {
    status: m ? (m.status as MeasurementStatus) : null,
    version: m?.version ?? 0,
    own: own ? { value: own.value, at: iso(own.at) } : null,
    value: m?.value ?? null,
  };
}

/** The readings after `recorder` enters `value`, and what they add up to under the contest's entry mode. */
function nextState(
  current: Stored | null,
  recorder: Recorder,
  value: number,
  at: Date,
  doubleEntry: boolean,
) {
  const mine: Reading = {
    userId: new mongoose.Types.ObjectId(recorder.id),
    username: recorder.username,
    value,
    at,
  };
  if (!doubleEntry) return { readings: [mine], value, status: 'recorded' as const };
  const others = ((current?.readings ?? []) as Reading[]).filter((x) => String(x.userId) !== recorder.id);
  if (others.length >= 2)
    throw new HttpError(
      409,
      'measurement_full',
      'Two other recorders have already entered this value; only they can change their readings, or the organizer can decide',
      { current: cellView(current, recorder.id) },
    );
  // A recorder's new reading replaces their own, in its place.
  const readings = current?.readings.some((x) => String(x.userId) === recorder.id)
    ? (current.readings as Reading[]).map((x) => (String(x.userId) === recorder.id ? mine : x))
    : [...others, mine];
  if (readings.length < 2) return { readings, value: null, status: 'pending' as const };
  const agree = Math.abs(readings[0]!.value - readings[1]!.value) <= EPS;
  return agree
    ? { readings, value: readings[0]!.value, status: 'agreed' as const }
    : { readings, value: null, status: 'disagreement' as const };
}

function requestHash(t: Target, body: MeasurementRecord): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        op: 'record',
        contestId: t.contestId,
        entryId: t.entryId,
        criterionId: t.criterion.id,
        body,
      }),
    )
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

const valueError = (rule: MeasurementRule, value: number) => {
  const problem = measurementValueProblem(rule, value);
  return problem ? badRequest(`body.value: ${problem}`, [{ path: 'body.value', message: problem }]) : null;
};

export class MeasurementsService {
  constructor(private readonly ctx: AppContext) {}

  // ---- lookups ----

  async contest(contestId: string): Promise<ContestDoc> {
    const contest = await this.ctx.models.Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    return contest;
  }

  /** The round's criteria in rubric order (empty without a rubric). */
  async criteria(contestId: string, roundId: string): Promise<Criterion[]> {
    const rubric = await this.ctx.models.Rubric.findOne({ contestId, roundId }).lean();
    return rubric ? rubricView(rubric).criteria : [];
  }

  private async target(contest: ContestDoc, entryId: string, criterionId: string): Promise<Target> {
    const contestId = String(contest._id);
    const roundId = currentRoundId(contest);
    const criterion = (await this.criteria(contestId, roundId)).find((c) => c.id === criterionId);
    if (!criterion || !isMeasured(criterion)) throw notFound(`Measurement criterion "${criterionId}"`);
    const entry = await this.ctx.models.Entry.exists({
      _id: entryId,
      contestId,
      roundIds: roundId,
      status: 'active',
    });
    if (!entry) throw notFound('Entry');
    return { contestId, roundId, entryId, criterion };
  }

  private current(t: Target): Promise<Stored | null> {
    return this.ctx.models.Measurement.findOne({
      contestId: t.contestId,
      roundId: t.roundId,
      entryId: t.entryId,
      criterionId: t.criterion.id,
    }).lean<Stored>();
  }

  /** Active entries of the round, by code: the recorder's and the organizer's sheet. */
  private entries(contestId: string, roundId: string) {
    return this.ctx.models.Entry.find(
      { contestId, roundIds: roundId, status: 'active' },
      { code: 1, category: 1, teacherName: 1 },
    )
      .sort({ code: 1 })
      .lean<Pick<EntryDoc, '_id' | 'code' | 'category' | 'teacherName'>[]>();
  }

  private stale(current: Stored | null, sent: number, view: unknown) {
    return conflict(
      `The measurement was changed elsewhere (version ${current?.version ?? 0}, you sent ${sent}); reload it`,
      { current: view },
    );
  }

  // ---- recorders ----

  async recording(contestId: string, recorder: Recorder): Promise<RecordingList> {
    const contest = await this.contest(contestId);
    const roundId = currentRoundId(contest);
    const criteria = (await this.criteria(contestId, roundId)).filter(isMeasured);
    const [entries, docs] = await Promise.all([
      this.entries(contestId, roundId),
      criteria.length ? this.ctx.models.Measurement.find({ contestId, roundId }).lean<Stored[]>() : [],
    ]);
    const byCell = new Map(docs.map((d) => [`${String(d.entryId)}/${d.criterionId}`, d]));
    return {
      contest: { id: contestId, name: contest.name, status: contest.status },
      roundId,
      doubleEntry: (contest.settings as ContestSettings).measurementDoubleEntry ?? false,
      criteria: criteria.map(({ id, name, description, maxScore, rule }) => ({
        id,
        name,
        description,
        maxScore,
        rule,
      })),
      entries: entries.map((e) => ({
        entryId: String(e._id),
        code: e.code,
        category: e.category ?? null,
        cells: Object.fromEntries(
          criteria.map((c) => [c.id, cellView(byCell.get(`${String(e._id)}/${c.id}`) ?? null, recorder.id)]),
        ),
      })),
    };
  }

  /**
   * Enters the recorder's reading. Single entry: it counts at once. Double entry: it counts once a second
   * recorder has entered the same value; different values wait for the organizer.
   */
  async record(
    contestId: string,
    entryId: string,
    criterionId: string,
    input: MeasurementRecord,
    key: string | null,
    recorder: Recorder,
    actor: AuditActor,
  ): Promise<RecordResult> {
    const contest = await this.contest(contestId);
    const t = await this.target(contest, entryId, criterionId);
    const hash = requestHash(t, input);
    if (key) {
      const replay = await this.replay(contestId, key, hash, recorder.id);
      if (replay) return replay;
    }
    try {
      return await this.recordNow(contest, t, input, key, hash, recorder, actor);
    } catch (err) {
      // A twin of this request (a retry racing the original) may have been applied meanwhile: answer as it was.
      if (key && err instanceof HttpError && err.status === 409) {
        const twin = await this.replay(contestId, key, hash, recorder.id);
        if (twin) return twin;
      }
      throw err;
    }
  }

  private async recordNow(
    contest: ContestDoc,
    t: Target,
    input: MeasurementRecord,
    key: string | null,
    hash: string,
    recorder: Recorder,
    actor: AuditActor,
  ): Promise<RecordResult> {
    const bad = valueError(t.criterion.rule, input.value);
    if (bad) throw bad;
    if (contest.status !== 'judging')
      throw new HttpError(
        409,
        'contest_not_judging',
        `Measurements can only be entered while the contest is judging (it is ${contest.status})`,
        { contestStatus: contest.status },
      );
    const current = await this.current(t);
    if (current?.status === 'resolved')
      throw new HttpError(
        409,
        'measurement_resolved',
        'The organizer has decided this value; it can no longer be changed here',
        {
          current: cellView(current, recorder.id),
        },
      );
    if ((current?.version ?? 0) !== input.baseVersion)
      throw this.stale(current, input.baseVersion, cellView(current, recorder.id));
    const now = this.ctx.now();
    const doubleEntry = (contest.settings as ContestSettings).measurementDoubleEntry ?? false;
    const next = nextState(current, recorder, input.value, now, doubleEntry);
    const body: RecordingWrite = {
      entryId: t.entryId,
      criterionId: t.criterion.id,
      status: next.status,
      version: input.baseVersion + 1,
      own: { value: input.value, at: now.toISOString() },
      value: next.value,
    };
    const where = {
      contestId: t.contestId,
      roundId: t.roundId,
      entryId: t.entryId,
      criterionId: t.criterion.id,
    };
    let updated: Stored | null = null;
    try {
      updated = await this.ctx.models.Measurement.findOneAndUpdate(
        {
          ...where,
          version: input.baseVersion,
          status: mongoose.trusted({ $ne: 'resolved' }),
          ...(key ? { 'appliedKeys.key': mongoose.trusted({ $ne: key }) } : {}),
        },
        {
          $set: {
            readings: next.readings,
            value: next.value,
            status: next.status,
            resolution: null,
            updatedAt: now,
          },
          $inc: { version: 1 },
          ...(key
            ? {
                $push: {
                  appliedKeys: {
                    $each: [{ key, userId: recorder.id, requestHash: hash, response: body, at: now }],
                    $slice: -MEASUREMENT_KEYS_KEPT,
                  },
                },
              }
            : {}),
          $setOnInsert: { createdAt: now },
        },
        // The first reading is an upsert; the unique index turns a racing first reading into E11000.
        {
          upsert: !current,
          returnDocument: 'after',
          timestamps: false,
          setDefaultsOnInsert: false,
          ...MAJORITY,
        },
      ).lean<Stored>();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    if (!updated) {
      const latest = await this.current(t);
      throw this.stale(latest, input.baseVersion, cellView(latest, recorder.id));
    }
    const code = await this.codeOf(t.entryId);
    await this.ctx.audit.append({
      actor,
      action: 'measurement.record',
      contestId: t.contestId,
      target: { type: 'measurement', id: String(updated._id) },
      before: current ? measurementView(current, code) : null,
      after: { ...measurementView(updated, code), ...(key ? { idempotencyKey: key } : {}) },
    });
    return { body, replayed: false };
  }

  /** The stored answer if this recorder's key was already applied; 422 if it was used for another request. */
  private async replay(
    contestId: string,
    key: string,
    hash: string,
    userId: string,
  ): Promise<RecordResult | null> {
    const doc = await this.ctx.models.Measurement.findOne({ contestId, 'appliedKeys.key': key })
      .select('+appliedKeys')
      .lean<{ appliedKeys: AppliedKey[] }>();
    const applied = doc?.appliedKeys.find((a) => a.key === key && String(a.userId) === userId);
    if (!applied) return null;
    if (applied.requestHash !== hash) throw keyReused();
    return { body: applied.response, replayed: true };
  }

  private async codeOf(entryId: string) {
    return (await this.ctx.models.Entry.findById(entryId, { code: 1 }).lean())?.code ?? '';
  }

  // ---- organizers ----

  /** The round's measurements (of active entries), by entry code and rubric order, with counts per status. */
  async list(contestId: string, q: MeasurementListQuery): Promise<MeasurementList> {
    const contest = await this.contest(contestId);
    const roundId = requestedRoundId(contest, q.round);
    const criteria = (await this.criteria(contestId, roundId)).filter(isMeasured);
    const order = new Map(criteria.map((c, i) => [c.id, i]));
    const entries = await this.entries(contestId, roundId);
    const codes = new Map(entries.map((e) => [String(e._id), e.code]));
    const docs = (await this.ctx.models.Measurement.find({ contestId, roundId }).lean<Stored[]>()).filter(
      (d) => codes.has(String(d.entryId)) && order.has(d.criterionId),
    );
    const counts = Object.fromEntries(
      [...MEASUREMENT_STATUSES, 'missing'].map((s) => [s, 0]),
    ) as MeasurementList['counts'];
    for (const d of docs) counts[d.status as MeasurementStatus]++;
    counts.missing = entries.length * criteria.length - docs.length;
    const shown = docs
      .filter(
        (d) =>
          (!q.status || d.status === q.status) &&
          (!q.entryId || String(d.entryId) === q.entryId) &&
          (!q.criterionId || d.criterionId === q.criterionId),
      )
      .map((d) => measurementView(d, codes.get(String(d.entryId))!))
      .sort((a, b) => a.code.localeCompare(b.code) || order.get(a.criterionId)! - order.get(b.criterionId)!);
    return {
      roundId,
      doubleEntry: (contest.settings as ContestSettings).measurementDoubleEntry ?? false,
      measurements: shown,
      counts,
    };
  }

  /** The organizer sets the value that counts (a disagreement, a missing or a wrong reading); recorders are locked out. */
  async resolve(
    contestId: string,
    entryId: string,
    criterionId: string,
    input: MeasurementResolve,
    actor: AuditActor,
  ): Promise<Measurement> {
    const contest = await this.contest(contestId);
    const t = await this.target(contest, entryId, criterionId);
    const bad = valueError(t.criterion.rule, input.value);
    if (bad) throw bad;
    if (contest.status !== 'judging' && contest.status !== 'review')
      throw new HttpError(
        409,
        'contest_not_judging',
        `Measurements can only be decided while judging or in review (the contest is ${contest.status})`,
        { contestStatus: contest.status },
      );
    const code = await this.codeOf(entryId);
    const current = await this.current(t);
    if ((current?.version ?? 0) !== input.version)
      throw this.stale(current, input.version, current ? measurementView(current, code) : null);
    const now = this.ctx.now();
    const resolution = {
      userId: actor.userId,
      username: actor.username,
      value: input.value,
      reason: input.reason,
      at: now,
    };
    let updated: Stored | null = null;
    try {
      updated = await this.ctx.models.Measurement.findOneAndUpdate(
        {
          contestId: t.contestId,
          roundId: t.roundId,
          entryId: t.entryId,
          criterionId: t.criterion.id,
          version: input.version,
        },
        {
          $set: { value: input.value, status: 'resolved', resolution, updatedAt: now },
          $inc: { version: 1 },
          $setOnInsert: { readings: [], createdAt: now },
        },
        {
          upsert: !current,
          returnDocument: 'after',
          timestamps: false,
          setDefaultsOnInsert: false,
          ...MAJORITY,
        },
      ).lean<Stored>();
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
    }
    if (!updated) {
      const latest = await this.current(t);
      throw this.stale(latest, input.version, latest ? measurementView(latest, code) : null);
    }
    const view = measurementView(updated, code);
    await this.ctx.audit.append({
      actor,
      action: 'measurement.resolve',
      contestId,
      target: { type: 'measurement', id: view.id },
      before: current ? measurementView(current, code) : null,
      after: { ...view, reason: input.reason },
    });
    return view;
  }
}
