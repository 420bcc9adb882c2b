// The judge's tablet screens in Debian's chromium against the real server and the built client (client/dist):
// scoring with the network cut in the middle, a reload while offline, a version conflict, submit all; then
// the database must hold every score once with the values the judge gave; last, the page is closed in the
// middle of a save (applied on the server, answer lost) and the reopened app sends it again, applied once.
// Run alone: `npm run build -w client && npx vitest run --project browser judge`.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { type Client, type TestApp } from '../api/harness.js';

const TABLET = { width: 768, height: 1024 };
const LANDSCAPE = { width: 1280, height: 800 };

if (!haveChromium) console.warn(`judge browser test skipped: ${CHROMIUM} does not exist`);

type Attempt = { method: string; entryId: string; key: string; outcome: number | 'failed' };

describe.skipIf(!haveChromium)('the judge on a tablet', () => {
  let t: TestApp;
  let admin: Client;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let contestId = '';
  let judgeId = '';
  const entryIds: string[] = [];
  const codes = ['BB-001', 'BB-002', 'BB-003', 'BB-004'];
  const problems: string[] = [];
  /** Every score write the page attempted, with its Idempotency-Key and how it ended. */
  const attempts: Attempt[] = [];
  const photoRequests: string[] = [];

  const scoreOf = (i: number) =>
    t.ctx.models.Score.findOne({ contestId, entryId: entryIds[i], judgeId }).lean<any>();
  const stateLabel = () => page.locator('.score-title .work-state');
  const spin = (name: string) => page.getByRole('spinbutton', { name, exact: true });
  const openWork = (code: string) => page.getByRole('heading', { name: code }).waitFor();

  beforeAll(async () => {
    t = await startClientApp();
    admin = await t.signedIn('admin', { isAdmin: true });

    const created = await admin.post('/api/contests', {
      name: '2025 年区教师黑板字比赛',
      categories: [{ id: 'primary', name: { zh: '小学组', en: 'Primary' } }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contestId = created.body.id;
    const base = `/api/contests/${contestId}`;
    const rubric = await admin.put(`${base}/rounds/main/rubric`, {
      criteria: [
        {
          id: 'layout',
          name: { zh: '版面布局', en: 'Layout' },
          description: { zh: '板面分区清楚，主次分明，留白得当。', en: 'Clear layout.' },
          weight: 30,
          maxScore: 10,
        },
        { id: 'strokes', name: { zh: '笔画规范', en: 'Strokes' }, weight: 50, maxScore: 10, step: 0.5 },
        { id: 'content', name: { zh: '内容切题', en: 'Relevance' }, weight: 20, maxScore: 10 },
      ],
    });
    expect(rubric.status, JSON.stringify(rubric.body)).toBe(201);
    const judge = await admin.post(`${base}/judges`, { name: '王老师', school: '实验中学' });
    expect(judge.status, JSON.stringify(judge.body)).toBe(201);
    judgeId = judge.body.id;

    for (const [i, code] of codes.entries()) {
      const e = await admin.post(`${base}/entries`, {
        code,
        title: ['春晓', '静夜思', '登鹳雀楼', '咏鹅'][i],
        teacherName: '李老师',
        school: '第一小学',
        category: 'primary',
      });
      expect(e.status, JSON.stringify(e.body)).toBe(201);
      entryIds.push(e.body.id);
      // A green "blackboard" with a light stripe, different per work.
      const jpeg = await sharp({
        create: { width: 1200, height: 800, channels: 3, background: { r: 30, g: 70 + i * 10, b: 55 } },
      })
        .composite([
          {
            input: {
              create: { width: 900, height: 60, channels: 3, background: { r: 235, g: 235, b: 225 } },
            },
            top: 200 + i * 100,
            left: 150,
          },
        ])
        .jpeg()
        .toBuffer();
      const form = new FormData();
      form.append('photos', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), `${code}.jpg`);
      const photo = await admin.post(`${base}/entries/${e.body.id}/photos`, form);
      expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    }
    await t.ctx.models.Assignment.create(
      entryIds.map((entryId, i) => ({
        contestId,
        roundId: 'main',
        entryId,
        judgeId,
        order: i + 1,
        reason: 'panel',
      })),
    );
    const contest = await admin.get(base);
    const status = await admin.post(`${base}/status`, { status: 'judging', version: contest.body.version });
    expect(status.status, JSON.stringify(status.body)).toBe(200);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: TABLET, locale: 'zh-CN', hasTouch: true });
    page = await context.newPage();
    watchPageProblems(page, problems);
    const write = (r: { url(): string; method(): string; headers(): Record<string, string> }) => {
      const m = r.url().match(/\/judging\/entries\/([0-9a-f]{24})\/(score|submit)$/);
      return m && { method: r.method(), entryId: m[1]!, key: r.headers()['idempotency-key'] ?? '' };
    };
    page.on('requestfinished', (r) => {
      const w = write(r);
      if (w) void r.response().then((res) => attempts.push({ ...w, outcome: res?.status() ?? 0 }));
    });
    page.on('request', (r) => {
      if (r.url().includes('/photos/')) photoRequests.push(r.url());
    });
    page.on('requestfailed', (r) => {
      const w = write(r);
      if (w) attempts.push({ ...w, outcome: 'failed' });
    });
  });

  // A failing step leaves the tablet's screen and the address it was at, to see what the judge saw.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page || page.isClosed()) return;
    const name = ctx.task.name.slice(0, 40).replace(/\W+/g, '-');
    console.warn(`judge test "${ctx.task.name}" failed at ${page.url()}`);
    await page
      .screenshot({ path: path.join(shots, `judge-failed-${name}.png`), fullPage: true })
      .catch(() => undefined);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs the judge in by QR link and lists the works by code with progress', async () => {
    const issued = await admin.post(`/api/contests/${contestId}/judges/${judgeId}/sign-in-code`, {});
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    const link = new URL(issued.body.url, t.url);
    await page.goto(t.url + link.pathname + link.search);
    await page.waitForURL(`${t.url}/judge/${contestId}`);
    await page.getByText('已提交 0 / 4').waitFor();
    const tiles = page.locator('.work-tile');
    expect(await tiles.count()).toBe(4);
    expect(await tiles.locator('.work-tile-code').allTextContents()).toEqual(codes);
    expect(await tiles.locator('.work-state').allTextContents()).toEqual(['未评', '未评', '未评', '未评']);
    // Blind: no teacher or school anywhere on the judge's screen.
    expect(await page.locator('body').textContent()).not.toMatch(/李老师|第一小学/);
    await page.getByRole('status').filter({ hasText: '已同步' }).first().waitFor();
  });

  it('scores the first work with the steppers and the keyboard, shows the engine total and syncs', async () => {
    await page.getByRole('link', { name: /BB-001/ }).click();
    await openWork('BB-001');
    expect(await page.title()).toBe('评分 BB-001 · 评选 Pingxuan');
    const photo = page.getByRole('img', { name: '作品 BB-001 的照片（第 1 / 1 张）' });
    await expect.poll(() => photo.evaluate((el) => (el as any).naturalWidth)).toBeGreaterThan(0);

    // The description comes on tap.
    await page
      .getByRole('button', { name: /版面布局/ })
      .first()
      .click();
    await page.getByText('板面分区清楚，主次分明，留白得当。').waitFor();

    // − and + (unscored starts at full marks), on the criterion's step and never past its maximum.
    const up = page.getByRole('button', { name: '版面布局 加分' });
    const down = page.getByRole('button', { name: '版面布局 减分' });
    await up.click();
    await expect.poll(() => spin('版面布局').getAttribute('aria-valuenow')).toBe('10');
    expect(await up.isDisabled()).toBe(true);
    await down.click();
    await expect.poll(() => spin('版面布局').getAttribute('aria-valuenow')).toBe('9');
    // Digits on the focused criterion: 8 . 5 → 8.5 on a half-point step.
    await spin('笔画规范').focus();
    await page.keyboard.type('8.5');
    await expect.poll(() => spin('笔画规范').getAttribute('aria-valuenow')).toBe('8.5');
    // ↓ from unscored: 9, 8, 7.
    await spin('内容切题').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => spin('内容切题').getAttribute('aria-valuenow')).toBe('7');
    // 100 * (30 * 9/10 + 50 * 8.5/10 + 20 * 7/10) / 100
    expect(await page.getByTestId('live-total').textContent()).toBe('83.50');
    await page.getByLabel('评语').fill('结构清楚，笔画有力');

    await expect
      .poll(async () => (await scoreOf(0))?.comment, { timeout: 10_000 })
      .toBe('结构清楚，笔画有力');
    await expect.poll(() => stateLabel().textContent()).toBe('已同步');
    const stored = await scoreOf(0);
    expect(stored.values).toEqual({ layout: 9, strokes: 8.5, content: 7 });
    expect(stored.status).toBe('draft');

    // Portrait tablet: photo on top, rubric below, nothing sideways.
    expect(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(TABLET.width);
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, 'judge-scoring-tablet.png') });
    await page.screenshot({ path: path.join(shots, 'judge-scoring-tablet-full.png'), fullPage: true });
    await page.setViewportSize(LANDSCAPE);
    expect(
      await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(LANDSCAPE.width);
    await page.screenshot({ path: path.join(shots, 'judge-scoring-landscape.png') });
    await page.setViewportSize(TABLET);

    // Ctrl+Enter submits, even from the comment box.
    await page.getByLabel('评语').focus();
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => stateLabel().textContent(), { timeout: 10_000 }).toBe('已提交');
    expect((await scoreOf(0)).status).toBe('submitted');
    expect(await spin('版面布局').getAttribute('aria-readonly')).toBe('true');
  });

  it('zooms the photo with a pinch, resets it with a double tap, and moves between works by swipe', async () => {
    // The next works' large photos were fetched ahead.
    expect(
      photoRequests.some((u) => u.includes(`/entries/${entryIds[1]}/photos/`) && u.endsWith('size=large')),
    ).toBe(true);
    const stage = page.locator('.photo-stage');
    const transform = () =>
      page.locator('.photo-stage img').evaluate((el) => (el as any).style.transform as string);
    // Two fingers 100 px apart spread to 200 px: twice the size.
    await stage.evaluate((el: any) => {
      const r = el.getBoundingClientRect();
      const fire = (type: string, id: number, x: number, y: number) =>
        el.dispatchEvent(
          new (globalThis as any).PointerEvent(type, {
            pointerId: id,
            pointerType: 'touch',
            isPrimary: id === 1,
            clientX: r.left + x,
            clientY: r.top + y,
            bubbles: true,
          }),
        );
      fire('pointerdown', 1, 300, 250);
      fire('pointerdown', 2, 400, 250);
      fire('pointermove', 2, 450, 250);
      fire('pointermove', 2, 500, 250);
      fire('pointerup', 2, 500, 250);
      fire('pointerup', 1, 300, 250);
    });
    expect(await transform()).toMatch(/scale\(2\)$/);
    await page.getByRole('button', { name: '复原' }).click();
    expect(await transform()).toMatch(/scale\(1\)$/);
    const box = (await stage.boundingBox())!;
    await page.mouse.dblclick(box.x + 200, box.y + 200);
    expect(await transform()).toMatch(/scale\(2\.5\)$/);
    await page.mouse.dblclick(box.x + 200, box.y + 200);
    expect(await transform()).toMatch(/scale\(1\)$/);

    // A swipe to the left is the next work, to the right the previous one.
    const swipe = async (from: number, to: number) => {
      await page.mouse.move(box.x + from, box.y + 250);
      await page.mouse.down();
      await page.mouse.move(box.x + to, box.y + 260, { steps: 6 });
      await page.mouse.up();
    };
    await swipe(600, 200);
    await openWork('BB-002');
    await swipe(200, 600);
    await openWork('BB-001');
    await page.screenshot({ path: path.join(shots, 'judge-submitted-tablet.png') });
  });

  it('keeps scoring with the network cut, and a reload while offline keeps the unsent score', async () => {
    // The offline copy of the app (shell, scripts, the signed-in user) is in place before the Wi-Fi drops.
    await expect
      .poll(() =>
        page.evaluate(async () => {
          const w = globalThis as any;
          const shell = await w.caches.open('pingxuan-shell-v1');
          const keys: { url: string }[] = await shell.keys();
          const me = await w.caches.match('/api/auth/me');
          return (
            Boolean(me) &&
            keys.some((k) => /\/assets\/JudgeArea-/.test(k.url)) &&
            Boolean(w.navigator.serviceWorker.controller)
          );
        }),
      )
      .toBe(true);
    await page.getByRole('button', { name: '下一份 →' }).click();
    await openWork('BB-002');
    await expect
      .poll(() => page.getByRole('img', { name: /BB-002/ }).evaluate((el) => (el as any).naturalWidth))
      .toBeGreaterThan(0);

    await context.setOffline(true);
    const up = page.getByRole('button', { name: '版面布局 加分' });
    const down = page.getByRole('button', { name: '版面布局 减分' });
    await up.click();
    await down.click();
    await down.click();
    await spin('笔画规范').focus();
    await page.keyboard.type('9');
    await page.getByRole('button', { name: '内容切题 加分' }).click();
    await page.getByLabel('评语').fill('离线时写的评语');
    expect(await page.getByTestId('live-total').textContent()).toBe('89.00');
    await expect.poll(() => stateLabel().textContent()).toBe('已保存到本机');
    await page.locator('.sync-status', { hasText: '离线' }).waitFor();
    await page.getByRole('button', { name: '提交评分' }).click();
    await expect.poll(() => stateLabel().textContent()).toBe('已提交 · 待同步');
    expect(await scoreOf(1)).toBeNull();

    // The tab is reloaded without network: the device has everything, nothing was sent.
    await page.reload();
    await openWork('BB-002');
    await expect.poll(() => stateLabel().textContent()).toBe('已提交 · 待同步');
    expect(await spin('版面布局').getAttribute('aria-valuenow')).toBe('8');
    expect(await spin('笔画规范').getAttribute('aria-valuenow')).toBe('9');
    expect(await spin('内容切题').getAttribute('aria-valuenow')).toBe('10');
    expect(await page.getByLabel('评语').inputValue()).toBe('离线时写的评语');
    await page.locator('.sync-status', { hasText: '离线' }).waitFor();

    // ← → move between works (focus on a criterion: the arrows that are not its own go to the page).
    await spin('版面布局').focus();
    await page.keyboard.press('ArrowRight');
    await openWork('BB-003');
    await page.getByRole('button', { name: '版面布局 加分' }).click();
    await spin('笔画规范').focus();
    await page.keyboard.type('7.5');
    await spin('内容切题').focus();
    await page.keyboard.type('8');
    expect(await page.getByTestId('live-total').textContent()).toBe('83.50');
    await expect.poll(() => stateLabel().textContent()).toBe('已保存到本机');
    expect(await scoreOf(2)).toBeNull();

    // The Wi-Fi comes back: the outbox sends on its own.
    await context.setOffline(false);
    await expect.poll(() => stateLabel().textContent(), { timeout: 20_000 }).toBe('已同步');
    await page.locator('.sync-status', { hasText: '已同步：所有评分都已保存到服务器' }).waitFor();
    expect(await scoreOf(1)).toMatchObject({
      values: { layout: 8, strokes: 9, content: 10 },
      comment: '离线时写的评语',
      status: 'submitted',
    });
    expect(await scoreOf(2)).toMatchObject({
      values: { layout: 10, strokes: 7.5, content: 8 },
      status: 'draft',
    });
  });

  it('shows both copies on a version conflict and keeps the one the judge chooses', async () => {
    await page.keyboard.press('ArrowRight');
    await openWork('BB-004');
    await spin('版面布局').focus();
    await page.keyboard.type('6');
    await spin('笔画规范').focus();
    await page.keyboard.type('6');
    await expect
      .poll(async () => (await scoreOf(3))?.values, { timeout: 10_000 })
      .toEqual({ layout: 6, strokes: 6 });
    await expect.poll(() => stateLabel().textContent()).toBe('已同步');
    // Meanwhile the score is changed elsewhere (say, on the judge's second tablet).
    await t.ctx.models.Score.updateOne(
      { contestId, entryId: entryIds[3], judgeId },
      { $set: { 'values.layout': 3 }, $inc: { version: 1 } },
    );
    await page.getByRole('button', { name: '笔画规范 加分' }).click();
    await page.getByRole('heading', { name: '版本冲突' }).waitFor();
    expect(await stateLabel().textContent()).toBe('版本冲突');
    await page.locator('.sync-status', { hasText: '未全部同步' }).waitFor();
    const row = page.getByRole('row', { name: /版面布局/ });
    expect(await row.locator('td').allTextContents()).toEqual(['6', '3']);
    await page.getByRole('heading', { name: '版本冲突' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'judge-conflict-tablet.png') });
    await page.getByRole('button', { name: '保留本机版本' }).click();
    await expect.poll(() => stateLabel().textContent(), { timeout: 10_000 }).toBe('已同步');
    expect((await scoreOf(3)).values).toEqual({ layout: 6, strokes: 6.5 });
  });

  it('submits all: first what is incomplete, then the complete ones', async () => {
    await page.getByRole('link', { name: '← 作品列表' }).click();
    await page.getByText('已提交 2 / 4').waitFor();
    await page.getByRole('button', { name: '全部提交…' }).click();
    const dialog = page.getByRole('dialog', { name: '全部提交' });
    await dialog.waitFor();
    expect(await dialog.locator('.missing-list li').allTextContents()).toEqual(['BB-004缺：内容切题']);
    await dialog.getByText('1 份作品已评完').waitFor();
    await dialog.getByRole('button', { name: '提交已评完的 1 份' }).click();
    await page.getByText('已提交 3 / 4').waitFor();
    await page
      .locator('.sync-status', { hasText: '已同步：所有评分都已保存到服务器' })
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('.work-tile .work-state').allTextContents()).toEqual([
      '已提交',
      '已提交',
      '已提交',
      '已同步',
    ]);
    await page.screenshot({ path: path.join(shots, 'judge-list-tablet.png'), fullPage: true });

    // The same screens in English, and landscape on a laptop.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'My works' }).waitFor();
    await page.getByText('Submitted 3 / 4').waitFor();
    expect(await page.locator('.work-tile .work-state').allTextContents()).toEqual([
      'Submitted',
      'Submitted',
      'Submitted',
      'Synced',
    ]);
    await page.setViewportSize(LANDSCAPE);
    await page.getByRole('link', { name: /BB-004/ }).click();
    await page.getByRole('spinbutton', { name: 'Relevance', exact: true }).waitFor();
    expect(await page.getByText('Not scored yet: 1').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'judge-scoring-landscape-en.png') });
    await page.getByRole('button', { name: '中文' }).click();
    await page.setViewportSize(TABLET);
  });

  it('stored every score once with the values given, retries under the same key', async () => {
    const scores = await t.ctx.models.Score.find({ contestId, judgeId }).lean<any[]>();
    expect(scores).toHaveLength(4);
    const byEntry = new Map(scores.map((s) => [String(s.entryId), s]));
    const expected = [
      { values: { layout: 9, strokes: 8.5, content: 7 }, status: 'submitted' },
      { values: { layout: 8, strokes: 9, content: 10 }, status: 'submitted' },
      { values: { layout: 10, strokes: 7.5, content: 8 }, status: 'submitted' },
      { values: { layout: 6, strokes: 6.5 }, status: 'draft' },
    ];
    expected.forEach((e, i) => expect(byEntry.get(entryIds[i]!)).toMatchObject(e));

    const events = await t.ctx.models.AuditEvent.find({ contestId, action: /^score\./ })
      .sort({ seq: 1 })
      .lean<any[]>();
    // Each submission applied exactly once; every applied change under its own key.
    for (let i = 0; i < 3; i++)
      expect(
        events.filter((e) => e.action === 'score.submit' && e.after.entryId === entryIds[i]),
      ).toHaveLength(1);
    const keys = events.map((e) => e.after.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length);
    // Versions count applied changes: one per audited change (work 4 was also changed behind the app's back).
    for (let i = 0; i < 3; i++) {
      const applied = events.filter((e) => e.after.entryId === entryIds[i]).length;
      expect(byEntry.get(entryIds[i]!).version).toBe(applied);
    }

    // Requests cut by the network were sent again under the same key, and then applied.
    const failed = attempts.filter((a) => a.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) {
      expect(attempts.some((a) => a.key === f.key && a.outcome === 200)).toBe(true);
      expect(keys).toContain(f.key);
    }
    // The only refusal was the conflict on work 4.
    expect(attempts.filter((a) => a.outcome !== 200 && a.outcome !== 'failed').map((a) => a.outcome)).toEqual(
      [409],
    );
  });

  it('closing the page in the middle of a save loses nothing, and the save is applied once', async () => {
    // BB-004 is open, a draft without 内容切题. The save reaches the server and is applied there, but the page
    // is closed before the answer arrives (the tab is swiped away, the tablet's battery dies).
    await openWork('BB-004');
    const before = await scoreOf(3);
    let cutKey = '';
    let applied!: () => void;
    const reachedServer = new Promise<void>((resolve) => (applied = resolve));
    await page.route('**/judging/entries/*/score', async (route) => {
      cutKey = route.request().headers()['idempotency-key'] ?? '';
      await route.fetch().catch(() => undefined);
      applied();
      // Neither fulfilled nor continued: the answer never reaches the page.
    });
    await spin('内容切题').focus();
    await page.keyboard.type('5');
    await reachedServer;
    expect(cutKey).not.toBe('');
    expect(await scoreOf(3)).toMatchObject({
      values: { layout: 6, strokes: 6.5, content: 5 },
      version: before.version + 1,
    });
    await page.close();

    // The judge opens the app again: the device still has the unconfirmed save and sends it under its key.
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    const resent: { key: string; status: number }[] = [];
    page.on('requestfinished', (r) => {
      if (!/\/judging\/entries\/[0-9a-f]{24}\/score$/.test(r.url())) return;
      void r
        .response()
        .then((res) =>
          resent.push({ key: r.headers()['idempotency-key'] ?? '', status: res?.status() ?? 0 }),
        );
    });
    await page.goto(`${t.url}/judge/${contestId}`);
    await page
      .locator('.sync-status', { hasText: '已同步：所有评分都已保存到服务器' })
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => resent).toContainEqual({ key: cutKey, status: 200 });
    await page.getByRole('link', { name: /BB-004/ }).click();
    await openWork('BB-004');
    expect(await spin('内容切题').getAttribute('aria-valuenow')).toBe('5');
    expect(await stateLabel().textContent()).toBe('已同步');

    // Stored once: one version step, one audited change under that key.
    expect(await scoreOf(3)).toMatchObject({
      values: { layout: 6, strokes: 6.5, content: 5 },
      version: before.version + 1,
    });
    expect(await t.ctx.models.Score.countDocuments({ contestId, judgeId })).toBe(4);
    const events = await t.ctx.models.AuditEvent.find({ contestId, 'after.idempotencyKey': cutKey }).lean();
    expect(events).toHaveLength(1);
  });

  it('raised no script errors on the way', () => {
    expect(problems).toEqual([]);
  });
});
