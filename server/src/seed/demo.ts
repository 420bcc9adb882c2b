import { Types } from 'mongoose';
import { ContestSettingsSchema } from '@pingxuan/shared';
import type { AppContext } from '../context.js';
import { hashPassword } from '../accounts/password.js';
import { AccountsService } from '../accounts/accounts.service.js';
import { hashSecret, newSecret } from '../accounts/tokens.js';
import { seededRandom } from './random.js';
import { LESSONS } from './blackboard.js';
import {
  DEMO_CATEGORIES,
  DEMO_COMMENTS,
  DEMO_CONTEST,
  DEMO_CRITERIA,
  DEMO_JUDGES,
  DEMO_PANELS,
  DEMO_SCHOOLS,
  DEMO_SUBJECTS,
  GIVEN_NAMES,
  PRIMARY_SUBJECTS,
  SECONDARY_SUBJECTS,
  SURNAMES,
} from './demo-data.js';

export type DemoLogin = { role: string; username: string; password: string };
export type DemoSeed = {
  contestId: string;
  logins: DemoLogin[];
  /** A judge's one-time sign-in code and a teacher's private feedback link, to try those paths. */
  judgeCode: string;
  feedbackPath: string;
  /** Entries with their latent quality, for drawing their photos. */
  entries: { id: string; code: string; subject: string; quality: number }[];
};

export const DEMO_ENTRY_COUNT = 497;
/** The school the demo's school organizer (school01) looks after: no demo judge works there. */
const DEMO_SCHOOL_OF_ORGANIZER = '滨江区第一小学';
const SEED = 20261125;
const STEP = 0.5;

const roundToStep = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v / STEP) * STEP));

/**
 * Seeds the district blackboard-writing contest on an empty database: 497 entries, 8 criteria,
 * 15 judges in 3 panels, tiers first = 70 and second = 127, judging about two-thirds done.
 * Returns null when the database already has users (never seeds twice).
 */
export async function seedDemo(ctx: AppContext): Promise<DemoSeed | null> {
  const m = ctx.models;
  if ((await m.User.estimatedDocumentCount()) > 0) return null;
  const r = seededRandom(SEED);
  const now = ctx.now();

  const logins: DemoLogin[] = [
    { role: 'admin', username: 'admin', password: 'admin-demo-2026' },
    { role: 'organizer', username: 'organizer', password: 'organizer-demo-2026' },
    { role: 'judge', username: 'judge01', password: 'judge-demo-2026' },
    { role: 'school', username: 'school01', password: 'school-demo-2026' },
  ];
  const [adminHash, organizerHash, judgeHash, schoolHash] = await Promise.all(
    logins.map((l) => hashPassword(l.password)),
  );
  const [admin, organizer, schoolOrganizer] = await m.User.create([
    { username: 'admin', displayName: '系统管理员', passwordHash: adminHash, isAdmin: true },
    { username: 'organizer', displayName: '区教育工会 赛事组织者', passwordHash: organizerHash },
    { username: 'school01', displayName: `${DEMO_SCHOOL_OF_ORGANIZER} 教务处`, passwordHash: schoolHash },
  ]);

  const settings = ContestSettingsSchema.parse({
    aggregation: { method: 'trimmedMean', trim: 1, normalization: 'none', minJudges: 3 },
    disagreementThreshold: 15,
    tiers: [
      { id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: 70 },
      { id: 'second', name: { zh: '二等奖', en: 'Second prize' }, quota: 127 },
    ],
    tiePolicy: 'include',
    quotaScope: 'contest',
    tieBreak: ['highlight', 'structure'],
    judgesPerEntry: 5,
    bootstrapSamples: 500,
  });
  const contest = await m.Contest.create({
    ...DEMO_CONTEST,
    categories: DEMO_CATEGORIES,
    subjects: DEMO_SUBJECTS,
    rounds: [{ id: 'district', name: { zh: '区级评审', en: 'District round' } }],
    status: 'judging',
    settings,
    createdBy: admin!._id,
  });
  const contestId = contest._id;
  const roundId = 'district';
  await m.Membership.create([
    { contestId, userId: organizer!._id, role: 'organizer' },
    // A school's contact sees their own school's works and ranking, to try the school organizer's pages.
    { contestId, userId: schoolOrganizer!._id, role: 'schoolOrganizer', school: DEMO_SCHOOL_OF_ORGANIZER },
  ]);
  await m.Rubric.create({
    contestId,
    roundId,
    criteria: DEMO_CRITERIA.map((c) => ({ ...c, maxScore: c.weight, step: STEP })),
    frozen: true,
  });

  // Entries: primary slightly more than secondary, each from a school of its level.
  const primarySchools = DEMO_SCHOOLS.filter((s) => s.includes('小学'));
  const secondarySchools = DEMO_SCHOOLS.filter((s) => s.includes('中学'));
  const entries = Array.from({ length: DEMO_ENTRY_COUNT }, (_, i) => {
    const primary = r.next() < 0.55;
    const subject = r.pick(primary ? PRIMARY_SUBJECTS : SECONDARY_SUBJECTS);
    const lesson = r.pick(LESSONS[subject]!);
    const quality = Math.min(0.98, Math.max(0.08, 0.62 + 0.15 * r.normal()));
    const code = `BB${String(i + 1).padStart(3, '0')}`;
    return {
      _id: new Types.ObjectId(),
      contestId,
      roundIds: [roundId],
      code,
      title: `${lesson.title} 板书设计`,
      teacherName: r.pick(SURNAMES) + r.pick(GIVEN_NAMES),
      school: r.pick(primary ? primarySchools : secondarySchools),
      category: primary ? 'primary' : 'secondary',
      subject,
      imageFileNames: [`${code}.jpg`],
      quality,
    };
  });
  await m.Entry.insertMany(entries.map(({ quality: _q, ...e }) => e));

  // Judges and panels
  const panels = await m.Panel.create(DEMO_PANELS.map((p) => ({ ...p, contestId })));
  const judgeUsers = await m.User.create(
    DEMO_JUDGES.map((j, i) => ({
      username: `judge${String(i + 1).padStart(2, '0')}`,
      displayName: j.name,
      passwordHash: i === 0 ? judgeHash : null,
    })),
  );
  const judges = await m.Judge.create(
    DEMO_JUDGES.map((j, i) => ({
      contestId,
      userId: judgeUsers[i]!._id,
      name: j.name,
      school: j.school,
      panelId: panels[Math.floor(i / 5)]!._id,
      conflictSchools: [],
      conflictEntryCodes: [],
    })),
  );
  await m.Membership.insertMany(judgeUsers.map((u) => ({ contestId, userId: u._id, role: 'judge' })));

  // Assignment: primary entries alternate between the two primary panels, secondary go to the third;
  // a judge from the entry's own school is swapped for the least-loaded judge of another panel.
  const load = new Map<string, number>(judges.map((j) => [String(j._id), 0]));
  const primaryCount = { n: 0 };
  const assignments: { contestId: Types.ObjectId; roundId: string; entryId: Types.ObjectId; judgeId: Types.ObjectId; order: number; reason: string }[] = [];
  for (const e of entries) {
    const panelIndex = e.category === 'primary' ? primaryCount.n++ % 2 : 2;
    const panelJudges = judges.slice(panelIndex * 5, panelIndex * 5 + 5);
    for (const j of panelJudges) {
      let chosen = j;
      let reason = `${DEMO_PANELS[panelIndex]!.name}评委`;
      if (j.school === e.school) {
        chosen = judges
          .filter((o) => o.school !== e.school && !panelJudges.includes(o))
          .sort((a, b) => load.get(String(a._id))! - load.get(String(b._id))!)[0]!;
        reason = `替换${j.name}（同校回避）`;
      }
      const key = String(chosen._id);
      load.set(key, load.get(key)! + 1);
      assignments.push({ contestId, roundId, entryId: e._id, judgeId: chosen._id, order: load.get(key)!, reason });
    }
  }
  await m.Assignment.insertMany(assignments);

  // Scores: each judge has worked through a different share of their list (two-thirds on average).
  const leniency = judges.map(() => 0.05 * r.normal());
  const progress = judges.map((_, i) => [0.95, 0.4, 0.75, 0.6, 1, 0.55, 0.8, 0.45, 0.7, 0.9, 0.5, 0.65, 0.85, 0.6, 0.7][i]!);
  const quality = new Map(entries.map((e) => [String(e._id), e.quality]));
  const scores = [];
  for (const a of assignments) {
    const ji = judges.findIndex((j) => j._id.equals(a.judgeId));
    const total = load.get(String(a.judgeId))!;
    if (a.order > Math.round(total * progress[ji]!)) continue;
    const q = quality.get(String(a.entryId))!;
    const values: Record<string, number> = {};
    for (const c of DEMO_CRITERIA) values[c.id] = roundToStep(c.weight * (q + leniency[ji]! + 0.07 * r.normal()), c.weight);
    const draft = a.order === Math.round(total * progress[ji]!) && progress[ji]! < 1;
    scores.push({
      contestId,
      roundId,
      entryId: a.entryId,
      judgeId: a.judgeId,
      values,
      comment: r.next() < 0.3 ? r.pick(DEMO_COMMENTS) : '',
      status: draft ? 'draft' : 'submitted',
      submittedAt: draft ? null : now,
    });
  }
  await m.Score.insertMany(scores);

  const judgeCode = (await new AccountsService(ctx).issueSignInCode(String(judgeUsers[1]!._id), String(contestId))).code;
  const feedbackToken = newSecret();
  await m.Entry.updateOne({ _id: entries[0]!._id }, { $set: { feedbackTokenHash: hashSecret(feedbackToken) } });

  await ctx.audit.append({
    actor: null,
    action: 'seed.demo',
    contestId: String(contestId),
    target: { type: 'contest', id: String(contestId) },
    after: { entries: entries.length, judges: judges.length, panels: panels.length, scores: scores.length },
  });

  return {
    contestId: String(contestId),
    logins,
    judgeCode,
    feedbackPath: `/feedback/${feedbackToken}`,
    entries: entries.map((e) => ({ id: String(e._id), code: e.code, subject: e.subject, quality: e.quality })),
  };
}
