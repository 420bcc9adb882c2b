// The organizer console in the browser: progress board, results with prizes, reopening a score, entry
// import, the audit log, and the status changes up to publication (with a 409 on the way).
// Run alone: `npm run build -w client && npx vitest run --project browser organize`.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import { checkEntriesSheet } from './steps.js';
import { Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { type Client, type TestApp } from '../api/harness.js';

const PASSWORD = 'correct horse battery';
const VIEWPORT = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };

if (!haveChromium) console.warn(`organizer browser test skipped: ${CHROMIUM} does not exist`);

const key = () => `k-${new Types.ObjectId().toHexString()}`;
const RUBRIC = [
  { id: 'content', name: { zh: '内容', en: 'Content' }, weight: 60, maxScore: 60, step: 1 },
  { id: 'writing', name: { zh: '书写', en: 'Writing' }, weight: 40, maxScore: 40, step: 0.5 },
];
const ENTRIES = [
  ['R01', '王芳', '实验小学', '小学组'],
  ['R02', '李明', '第一中学', '中学组'],
  ['R03', '张伟', '实验小学', '小学组'],
  ['R04', '刘洋', '第二中学', '中学组'],
  ['R05', '陈静', '育才小学', '小学组'],
  ['R06', '杨帆', '第三中学', '中学组'],
];

describe.skipIf(!haveChromium)('organizer console in the browser', () => {
  let t: TestApp;
  let org: Client;
  let browser: Browser;
  let page: Page;
  let contestId = '';
  let base = '';
  const problems: string[] = [];
  const judges: { id: string; name: string; client: Client }[] = [];
  let entries: { id: string; code: string }[] = [];

  /** Judge `ji` scores entry `ei`: totals fall by 10 per entry, judges differ by a few points. */
  async function score(ji: number, ei: number) {
    const total = 90 - 10 * ei + 2 * ji;
    const values = { content: Math.round(total * 0.6), writing: total - Math.round(total * 0.6) };
    const j = judges[ji]!;
    const e = entries[ei]!;
    const saved = await j.client.put(
      `${base}/judging/entries/${e.id}/score`,
      { values, comment: '', baseVersion: 0 },
      { 'idempotency-key': key() },
    );
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const sub = await j.client.post(
      `${base}/judging/entries/${e.id}/submit`,
      { baseVersion: saved.body.version },
      { 'idempotency-key': key() },
    );
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
  }

  const noSideways = () =>
    page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);

  beforeAll(async () => {
    t = await startClientApp();
    org = await t.signedIn('organizer', { isAdmin: true, password: PASSWORD });

    const created = await org.post('/api/contests', {
      name: '区教师板书设计比赛',
      categories: [
        { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
        { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
      ],
      rounds: [
        { id: 'main', name: { zh: '初评', en: 'First round' } },
        { id: 'final', name: { zh: '复评', en: 'Final round' } },
      ],
      settings: {
        aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 2 },
        tiers: [
          { id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: 1 },
          { id: 'second', name: { zh: '二等奖', en: 'Second prize' }, quota: 2 },
        ],
        bootstrapSamples: 50,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contestId = created.body.id;
    base = `/api/contests/${contestId}`;
    for (const round of ['main', 'final'])
      expect((await org.put(`${base}/rounds/${round}/rubric`, { criteria: RUBRIC })).status).toBe(201);

    const csv = [
      '作品编号,教师姓名,学校,组别,作品名称',
      ...ENTRIES.map(([c, n, s, g]) => `${c},${n},${s},${g},${c} 板书`),
    ];
    const fd = new FormData();
    fd.append('file', new Blob([csv.join('\n')], { type: 'text/csv' }), 'entries.csv');
    expect((await org.post(`${base}/entries/import`, fd)).status).toBe(201);
    entries = (await org.get(`${base}/entries`)).body.entries;
    entries.sort((a, b) => a.code.localeCompare(b.code));

    const panel = await org.post(`${base}/panels`, { name: '第一评审组' });
    expect(panel.status, JSON.stringify(panel.body)).toBe(201);
    for (let j = 0; j < 3; j++) {
      const username = `judge${j + 1}`;
      const client = await t.signedIn(username);
      const name = `评委${j + 1}`;
      const r = await org.post(`${base}/judges`, {
        name,
        username,
        school: '教研室',
        panelId: panel.body.id,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      judges.push({ id: r.body.id, name, client });
    }
    // Every judge is assigned every entry (the assignment API has its own tests).
    await t.ctx.models.Assignment.insertMany(
      judges.flatMap((j, ji) =>
        entries.map((e, ei) => ({
          contestId,
          roundId: 'main',
          entryId: e.id,
          judgeId: j.id,
          order: (ei + ji) % 6,
        })),
      ),
    );
    const current = await org.get(base);
    expect(
      (await org.post(`${base}/status`, { status: 'judging', version: current.body.version })).status,
    ).toBe(200);
    // Judges 1 and 2 score everything; judge 3 only two entries, so is clearly behind.
    for (let ei = 0; ei < 6; ei++) {
      await score(0, ei);
      await score(1, ei);
    }
    await score(2, 0);
    await score(2, 1);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    page = await context.newPage();
    watchPageProblems(page, problems);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in and reaches the progress board from the overview, judges behind first and marked', async () => {
    // A fake clock from the start, so the 15-second refresh can be run forward instead of waited for.
    await page.clock.install();
    await page.goto(`${t.url}/login?next=${encodeURIComponent(`/contests/${contestId}`)}`);
    await page.getByLabel('用户名').fill('organizer');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}`);

    const nav = page.getByRole('navigation', { name: '比赛管理' });
    await nav.getByRole('link', { name: '评审进度' }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}/progress`);
    await page.getByRole('heading', { name: '评审进度', level: 1 }).waitFor();
    expect(await nav.getByRole('link', { name: '评审进度' }).getAttribute('aria-current')).toBe('page');
    expect(await page.title()).toBe('评审进度 · 评选 Pingxuan');

    await page.getByText('已提交 14 / 应评 18 份').waitFor();
    const rows = page.locator('table tbody tr');
    expect(await rows.count()).toBe(3);
    // The least done first; only judge 3 is behind, and it says so in words, not only in colour.
    const first = rows.first();
    expect(await first.getByRole('rowheader').textContent()).toBe('评委3进度落后');
    expect(await first.getAttribute('class')).toContain('org-row-behind');
    expect(await first.locator('td').nth(1).textContent()).toBe('2 / 6');
    expect(await rows.filter({ hasText: '进度落后' }).count()).toBe(1);
    // Entries: two fully scored (all three judges), four being scored.
    const legend = page.locator('.org-legend');
    expect(await legend.locator('li').first().textContent()).toContain('已评完 2');
    expect(await legend.locator('li').nth(1).textContent()).toContain('评分中 4');
    await page.getByRole('heading', { name: '各评审组进度' }).waitFor();
    expect(await page.locator('.org-bars').first().textContent()).toContain('第一评审组');
    await page.screenshot({ path: path.join(shots, 'organize-progress.png'), fullPage: true });

    // Sorting by name puts judge 1 first and says so to assistive technology.
    await page.getByRole('button', { name: '评委', exact: true }).click();
    expect(await rows.first().getByRole('rowheader').textContent()).toBe('评委1');
    expect(await page.getByRole('columnheader', { name: '评委' }).getAttribute('aria-sort')).toBe(
      'ascending',
    );

    // A new score appears by itself after 15 s …
    await score(2, 2);
    const asked = page.waitForRequest((r) => r.url().endsWith('/progress'));
    await page.clock.runFor(16_000);
    await asked;
    await page.getByText('已提交 15 / 应评 18 份').waitFor();

    // … but a hidden tab does not ask, and asks again at once when shown.
    let requests = 0;
    const count = (r: { url(): string }) => {
      if (r.url().endsWith('/progress')) requests++;
    };
    page.on('request', count);
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        const d = (globalThis as any).document;
        Object.defineProperty(d, 'visibilityState', {
          configurable: true,
          get: () => (h ? 'hidden' : 'visible'),
        });
        d.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await page.getByText('页面在后台，自动刷新已暂停。').waitFor();
    await page.clock.runFor(60_000);
    expect(requests).toBe(0);
    await setHidden(false);
    await expect.poll(() => requests).toBe(1);
    await page.getByText('每 15 秒自动刷新。').waitFor();
    page.off('request', count);

    // The final round has no entries yet; the choice is kept in the address.
    await page.getByLabel('评审轮次').selectOption({ label: '复评' });
    await page.getByText('已提交 0 / 应评 0 份').waitFor();
    expect(new URL(page.url()).searchParams.get('round')).toBe('final');
    await page.getByLabel('评审轮次').selectOption({ label: '初评' });
    await page.getByText('已提交 15 / 应评 18 份').waitFor();

    await page.setViewportSize(TABLET);
    expect(await noSideways()).toBeLessThanOrEqual(TABLET.width);
    await page.screenshot({ path: path.join(shots, 'organize-progress-tablet.png'), fullPage: true });
    await page.setViewportSize(VIEWPORT);
  });

  it('shows the results with prizes, confidence, charts and reliability, and filters them', async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '评审结果' }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}/results`);
    await page.getByRole('heading', { name: '评审结果', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: '作品排名、得分、奖项与标记' });
    await table.waitFor();
    const cells = await table
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 8).map((c) => c.textContent?.trim())));
    expect(cells.map((r) => [r[0], r[1], r[3], r[5], r[7]])).toEqual([
      ['1', 'R01', '王芳', '小学组', '一等奖'],
      ['2', 'R02', '李明', '中学组', '二等奖'],
      ['3', 'R03', '张伟', '小学组', '二等奖'],
      ['4', 'R04', '刘洋', '中学组', '—'],
      ['5', 'R05', '陈静', '小学组', '—'],
      ['6', 'R06', '杨帆', '中学组', '—'],
    ]);
    // Judges 1–3 gave R01 90, 92, 94: mean 92.00.
    expect(cells[0]![6]).toBe('92.00');
    expect(await table.locator('tbody tr').first().locator('td').nth(7).textContent()).toMatch(/%$/);

    await page.getByRole('img', { name: /得分分布/ }).waitFor();
    await page.getByRole('img', { name: /评委宽严度/ }).waitFor();
    // Judge 3 gives the most (two points above the others on its entries), judge 1 the least.
    expect(await page.getByRole('img', { name: /评委宽严度/ }).getAttribute('aria-labelledby')).toBeTruthy();
    const stats = page.getByRole('table', { name: '评委统计' });
    expect(await stats.locator('tbody th').allTextContents()).toEqual(['评委3', '评委2', '评委1']);
    const reliability = page.getByRole('table', { name: '评审组信度（ICC）' });
    expect(await reliability.locator('tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, 'organize-results.png'), fullPage: true });

    await page.getByLabel('奖项', { exact: true }).selectOption({ label: '二等奖' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('tier')).toBe('second');
    await page.getByText('第 1–2 条，共 2 条（第 1 / 1 页）').waitFor();
    await page.getByLabel('奖项', { exact: true }).selectOption({ label: '全部' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(6);

    await page.setViewportSize(TABLET);
    expect(await noSideways()).toBeLessThanOrEqual(TABLET.width);
    await page.screenshot({ path: path.join(shots, 'organize-results-tablet.png'), fullPage: true });
    await page.setViewportSize(VIEWPORT);
  });

  it("opens an entry's judge totals and reopens one score with a reason", async () => {
    await page.getByRole('button', { name: '评委分数（3） R01' }).click();
    const detail = page.locator('.org-judges');
    await detail.getByRole('heading', { name: 'R01「R01 板书」的评委分数' }).waitFor();
    const reopen = detail.getByRole('button', { name: '退回重评 （评委3，R01）' });
    await reopen.click();
    const dialog = page.getByRole('dialog', { name: '退回 评委3 对 R01 的评分？' });
    await dialog.waitFor();
    // No reason: refused before any request.
    await dialog.getByRole('button', { name: '退回评分' }).click();
    await dialog.getByText('请填写退回原因。').waitFor();
    await dialog.getByLabel('退回原因（必填，会写入操作日志）').fill('照片与作品编号不符，请重新核对后评分');
    await dialog.getByRole('button', { name: '退回评分' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('已退回 评委3 对 R01 的评分，原因：照片与作品编号不符，请重新核对后评分').waitFor();

    const scores = await org.get(`${base}/scores?entryId=${entries[0]!.id}&judgeId=${judges[2]!.id}`);
    expect(scores.body.scores.map((s: { status: string }) => s.status)).toEqual(['draft']);
    // The table follows: R01 now has two judges.
    await page.getByRole('button', { name: '评委分数（2） R01' }).waitFor();
  });

  it('checks an entries file row by row, then imports it', async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '导入作品' }).click();
    await page.getByRole('heading', { name: '导入作品', level: 1 }).waitFor();
    const header = '作品编号,教师姓名,学校,组别,作品名称';
    const bad = [header, 'R01,周老师,实验小学,小学组,重复编号', 'R08,,第四中学,中学组,缺教师'].join('\n');
    const found = await checkEntriesSheet(page, '作品表.csv', bad);
    expect(found).toEqual(
      expect.arrayContaining([
        ['2', '作品编号'],
        ['3', '教师姓名'],
      ]),
    );
    await page.getByRole('heading', { name: /文件中有 \d+ 处问题，没有导入任何作品/ }).waitFor();
    expect((await org.get(`${base}/entries`)).body.entries.length).toBe(6);

    const good = [header, 'R07,周老师,实验小学,小学组,春夜喜雨', 'R08,吴老师,第四中学,中学组,望岳'].join(
      '\n',
    );
    expect(await checkEntriesSheet(page, '作品表.csv', good)).toEqual([]);
    await page.getByText('「作品表.csv」检查通过：可以导入 2 件作品。').waitFor();
    expect((await org.get(`${base}/entries`)).body.entries.length).toBe(6);
    await page.getByRole('button', { name: '导入 2 件作品' }).click();
    await page.getByText('已导入 2 件作品。').waitFor();
    expect((await org.get(`${base}/entries`)).body.entries.length).toBe(8);
  });

  it('moves the contest to review, then publishes it after a 409 from a change made elsewhere', async () => {
    const head = page.locator('.org-head');
    await head.getByRole('button', { name: '进入审核' }).click();
    let dialog = page.getByRole('dialog', { name: '结束评分，进入审核？' });
    await dialog.getByText('评委将不能再保存或提交评分；未提交的草稿不计入结果。').waitFor();
    await dialog.getByRole('button', { name: '进入审核' }).click();
    await dialog.waitFor({ state: 'detached' });
    await head.locator('.badge', { hasText: '审核中' }).waitFor();
    expect((await org.get(base)).body.status).toBe('review');

    // Someone else sends it back to judging and to review again: the page's version is now stale.
    for (const status of ['judging', 'review']) {
      const current = await org.get(base);
      expect((await org.post(`${base}/status`, { status, version: current.body.version })).status).toBe(200);
    }

    await head.getByRole('button', { name: '公布结果' }).click();
    dialog = page.getByRole('dialog', { name: '公布「区教师板书设计比赛」的结果？' });
    await dialog.getByText(/公布是最终操作，不能撤销/).waitFor();
    await dialog.getByText('将生成公开的获奖名单页面，任何人都可以查看。').waitFor();
    await dialog.getByText('一等奖：1 件').waitFor();
    const confirm = dialog.getByRole('button', { name: '公布结果' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('我已核对结果，确认公布。公布后不能撤销。').check();
    await page.screenshot({ path: path.join(shots, 'organize-publish-dialog.png') });
    await confirm.click();

    const alert = dialog.getByRole('alert');
    await alert.getByText('操作未完成：与比赛的当前状态冲突（409）。').waitFor();
    await alert.getByText(/比赛刚被其他人修改过/).waitFor();
    await alert.getByText(/服务器说明：Contest was changed by someone else/).waitFor();
    expect((await org.get(base)).body.status).toBe('review');

    // The page read the contest again; the second confirmation publishes.
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await head.locator('.badge', { hasText: '已公布' }).waitFor();
    await page.getByText('结果已公布，公开获奖名单已生成。').waitFor();
    expect(await page.getByRole('link', { name: '查看公开获奖名单' }).getAttribute('href')).toBe(
      `/winners/${contestId}`,
    );
    expect(await head.getByRole('button').count()).toBe(0);

    const published = await org.get(base);
    expect(published.body.status).toBe('published');
    const winners = await t.client().get(`/api/public/contests/${contestId}/winners`);
    expect(winners.status, JSON.stringify(winners.body)).toBe(200);
  });

  it('lists the audit log newest first, with the reopen reason and the status changes, page by page', async () => {
    // More than one page (50) of events: new sign-in codes for the judges add the missing ones.
    const logged = () => t.ctx.models.AuditEvent.countDocuments({ contestId });
    for (let i = 0; (await logged()) < 55; i++)
      expect((await org.post(`${base}/judges/${judges[i % 3]!.id}/sign-in-code`, {})).status).toBe(201);
    const total = await logged();

    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '操作日志' }).click();
    await page.getByRole('heading', { name: '操作日志', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: '操作日志，最新的在前' });
    await table.waitFor();
    const first = table.locator('tbody tr').first();
    expect(await first.getByRole('rowheader').textContent()).toContain('生成登录码');
    expect(await table.locator('tbody tr').count()).toBe(50);
    await table.getByText('状态：审核中 → 已公布').waitFor();
    await table.getByText('退回原因：照片与作品编号不符，请重新核对后评分').waitFor();

    // Sequence numbers are global to the log: the next page continues below the last one shown.
    const seqs = async () => (await table.locator('tbody tr td:first-child').allTextContents()).map(Number);
    const firstPage = await seqs();
    expect(firstPage).toEqual([...firstPage].sort((a, b) => b - a));
    await page.getByRole('button', { name: '较早的记录' }).click();
    await page.getByText('第 2 页').waitFor();
    await expect.poll(async () => (await seqs()).length).toBe(total - 50);
    expect(Math.max(...(await seqs()))).toBeLessThan(Math.min(...firstPage));
    expect(await page.getByRole('button', { name: '较早的记录' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '较新的记录' }).click();
    await page.getByText('第 1 页').waitFor();

    await page.getByLabel('操作类型').selectOption({ label: '退回评分' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
  });

  it('raised no script errors on the way', () => {
    expect(problems).toEqual([]);
  });
});
