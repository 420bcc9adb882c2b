// The organizer's skills-contest and rounds screens in the browser: a measurement criterion's rule edited
// (refused first at the right input), a recorder added with a new account and a sign-in code that works,
// a disagreement between recorders decided with a reason, advancement previewed (a tie at the cut) and
// confirmed. Every outcome is checked in the database.
// Run alone: `npm run build -w client && npx vitest run --project browser rounds`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import type { Browser, Page } from 'playwright-core';
import { type Client, type TestApp } from '../api/harness.js';

const PASSWORD = 'correct horse battery';
const VIEWPORT = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };

if (!haveChromium) console.warn(`rounds browser test skipped: ${CHROMIUM} does not exist`);

const PRELIM_RUBRIC = [
  { id: 'quality', name: { zh: '作品质量', en: 'Quality' }, weight: 50, maxScore: 10, step: 0.5 },
  {
    id: 'time',
    name: { zh: '用时', en: 'Time' },
    weight: 50,
    maxScore: 10,
    step: 1,
    kind: 'measurement',
    rule: { type: 'linear', best: 60, worst: 180 },
  },
];
const FINAL_RUBRIC = [{ id: 'quality', name: { zh: '作品质量' }, weight: 100, maxScore: 10, step: 0.5 }];
/**
 * Judges' quality marks. Every time is 80 s (band 1: 10 points) except S01's, decided at 100 s (band 2: 6
 * points), so totals are S02 95, S03 90, S04 85, S05 85, S01 80, S06 75: the top 3 cut falls in a tie.
 */
const QUALITY = [10, 9, 8, 7, 7, 5];
const SCHOOLS = ['甲校', '乙校', '丙校'];

describe.skipIf(!haveChromium)('organizer rounds screens in the browser', () => {
  let t: TestApp;
  let org: Client;
  let browser: Browser;
  let page: Page;
  let contestId = '';
  let base = '';
  let entryIds: string[] = [];
  const problems: string[] = [];

  const sideways = () =>
    page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
  const shot = (name: string) => page.screenshot({ path: path.join(shots, name), fullPage: true });
  const setStatus = async (status: string) => {
    const version = (await org.get(base)).body.version;
    const r = await org.post(`${base}/status`, { status, version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };

  beforeAll(async () => {
    t = await startClientApp();
    org = await t.signedIn('organizer', { isAdmin: true, password: PASSWORD });
    const created = await org.post('/api/contests', {
      name: '市职工技能大赛',
      rounds: [
        { id: 'prelim', name: { zh: '初赛', en: 'Preliminary' } },
        { id: 'final', name: { zh: '决赛', en: 'Final' } },
      ],
      settings: {
        aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
        bootstrapSamples: 0,
        measurementDoubleEntry: true,
        tiers: [],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contestId = created.body.id;
    base = `/api/contests/${contestId}`;
    expect((await org.put(`${base}/rounds/prelim/rubric`, { criteria: PRELIM_RUBRIC })).status).toBe(201);
    expect((await org.put(`${base}/rounds/final/rubric`, { criteria: FINAL_RUBRIC })).status).toBe(201);
    const entries = await t.ctx.models.Entry.insertMany(
      QUALITY.map((_, i) => ({
        contestId,
        roundIds: ['prelim'],
        code: `S0${i + 1}`,
        title: `焊接件 ${i + 1}`,
        teacherName: `选手${i + 1}`,
        school: SCHOOLS[i % 3],
        imageFileNames: [],
      })),
    );
    entryIds = entries.map((e) => String(e._id));

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    watchPageProblems(page, problems);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('edits a measurement rule: refused at the worst value first, then saved as bands with a unit', async () => {
    await page.goto(`${t.url}/login?next=${encodeURIComponent(`/contests/${contestId}/rubric`)}`);
    await page.getByLabel('用户名').fill('organizer');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}/rubric`);
    await page.getByRole('heading', { name: '评分标准', level: 1 }).waitFor();

    const time = page.getByRole('group', { name: /^评分项 2/ });
    expect(await time.getByRole('radio', { name: /测量项/ }).isChecked()).toBe(true);
    expect(await time.getByLabel('换算方式').inputValue()).toBe('linear');
    // Best equal to worst: refused by the shared schema, the message at the worst value's input.
    await time.getByLabel('最差值').fill('60');
    let puts = 0;
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('/rubric')) puts++;
    });
    await page.getByRole('button', { name: '保存评分标准' }).click();
    const worst = time.getByLabel('最差值');
    await page.waitForFunction(
      () => (globalThis as any).document.activeElement?.getAttribute('aria-invalid') === 'true',
    );
    expect(await worst.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await worst.getAttribute('aria-describedby'))!;
    const errorText = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
    expect(errorText).toBe('最佳值和最差值不能相同。');
    expect(await worst.evaluate((el) => el === (globalThis as any).document.activeElement)).toBe(true);
    expect(puts).toBe(0);

    // Bands instead: 80 s or less (from 0) earns 10, up to 150 s earns 6.
    await time.getByLabel('换算方式').selectOption('bands');
    await time.getByLabel('单位（可选）').fill('秒');
    const band1 = time.getByRole('listitem', { name: '分段 1' });
    await band1.getByLabel('从（含）').fill('0');
    await band1.getByLabel('到（不含）').fill('90');
    await band1.getByLabel('得分').fill('12');
    await time.getByRole('button', { name: '添加分段' }).click();
    // The new band's first box has the focus.
    await page.keyboard.type('90');
    const band2 = time.getByRole('listitem', { name: '分段 2' });
    await band2.getByLabel('到（不含）').fill('150');
    await band2.getByLabel('得分').fill('6');
    await page.getByRole('button', { name: '保存评分标准' }).click();
    // 12 is above the criterion's maximum of 10: named at band 1's points.
    const points1 = band1.getByLabel('得分');
    await page.waitForFunction(
      () => (globalThis as any).document.activeElement?.getAttribute('aria-invalid') === 'true',
    );
    expect(await points1.getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByRole('alert').filter({ hasText: '处需要修改' }).textContent()).toContain(
      '评分项 2 · 分段 1 · 得分：得分必须在 0 到满分（10）之间。',
    );
    await points1.fill('10');
    await page.getByRole('button', { name: '保存评分标准' }).click();
    await page.getByRole('status').filter({ hasText: '评分标准已保存。' }).waitFor();
    expect(puts).toBe(1);

    const rubric = (await org.get(`${base}/rounds/prelim/rubric`)).body;
    expect(rubric.criteria[1]).toMatchObject({
      id: 'time',
      kind: 'measurement',
      rule: {
        type: 'bands',
        unit: '秒',
        bands: [
          { min: 0, max: 90, points: 10 },
          { min: 90, max: 150, points: 6 },
        ],
      },
    });
    expect(rubric.criteria[0].kind).toBeUndefined();
    await shot('organize-rubric-rule.png');
    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('organize-rubric-rule-tablet.png');
    await page.setViewportSize(VIEWPORT);
  });

  it('turns the venue screen on in the settings; double entry shows as set', async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '设置' }).click();
    const venue = page.getByRole('group', { name: '测量项与现场大屏' });
    await venue.waitFor();
    expect(await venue.getByRole('checkbox', { name: '测量值双人录入' }).isChecked()).toBe(true);
    const screen = venue.getByRole('checkbox', { name: '开放现场大屏' });
    expect(await screen.isChecked()).toBe(false);
    await screen.check();
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByRole('status').filter({ hasText: '设置已保存。' }).waitFor();
    const settings = (await org.get(base)).body.settings;
    expect(settings).toMatchObject({
      measurementDoubleEntry: true,
      scoreboard: { enabled: true, judgementReleased: false },
    });
    expect((await t.client().get(`/api/public/contests/${contestId}/scoreboard`)).status).toBe(200);
  });

  it('adds a recorder with a new account and issues a sign-in code that signs a phone in', async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '成员' }).click();
    await page.getByRole('heading', { name: '成员', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: '添加成员' });
    expect(await form.getByLabel('角色').inputValue()).toBe('recorder');
    await form.getByRole('radio', { name: /新建账号/ }).check();
    // A name is needed for a new account: refused before anything is sent.
    await form.getByLabel('用户名').fill('rec.zhang');
    await form.getByRole('button', { name: '添加', exact: true }).click();
    await page.waitForFunction(
      () => (globalThis as any).document.activeElement?.getAttribute('aria-invalid') === 'true',
    );
    expect(await form.getByLabel('姓名').getAttribute('aria-invalid')).toBe('true');
    expect(await t.ctx.models.User.exists({ username: 'rec.zhang' })).toBeNull();
    await form.getByLabel('姓名').fill('张记录');
    await form.getByRole('button', { name: '添加', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '已新建账号并添加记录员 张记录' }).waitFor();

    const user = await t.ctx.models.User.findOne({ username: 'rec.zhang' }).lean();
    expect(user).toMatchObject({ displayName: '张记录', passwordHash: null });
    expect(
      await t.ctx.models.Membership.exists({ contestId, userId: user!._id, role: 'recorder' }),
    ).toBeTruthy();

    // The same username again as a new account: the server's 409, shown at the username.
    await form.getByLabel('用户名').fill('rec.zhang');
    await form.getByLabel('姓名').fill('另一个人');
    await form.getByRole('button', { name: '添加', exact: true }).click();
    await page.waitForFunction(
      () => (globalThis as any).document.activeElement?.getAttribute('aria-invalid') === 'true',
    );
    const username = form.getByLabel('用户名');
    const describedBy = (await username.getAttribute('aria-describedby'))!;
    expect(await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent()).toContain('已被占用');

    const recorders = page.getByRole('region', { name: /^记录员/ });
    await recorders.getByRole('button', { name: '为 张记录 签发登录码' }).click();
    const dialog = page.getByRole('dialog', { name: '张记录 的登录码' });
    await dialog.waitFor();
    const code = (await dialog.getByTestId('member-code').textContent())!.trim();
    expect(code.length).toBeGreaterThanOrEqual(8);
    expect(await dialog.getByRole('img', { name: '张记录 的登录二维码' }).isVisible()).toBe(true);
    await shot('organize-members-code.png');
    await dialog.getByRole('button', { name: '关闭' }).click();

    const phone = t.client();
    const signIn = await phone.post('/api/auth/code-login', { code });
    expect(signIn.status).toBe(200);
    expect(signIn.body).toMatchObject({
      username: 'rec.zhang',
      memberships: [{ contestId, role: 'recorder' }],
    });
    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('organize-members-tablet.png');
    await page.setViewportSize(VIEWPORT);
  });

  it('prints new codes for every recorder on one sheet; earlier unused codes stop working', async () => {
    const members = (await org.get(`${base}/members`)).body.members as { id: string; username: string }[];
    const zhang = members.find((m) => m.username === 'rec.zhang')!;
    const earlier = await org.post(`${base}/members/${zhang.id}/sign-in-code`, {});
    expect(earlier.status).toBe(201);

    const recorders = page.getByRole('region', { name: /^记录员/ });
    await recorders.getByRole('button', { name: '为全部记录员签发登录码并打印' }).click();
    const dialog = page.getByRole('dialog', { name: '为全部 1 位记录员签发新的登录码？' });
    await dialog.getByText(/之前未使用的登录码将立即失效/).waitFor();
    await dialog.getByRole('button', { name: '签发并打印' }).click();
    const sheet = page.getByRole('region', { name: '市职工技能大赛 · 记录员与学校组织者登录码' });
    await sheet.waitFor();
    const cards = sheet.locator('.setup-sheet-card');
    expect(await cards.count()).toBe(1);
    expect(await cards.first().locator('.setup-sheet-name').textContent()).toBe('张记录');
    expect(await cards.first().locator('.setup-sheet-panel').textContent()).toBe('记录员');
    const code = (await cards.first().locator('.setup-sheet-code').textContent())!.trim();
    await shot('organize-members-sheet.png');

    expect((await t.client().post('/api/auth/code-login', { code: earlier.body.code })).status).toBe(401);
    expect((await t.client().post('/api/auth/code-login', { code })).status).toBe(200);
    await page.getByRole('button', { name: '关闭登录码页' }).click();
    await page.getByRole('heading', { name: '成员', level: 1 }).waitFor();
  });

  it('decides a disagreement between two recorders with a value and a reason', async () => {
    await setStatus('judging');
    const recorders: Client[] = [];
    for (const name of ['rec.a', 'rec.b']) {
      const c = await t.signedIn(name);
      const userId = (await t.ctx.models.User.findOne({ username: name }).lean())!._id;
      await t.ctx.models.Membership.create({ contestId, userId, role: 'recorder' });
      recorders.push(c);
    }
    for (const [i, entryId] of entryIds.entries()) {
      for (const [k, rec] of recorders.entries()) {
        const sheet = (await rec.get(`${base}/recording`)).body;
        const baseVersion = sheet.entries.find((e: { entryId: string }) => e.entryId === entryId).cells.time
          .version;
        // S01's recorders disagree (80 s and 100 s); every other time is 80 s from both.
        const value = i === 0 && k === 1 ? 100 : 80;
        const r = await rec.put(
          `${base}/measurements/${entryId}/time`,
          { value, baseVersion },
          { 'idempotency-key': randomUUID() },
        );
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      }
    }

    await page.reload();
    const nav = page.getByRole('navigation', { name: '比赛管理' });
    await nav.getByRole('link', { name: '测量值' }).click();
    await page.getByRole('heading', { name: '测量值', level: 1 }).waitFor();
    const counts = page.getByRole('table', { name: /各测量项的录入情况/ });
    const timeRow = counts.getByRole('row', { name: /用时/ });
    await timeRow.waitFor();
    expect((await timeRow.getByRole('cell').allTextContents()).map((s) => s.trim())).toEqual([
      '5',
      '0',
      '1',
      '0',
    ]);
    const disagreements = page.getByRole('region', { name: /记录员录入不一致/ });
    const row = disagreements.getByRole('row', { name: /S01/ });
    expect(await row.textContent()).toMatch(/80 秒.*rec\.a.*100 秒.*rec\.b/);
    await shot('organize-measurements.png');

    await row.getByRole('button', { name: '裁定 S01 的用时' }).click();
    const dialog = page.getByRole('dialog', { name: '裁定 S01 · 用时' });
    await dialog.getByRole('radio', { name: '100 秒' }).check();
    // No reason yet: refused at the reason box, nothing sent.
    await dialog.getByRole('button', { name: '确认裁定' }).click();
    expect(await dialog.getByLabel('裁定理由').getAttribute('aria-invalid')).toBe('true');
    expect(
      (await t.ctx.models.Measurement.findOne({ entryId: entryIds[0], criterionId: 'time' }).lean())!.status,
    ).toBe('disagreement');
    await dialog.getByLabel('裁定理由').fill('复测计时为 100 秒');
    await shot('organize-measurements-resolve.png');
    await dialog.getByRole('button', { name: '确认裁定' }).click();
    await page.getByRole('status').filter({ hasText: '已裁定：S01 的用时按 100 秒计分。' }).waitFor();
    await disagreements.getByText('没有需要裁定的不一致。').waitFor();

    const decided = await t.ctx.models.Measurement.findOne({
      entryId: entryIds[0],
      criterionId: 'time',
    }).lean();
    expect(decided).toMatchObject({
      status: 'resolved',
      value: 100,
      resolution: { value: 100, reason: '复测计时为 100 秒' },
    });
    const audit = await t.ctx.models.AuditEvent.findOne({ contestId, action: 'measurement.resolve' }).lean();
    expect(audit?.after).toMatchObject({ value: 100, reason: '复测计时为 100 秒' });
    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await page.setViewportSize(VIEWPORT);
  });

  it('previews advancement with a tie at the cut, then confirms it; the final round is now current', async () => {
    const judgeId = new Types.ObjectId();
    await t.ctx.models.Score.insertMany(
      QUALITY.map((q, i) => ({
        contestId,
        roundId: 'prelim',
        entryId: entryIds[i],
        judgeId,
        values: { quality: q },
        status: 'submitted',
        submittedAt: new Date(),
        version: 2,
      })),
    );
    await page.reload();
    const nav = page.getByRole('navigation', { name: '比赛管理' });
    await nav.getByRole('link', { name: '晋级' }).click();
    await page.getByRole('heading', { name: '晋级', level: 1 }).waitFor();
    await page.getByText('当前轮次：初赛').waitFor();

    const overall = page.getByRole('group', { name: '总名额' });
    expect(await overall.getByLabel('方式').inputValue()).toBe('top');
    await overall.getByLabel('名额（N）').fill('3');
    await page.getByRole('button', { name: '预览晋级名单' }).click();
    const preview = page.getByRole('region', { name: '晋级预览' });
    await preview.waitFor();
    expect(await preview.getByRole('status').textContent()).toBe(
      '6 件作品中 4 件晋级（0 件评审未完成，0 件低于最低分）。',
    );
    expect(await preview.getByRole('note').textContent()).toContain(
      '总排名：名额 3，因并列（85 分）晋级 4 件。',
    );
    const advancing = preview.getByRole('table', { name: /^晋级的作品/ });
    const codes = await advancing.locator('tbody th').allTextContents();
    expect(codes).toEqual(['S02', 'S03', 'S04', 'S05']);
    const left = preview.getByRole('table', { name: /未晋级的作品及原因/ });
    expect(await left.getByRole('row', { name: /S01/ }).textContent()).toContain('未进入总排名前 3 名');
    // Judging is still open: the preview works, the confirmation waits for review.
    expect(await preview.getByRole('button', { name: /确认晋级/ }).isDisabled()).toBe(true);
    await shot('organize-advancement-preview.png');
    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('organize-advancement-tablet.png');
    await page.setViewportSize(VIEWPORT);

    await setStatus('review');
    await page.reload();
    await page.getByRole('heading', { name: '晋级', level: 1 }).waitFor();
    await page.getByRole('group', { name: '总名额' }).getByLabel('名额（N）').fill('3');
    await page.getByRole('button', { name: '预览晋级名单' }).click();
    await page
      .getByRole('region', { name: '晋级预览' })
      .getByRole('button', { name: '确认晋级（4 件）…' })
      .click();
    const dialog = page.getByRole('dialog', { name: '确认晋级到“决赛”？' });
    expect(await dialog.textContent()).toContain('“初赛”的 4 件作品将进入“决赛”');
    await dialog.getByRole('button', { name: '确认晋级' }).click();
    await page.getByRole('status').filter({ hasText: '已有 4 件作品晋级到“决赛”。' }).waitFor();
    await page.getByText('当前轮次现在是：决赛。').waitFor();
    await shot('organize-advancement-done.png');

    const contest = (await org.get(base)).body;
    expect(contest).toMatchObject({ currentRoundId: 'final', status: 'judging' });
    const moved = await t.ctx.models.Entry.find({ contestId, roundIds: 'final' }, { code: 1 })
      .sort({ code: 1 })
      .lean();
    expect(moved.map((e) => e.code)).toEqual(['S02', 'S03', 'S04', 'S05']);
    const record = await t.ctx.models.Advancement.findOne({ contestId, fromRound: 'prelim' }).lean();
    expect(record?.completedAt).toBeTruthy();
    // The record of what was confirmed, read on the same page (still linked now the final round is current).
    const history = page.getByRole('region', { name: '晋级记录' });
    await history.getByRole('heading', { name: '“初赛” → “决赛”：4 件晋级（共 6 件）' }).waitFor();
    expect(await history.textContent()).toContain('由 organizer 确认');
    expect(await history.textContent()).toContain('规则：全体前 3 名；并列作品全部晋级');
    await history.locator('summary', { hasText: '晋级名单（4 件）' }).click();
    const listed = await history.locator('tbody th').allTextContents();
    expect(listed).toEqual(['S02', 'S03', 'S04', 'S05']);
    // The same list as a file to post.
    const downloading = page.waitForEvent('download');
    await history.getByRole('link', { name: '下载晋级名单（CSV）' }).click();
    const file = await downloading;
    expect(file.suggestedFilename()).toBe('advancement-prelim-final.csv');
    const rows = readFileSync((await file.path())!, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(rows.map((r) => r.split(',')[0])).toEqual(['作品编号', 'S02', 'S03', 'S04', 'S05']);
    expect(await page.getByText('当前轮次是最后一轮，没有可晋级的下一轮。').count()).toBe(1);
    await shot('organize-advancement-history.png');
    await page.reload();
    await history.getByRole('heading', { name: /4 件晋级/ }).waitFor();
    expect(await nav.getByRole('link', { name: '晋级' }).count()).toBe(1);

    // In English, on a tablet: the members page reads whole and fits the width; the final round measures nothing.
    await page.getByRole('button', { name: 'English' }).click();
    await page.setViewportSize(TABLET);
    const navEn = page.getByRole('navigation', { name: 'Contest management' });
    await navEn.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('heading', { name: 'Members', level: 1 }).waitFor();
    await page
      .getByRole('region', { name: /^Recorders/ })
      .getByRole('button', { name: 'Issue a sign-in code for 张记录' })
      .waitFor();
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('organize-members-en-tablet.png');
    expect(await navEn.getByRole('link', { name: 'Advancement' }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
