import mongoose, { Types } from 'mongoose';
import {
  AdvancementInputError,
  describeAdvancementReason,
  planAdvancement,
  type AdvancementEntryView,
  type AdvancementOutcome,
  type AdvancementRecord,
  type AdvancementRequestSchema,
  type AdvancementRulesSchema,
} from '@pingxuan/shared';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { ContestDoc } from '../contests/contests.model.js';
import type { AdvancementDoc } from './advancement.model.js';
import { currentRoundId } from '../contests/rounds.js';
import { badRequest, conflict, notFound } from '../http/errors.js';
import { ResultsService } from '../results/results.service.js';

type Request = z.output<typeof AdvancementRequestSchema>;
const CHUNK = 5000;
const sameIds = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((id, i) => String(id) === String(b[i]));

/**
 * Sends the entries chosen by the organizer's rules from the current round on to the next one: they take
 * their photos and details with them, not their scores. Preview and confirmation run the same computation on
 * the same (locked) results, so what was previewed is what is confirmed.
 */
export class AdvancementService {
  constructor(private readonly ctx: AppContext) {}

  /** The confirmed advancements of the contest, oldest first, each with the entries that went on. */
  async history(contestId: string): Promise<AdvancementRecord[]> {
    const records = await this.ctx.models.Advancement.find({ contestId })
      .sort({ createdAt: 1, _id: 1 })
      .lean();
    const out: AdvancementRecord[] = [];
    for (const r of records) out.push(await this.recordView(contestId, r));
    return out;
  }

  /** One confirmed advancement, for its list of entries as a file. */
  async record(contestId: string, advancementId: string): Promise<AdvancementRecord> {
    const r = await this.ctx.models.Advancement.findOne({ _id: advancementId, contestId }).lean();
    if (!r) throw notFound('Advancement');
    return this.recordView(contestId, r);
  }

  private async recordView(contestId: string, r: AdvancementDoc): Promise<AdvancementRecord> {
    const entries = [];
    for (let i = 0; i < r.advancingIds.length; i += CHUNK)
      entries.push(
        ...(await this.ctx.models.Entry.find(
          { contestId, _id: mongoose.trusted({ $in: r.advancingIds.slice(i, i + CHUNK) }) },
          { code: 1, title: 1, teacherName: 1, school: 1, category: 1 },
        ).lean()),
      );
    entries.sort((a, b) => a.code.localeCompare(b.code));
    const by = r.confirmedBy as AuditActor | null;
    return {
      id: String(r._id),
      fromRound: r.fromRound,
      toRound: r.toRound,
      rules: r.rules as z.output<typeof AdvancementRulesSchema>,
      counts: r.counts as AdvancementOutcome['counts'],
      advancing: entries.map((e) => ({
        entryId: String(e._id),
        code: e.code,
        title: e.title,
        teacherName: e.teacherName,
        school: e.school,
        category: e.category ?? null,
      })),
      confirmedAt: (r as { createdAt: Date }).createdAt.toISOString(),
      completedAt: r.completedAt ? r.completedAt.toISOString() : null,
      confirmedBy: by ? { userId: by.userId ?? null, username: by.username ?? null } : null,
    };
  }

  async advance(
    contestId: string,
    input: Request,
    opts: { dryRun: boolean; lang: 'zh' | 'en'; actor: AuditActor },
  ): Promise<AdvancementOutcome> {
    const { Contest } = this.ctx.models;
    const contest = await Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    const fromRound = currentRoundId(contest);
    const order = contest.rounds.map((r) => r.id);
    const next = order[order.indexOf(fromRound) + 1];
    if (input.toRound !== next)
      throw badRequest(`Entries can only go on to the round after "${fromRound}"`, [
        {
          path: 'body.toRound',
          message: next
            ? `must be "${next}", the round after the current one`
            : `"${fromRound}" is the last round`,
        },
      ]);
    // Only settled results may decide who goes on: a preview is fine while judging, a confirmation is not.
    const allowed = opts.dryRun ? ['judging', 'review'] : ['review'];
    if (!allowed.includes(contest.status))
      throw conflict(
        opts.dryRun
          ? `Advancement can be previewed once judging has started (the contest is ${contest.status})`
          : `Advancement is confirmed from review, when the round's results are settled (the contest is ${contest.status})`,
        { code: 'contest_status', status: contest.status },
      );

    const computed = await new ResultsService(this.ctx).compute(contest, fromRound);
    const rows = computed.output.entries.map((e) => {
      const info = computed.entries.get(e.entryId)!;
      return {
        id: e.entryId,
        score: e.score,
        rank: e.rank,
        category: info.category,
        school: info.school || null,
        incomplete: e.flags.includes('incomplete') || e.rank === null,
      };
    });
    let plan;
    try {
      plan = planAdvancement({ entries: rows, rules: input.rules });
    } catch (err) {
      if (err instanceof AdvancementInputError)
        throw badRequest(
          'These rules cannot be applied to the round’s results',
          err.problems.map((p) => ({ path: `body.rules`, message: `${p.path.join('.')}: ${p.message}` })),
        );
      throw err;
    }
    const result = new Map(computed.output.entries.map((e) => [e.entryId, e]));
    const view = (entryId: string): AdvancementEntryView => {
      const info = computed.entries.get(entryId)!;
      const r = result.get(entryId)!;
      return {
        entryId,
        code: info.code,
        title: info.title,
        school: info.school,
        category: info.category,
        score: r.score,
        rank: r.rank,
      };
    };
    const categoryNames = Object.fromEntries(
      (contest.categories ?? []).map((c) => [
        c.id,
        (opts.lang === 'en' ? c.name?.en : undefined) ?? c.name?.zh ?? c.id,
      ]),
    );
    const outcome: AdvancementOutcome = {
      dryRun: opts.dryRun,
      fromRound,
      toRound: input.toRound,
      counts: plan.counts,
      groups: plan.groups,
      advancing: plan.advancing.map(view),
      notAdvancing: plan.notAdvancing.map((n) => ({
        ...view(n.entryId),
        reason: n.reason,
        explanation: describeAdvancementReason(
          n,
          opts.lang,
          n.scope === 'category' ? categoryNames : undefined,
        ),
      })),
    };
    if (!opts.dryRun) await this.confirm(contest, fromRound, input, plan.advancing, plan.counts, opts.actor);
    return outcome;
  }

  private async confirm(
    contest: ContestDoc,
    fromRound: string,
    input: Request,
    advancing: string[],
    counts: AdvancementOutcome['counts'],
    actor: AuditActor,
  ) {
    const { Advancement, Entry, Contest } = this.ctx.models;
    const ids = advancing.map((id) => new Types.ObjectId(id));
    const existing = await Advancement.findOne({ contestId: contest._id, fromRound }).lean();
    if (existing?.completedAt)
      throw conflict(`Round "${fromRound}" has already sent its entries on`, { code: 'already_advanced' });
    if (existing && !sameIds(existing.advancingIds, ids))
      throw conflict(
        'An earlier confirmation with other rules was cut short; confirm it with the same rules',
        {
          code: 'advancement_pending',
          rules: existing.rules,
        },
      );
    const recordId =
      existing?._id ??
      (
        await Advancement.create({
          contestId: contest._id,
          fromRound,
          toRound: input.toRound,
          rules: input.rules,
          advancingIds: ids,
          counts,
          confirmedBy: actor,
        })
      )._id;

    for (let i = 0; i < ids.length; i += CHUNK)
      await Entry.updateMany(
        { contestId: contest._id, _id: mongoose.trusted({ $in: ids.slice(i, i + CHUNK) }) },
        { $addToSet: { roundIds: input.toRound } },
      );
    // The next round is judged as soon as its assignment is made (its rubric was frozen with the first).
    const moved = await Contest.findOneAndUpdate(
      { _id: contest._id, status: 'review', currentRoundId: contest.currentRoundId ?? null },
      { $set: { status: 'judging', currentRoundId: input.toRound }, $inc: { version: 1 } },
      { returnDocument: 'after' },
    ).lean<ContestDoc>();
    if (!moved)
      throw conflict('The contest changed while entries were being sent on; confirm again', {
        code: 'stale',
      });
    await Advancement.updateOne({ _id: recordId }, { $set: { completedAt: this.ctx.now() } });
    await this.ctx.audit.append({
      actor,
      action: 'round.advance',
      contestId: String(contest._id),
      target: { type: 'round', id: fromRound },
      before: { status: contest.status, currentRoundId: fromRound },
      after: { status: 'judging', currentRoundId: input.toRound, rules: input.rules, counts },
    });
  }
}
