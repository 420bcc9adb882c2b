// The public pages and the teacher's feedback in the built client (client/dist), in Debian's chromium: a
// small contest is run through the API to publication, then the winners list, the showcase slideshow and
// the feedback page with its chart are checked, and before publication nothing of it may show.
// Run alone: `npm run build -w client && npx vitest run --project browser public`.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { Types } from 'mongoose';
import { type Client, type TestApp } from '../api/harness.js';

const DESKTOP = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };

// code, title, teacher, school, category, photo colours. Totals fall with the row; E06 gets one judge only.
const ENTRIES = [
  ['E01', '春晓', '王芳', '实验小学', 'primary', ['#1f4a3a', '#24523f']],
  ['E02', '静夜思', '李明', '第一中学', 'secondary', ['#233d4d']],
  ['E03', '咏柳', '张伟', '实验小学', 'primary', ['#2d3a2e']],
  ['E04', '登鹳雀楼', '刘洋', '第二中学', 'secondary', []],
  ['E05', '望庐山瀑布', '陈静', '育才小学', 'primary', ['#3a2d2d']],
  ['E06', '江雪', '杨帆', '第三中学', 'secondary', ['#2d2d3a']],
] as const;
const SECRETS = ENTRIES.flatMap(([code, title, teacher]): string[] => [code, title, teacher]).concat([
  '一等奖',
  '二等奖',
]);

if (!haveChromium) console.warn(`public pages browser test skipped: ${CHROMIUM} does not exist`);

/** A "blackboard" photo in the given colour with its code in chalk, so the slides tell apart. */
async function blackboard(color: string, label: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="800">
    <rect width="1200" height="800" fill="#6b4f32"/><rect x="40" y="40" width="1120" height="720" fill="${color}"/>
    <text x="600" y="440" font-size="160" font-family="sans-serif" fill="#f4f1e8" text-anchor="middle">${label}</text>
    <path d="M140 620 Q 600 520 1060 620" stroke="#f4f1e8" stroke-width="8" fill="none"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

const key = () => `k-${new Types.ObjectId().toHexString()}`;

describe.skipIf(!haveChromium)('public winners, showcase and feedback in the browser', () => {
  let t: TestApp;
  let org: Client;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let contestId = '';
  let base = '';
  const entryIds = new Map<string, string>();
  const tokens = new Map<string, string>();

  function watch(p: Page) {
    watchPageProblems(p, problems);
  }

  async function setStatus(status: string) {
    const current = await org.get(base);
    const r = await org.post(`${base}/status`, { status, version: current.body.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }

  const bodyText = (p: Page) => p.locator('body').innerText();
  const noSideScroll = (p: Page) =>
    p.evaluate(() => (globalThis as any).document.documentElement.scrollWidth);

  beforeAll(async () => {
    t = await startClientApp();
    org = await t.signedIn('organizer', { isAdmin: true });

    const created = await org.post('/api/contests', {
      name: '2025 年区教师黑板字比赛',
      description: '全区中小学教师黑板字基本功展示',
      categories: [
        { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
        { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
      ],
      settings: {
        aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 2 },
        tiers: [
          { id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: 2 },
          { id: 'second', name: { zh: '二等奖', en: 'Second prize' }, quota: 2 },
        ],
        bootstrapSamples: 0,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contestId = created.body.id;
    base = `/api/contests/${contestId}`;
    const rubric = await org.put(`${base}/rounds/main/rubric`, {
      criteria: [
        { id: 'layout', name: { zh: '版面布局', en: 'Layout' }, weight: 30, maxScore: 10, step: 0.5 },
        { id: 'strokes', name: { zh: '笔画规范', en: 'Strokes' }, weight: 50, maxScore: 10, step: 0.5 },
        { id: 'content', name: { zh: '内容切题', en: 'Relevance' }, weight: 20, maxScore: 10, step: 0.5 },
      ],
    });
    expect(rubric.status, JSON.stringify(rubric.body)).toBe(201);

    for (const [code, title, teacherName, school, category, colors] of ENTRIES) {
      const e = await org.post(`${base}/entries`, { code, title, teacherName, school, category });
      expect(e.status, JSON.stringify(e.body)).toBe(201);
      entryIds.set(code, e.body.id);
      for (const [i, color] of colors.entries()) {
        const form = new FormData();
        const jpeg = await blackboard(color, `${code}-${i + 1}`);
        form.append(
          'photos',
          new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }),
          `${code}-${i + 1}.jpg`,
        );
        const photo = await org.post(`${base}/entries/${e.body.id}/photos`, form);
        expect(photo.status, JSON.stringify(photo.body)).toBe(201);
      }
    }

    const judges: { id: string; client: Client }[] = [];
    for (const [j, name] of ['赵老师', '钱老师'].entries()) {
      const username = `judge${j + 1}`;
      const client = await t.signedIn(username);
      const r = await org.post(`${base}/judges`, { name, username, school: '教研室' });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      judges.push({ id: r.body.id, client });
    }
    await t.ctx.models.Assignment.insertMany(
      judges.flatMap((j) =>
        [...entryIds.values()].map((entryId, order) => ({
          contestId,
          roundId: 'main',
          entryId,
          judgeId: j.id,
          order,
        })),
      ),
    );
    await setStatus('judging');
    for (const [ji, j] of judges.entries())
      for (const [ei, [code]] of ENTRIES.entries()) {
        if (ei === 5 && ji > 0) continue; // E06 stays incomplete
        const values = { layout: 9 - ei + ji * 0.5, strokes: 9.5 - ei, content: 8 - ei * 0.5 + ji * 0.5 };
        const comment =
          ji === 0 ? `${code}：板书布局清晰，字迹工整` : ei === 0 ? '建议加强重点内容的色彩区分' : '';
        const id = entryIds.get(code)!;
        const saved = await j.client.put(
          `${base}/judging/entries/${id}/score`,
          { values, comment, baseVersion: 0 },
          { 'idempotency-key': key() },
        );
        expect(saved.status, JSON.stringify(saved.body)).toBe(200);
        const sub = await j.client.post(
          `${base}/judging/entries/${id}/submit`,
          { baseVersion: saved.body.version },
          { 'idempotency-key': key() },
        );
        expect(sub.status, JSON.stringify(sub.body)).toBe(200);
      }
    const links = await org.post(`${base}/entries/feedback-links`, {});
    expect(links.status, JSON.stringify(links.body)).toBe(201);
    for (const l of links.body.links as { code: string; url: string }[])
      tokens.set(l.code, new URL(l.url, t.url).pathname);
    await setStatus('review');

    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    page = await context.newPage();
    watch(page);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows nothing revealing before publication: no contest, no winners, no slideshow, no results', async () => {
    await page.goto(`${t.url}/winners`);
    await page.getByRole('heading', { name: '获奖名单', exact: true }).waitFor();
    await page.getByText('目前还没有公布结果的比赛。').waitFor();

    for (const p of [`/winners/${contestId}`, `/winners/${contestId}/showcase`]) {
      const answers: number[] = [];
      const listen = (r: { url(): string; status(): number }) => {
        if (r.url().includes('/api/public/')) answers.push(r.status());
      };
      page.on('response', listen);
      await page.goto(t.url + p);
      await page.getByRole('alert').filter({ hasText: '结果可能尚未公布' }).waitFor();
      page.off('response', listen);
      expect(answers).toEqual([404]);
      const text = await bodyText(page);
      expect(
        SECRETS.filter((s) => text.includes(s)),
        p,
      ).toEqual([]);
      expect(await page.locator('img').count()).toBe(0);
    }

    // The teacher sees the entry and the notice, and no results yet.
    await page.goto(t.url + tokens.get('E01'));
    await page.getByRole('heading', { name: '春晓' }).waitFor();
    await page.getByText('结果公布后可在此查看评分与评语').waitFor();
    expect(await page.locator('.feedback-results, .criteria-chart').count()).toBe(0);
    expect(await bodyText(page)).not.toMatch(/一等奖|得分|名次/);
  });

  it('lists the published contest and its winners by tier, filtered by category and school', async () => {
    await setStatus('published');
    await page.goto(`${t.url}/winners`);
    const card = page.locator('.public-contest').filter({ hasText: '2025 年区教师黑板字比赛' });
    await card.waitFor();
    expect(await card.innerText()).toContain('奖项：一等奖、二等奖');
    await card.getByRole('link', { name: '查看获奖名单' }).click();
    await page.waitForURL(`${t.url}/winners/${contestId}`);
    await page.getByRole('heading', { name: '2025 年区教师黑板字比赛', level: 1 }).waitFor();
    expect(await page.title()).toBe('2025 年区教师黑板字比赛 获奖名单 · 评选 Pingxuan');

    const codesIn = (tier: string) =>
      page
        .locator('.tier-section')
        .filter({ has: page.getByRole('heading', { name: tier }) })
        .locator('.winners-code')
        .allTextContents();
    await expect.poll(() => codesIn('一等奖')).toEqual(['E01', 'E02']);
    expect(await codesIn('二等奖')).toEqual(['E03', 'E04']);
    expect(await page.locator('.winners-total').textContent()).toBe('共 4 件获奖作品');
    const text = await bodyText(page);
    for (const [code, title, teacher] of ENTRIES.slice(4))
      for (const s of [code, title, teacher]) expect(text).not.toContain(s);
    expect(text).not.toMatch(/得分|名次|评委/);
    // Thumbnails load (public photo route, CSP), and a winner without a photo says so in its reserved box.
    const thumb = page.getByRole('img', { name: '春晓（E01）' });
    await expect.poll(() => thumb.evaluate((el: any) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    expect(await page.locator('tr', { hasText: 'E04' }).getByText('无照片').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'winners.png'), fullPage: true });

    // Category: only its winners; the school list narrows to the schools left.
    await page.getByLabel('组别').selectOption('secondary');
    await expect.poll(() => codesIn('一等奖')).toEqual(['E02']);
    expect(await codesIn('二等奖')).toEqual(['E04']);
    expect(new URL(page.url()).searchParams.get('category')).toBe('secondary');
    expect(await page.getByLabel('学校').locator('option').allTextContents()).toEqual([
      '全部',
      '第二中学',
      '第一中学',
    ]);
    expect(await page.locator('.winners-total').textContent()).toBe('符合条件的获奖作品 2 件（共 4 件）');
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.getByLabel('学校').selectOption('实验小学');
    await expect.poll(() => codesIn('一等奖')).toEqual(['E01']);
    expect(await codesIn('二等奖')).toEqual(['E03']);
    // The filters live in the address: a reload (or a shared link) keeps them.
    await page.reload();
    await expect.poll(() => codesIn('二等奖')).toEqual(['E03']);
    expect(await page.getByLabel('学校').inputValue()).toBe('实验小学');
    await page.getByLabel('组别').selectOption('secondary');
    await page.getByText('没有符合条件的获奖作品。').waitFor();

    // Print: the list without the screen's controls, saying how it was filtered.
    await page.getByLabel('组别').selectOption('');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.winners-toolbar').isVisible()).toBe(false);
    expect(await page.locator('.app-header').isVisible()).toBe(false);
    expect(await page.getByText('筛选条件：实验小学').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('button', { name: '清除筛选' }).click();
    await expect.poll(() => codesIn('二等奖')).toEqual(['E03', 'E04']);
  });

  it('reads in English, and fits a portrait tablet', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: /First prize/ }).waitFor();
    expect(await page.getByRole('heading', { name: /Second prize/ }).isVisible()).toBe(true);
    expect(await page.locator('.winners-total').textContent()).toBe('Winning entries: 4');
    expect(await page.locator('tr', { hasText: 'E02' }).locator('td').last().textContent()).toBe('Secondary');
    await page.getByLabel('Category').selectOption('primary');
    await expect.poll(() => page.locator('.winners-code').allTextContents()).toEqual(['E01', 'E03']);
    await page.screenshot({ path: path.join(shots, 'winners-en.png'), fullPage: true });
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '清除筛选' }).click();

    await page.setViewportSize(TABLET);
    expect(await noSideScroll(page)).toBeLessThanOrEqual(TABLET.width);
    await page.screenshot({ path: path.join(shots, 'winners-tablet.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  it('runs the showcase of first prizes by keyboard, preloading the next photo', async () => {
    const show = (await t.client().get(`/api/public/contests/${contestId}/showcase`)).body;
    const [e01a, e01b] = show.works[0].photos.map((p: { id: string }) => p.id);
    const large = (code: string, photoId: string) =>
      `/api/public/contests/${contestId}/entries/${entryIds.get(code)}/photos/${photoId}?size=large`;
    const requested: string[] = [];
    const record = (r: { url(): string }) =>
      requested.push(new URL(r.url()).pathname + new URL(r.url()).search);
    page.on('request', record);

    await page.goto(`${t.url}/winners/${contestId}`);
    await page.getByRole('link', { name: '作品展播（一等奖）' }).click();
    await page.waitForURL(`${t.url}/winners/${contestId}/showcase`);
    const code = page.locator('.showcase-code');
    const sub = page.locator('.showcase-caption-sub');
    await code.waitFor();
    expect(await code.textContent()).toBe('E01');
    expect(await page.locator('.showcase-title').textContent()).toBe('春晓');
    expect(await sub.innerText()).toContain('王芳');
    expect(await sub.innerText()).toContain('照片 1 / 2');
    expect(await page.locator('.showcase-tier').textContent()).toBe('一等奖');
    // The page behind the slideshow is out of reach of Tab and screen readers while it shows.
    expect(await page.evaluate(() => (globalThis as any).document.getElementById('root').inert)).toBe(true);
    expect(await page.locator('.showcase-position').textContent()).toBe('1 / 3');
    expect(await page.getByLabel('切换间隔').inputValue()).toBe('8');
    // Paused from here on, so a slow machine's 8 s cannot move the slides under the keyboard checks.
    await page.keyboard.press(' ');
    await page.getByText('已暂停').waitFor();
    expect(await page.getByRole('button', { name: '播放' }).getAttribute('aria-pressed')).toBe('true');
    const photo = page.locator('.showcase-photo img');
    expect(await photo.getAttribute('src')).toBe(large('E01', e01a));
    await expect.poll(() => photo.evaluate((el: any) => el.complete && el.naturalWidth)).toBeGreaterThan(0);
    // The photo fills the stage above the caption band, at 1280x800.
    const box = (await photo.boundingBox())!;
    expect(box.width).toBeGreaterThan(1000);
    expect(box.height).toBeGreaterThan(550);
    // The second photo was asked for before it is shown.
    await expect.poll(() => requested.includes(large('E01', e01b))).toBe(true);

    await page.keyboard.press('ArrowRight');
    await expect.poll(() => sub.innerText()).toContain('照片 2 / 2');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => code.textContent()).toBe('E02');
    expect(await page.locator('.showcase-position').textContent()).toBe('3 / 3');
    // The last slide preloads the first again; the slideshow goes round.
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('.showcase-position').textContent()).toBe('1 / 3');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => code.textContent()).toBe('E02');
    // Only first prizes: no other work's large photo is shown or preloaded (the winners list had thumbnails).
    for (const c of ['E03', 'E04', 'E05', 'E06'])
      expect(requested.some((u) => u.includes(entryIds.get(c)!) && u.endsWith('size=large'))).toBe(false);

    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('.showcase-position').textContent()).toBe('1 / 3');
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByText('已暂停').count()).toBe(0);
    expect(await page.getByRole('button', { name: '暂停' }).getAttribute('aria-pressed')).toBe('false');
    await page.screenshot({ path: path.join(shots, 'showcase.png') });

    // F asks for full screen through the Fullscreen API, F again leaves it.
    await page.keyboard.press('f');
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.fullscreenElement?.className ?? null))
      .toBe('showcase');
    expect(await page.getByRole('button', { name: '退出全屏' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('F');
    await expect.poll(() => page.evaluate(() => (globalThis as any).document.fullscreenElement)).toBe(null);

    // The cursor and the controls leave the picture when the mouse rests, and come back when it moves.
    const show$ = page.locator('.showcase');
    await page.mouse.move(400, 300);
    await expect.poll(() => show$.getAttribute('data-idle')).toBe('false');
    await expect.poll(() => show$.getAttribute('data-idle'), { timeout: 6000 }).toBe('true');
    expect(await show$.evaluate((el: any) => (globalThis as any).getComputedStyle(el).cursor)).toBe('none');
    await expect
      .poll(() =>
        page
          .locator('.showcase-controls')
          .evaluate((el: any) => (globalThis as any).getComputedStyle(el).opacity),
      )
      .toBe('0');
    await page.screenshot({ path: path.join(shots, 'showcase-idle.png') });
    await page.mouse.move(420, 320);
    await expect.poll(() => show$.getAttribute('data-idle')).toBe('false');

    // The header's language switch is covered, so the controls have their own.
    const controls = page.locator('.showcase-controls');
    await controls.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('.showcase-tier').textContent()).toBe('First prize');
    expect(await page.getByRole('button', { name: 'Pause' }).isVisible()).toBe(true);
    await controls.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('.showcase-tier').textContent()).toBe('一等奖');

    // Esc leaves the showcase for the winners list.
    await page.keyboard.press('Escape');
    await page.waitForURL(`${t.url}/winners/${contestId}`);
    await expect
      .poll(() => page.evaluate(() => (globalThis as any).document.getElementById('root').inert))
      .toBe(false);
    page.off('request', record);

    // The second prizes have their own showcase; E04 has no photo and so no slide.
    await page.getByRole('link', { name: '作品展播（二等奖）' }).click();
    await page.waitForURL(`${t.url}/winners/${contestId}/showcase?tier=second`);
    await expect.poll(() => page.locator('.showcase-tier').textContent()).toBe('二等奖');
    expect(await page.locator('.showcase-code').textContent()).toBe('E03');
    expect(await page.locator('.showcase-position').textContent()).toBe('1 / 1');
    await page.getByRole('button', { name: '退出展播' }).click();
    await page.waitForURL(`${t.url}/winners/${contestId}`);
  });

  it('advances by itself at the chosen interval, and holds while paused', async () => {
    await page.goto(`${t.url}/winners/${contestId}/showcase?interval=2`);
    const position = page.locator('.showcase-position');
    await position.waitFor();
    expect(await page.getByLabel('切换间隔').inputValue()).toBe('2');
    const started = Date.now();
    await expect.poll(() => position.textContent(), { timeout: 8000 }).toBe('2 / 3');
    await expect.poll(() => position.textContent(), { timeout: 8000 }).toBe('3 / 3');
    console.log(
      `showcase: two auto-advances at a 2 s interval took ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    await page.keyboard.press(' ');
    await page.getByText('已暂停').waitFor();
    const held = await position.textContent();
    await page.waitForTimeout(3000);
    expect(await position.textContent()).toBe(held);
    await page.keyboard.press(' ');
    await expect.poll(() => position.textContent(), { timeout: 8000 }).not.toBe(held);

    // A longer interval from the select: the timer bar runs that long.
    await page.mouse.move(300, 300);
    await page.getByLabel('切换间隔').selectOption('30');
    await expect
      .poll(() => page.locator('.showcase-timer').evaluate((el: any) => el.style.animationDuration))
      .toBe('30s');

    await page.setViewportSize(TABLET);
    await page.locator('.showcase-photo img').evaluate((el: any) => el.decode());
    expect(await noSideScroll(page)).toBeLessThanOrEqual(TABLET.width);
    await page.screenshot({ path: path.join(shots, 'showcase-tablet.png') });
    await page.setViewportSize(DESKTOP);
  });

  it('shows a teacher the work, the results, the chart against the cohort, and the comments', async () => {
    const teacher = await browser.newContext({ viewport: TABLET, locale: 'zh-CN' });
    try {
      const p = await teacher.newPage();
      watch(p);
      await p.goto(t.url + tokens.get('E01'));
      await p.getByRole('heading', { name: '春晓' }).waitFor();
      await p.getByRole('heading', { name: '评审结果' }).waitFor();
      expect(await p.getByRole('img', { name: /作品照片/ }).count()).toBe(2);
      const facts = p.locator('.result-facts');
      expect(await facts.locator('.tier-badge').textContent()).toBe('一等奖');
      // E01: both judges' weighted totals averaged; first of five ranked.
      expect(await facts.innerText()).toContain('前 5%');
      expect(await facts.innerText()).toContain('共 5 件作品参与排名');
      const score = await facts.locator('.result-score').textContent();
      expect(score).toMatch(/^\d+(\.\d+)? 分（满分 100）$/);

      // One strip for the total and one per criterion, each with the teacher's mark where the value is.
      const rows = p.locator('.chart-row');
      expect(await rows.count()).toBe(4);
      expect(await rows.locator('.chart-name').allTextContents()).toEqual([
        '总分',
        '版面布局',
        '笔画规范',
        '内容切题',
      ]);
      const layout = rows.filter({ hasText: '版面布局' });
      expect(await layout.locator('.chart-yours').textContent()).toBe('您的作品：9.25 / 10'); // (9 + 9.5) / 2
      expect(Number(await layout.locator('.chart-yours-mark').getAttribute('x1'))).toBeCloseTo(925, 6);
      expect(await layout.locator('.chart-bin').count()).toBeGreaterThan(0);
      expect(await layout.locator('.chart-box').count()).toBe(1);
      expect(await layout.locator('.chart-cohort').textContent()).toMatch(
        /^中位数 [\d.]+，中间一半 [\d.]+–[\d.]+$/,
      );
      // The values are also a table for screen readers and exact reading.
      await p.getByText('以表格查看数值').click();
      expect(
        await p
          .getByRole('row', { name: /笔画规范/ })
          .locator('td')
          .first()
          .textContent(),
      ).toBe('9.5');

      const comments = await p.locator('.comment-list blockquote').allTextContents();
      expect(comments.sort()).toEqual(['E01：板书布局清晰，字迹工整', '建议加强重点内容的色彩区分'].sort());
      expect(await bodyText(p)).not.toMatch(/赵老师|钱老师/);
      expect(await noSideScroll(p)).toBeLessThanOrEqual(TABLET.width);
      await p.screenshot({ path: path.join(shots, 'feedback.png'), fullPage: true });

      await p.getByRole('button', { name: 'English' }).click();
      await p.getByRole('heading', { name: 'Results' }).waitFor();
      expect(await facts.locator('.tier-badge').textContent()).toBe('First prize');
      expect(await facts.innerText()).toContain('Top 5%');
      expect(await rows.locator('.chart-name').allTextContents()).toEqual([
        'Total',
        'Layout',
        'Strokes',
        'Relevance',
      ]);
      await p.setViewportSize(DESKTOP);
      await p.screenshot({ path: path.join(shots, 'feedback-en.png'), fullPage: true });
      await p.getByRole('button', { name: '中文' }).click();

      // A ranked entry without a prize, and one too few judges scored.
      await p.goto(t.url + tokens.get('E05'));
      await p.getByRole('heading', { name: '评审结果' }).waitFor();
      expect(await facts.innerText()).toContain('未获等级奖');
      expect(await facts.innerText()).toContain('后 50%');
      await p.goto(t.url + tokens.get('E06'));
      await p.getByText('这件作品的有效评分不足').waitFor();
      expect(await facts.innerText()).toContain('未参与排名');
      expect(await rows.first().locator('.chart-yours').textContent()).toBe('您的作品：无评分');
      expect(await rows.first().locator('.chart-yours-mark').count()).toBe(0);
      expect(await rows.filter({ hasText: '笔画规范' }).locator('.chart-yours').textContent()).toBe(
        '您的作品：4.5 / 10',
      );
    } finally {
      await teacher.close();
    }
  });

  it('raised no script errors or policy violations on the way', () => {
    expect(problems).toEqual([]);
  });
});
