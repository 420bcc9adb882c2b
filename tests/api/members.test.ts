// Members an organizer adds without an administrator: new accounts for recorders and school organizers,
// and one-time sign-in codes (QR links) for their phones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemberListSchema, MemberSchema, SignInCodeSchema, type Role } from '@pingxuan/shared';
import { snapshot, startTestApp, type Client, type TestApp } from './harness.js';

let t: TestApp;
let admin: Client;
let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;
const paths = (r: { body: { error?: { fields?: { path: string }[] } } }) =>
  (r.body.error?.fields ?? []).map((f) => f.path).sort();

beforeAll(async () => {
  t = await startTestApp({ publicUrl: 'https://pingxuan.example' });
  admin = await t.signedIn('members-admin', { isAdmin: true });
});
afterAll(async () => t?.close());

/** A contest with an organizer (not an admin), two entries from two schools, and another contest. */
async function setup() {
  const { Membership, User, Entry } = t.ctx.models;
  const make = async () => {
    const r = await admin.post('/api/contests', { name: uniq('技能大赛') });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const contestId = await make();
  const otherContestId = await make();
  const signedInMember = async (contest: string, role: Role) => {
    const name = uniq(role);
    const c = await t.signedIn(name);
    await Membership.create({
      contestId: contest,
      userId: (await User.findOne({ username: name }))!._id,
      role,
    });
    return c;
  };
  const org = await signedInMember(contestId, 'organizer');
  await Entry.insertMany(
    ['乙校', '甲校', '甲校'].map((school, i) => ({
      contestId,
      roundIds: ['main'],
      code: `M${i}`,
      title: `作品${i}`,
      teacherName: `教师${i}`,
      school,
      imageFileNames: [],
    })),
  );
  return { contestId, otherContestId, org, url: `/api/contests/${contestId}/members`, signedInMember };
}

describe('members added by an organizer', () => {
  it('lists the schools of the entries with the members', async () => {
    const { url, org } = await setup();
    const r = await org.get(url);
    expect(r.status).toBe(200);
    const list = MemberListSchema.parse(r.body);
    expect(list.schools).toEqual(['甲校', '乙校'].sort((a, b) => a.localeCompare(b, 'zh')));
    expect(list.members.map((m) => m.role)).toEqual(['organizer', 'organizer']);
  });

  it('makes a code-only account for a new recorder (201, audited), and the code signs the phone in once', async () => {
    const { contestId, url, org } = await setup();
    const username = uniq('rec.li');
    const added = await org.post(url, { username, role: 'recorder', displayName: '李记录' });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const member = MemberSchema.parse(added.body);
    expect(member).toMatchObject({ username, displayName: '李记录', role: 'recorder', school: null });
    const user = await t.ctx.models.User.findOne({ username }).lean();
    expect(user).toMatchObject({ displayName: '李记录', passwordHash: null, isAdmin: false });
    const created = await t.ctx.models.AuditEvent.findOne({
      contestId,
      action: 'user.create',
      'target.id': member.userId,
    }).lean();
    expect(created?.after).toMatchObject({ username, forRole: 'recorder' });
    expect(
      await t.ctx.models.AuditEvent.exists({ contestId, action: 'member.add', 'target.id': member.id }),
    ).toBeTruthy();

    const issued = await org.post(`${url}/${member.id}/sign-in-code`, {});
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const code = SignInCodeSchema.parse(issued.body);
    expect(code.url).toBe(`https://pingxuan.example/judge/sign-in?code=${encodeURIComponent(code.code)}`);
    expect(code.qrSvg).toMatch(/^<svg/);
    const audit = await t.ctx.models.AuditEvent.findOne({
      contestId,
      action: 'sign_in_code.issue',
      'target.id': member.id,
    }).lean();
    expect(audit?.after).toMatchObject({ membershipId: member.id, role: 'recorder' });
    expect(JSON.stringify(audit)).not.toContain(code.code);

    const phone = t.client();
    const signIn = await phone.post('/api/auth/code-login', { code: code.code });
    expect(signIn.status).toBe(200);
    expect(signIn.body.memberships).toEqual([{ contestId, role: 'recorder' }]);
    expect((await phone.get(`/api/contests/${contestId}/recording`)).status).not.toBe(403);
    expect((await t.client().post('/api/auth/code-login', { code: code.code })).status).toBe(401);
    // A fresh code voids the unused one before it.
    const first = (await org.post(`${url}/${member.id}/sign-in-code`, {})).body.code as string;
    const second = (await org.post(`${url}/${member.id}/sign-in-code`, {})).body.code as string;
    expect((await t.client().post('/api/auth/code-login', { code: first })).status).toBe(401);
    expect((await t.client().post('/api/auth/code-login', { code: second })).status).toBe(200);
  });

  it('makes a school organizer with a school, and adds an existing account without a name', async () => {
    const { url, org } = await setup();
    const username = uniq('school.org');
    const added = await org.post(url, {
      username,
      role: 'schoolOrganizer',
      school: '甲校',
      displayName: '甲校王老师',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body).toMatchObject({ role: 'schoolOrganizer', school: '甲校', displayName: '甲校王老师' });
    expect((await org.post(`${url}/${added.body.id}/sign-in-code`, {})).status).toBe(201);

    const existing = uniq('existing');
    await t.signedIn(existing);
    const again = await org.post(url, { username: existing, role: 'recorder' });
    expect(again.status).toBe(201);
    expect(again.body.displayName).toMatch(existing);
  });

  it('refuses bad input with a 400 naming the field, a taken username with a 409, and changes nothing', async () => {
    const { url, org, contestId, otherContestId } = await setup();
    const taken = uniq('taken');
    await t.signedIn(taken);
    const before = await snapshot(t.conn);
    const organizerWithName = await org.post(url, {
      username: uniq('new.org'),
      role: 'organizer',
      displayName: '新组织者',
    });
    expect(organizerWithName.status).toBe(400);
    expect(paths(organizerWithName)).toEqual(['body.displayName']);
    expect(paths(await org.post(url, { username: uniq('rec'), role: 'recorder', displayName: '' }))).toEqual([
      'body.displayName',
    ]);
    expect(
      paths(await org.post(url, { username: uniq('rec'), role: 'recorder', displayName: 'x'.repeat(101) })),
    ).toEqual(['body.displayName']);
    expect(paths(await org.post(url, { username: uniq('rec'), role: 'recorder', displayName: 5 }))).toEqual([
      'body.displayName',
    ]);
    expect(paths(await org.post(url, { username: 'x y', role: 'recorder', displayName: '某人' }))).toEqual([
      'body.username',
    ]);
    expect(
      paths(await org.post(url, { username: uniq('so'), role: 'schoolOrganizer', displayName: '某人' })),
    ).toEqual(['body.school']);
    const clash = await org.post(url, { username: taken, role: 'recorder', displayName: '冒名' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.field).toBe('body.username');
    expect((await org.post(url, { username: uniq('nobody'), role: 'recorder' })).status).toBe(404);

    const members = (await org.get(url)).body.members as { id: string; role: string }[];
    const organizerM = members.find((m) => m.role === 'organizer')!;
    const asOrganizer = await org.post(`${url}/${organizerM.id}/sign-in-code`, {});
    expect(asOrganizer.status).toBe(409);
    expect(asOrganizer.body.error.message).toMatch(/recorders and school organizers/);
    expect(paths(await org.post(`${url}/${organizerM.id}/sign-in-code`, { days: 3 }))).toEqual(['body']);
    expect(paths(await org.post(`${url}/nope/sign-in-code`, {}))).toEqual(['params.membershipId']);
    const foreign = await t.ctx.models.Membership.findOne({ contestId: otherContestId }).lean();
    expect((await org.post(`${url}/${String(foreign!._id)}/sign-in-code`, {})).status).toBe(404);
    expect(await snapshot(t.conn)).toBe(before);
    expect(await t.ctx.models.SignInCode.countDocuments({ contestId })).toBe(0);
  });

  it('lets only organizers of this contest add accounts or issue codes (401 signed out, 403 other roles and contests)', async () => {
    const { url, org, otherContestId, signedInMember, contestId } = await setup();
    const recorder = await org.post(url, { username: uniq('rec'), role: 'recorder', displayName: '记录员' });
    expect(recorder.status).toBe(201);
    const codeUrl = `${url}/${recorder.body.id}/sign-in-code`;
    const callers = [
      await signedInMember(contestId, 'recorder'),
      await signedInMember(contestId, 'teacher'),
      await signedInMember(contestId, 'judge'),
      await signedInMember(otherContestId, 'organizer'),
      await t.signedIn(uniq('outsider')),
    ];
    const before = await snapshot(t.conn);
    expect(
      (await t.client().post(url, { username: uniq('rec'), role: 'recorder', displayName: '甲' })).status,
    ).toBe(401);
    expect((await t.client().post(codeUrl, {})).status).toBe(401);
    for (const c of callers) {
      expect((await c.post(url, { username: uniq('rec'), role: 'recorder', displayName: '甲' })).status).toBe(
        403,
      );
      expect((await c.post(codeUrl, {})).status).toBe(403);
    }
    expect(await snapshot(t.conn)).toBe(before);
    expect(await t.ctx.models.SignInCode.countDocuments({ contestId })).toBe(0);
  });
});
