// A school organizer in Debian's chromium against the real server and the built client (client/dist): a
// code-only account signs in with the code the organizer printed, lands on their school's entries, edits
// one, imports a sheet (refused whole while one row names another school), reads their school's ranking,
// and is shown nothing of another school nor any page only organizers may use.
// Run alone: `npm run build -w client && npx vitest run --project browser school`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { Types } from 'mongoose';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import { checkEntriesSheet } from './steps.js';
import { snapshot, type Client, type TestApp } from '../api/harness.js';

const j = (b: unknown) => JSON.stringify(b);

if (!haveChromium) console.warn(`school browser test skipped: ${CHROMIUM} does not exist`);

/** 育才小学 has three works in the school round, 明德小学 two; one judge has scored all five. */
const ENTRIES = [
  { code: 'Y01', school: '育才小学', score: 9 },
  { code: 'Y02', school: '育才小学', score: 6 },
  { code: 'Y03', school: '育才小学', score: 8 },
  { code: 'M01', school: '明德小学', score: 10 },
  { code: 'M02', school: '明德小学', score: 7 },
];

describe.skipIf(!haveChromium)('a school organizer on their school’s pages', () => {
  let t: TestApp;
  let org: Client;
  let browser: Browser;
  let page: Page;
  let contestId = '';
  let base = '';
  const problems: string[] = [];
  const nav = () => page.getByRole('navigation', { name: '比赛管理' });

  beforeAll(async () => {
    t = await startClientApp();
    org = await t.signedIn('organizer', { isAdmin: true });
    const created = await org.post('/api/contests', {
      name: '小学板书初赛',
      rounds: [
        { id: 'school', name: { zh: '校级初赛' } },
        { id: 'district', name: { zh: '区级决赛' } },
      ],
      settings: {
        aggregation: { method: 'mean', normalization: 'none', minJudges: 1 },
        bootstrapSamples: 0,
        tiers: [{ id: 'first', name: { zh: '一等奖' }, quota: 2 }],
      },
    });
    expect(created.status, j(created.body)).toBe(201);
    contestId = created.body.id;
    base = `/api/contests/${contestId}`;
    for (const round of ['school', 'district'])
      expect(
        (
          await org.put(`${base}/rounds/${round}/rubric`, {
            criteria: [{ id: 'q', name: { zh: '书写' }, weight: 1, maxScore: 10 }],
          })
        ).status,
      ).toBe(201);
    const ids: string[] = [];
    for (const e of ENTRIES) {
      const r = await org.post(`${base}/entries`, {
        code: e.code,
        title: `${e.code} 板书`,
        teacherName: `${e.code}老师`,
        school: e.school,
      });
      expect(r.status, j(r.body)).toBe(201);
      ids.push(r.body.id);
    }
    const { version } = (await org.get(base)).body;
    expect((await org.post(`${base}/status`, { status: 'judging', version })).status).toBe(200);
    const judgeId = new Types.ObjectId();
    await t.ctx.models.Score.insertMany(
      ENTRIES.map((e, i) => ({
        contestId,
        roundId: 'school',
        entryId: ids[i],
        judgeId,
        values: { q: e.score },
        status: 'submitted',
        version: 2,
      })),
    );
    browser = await launchChromium();
    page = await (
      await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'zh-CN',
        acceptDownloads: true,
      })
    ).newPage();
    watchPageProblems(page, problems);
  }, 90_000);

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const name = ctx.task.name.slice(0, 40).replace(/\W+/g, '-');
    await page
      ?.screenshot({ path: path.join(shots, `school-failed-${name}.png`), fullPage: true })
      .catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    expect(problems).toEqual([]);
  });

  it('signs in with the printed code and lands on their school’s entries, and no other school’s', async () => {
    // The organizer makes the account (no password) and prints its one-time code.
    const added = await org.post(`${base}/members`, {
      username: 'yucai.org',
      displayName: '育才小学 教务处',
      role: 'schoolOrganizer',
      school: '育才小学',
    });
    expect(added.status, j(added.body)).toBe(201);
    const issued = await org.post(`${base}/members/${added.body.id}/sign-in-code`, {});
    expect(issued.status, j(issued.body)).toBe(201);

    await page.goto(`${t.url}/judge/sign-in?code=${encodeURIComponent(issued.body.code)}`);
    await page.waitForURL(`${t.url}/contests/${contestId}/entries`);
    await page.getByRole('heading', { name: '作品管理', level: 1 }).waitFor();
    await page.getByTestId('school-scope').getByText('本校：育才小学').waitFor();
    await page.getByText('共 3 件作品').waitFor();
    const table = await page.locator('table.setup-entries').innerText();
    for (const code of ['Y01', 'Y02', 'Y03']) expect(table).toContain(code);
    expect(table).not.toContain('M01');
    expect(table).not.toContain('明德小学');

    // Only what they may use: their entries, their ranking, importing; no contest-wide tools.
    expect(await nav().getByRole('link').allTextContents()).toEqual(['作品', '评审结果', '导入作品']);
    expect(await page.getByRole('button', { name: '下载反馈链接' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: '批量上传照片' }).count()).toBe(0);
    expect(await page.locator('.org-head').getByRole('button').count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'school-entries.png'), fullPage: true });
  });

  it('edits one of their entries but cannot move it to another school', async () => {
    await page.getByRole('button', { name: '编辑作品 Y02' }).click();
    const edit = page.getByRole('dialog', { name: '编辑作品 Y02' });
    await edit.getByLabel('作品名称').fill('《春晓》板书设计');
    expect(await edit.getByLabel('学校').getAttribute('readonly')).not.toBeNull();
    await edit.getByRole('button', { name: '保存' }).click();
    await page.getByText('作品 Y02 已保存。').waitFor();
    const saved = await t.ctx.models.Entry.findOne({ contestId, code: 'Y02' }).lean();
    expect(saved).toMatchObject({ title: '《春晓》板书设计', school: '育才小学' });
  });

  it('adds one late entry under their school; a code already taken is refused at the code', async () => {
    await page.getByRole('button', { name: '添加作品' }).click();
    const add = page.getByRole('dialog', { name: '添加作品' });
    expect(await add.getByLabel('学校').inputValue()).toBe('育才小学');
    expect(await add.getByLabel('学校').getAttribute('readonly')).not.toBeNull();
    await add.getByLabel('编号').fill('Y01');
    await add.getByLabel('作品名称').fill('《咏柳》板书设计');
    await add.getByLabel('教师姓名').fill('孙老师');
    await add.getByRole('button', { name: '保存' }).click();
    // The server's 409 for a taken code, shown at the code.
    await add.getByText('编号“Y01”已被本比赛的其他作品使用。').first().waitFor();
    await add.getByText('操作未完成：填写的内容与已有的数据冲突（409），见所标出的字段。').waitFor();
    expect(await add.getByLabel('编号').getAttribute('aria-invalid')).toBe('true');
    expect(await t.ctx.models.Entry.countDocuments({ contestId, code: 'Y01' })).toBe(1);
    await add.getByLabel('编号').fill('Y05');
    await add.getByRole('button', { name: '保存' }).click();
    await page.getByText('作品 Y05 已添加。').waitFor();
    const added = await t.ctx.models.Entry.findOne({ contestId, code: 'Y05' }).lean();
    expect(added).toMatchObject({ title: '《咏柳》板书设计', teacherName: '孙老师', school: '育才小学' });
    await page.getByText('共 4 件作品').waitFor();
  });

  it('imports a sheet of their school’s works, refused whole while a row names another school', async () => {
    await nav().getByRole('link', { name: '导入作品' }).click();
    await page.getByRole('heading', { name: '导入作品', level: 1 }).waitFor();
    await page.getByText('每一行的学校都必须是“育才小学”').waitFor();
    const header = '作品编号,教师姓名,学校,作品名称';
    const before = await snapshot(t.conn);
    const bad = [header, 'Y04,钱老师,育才小学,静夜思', 'M03,孙老师,明德小学,咏鹅'].join('\n');
    expect(await checkEntriesSheet(page, '本校作品.csv', bad)).toEqual([['3', '学校']]);
    expect(await snapshot(t.conn)).toBe(before);

    const good = [header, 'Y04,钱老师,育才小学,静夜思'].join('\n');
    expect(await checkEntriesSheet(page, '本校作品.csv', good)).toEqual([]);
    await page.getByRole('button', { name: '导入 1 件作品' }).click();
    await page.getByText('已导入 1 件作品。').waitFor();
    expect(await t.ctx.models.Entry.countDocuments({ contestId, school: '育才小学' })).toBe(5);
  });

  it('reads and downloads their school’s ranking with contest ranks, and no judges', async () => {
    await nav().getByRole('link', { name: '评审结果' }).click();
    await page.getByRole('heading', { name: '评审结果', level: 1 }).waitFor();
    await page.getByText('只列出育才小学的作品').waitFor();
    const table = page.getByRole('table', { name: /结果|排名/ });
    await table.waitFor();
    const rows = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 2).map((c) => c.textContent?.trim())));
    // Contest ranks: M01 (10) is first, so 育才's best work is second; Y04 and Y05 have no score yet.
    expect(rows.slice(0, 3)).toEqual([
      ['2', 'Y01'],
      ['3', 'Y03'],
      ['5', 'Y02'],
    ]);
    expect(rows.slice(3).sort()).toEqual([
      ['—', 'Y04'],
      ['—', 'Y05'],
    ]);
    expect(await page.locator('.org-results').innerText()).not.toContain('明德小学');
    // Their export is their school's ranking as a file.
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: '导出 CSV' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('results-live-school.csv');
    const csv = readFileSync((await file.path())!, 'utf8');
    expect(csv).toContain('Y01');
    expect(csv).not.toContain('明德小学');
    expect(await page.getByRole('button', { name: /评委分数/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(shots, 'school-results.png'), fullPage: true });
  });

  it('is told, not shown, when they open a page only organizers may use', async () => {
    await page.goto(`${t.url}/contests/${contestId}/judges`);
    await page.getByText('这一页只有比赛的组织者可以使用。').waitFor();
    expect(await page.getByRole('heading', { name: '评委', level: 1 }).count()).toBe(0);
    // The contest's overview sends them to their entries.
    await page.goto(`${t.url}/contests/${contestId}`);
    await page.waitForURL(`${t.url}/contests/${contestId}/entries`);
    // The contest list offers the same.
    await page.goto(`${t.url}/contests`);
    await page.getByText(/学校：育才小学/).waitFor();
    await page.getByRole('link', { name: '管理本校作品' }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}/entries`);
  });
});
