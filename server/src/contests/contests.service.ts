import mongoose from 'mongoose';
import QRCode from 'qrcode';
import type { z } from 'zod';
import {
  CONTEST_TRANSITIONS,
  ContestSettingsSchema,
  rubricWeightSum,
  type Contest,
  type ContestCreateSchema,
  type ContestForMember,
  type ContestSettings,
  type ContestStatus,
  type ContestUpdate,
  type Criterion,
  type CriterionKind,
  type MeasurementRule,
  type Member,
  type MemberAdd,
  type MemberList,
  NEW_ACCOUNT_ROLES,
  type Role,
  type SignInCode,
  type Rubric,
  type RubricInputSchema,
} from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { currentRoundId } from './rounds.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { JudgesService } from '../judges/judges.service.js';
import { ResultsService } from '../results/results.service.js';
import type { AuditActor } from '../audit/audit.service.js';
import { canonicalJson } from '../audit/audit.service.js';
import type { ContestDoc, RubricDoc } from './contests.model.js';
import { updateVersioned } from '../db/versioned.js';
import { badRequest, conflict, notFound } from '../http/errors.js';

type ContestCreateInput = z.output<typeof ContestCreateSchema>;
type RubricInput = z.output<typeof RubricInputSchema>;
type Named = { id: string; name?: { zh: string; en?: string | null } | null };
type Timestamped = { createdAt?: Date; updatedAt?: Date };

const named = (list: Iterable<Named>) =>
  Array.from(list, (n) => ({ id: n.id, name: n.name?.en == null ? { zh: n.name?.zh ?? '' } : { zh: n.name.zh, en: n.name.en } }));
const iso = (d: Date | undefined) => (d ?? new Date(0)).toISOString();
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

export function contestView(c: ContestDoc & Timestamped): Contest {
  return {
    id: String(c._id),
    name: c.name,
    description: c.description ?? '',
    categories: named(c.categories),
    subjects: named(c.subjects),
    rounds: named(c.rounds),
    currentRoundId: c.rounds.length ? currentRoundId(c) : null,
    status: c.status as ContestStatus,
    publishedAt: c.publishedAt ? iso(c.publishedAt) : null,
    settings: c.settings as ContestSettings,
    version: c.version,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

/**
 * Organizers see everything; everyone else sees the contest without its settings, and a school organizer
 * is told which school they look after.
 */
function viewFor(c: ContestDoc & Timestamped, roles: Role[], school: string | null = null): ContestForMember {
  const full = contestView(c);
  if (roles.includes('organizer')) return { ...full, roles };
  const { settings: _hidden, ...rest } = full;
  return school === null ? { ...rest, roles } : { ...rest, roles, school };
}

function criterionView(c: RubricDoc['criteria'][number]): Criterion {
  const description = c.description?.en == null ? { zh: c.description?.zh ?? '' } : { zh: c.description.zh ?? '', en: c.description.en };
  return {
    ...named([c])[0]!,
    description,
    weight: c.weight,
    maxScore: c.maxScore,
    step: c.step,
    // Absent on criteria stored without them (judgement by default), so those read back as they were written.
    ...(c.kind ? { kind: c.kind as CriterionKind } : {}),
    ...(c.rule ? { rule: c.rule as MeasurementRule } : {}),
  };
}

export function rubricView(r: RubricDoc & Timestamped): Rubric & { id: string } {
  const criteria = r.criteria.map(criterionView);
  return {
    id: String(r._id),
    contestId: String(r.contestId),
    roundId: r.roundId,
    criteria,
    frozen: r.frozen,
    version: r.version,
    weightSum: rubricWeightSum(criteria),
    updatedAt: iso(r.updatedAt),
  };
}

/**
 * Extra rules of one status change: `check` refuses it (throws); `prepare` writes what must exist before
 * the status flips and names fields to set with it (undone if the flip fails); `after` runs once it is saved.
 */
type TransitionRule = {
  check?: (contest: ContestDoc) => Promise<void>;
  prepare?: (
    contest: ContestDoc,
    actor: AuditActor,
  ) => Promise<{ set: Record<string, unknown>; effects: Record<string, unknown>; undo: () => Promise<void> }>;
  after?: (contest: ContestDoc) => Promise<Record<string, unknown>>;
};

export class ContestsService {
  constructor(private readonly ctx: AppContext) {}

  // ---- contests ----

  async create(actor: AuditActor, input: ContestCreateInput): Promise<Contest> {
    const { Contest, Membership } = this.ctx.models;
    if (!actor.userId) throw new Error('a contest needs a signed-in creator');
    const doc = await Contest.create({ ...input, status: 'draft', version: 0, createdBy: actor.userId });
    const view = contestView(doc.toObject());
    await this.ctx.audit.append({ actor, action: 'contest.create', contestId: view.id, target: { type: 'contest', id: view.id }, after: view });
    // The creator organizes what they created; admins would see it anyway, but a membership survives losing admin.
    const m = await Membership.create({ contestId: doc._id, userId: actor.userId, role: 'organizer' });
    await this.ctx.audit.append({
      actor,
      action: 'member.add',
      contestId: view.id,
      target: { type: 'membership', id: String(m._id) },
      after: { userId: actor.userId, username: actor.username, role: 'organizer' },
    });
    return view;
  }

  /** Contests the user belongs to, newest first, each with the user's roles; admins see every contest. */
  async list(user: { id: string; isAdmin: boolean }): Promise<ContestForMember[]> {
    const { Contest, Membership } = this.ctx.models;
    const memberships = await Membership.find({ userId: user.id }, { contestId: 1, role: 1, school: 1 }).lean();
    const roles = new Map<string, Role[]>();
    const schools = new Map<string, string>();
    for (const m of memberships) {
      const key = String(m.contestId);
      roles.set(key, [...(roles.get(key) ?? []), m.role as Role]);
      if (m.role === 'schoolOrganizer' && m.school) schools.set(key, m.school);
    }
    const filter = user.isAdmin ? {} : { _id: mongoose.trusted({ $in: [...roles.keys()] }) };
    const contests = await Contest.find(filter).sort({ createdAt: -1 }).lean();
    return contests.map((c) => {
      const held = roles.get(String(c._id)) ?? [];
      if (user.isAdmin && !held.includes('organizer')) held.push('organizer');
      return viewFor(c, held, schools.get(String(c._id)) ?? null);
    });
  }

  async get(contestId: string, roles: Role[], school: string | null = null): Promise<ContestForMember> {
    return viewFor(await this.load(contestId), roles, school);
  }

  async update(actor: AuditActor, contestId: string, input: ContestUpdate): Promise<Contest> {
    const current = await this.load(contestId);
    const currentView = contestView(current);
    if (input.version !== current.version) throw this.stale('Contest', current.version, input.version, currentView);

    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    const change = (key: keyof Contest, value: unknown) => {
      if (value === undefined || same(value, currentView[key])) return;
      before[key] = currentView[key];
      after[key] = value;
    };
    change('name', input.name);
    change('description', input.description);
    change('categories', input.categories);
    change('subjects', input.subjects);
    change('rounds', input.rounds);
    if (input.settings) change('settings', ContestSettingsSchema.parse({ ...currentView.settings, ...input.settings }));

    // Bad input first (400), then what the contest's state forbids (409).
    if (after.settings && input.settings?.tieBreak) await this.checkTieBreak(contestId, input.settings.tieBreak, 'body.settings.tieBreak');

    const structural = (['categories', 'subjects', 'rounds'] as const).filter((k) => k in after);
    if (structural.length && current.status !== 'draft')
      throw conflict(`${structural.join(', ')} can only be changed while the contest is a draft (it is ${current.status})`, {
        fields: structural.map((k) => `body.${k}`),
      });
    if (after.settings && current.status === 'published') throw conflict('Settings cannot change once results are published');

    const removed = (key: 'categories' | 'subjects' | 'rounds') =>
      after[key] ? currentView[key].map((n) => n.id).filter((id) => !(after[key] as Named[]).some((n) => n.id === id)) : [];
    await this.refuseInUse(contestId, 'category', removed('categories'));
    await this.refuseInUse(contestId, 'subject', removed('subjects'));
    const removedRounds = removed('rounds');
    await this.refuseInUse(contestId, 'round', removedRounds);

    if (!Object.keys(after).length) return currentView;
    const updated = await updateVersioned<ContestDoc>(this.ctx.models.Contest as never, { _id: contestId }, input.version, after, 'Contest', contestView);
    const view = contestView(updated);
    await this.ctx.audit.append({ actor, action: 'contest.update', contestId, target: { type: 'contest', id: contestId }, before, after });

    // A removed round takes its (draft) rubric with it; nothing else can reach that rubric any more.
    for (const roundId of removedRounds) {
      const rubric = await this.ctx.models.Rubric.findOneAndDelete({ contestId, roundId }).lean();
      if (rubric)
        await this.ctx.audit.append({ actor, action: 'rubric.delete', contestId, target: { type: 'rubric', id: String(rubric._id) }, before: rubricView(rubric) });
    }
    return view;
  }

  async changeStatus(actor: AuditActor, contestId: string, to: ContestStatus, version: number): Promise<Contest> {
    const current = await this.load(contestId);
    if (version !== current.version) throw this.stale('Contest', current.version, version, contestView(current));
    const from = current.status as ContestStatus;
    if (!CONTEST_TRANSITIONS[from].includes(to))
      throw conflict(`A contest cannot go from ${from} to ${to}` + (CONTEST_TRANSITIONS[from].length ? ` (only to ${CONTEST_TRANSITIONS[from].join(', ')})` : ''), {
        from,
        to,
      });
    const rule = this.transitionRules[`${from}->${to}`] ?? {};
    await rule.check?.(current);
    const prepared = (await rule.prepare?.(current, actor)) ?? { set: {}, effects: {}, undo: async () => undefined };
    let updated: ContestDoc;
    try {
      updated = await updateVersioned<ContestDoc>(this.ctx.models.Contest as never, { _id: contestId }, version, { status: to, ...prepared.set }, 'Contest', contestView);
    } catch (err) {
      await prepared.undo();
      throw err;
    }
    const effects = { ...prepared.effects, ...((await rule.after?.(updated)) ?? {}) };
    await this.ctx.audit.append({
      actor,
      action: 'contest.status',
      contestId,
      target: { type: 'contest', id: contestId },
      before: { status: from, version },
      after: { status: to, version: updated.version, ...effects },
    });
    return contestView(updated);
  }

  private readonly transitionRules: Partial<Record<`${ContestStatus}->${ContestStatus}`, TransitionRule>> = {
    // Publication stores the results as they are now; from then on every public page reads only them.
    'review->published': {
      prepare: (contest, actor) => new ResultsService(this.ctx).snapshot(contest, actor),
    },
    'draft->judging': {
      check: async (contest) => {
        const rubrics = await this.ctx.models.Rubric.find({ contestId: contest._id }).lean();
        for (const round of contest.rounds) {
          const rubric = rubrics.find((r) => r.roundId === round.id);
          if (!rubric || rubric.criteria.length === 0)
            throw conflict(`Round "${round.name?.zh ?? round.id}" (${round.id}) has no rubric with criteria yet; judging cannot start`, { roundId: round.id });
        }
        const criteria = new Set(rubrics.flatMap((r) => r.criteria.map((c) => c.id)));
        const tieBreak = (contest.settings as ContestSettings).tieBreak ?? [];
        const missing = tieBreak.filter((id) => !criteria.has(id));
        if (missing.length)
          throw conflict(`The tie-break names criteria that no rubric has: ${missing.join(', ')}`, { field: 'settings.tieBreak' });
      },
      // Scores are only comparable if every judge scores against the same rubric.
      after: async (contest) => {
        const { Rubric } = this.ctx.models;
        const open = await Rubric.find({ contestId: contest._id, frozen: false }, { roundId: 1 }).lean();
        await Rubric.updateMany({ contestId: contest._id, frozen: false }, { $set: { frozen: true }, $inc: { version: 1 } });
        return { frozenRubrics: open.map((r) => r.roundId) };
      },
    },
  };

  // ---- rubrics ----

  async getRubric(contestId: string, roundId: string) {
    const contest = await this.load(contestId);
    this.round(contest, roundId);
    const rubric = await this.ctx.models.Rubric.findOne({ contestId, roundId }).lean();
    if (!rubric) throw notFound('Rubric');
    return rubricView(rubric);
  }

  /** Creates the round's rubric (no version) or replaces it (the version read); never once judging started. */
  async putRubric(actor: AuditActor, contestId: string, roundId: string, input: RubricInput) {
    const { Rubric } = this.ctx.models;
    const contest = await this.load(contestId);
    this.round(contest, roundId);
    const existing = await Rubric.findOne({ contestId, roundId }).lean();
    if (contest.status !== 'draft' || existing?.frozen)
      throw conflict('The rubric is frozen once judging starts', existing ? { current: rubricView(existing) } : {});
    const criteria = input.criteria;

    if (!existing) {
      if (input.version !== undefined) throw conflict('This round has no rubric yet; send no version to create it', { current: null });
      const created = await Rubric.create({ contestId, roundId, criteria, frozen: false, version: 0 });
      const view = rubricView(created.toObject());
      await this.ctx.audit.append({ actor, action: 'rubric.put', contestId, target: { type: 'rubric', id: view.id }, before: null, after: view });
      return { created: true, rubric: view };
    }
    const beforeView = rubricView(existing);
    if (input.version === undefined)
      throw conflict('This round already has a rubric; send the version you read to replace it', { current: beforeView });
    // The freeze bumps the version too, so a rubric frozen since it was read fails here as stale.
    const updated = await updateVersioned<RubricDoc>(Rubric as never, { _id: existing._id }, input.version, { criteria }, 'Rubric', rubricView);
    const view = rubricView(updated);
    await this.ctx.audit.append({ actor, action: 'rubric.put', contestId, target: { type: 'rubric', id: view.id }, before: beforeView, after: view });
    return { created: false, rubric: view };
  }

  // ---- members ----

  async listMembers(contestId: string): Promise<MemberList> {
    await this.load(contestId);
    const schools = (await this.ctx.models.Entry.distinct('school', { contestId }))
      .map(String)
      .filter((s) => s.trim())
      .sort((a, b) => a.localeCompare(b, 'zh'));
    return { members: await this.memberViews(contestId), schools };
  }

  private async memberViews(contestId: string): Promise<Member[]> {
    const memberships = await this.ctx.models.Membership.find({ contestId }).sort({ createdAt: 1, _id: 1 }).lean();
    const users = await this.ctx.models.User.find(
      { _id: mongoose.trusted({ $in: [...new Set(memberships.map((m) => String(m.userId)))] }) },
      { username: 1, displayName: 1 },
    ).lean();
    const byId = new Map(users.map((u) => [String(u._id), u]));
    return memberships.map((m) => this.memberView(m, byId.get(String(m.userId))));
  }

  async addMember(actor: AuditActor, contestId: string, input: MemberAdd): Promise<Member> {
    if (input.role === 'judge')
      throw badRequest('Judges are added through the judges API, which also creates their judge record', [
        { path: 'body.role', message: 'use the judges API to add judges' },
      ]);
    await this.load(contestId);
    const { Membership, User } = this.ctx.models;
    const taken = () =>
      conflict(`body.username: "${input.username}" is taken; leave the name out to add that account`, { field: 'body.username' });
    let user = await User.findOne({ username: input.username }, { username: 1, displayName: 1 }).lean();
    let createdUserId: unknown = null;
    if (input.displayName !== undefined) {
      // A name asks for a new account: never give an existing account to someone else.
      if (user) throw taken();
      try {
        const doc = await User.create({ username: input.username, displayName: input.displayName, passwordHash: null });
        user = { _id: doc._id, username: doc.username, displayName: doc.displayName };
        createdUserId = doc._id;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) throw taken();
        throw err;
      }
    } else if (!user) throw notFound(`User "${input.username}"`);
    if (!createdUserId && (await Membership.exists({ contestId, userId: user._id, role: input.role })))
      throw conflict(`${input.username} is already a ${input.role} of this contest`, { field: 'body.username' });
    let view: Member;
    try {
      const m = await Membership.create({ contestId, userId: user._id, role: input.role, school: input.school ?? null });
      view = this.memberView(m.toObject(), user);
    } catch (err) {
      // No transactions on a standalone server: an account made for this membership goes with it.
      if (createdUserId) await User.deleteOne({ _id: createdUserId });
      throw err;
    }
    if (createdUserId)
      await this.ctx.audit.append({
        actor,
        action: 'user.create',
        contestId,
        target: { type: 'user', id: view.userId },
        after: { userId: view.userId, username: view.username, displayName: view.displayName, signIn: 'code', forRole: view.role },
      });
    await this.ctx.audit.append({ actor, action: 'member.add', contestId, target: { type: 'membership', id: view.id }, after: view });
    return view;
  }

  /** A one-time code (and QR link) for a recorder's phone or a school organizer; older unused codes stop working. */
  async issueMemberCode(actor: AuditActor, contestId: string, membershipId: string): Promise<SignInCode> {
    await this.load(contestId);
    const { Membership, User } = this.ctx.models;
    const m = await Membership.findOne({ _id: membershipId, contestId }).lean();
    if (!m) throw notFound('Membership');
    if (!(NEW_ACCOUNT_ROLES as readonly string[]).includes(m.role))
      throw conflict(
        m.role === 'judge'
          ? 'Judges get their sign-in codes through the judges API'
          : `Sign-in codes are for recorders and school organizers (this member is a ${m.role})`,
        { role: m.role },
      );
    const user = await User.findById(m.userId, { disabled: 1 }).lean();
    if (!user || user.disabled) throw conflict('This account is disabled; it cannot sign in');
    const { code, expiresAt } = await new AccountsService(this.ctx).issueSignInCode(String(m.userId), contestId);
    const url = new JudgesService(this.ctx).signInUrl(code);
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    // Never the code itself: the log is readable by every organizer.
    await this.ctx.audit.append({
      actor,
      action: 'sign_in_code.issue',
      contestId,
      target: { type: 'membership', id: membershipId },
      before: null,
      after: { membershipId, userId: String(m.userId), role: m.role, expiresAt: expiresAt.toISOString() },
    });
    return { code, expiresAt: expiresAt.toISOString(), url, qrSvg };
  }

  async removeMember(actor: AuditActor, contestId: string, membershipId: string): Promise<void> {
    const { Membership, User } = this.ctx.models;
    const m = await Membership.findOne({ _id: membershipId, contestId }).lean();
    if (!m) throw notFound('Membership');
    if (m.role === 'judge') throw conflict('Judges are removed through the judges API, which also updates their judge record');
    const lastOrganizer = 'This is the last organizer of the contest; add another organizer first';
    if (m.role === 'organizer' && (await Membership.countDocuments({ contestId, role: 'organizer' })) <= 1) throw conflict(lastOrganizer);
    const user = await User.findById(m.userId, { username: 1, displayName: 1 }).lean();
    await Membership.deleteOne({ _id: m._id });
    // Two organizers removing each other at once could both pass the count above: put this one back.
    if (m.role === 'organizer' && (await Membership.countDocuments({ contestId, role: 'organizer' })) === 0) {
      await Membership.create(m);
      throw conflict(lastOrganizer);
    }
    await this.ctx.audit.append({
      actor,
      action: 'member.remove',
      contestId,
      target: { type: 'membership', id: membershipId },
      before: this.memberView(m, user ?? undefined),
    });
  }

  // ---- helpers ----

  private async load(contestId: string) {
    const contest = await this.ctx.models.Contest.findById(contestId).lean();
    if (!contest) throw notFound('Contest');
    return contest;
  }

  private round(contest: ContestDoc, roundId: string) {
    const round = contest.rounds.find((r) => r.id === roundId);
    if (!round) throw notFound(`Round "${roundId}"`);
    return round;
  }

  private stale(what: string, currentVersion: number, sent: number, current: unknown) {
    return conflict(`${what} was changed by someone else (version ${currentVersion}, you sent ${sent})`, { current });
  }

  /** Tie-break ids must be criteria of a rubric of this contest, once there is a rubric to check against. */
  private async checkTieBreak(contestId: string, tieBreak: string[], path: string) {
    const rubrics = await this.ctx.models.Rubric.find({ contestId }, { criteria: 1 }).lean();
    if (!rubrics.length) return;
    const criteria = new Set(rubrics.flatMap((r) => r.criteria.map((c) => c.id)));
    const fields = tieBreak.flatMap((id, i) => (criteria.has(id) ? [] : [{ path: `${path}.${i}`, message: `"${id}" is not a criterion of any rubric` }]));
    if (fields.length) throw badRequest(fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
  }

  /** Refuses to drop a category, subject or round that entries (or panels) still use, naming it. */
  private async refuseInUse(contestId: string, kind: 'category' | 'subject' | 'round', ids: string[]) {
    if (!ids.length) return;
    const { Entry, Panel } = this.ctx.models;
    const field = kind === 'round' ? 'roundIds' : kind;
    const $in = mongoose.trusted({ $in: ids });
    const usedByEntries = (await Entry.distinct(field, { contestId, [field]: $in })).map(String).filter((id) => ids.includes(id));
    const usedByPanels = kind === 'category' ? (await Panel.distinct('category', { contestId, category: $in })).map(String) : [];
    const used = [...new Set([...usedByEntries, ...usedByPanels])];
    if (!used.length) return;
    const plural = kind === 'category' ? 'categories' : `${kind}s`;
    throw conflict(`Cannot remove ${used.length === 1 ? kind : plural} ${used.map((id) => `"${id}"`).join(', ')}: still used by ${usedByPanels.length ? 'entries or panels' : 'entries'}`, {
      field: `body.${plural}`,
      inUse: used,
    });
  }

  private memberView(
    m: { _id: unknown; contestId: unknown; userId: unknown; role: string; school?: string | null; createdAt?: Date },
    user: { username: string; displayName: string } | undefined,
  ): Member {
    return {
      id: String(m._id),
      contestId: String(m.contestId),
      userId: String(m.userId),
      username: user?.username ?? '(deleted user)',
      displayName: user?.displayName ?? '',
      role: m.role as Role,
      school: m.school ?? null,
      createdAt: iso(m.createdAt),
    };
  }
}
