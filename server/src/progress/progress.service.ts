import { Types } from 'mongoose';
import type { AppContext } from '../context.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { requestedRoundId } from '../contests/rounds.js';
import { notFound } from '../http/errors.js';

type Counts = { assigned: number; submitted: number; drafts: number };
export type JudgeProgress = Counts & {
  judgeId: string;
  name: string;
  panelId: string | null;
  panelName: string | null;
  active: boolean;
  /** Submitted share of assigned work, 0..1 (1 when nothing is assigned). */
  done: number;
  lastActivityAt: string | null;
  /** Clearly behind the others: more than 20 points below the median share done, with work left. */
  behind: boolean;
};

const share = (c: Counts) => (c.assigned ? c.submitted / c.assigned : 1);
const median = (xs: number[]) => {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Judging progress counted in the database (aggregation pipelines), so a 100,000-entry contest is
 * summarized without reading its scores into the server.
 */
export class ProgressService {
  constructor(private readonly ctx: AppContext) {}

  async progress(contestId: string, roundIdParam?: string) {
    const { Contest, Assignment, Score, Judge, Panel, Entry } = this.ctx.models;
    const contest = await Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    const roundId = requestedRoundId(contest, roundIdParam);
    const cid = new Types.ObjectId(contestId);

    // Withdrawn entries are out of judging: their assignments and scores do not count.
    const withdrawn = (await Entry.find({ contestId: cid, status: 'withdrawn' }, { _id: 1 }).lean()).map(
      (e) => e._id,
    );
    const live = withdrawn.length ? { entryId: { $nin: withdrawn } } : {};

    const [assigned, scored, perEntry, judges, panels, entryCats] = await Promise.all([
      Assignment.aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { contestId: cid, roundId, ...live } },
        { $group: { _id: '$judgeId', n: { $sum: 1 } } },
      ]),
      Score.aggregate<{ _id: { judgeId: Types.ObjectId; status: string }; n: number; last: Date }>([
        { $match: { contestId: cid, roundId, ...live } },
        {
          $group: {
            _id: { judgeId: '$judgeId', status: '$status' },
            n: { $sum: 1 },
            last: { $max: '$updatedAt' },
          },
        },
      ]),
      // Per entry: how many judges are assigned and how many have submitted.
      Assignment.aggregate<{ _id: Types.ObjectId; assigned: number }>([
        { $match: { contestId: cid, roundId, ...live } },
        { $group: { _id: '$entryId', assigned: { $sum: 1 } } },
      ]),
      Judge.find({ contestId: cid }, { name: 1, panelId: 1, active: 1 }).lean(),
      Panel.find({ contestId: cid }, { name: 1 }).lean(),
      Entry.aggregate<{ _id: string | null; n: number }>([
        { $match: { contestId: cid, roundIds: roundId, status: 'active' } },
        { $group: { _id: '$category', n: { $sum: 1 } } },
      ]),
    ]);
    const submittedPerEntry = await Score.aggregate<{ _id: Types.ObjectId; n: number }>([
      { $match: { contestId: cid, roundId, status: 'submitted', ...live } },
      { $group: { _id: '$entryId', n: { $sum: 1 } } },
    ]);

    const panelName = new Map(panels.map((p) => [String(p._id), p.name]));
    const byJudge = new Map<string, Counts & { last: Date | null }>();
    const get = (id: string) => {
      let c = byJudge.get(id);
      if (!c) byJudge.set(id, (c = { assigned: 0, submitted: 0, drafts: 0, last: null }));
      return c;
    };
    for (const a of assigned) get(String(a._id)).assigned = a.n;
    for (const s of scored) {
      const c = get(String(s._id.judgeId));
      if (s._id.status === 'submitted') c.submitted += s.n;
      else c.drafts += s.n;
      if (s.last && (!c.last || s.last > c.last)) c.last = s.last;
    }
    const judgeRows: JudgeProgress[] = judges.map((j) => {
      const c = get(String(j._id));
      return {
        judgeId: String(j._id),
        name: j.name,
        panelId: j.panelId ? String(j.panelId) : null,
        panelName: j.panelId ? (panelName.get(String(j.panelId)) ?? null) : null,
        active: j.active ?? true,
        assigned: c.assigned,
        submitted: c.submitted,
        drafts: c.drafts,
        done: share(c),
        lastActivityAt: c.last ? c.last.toISOString() : null,
        behind: false,
      };
    });
    const mid = median(judgeRows.filter((j) => j.assigned > 0).map((j) => j.done));
    for (const j of judgeRows) j.behind = j.assigned > j.submitted && j.done < mid - 0.2;
    judgeRows.sort((a, b) => a.done - b.done || a.name.localeCompare(b.name, 'zh'));

    const panelRows = [...new Set(judgeRows.map((j) => j.panelId))].map((pid) => {
      const members = judgeRows.filter((j) => j.panelId === pid);
      const c = members.reduce(
        (s, j) => ({
          assigned: s.assigned + j.assigned,
          submitted: s.submitted + j.submitted,
          drafts: s.drafts + j.drafts,
        }),
        {
          assigned: 0,
          submitted: 0,
          drafts: 0,
        },
      );
      return {
        panelId: pid,
        panelName: pid ? (panelName.get(pid) ?? null) : null,
        judges: members.length,
        ...c,
        done: share(c),
      };
    });

    // Entries: fully scored (every assigned judge submitted), started, not started, or without judges.
    const submittedOf = new Map(submittedPerEntry.map((s) => [String(s._id), s.n]));
    const entryTotal = entryCats.reduce((s, c) => s + c.n, 0);
    let complete = 0;
    let started = 0;
    for (const e of perEntry) {
      const n = submittedOf.get(String(e._id)) ?? 0;
      if (n >= e.assigned) complete++;
      else if (n > 0) started++;
    }
    const categoryEntries = await this.categoryCompletion(cid, roundId, perEntry, submittedOf);

    return {
      roundId,
      status: contest.status,
      totals: {
        entries: entryTotal,
        assignments: judgeRows.reduce((s, j) => s + j.assigned, 0),
        submitted: judgeRows.reduce((s, j) => s + j.submitted, 0),
        drafts: judgeRows.reduce((s, j) => s + j.drafts, 0),
      },
      entries: {
        complete,
        started,
        notStarted: perEntry.length - complete - started,
        unassigned: Math.max(0, entryTotal - perEntry.length),
      },
      categories: entryCats
        .map((c) => ({
          category: c._id ?? null,
          entries: c.n,
          complete: categoryEntries.get(c._id ?? null) ?? 0,
        }))
        .sort((a, b) => String(a.category).localeCompare(String(b.category))),
      panels: panelRows,
      judges: judgeRows,
    };
  }

  /** Fully scored entries per category (categories live on entries, so look them up once). */
  private async categoryCompletion(
    cid: Types.ObjectId,
    roundId: string,
    perEntry: { _id: Types.ObjectId; assigned: number }[],
    submittedOf: Map<string, number>,
  ) {
    const out = new Map<string | null, number>();
    const cursor = this.ctx.models.Entry.find(
      { contestId: cid, roundIds: roundId, status: 'active' },
      { category: 1 },
    )
      .lean()
      .cursor();
    const assignedOf = new Map(perEntry.map((e) => [String(e._id), e.assigned]));
    for await (const e of cursor) {
      const a = assignedOf.get(String(e._id));
      if (!a) continue;
      if ((submittedOf.get(String(e._id)) ?? 0) >= a)
        out.set(e.category ?? null, (out.get(e.category ?? null) ?? 0) + 1);
    }
    return out;
  }
}
