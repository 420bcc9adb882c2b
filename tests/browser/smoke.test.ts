// Smoke test of the built client (client/dist) served by the real server, in Debian's chromium.
// `npm test` builds the client first; run alone: `npm run build -w client && npx vitest run tests/browser`.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { type Client, type TestApp } from '../api/harness.js';

const PASSWORD = 'correct horse battery';
const VIEWPORT = { width: 1280, height: 800 };

if (!haveChromium)
  console.warn(`browser smoke test skipped: ${CHROMIUM} does not exist (install Debian's chromium package)`);

describe.skipIf(!haveChromium)('client in the browser', () => {
  let t: TestApp;
  let admin: Client;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Uncaught exceptions and console errors other than failed requests (CSP violations show up here). */
  const problems: string[] = [];
  let contestId = '';
  const entryIds: string[] = [];
  const judgeIds: string[] = [];

  function watch(p: Page) {
    watchPageProblems(p, problems);
  }

  beforeAll(async () => {
    t = await startClientApp();
    admin = await t.signedIn('admin', { isAdmin: true, password: PASSWORD });

    // The contest the organizer opens: two categories, a weighted rubric, judges in a panel, entries.
    const created = await admin.post('/api/contests', {
      name: '2025 年区教师黑板字比赛',
      description: '全区中小学教师黑板字基本功展示',
      categories: [
        { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
        { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
      ],
      subjects: [{ id: 'chinese', name: { zh: '语文', en: 'Chinese' } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contestId = created.body.id;
    const base = `/api/contests/${contestId}`;
    const rubric = await admin.put(`${base}/rounds/main/rubric`, {
      criteria: [
        { id: 'layout', name: { zh: '版面布局', en: 'Layout' }, weight: 30, maxScore: 10 },
        { id: 'strokes', name: { zh: '笔画规范', en: 'Strokes' }, weight: 50, maxScore: 10, step: 0.5 },
        { id: 'content', name: { zh: '内容切题', en: 'Relevance' }, weight: 20, maxScore: 10 },
      ],
    });
    expect(rubric.status, JSON.stringify(rubric.body)).toBe(201);
    const panel = await admin.post(`${base}/panels`, { name: '第一评审组' });
    expect(panel.status, JSON.stringify(panel.body)).toBe(201);
    for (const name of ['王老师', '赵老师']) {
      const j = await admin.post(`${base}/judges`, { name, school: '实验中学', panelId: panel.body.id });
      expect(j.status, JSON.stringify(j.body)).toBe(201);
      judgeIds.push(j.body.id);
    }
    for (const [code, title] of [
      ['A001', '春晓'],
      ['A002', '静夜思'],
    ]) {
      const e = await admin.post(`${base}/entries`, {
        code,
        title,
        teacherName: '李老师',
        school: '第一小学',
        category: 'primary',
      });
      expect(e.status, JSON.stringify(e.body)).toBe(201);
      entryIds.push(e.body.id);
    }
    // One photo for the teacher's feedback page: a green "blackboard".
    const jpeg = await sharp({
      create: { width: 800, height: 600, channels: 3, background: { r: 30, g: 70, b: 55 } },
    })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('photos', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'A002.jpg');
    const photo = await admin.post(`${base}/entries/${entryIds[1]}/photos`, form);
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);

    // A second contest already being judged, for a second status badge.
    const other = await admin.post('/api/contests', { name: '青年教师说课比赛' });
    expect(other.status).toBe(201);
    await t.ctx.models.Contest.updateOne({ _id: other.body.id }, { $set: { status: 'judging' } });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    page = await context.newPage();
    watch(page);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in through the form and lists the contests in Chinese', async () => {
    await page.goto(`${t.url}/contests`);
    // Not signed in: sent to the sign-in page, which remembers where to go back to.
    await page.waitForURL(/\/login\?next=%2Fcontests$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await page.getByRole('heading', { name: '登录', exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: '评委登录码' }).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'login.png') });

    // Empty form: the field errors come from the shared schema, before any request.
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByText('用户名为 3–64 位字母、数字或 . _ @ -').waitFor();
    expect(await page.getByLabel('用户名').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码', { exact: true }).fill('wrong password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误。' }).waitFor();

    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${t.url}/contests`);
    await page.getByRole('heading', { name: '比赛', exact: true }).waitFor();
    const cards = page.locator('.contest-card');
    await cards.filter({ hasText: '2025 年区教师黑板字比赛' }).waitFor();
    expect(await cards.count()).toBe(2);
    expect(await cards.filter({ hasText: '2025 年区教师黑板字比赛' }).locator('.badge').textContent()).toBe(
      '草稿',
    );
    expect(await cards.filter({ hasText: '青年教师说课比赛' }).locator('.badge').textContent()).toBe(
      '评审中',
    );
    expect(await page.getByText(/当前用户：admin/).isVisible()).toBe(true);
    expect(await page.title()).toBe('比赛 · 评选 Pingxuan');
    await page.screenshot({ path: path.join(shots, 'contests.png') });
  });

  it('switches to English and keeps the choice after a reload', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Contests', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.contest-card .badge').allTextContents()).toEqual(
      expect.arrayContaining(['Draft', 'Judging']),
    );
    const kept = await page.evaluate(() => {
      const w = globalThis as any; // runs in the page; tests/ is type-checked without the DOM library
      return [w.localStorage.getItem('pingxuan.lang'), w.document.documentElement.lang];
    });
    expect(kept).toEqual(['en', 'en']);

    await page.reload();
    await page.getByRole('heading', { name: 'Contests', exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
  });

  it('opens the contest overview with counts and the weighted rubric', async () => {
    await page
      .locator('.contest-card')
      .filter({ hasText: '2025 年区教师黑板字比赛' })
      .getByRole('link', { name: 'Overview' })
      .click();
    await page.waitForURL(`${t.url}/contests/${contestId}`);
    await page.getByRole('heading', { name: '2025 年区教师黑板字比赛' }).waitFor();
    await page.getByRole('table').waitFor();

    const stat = (label: string) => page.locator('.stat').filter({ hasText: label }).locator('.stat-value');
    await expect.poll(() => stat('Entries').textContent()).toBe('2');
    await expect.poll(() => stat('Judges').textContent()).toBe('2');
    await expect.poll(() => stat('Panels').textContent()).toBe('1');

    const rows = await page
      .locator('table tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) =>
          [...tr.querySelectorAll('th > div:first-child, td')].map((c) => c.textContent?.trim()),
        ),
      );
    expect(rows).toEqual([
      ['Layout', '30', '30%', '10', '1'],
      ['Strokes', '50', '50%', '10', '0.5'],
      ['Relevance', '20', '20%', '10', '1'],
    ]);
    expect(await page.locator('table tfoot td').first().textContent()).toBe('100');
    expect(await page.getByText('Primary, Secondary').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'contest-overview.png'), fullPage: true });

    // Back in Chinese, the same page names things in the contest's own words.
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('columnheader', { name: '权重', exact: true }).waitFor();
    expect(await page.getByRole('rowheader', { name: '笔画规范' }).isVisible()).toBe(true);
    // Portrait tablet: nothing may overflow sideways.
    await page.setViewportSize({ width: 768, height: 1024 });
    expect(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(768);
    await page.screenshot({ path: path.join(shots, 'contest-overview-tablet.png'), fullPage: true });
    await page.setViewportSize(VIEWPORT);
  });

  it('signs a judge in through the QR link once, and refuses the spent code', async () => {
    const issued = await admin.post(`/api/contests/${contestId}/judges/${judgeIds[0]}/sign-in-code`, {});
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const link = new URL(issued.body.url, t.url);
    expect(link.pathname).toBe('/judge/sign-in');

    const judgeContext = await browser.newContext({
      viewport: { width: 768, height: 1024 },
      locale: 'zh-CN',
    });
    try {
      const tablet = await judgeContext.newPage();
      watch(tablet);
      await tablet.goto(t.url + link.pathname + link.search);
      await tablet.waitForURL(`${t.url}/judge/${contestId}`);
      // The judging list may not answer for a draft contest; either way the page says something useful.
      await tablet.locator('.progress-text, .notice-error').first().waitFor();
      expect(await tablet.getByRole('button', { name: '退出登录' }).isVisible()).toBe(true);
      await tablet.screenshot({ path: path.join(shots, 'judge-tablet.png') });

      const again = await judgeContext.newPage();
      watch(again);
      await again.goto(t.url + link.pathname + link.search);
      await again.getByText('登录码错误、已使用或已过期').waitFor();
      expect(new URL(again.url()).search).toBe(''); // the spent code left the address bar
    } finally {
      await judgeContext.close();
    }
  });

  it('shows a teacher the entry behind a feedback link, results not yet published', async () => {
    const issued = await admin.post(`/api/contests/${contestId}/entries/feedback-links`, {
      entryIds: [entryIds[1]],
    });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const link = new URL(issued.body.links[0].url, t.url);

    const teacher = await browser.newContext({ viewport: { width: 768, height: 1024 }, locale: 'zh-CN' });
    try {
      const p = await teacher.newPage();
      watch(p);
      await p.goto(t.url + link.pathname);
      await p.getByRole('heading', { name: '静夜思' }).waitFor();
      await p.getByText('结果公布后可在此查看评分与评语').waitFor();
      expect(await p.getByText('A002').isVisible()).toBe(true);
      expect(await p.title()).toBe('静夜思 · 评选 Pingxuan');
      // The thumbnail really loads through the feedback link (path, size and the server's CSP all agree).
      const img = p.getByRole('img', { name: '作品照片 1' });
      await expect
        .poll(() => img.evaluate((el) => (el as any).complete && (el as any).naturalWidth))
        .toBeGreaterThan(0);
      expect(await img.getAttribute('src')).toMatch(
        new RegExp(`^/api/feedback/${link.pathname.split('/').pop()}/photos/[0-9a-f]{24}\\?size=thumb$`),
      );
      await p.screenshot({ path: path.join(shots, 'feedback-tablet.png') });

      await p.goto(`${t.url}/feedback/${'x'.repeat(43)}`);
      await p.getByText('此反馈链接无效或已被替换').waitFor();
    } finally {
      await teacher.close();
    }
  });

  it('answers unknown addresses with the 404 page, and signs out', async () => {
    await page.goto(`${t.url}/no/such/page`);
    await page.getByRole('heading', { name: '页面不存在' }).waitFor();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.waitForURL(`${t.url}/login`);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
  });

  it('raised no script errors or policy violations on the way', () => {
    expect(problems).toEqual([]);
  });
});
