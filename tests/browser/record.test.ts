// The recorder's phone screens and the venue scoreboard in Debian's chromium against the real server and the
// built client (client/dist): a welding contest with double entry, two recorders on phones, a value they
// disagree on, a field the server refuses, a save that fails offline and is retried, a 409 from the
// recorder's other device; then the database must hold exactly the agreed values, once, and the projector
// must show the provisional total.
// Run alone: `npm run build -w client && npx vitest run --project browser record`.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { Types } from 'mongoose';
import { measurementPoints } from '@pingxuan/shared';
import { type Client, type TestApp } from '../api/harness.js';

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };
const PASSWORD = 'correct horse battery';
const j = (b: unknown) => JSON.stringify(b);

if (!haveChromium) console.warn(`record browser test skipped: ${CHROMIUM} does not exist`);

const TIME = { maxScore: 30, rule: { type: 'linear' as const, best: 60, worst: 180 } };
const RUBRIC = [
  { id: 'craft', name: { zh: '焊缝工艺', en: 'Craft' }, weight: 40, maxScore: 40 },
  { id: 'time', name: { zh: '用时（秒）', en: 'Time (s)' }, weight: 30, kind: 'measurement', ...TIME },
  {
    id: 'leak',
    name: { zh: '气密检测', en: 'Leak test' },
    weight: 10,
    maxScore: 10,
    kind: 'measurement',
    rule: { type: 'passFail' },
  },
  {
    id: 'defects',
    name: { zh: '缺陷数', en: 'Defects' },
    weight: 20,
    maxScore: 20,
    kind: 'measurement',
    rule: {
      type: 'bands',
      bands: [
        { max: 1, points: 20 },
        { min: 1, max: 3, points: 10 },
        { min: 3, points: 0 },
      ],
    },
  },
];
const ENTRIES = [
  { code: 'W01', category: 'station-a' },
  { code: 'W02', category: 'station-a' },
  { code: 'W03', category: 'station-b' },
];

type Put = { url: string; key: string; body: string; status: number | 'failed' };

describe.skipIf(!haveChromium)('the recorder on a phone and the venue scoreboard', () => {
  let t: TestApp;
  let admin: Client;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let pageA: Page;
  let pageB: Page;
  let contestId = '';
  const entry: Record<string, string> = {};
  const problems: string[] = [];
  /** Every measurement write a page attempted, with its Idempotency-Key and how it ended. */
  const puts: Put[] = [];

  const card = (page: Page, name: string) =>
    page.locator('section.record-card').filter({ has: page.getByRole('heading', { name }) });
  const stateOf = (page: Page, name: string) => card(page, name).locator('.record-state');
  const measurement = (code: string, criterionId: string) =>
    t.ctx.models.Measurement.findOne({ contestId, entryId: entry[code], criterionId }).lean<any>();

  async function phone(): Promise<Page> {
    const context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
    });
    contexts.push(context);
    const page = await context.newPage();
    watchPageProblems(page, problems);
    page.on('requestfinished', (r) => {
      if (r.method() !== 'PUT' || !r.url().includes('/measurements/')) return;
      void r.response().then((res) =>
        puts.push({
          url: r.url(),
          key: r.headers()['idempotency-key'] ?? '',
          body: r.postData() ?? '',
          status: res?.status() ?? 0,
        }),
      );
    });
    page.on('requestfailed', (r) => {
      if (r.method() === 'PUT' && r.url().includes('/measurements/'))
        puts.push({
          url: r.url(),
          key: r.headers()['idempotency-key'] ?? '',
          body: r.postData() ?? '',
          status: 'failed',
        });
    });
    return page;
  }

  async function signIn(page: Page, username: string) {
    await page.goto(`${t.url}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).tap();
    // A recorder of one contest and nothing else lands on its recording screen.
    await page.waitForURL(`${t.url}/record/${contestId}`);
    await page.getByRole('heading', { name: '测量录入', exact: true }).waitFor();
  }

  async function openEntry(page: Page, code: string) {
    await page.getByRole('link', { name: new RegExp(`^${code}`) }).tap();
    await page.getByRole('heading', { name: new RegExp(`作品 ${code}`) }).waitFor();
  }

  async function typeValue(page: Page, name: string, value: string) {
    const input = page.getByRole('textbox', { name: `${name} 测量值` });
    await input.fill(value);
    return input;
  }

  const save = (page: Page, name: string) =>
    card(page, name).getByRole('button', { name: '保存', exact: true }).tap();

  beforeAll(async () => {
    t = await startClientApp();
    admin = await t.signedIn('admin', { isAdmin: true, password: PASSWORD });

    const created = await admin.post('/api/contests', {
      name: '市职工焊工技能比赛',
      categories: [
        { id: 'station-a', name: { zh: '焊接A站', en: 'Station A' } },
        { id: 'station-b', name: { zh: '焊接B站', en: 'Station B' } },
      ],
      settings: {
        aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 1 },
        measurementDoubleEntry: true,
        scoreboard: { enabled: true, judgementReleased: false },
      },
    });
    expect(created.status, j(created.body)).toBe(201);
    contestId = created.body.id;
    const base = `/api/contests/${contestId}`;
    const rubric = await admin.put(`${base}/rounds/main/rubric`, { criteria: RUBRIC });
    expect(rubric.status, j(rubric.body)).toBe(201);
    for (const e of ENTRIES) {
      const r = await admin.post(`${base}/entries`, {
        ...e,
        title: `${e.code} 焊件`,
        teacherName: '赵师傅',
        school: '第一技校',
      });
      expect(r.status, j(r.body)).toBe(201);
      entry[e.code] = r.body.id;
    }
    // The admin creates the recorders' accounts, the organizer makes them recorders of the contest.
    for (const [username, displayName] of [
      ['rec-a', '记录员甲'],
      ['rec-b', '记录员乙'],
    ]) {
      const u = await admin.post('/api/admin/users', { username, displayName, password: PASSWORD });
      expect(u.status, j(u.body)).toBe(201);
      const m = await admin.post(`${base}/members`, { username, role: 'recorder' });
      expect(m.status, j(m.body)).toBe(201);
    }
    const { version } = (await admin.get(base)).body;
    const status = await admin.post(`${base}/status`, { status: 'judging', version });
    expect(status.status, j(status.body)).toBe(200);

    browser = await launchChromium();
    pageA = await phone();
    pageB = await phone();
  });

  // A failing step leaves the phones' screens behind, to see what the recorder saw.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const name = ctx.task.name.slice(0, 40).replace(/\W+/g, '-');
    await pageA
      ?.screenshot({ path: path.join(shots, `record-failed-A-${name}.png`), fullPage: true })
      .catch(() => undefined);
    await pageB
      ?.screenshot({ path: path.join(shots, `record-failed-B-${name}.png`), fullPage: true })
      .catch(() => undefined);
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  it('lands recorder A on the sheet: entries by code and station, what is left, search by code', async () => {
    await signIn(pageA, 'rec-a');
    await pageA.getByText('还有 9 项待你录入（共 9 项）').waitFor();
    await pageA.getByText(/双人录入/).waitFor();
    const rows = pageA.locator('.record-row');
    expect(await rows.locator('.record-row-code').allTextContents()).toEqual(['W01', 'W02', 'W03']);
    // By station: only station B's entry.
    await pageA.getByLabel('赛站').selectOption({ label: '焊接B站' });
    await expect.poll(() => rows.locator('.record-row-code').allTextContents()).toEqual(['W03']);
    await pageA.getByLabel('赛站').selectOption({ label: '全部赛站' });
    // Blind: no teacher or school on a recorder's screen.
    expect(await pageA.locator('body').textContent()).not.toMatch(/赵师傅|第一技校/);
    // Touch targets: every row, the search button and the station select are at least 44 px high.
    for (const box of [
      await rows.first().boundingBox(),
      await pageA.getByRole('button', { name: '查找' }).boundingBox(),
      await pageA.getByLabel('赛站').boundingBox(),
    ])
      expect(box!.height).toBeGreaterThanOrEqual(44);
    await pageA.screenshot({ path: path.join(shots, 'record-list.png'), fullPage: true });

    await pageA.getByLabel('按作品编号查找').fill('w01');
    await pageA.getByLabel('按作品编号查找').press('Enter');
    await pageA.getByRole('heading', { name: /作品 W01/ }).waitFor();
    expect(await pageA.title()).toBe('录入 W01 · 评选 Pingxuan');
  });

  it('enters W01 with a control per rule, the engine points previewed, a non-number refused by the field', async () => {
    // Linear: keypad input, the preview is the engine's conversion.
    const time = await typeValue(pageA, '用时（秒）', '95');
    expect(await time.getAttribute('inputmode')).toBe('decimal');
    const points = measurementPoints(TIME, 95); // 21.25
    await card(pageA, '用时（秒）').getByText(`按评分规则折合 ${points} 分（满分 30）`).waitFor();
    await save(pageA, '用时（秒）');
    await stateOf(pageA, '用时（秒）').filter({ hasText: '已保存 95，等待第二位记录员录入。' }).waitFor();

    // Pass/fail: two big toggles.
    const pass = card(pageA, '气密检测').getByRole('radio', { name: '合格', exact: true });
    expect((await pass.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    await pass.tap();
    await card(pageA, '气密检测').getByText('按评分规则折合 10 分（满分 10）').waitFor();
    await save(pageA, '气密检测');
    await stateOf(pageA, '气密检测').filter({ hasText: '已保存 合格，等待第二位记录员录入。' }).waitFor();

    // Bands: a non-number is the field's error, nothing is sent.
    const before = puts.length;
    const defects = await typeValue(pageA, '缺陷数', '两个');
    await save(pageA, '缺陷数');
    await card(pageA, '缺陷数').getByText('请输入一个数字，例如 95 或 1.5。').waitFor();
    expect(await defects.getAttribute('aria-invalid')).toBe('true');
    expect(puts.length).toBe(before);
    await defects.fill('2');
    await card(pageA, '缺陷数').getByText('按评分规则折合 10 分（满分 20）').waitFor();
    await save(pageA, '缺陷数');
    await stateOf(pageA, '缺陷数').filter({ hasText: '已保存 2，等待第二位记录员录入。' }).waitFor();
    expect(await defects.getAttribute('aria-invalid')).toBe('false');
    await pageA.screenshot({ path: path.join(shots, 'record-entry.png'), fullPage: true });

    // Each write carried its own Idempotency-Key and the version it was typed against.
    const saved = puts.filter((p) => p.status === 200);
    expect(saved).toHaveLength(3);
    expect(new Set(saved.map((p) => p.key)).size).toBe(3);
    for (const p of saved) expect(p.key).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    expect(saved.map((p) => JSON.parse(p.body))).toEqual([
      { value: 95, baseVersion: 0 },
      { value: 1, baseVersion: 0 },
      { value: 2, baseVersion: 0 },
    ]);
  });

  it("shows the server's 400 by the field, keeps the value, and saves it once the server takes it", async () => {
    await pageA.getByRole('link', { name: '下一件待录入：W02 →' }).tap();
    await pageA.getByRole('heading', { name: /作品 W02/ }).waitFor();
    // The rule changed on the server after the sheet was read (a pass/fail check now): the server says why.
    const rubrics = t.conn.db!.collection('rubrics');
    const where = { contestId: new Types.ObjectId(contestId), roundId: 'main', 'criteria.id': 'time' };
    await rubrics.updateOne(where, { $set: { 'criteria.$.rule': { type: 'passFail' } } });
    const time = await typeValue(pageA, '用时（秒）', '120');
    await save(pageA, '用时（秒）');
    await card(pageA, '用时（秒）').getByText('请选择“合格”或“不合格”。').waitFor();
    expect(await time.getAttribute('aria-invalid')).toBe('true');
    expect(await time.inputValue()).toBe('120');
    const refused = puts.at(-1)!;
    expect(refused.status).toBe(400);
    expect(await measurement('W02', 'time')).toBeNull();
    await pageA.screenshot({ path: path.join(shots, 'record-field-error.png'), fullPage: true });

    await rubrics.updateOne(where, { $set: { 'criteria.$.rule': TIME.rule } });
    await save(pageA, '用时（秒）');
    await stateOf(pageA, '用时（秒）').filter({ hasText: '已保存 120，等待第二位记录员录入。' }).waitFor();
  });

  it('keeps a save that failed offline visible, and sends it again with the same key', async () => {
    await pageA.context().setOffline(true);
    await card(pageA, '气密检测').getByRole('radio', { name: '不合格', exact: true }).tap();
    await save(pageA, '气密检测');
    const failed = card(pageA, '气密检测').getByRole('alert');
    await failed.filter({ hasText: '未保存：0。' }).waitFor();
    expect(await measurement('W02', 'leak')).toBeNull();
    // The list says so too.
    await pageA.getByRole('link', { name: '← 全部作品' }).tap();
    await pageA.locator('.record-row').filter({ hasText: 'W02' }).getByText('1 项未保存').waitFor();
    await openEntry(pageA, 'W02');
    await pageA.context().setOffline(false);
    await card(pageA, '气密检测').getByRole('button', { name: '重试保存' }).tap();
    await stateOf(pageA, '气密检测').filter({ hasText: '已保存 不合格，等待第二位记录员录入。' }).waitFor();
    const leak = puts.filter((p) => p.url.endsWith(`/${entry.W02}/leak`));
    expect(leak.map((p) => p.status)).toEqual(['failed', 200]);
    expect(leak[0]!.key).toBe(leak[1]!.key);
    expect((await measurement('W02', 'leak')).readings).toHaveLength(1);
  });

  it('lets recorder B agree on two values and disagree on one: the disagreement is shown', async () => {
    await signIn(pageB, 'rec-b');
    const w01 = pageB.locator('.record-row').filter({ hasText: 'W01' });
    await w01.getByText('待录 3 / 3').waitFor();
    await openEntry(pageB, 'W01');
    // Blind double entry: B sees that A entered something, never A's value.
    await stateOf(pageB, '用时（秒）').filter({ hasText: '另一位记录员已录入，等你录入。' }).waitFor();
    expect(await pageB.getByRole('textbox', { name: '用时（秒） 测量值' }).inputValue()).toBe('');

    await typeValue(pageB, '用时（秒）', '95');
    await save(pageB, '用时（秒）');
    await stateOf(pageB, '用时（秒）').filter({ hasText: '已计入成绩：95。 折合 21.25 分。' }).waitFor();
    await card(pageB, '气密检测').getByRole('radio', { name: '合格', exact: true }).tap();
    await save(pageB, '气密检测');
    await stateOf(pageB, '气密检测').filter({ hasText: '已计入成绩：合格。' }).waitFor();
    await typeValue(pageB, '缺陷数', '4');
    await save(pageB, '缺陷数');
    await stateOf(pageB, '缺陷数')
      .filter({ hasText: '与另一位记录员的值不一致（你录入 4），暂不计入，等待组织者裁定' })
      .waitFor();
    await pageB.screenshot({ path: path.join(shots, 'record-disagreement.png'), fullPage: true });
    // The same in English, then back to Chinese.
    await pageB.getByRole('button', { name: 'English' }).tap();
    await pageB.getByRole('heading', { name: /Entry W01/ }).waitFor();
    await stateOf(pageB, 'Defects')
      .filter({ hasText: "Differs from the other recorder's value (you entered 4)" })
      .waitFor();
    await stateOf(pageB, 'Time (s)').filter({ hasText: 'Counted: 95. 21.25 points.' }).waitFor();
    await pageB.getByRole('button', { name: '中文' }).tap();
    await pageB.getByRole('heading', { name: /作品 W01/ }).waitFor();

    // Recorder A, on refreshing, sees the same: two counted, one in disagreement.
    await pageA.getByRole('link', { name: '← 全部作品' }).tap();
    await pageA.reload();
    await pageA.locator('.record-row').filter({ hasText: 'W01' }).getByText('1 项不一致').waitFor();
  });

  it("offers both values after a 409 from the recorder's other device and keeps the one chosen", async () => {
    await openEntry(pageA, 'W02');
    // Recorder A's other phone changes the same reading meanwhile.
    const otherDevice = await t.signedIn('rec-a', { password: PASSWORD });
    const cell = (await measurement('W02', 'time')) as { version: number };
    const elsewhere = await otherDevice.put(
      `/api/contests/${contestId}/measurements/${entry.W02}/time`,
      { value: 100, baseVersion: cell.version },
      { 'idempotency-key': `other-${new Types.ObjectId().toHexString()}` },
    );
    expect(elsewhere.status, j(elsewhere.body)).toBe(200);

    await typeValue(pageA, '用时（秒）', '110');
    await save(pageA, '用时（秒）');
    const conflict = card(pageA, '用时（秒）').locator('.record-conflict');
    await conflict.getByText('保存前这一项已在别处改过').waitFor();
    expect(await conflict.locator('dd').allTextContents()).toEqual(['110', '100']);
    expect(puts.at(-1)!.status).toBe(409);
    await pageA.screenshot({ path: path.join(shots, 'record-conflict.png'), fullPage: true });
    await conflict.getByRole('button', { name: '采用已保存的值' }).tap();
    await expect
      .poll(() => pageA.getByRole('textbox', { name: '用时（秒） 测量值' }).inputValue())
      .toBe('100');
    expect(await conflict.count()).toBe(0);
    const m = await measurement('W02', 'time');
    expect(m.readings.map((r: { value: number }) => r.value)).toEqual([100]);
  });

  it('counts exactly the agreed values, once each', async () => {
    const docs = await t.ctx.models.Measurement.find({ contestId }).lean<any[]>();
    const byCell = Object.fromEntries(
      docs.map((d) => {
        const code = Object.keys(entry).find((c) => entry[c] === String(d.entryId))!;
        return [
          `${code}/${d.criterionId}`,
          { status: d.status, value: d.value, readings: d.readings.map((r: any) => r.value) },
        ];
      }),
    );
    expect(byCell).toEqual({
      'W01/time': { status: 'agreed', value: 95, readings: [95, 95] },
      'W01/leak': { status: 'agreed', value: 1, readings: [1, 1] },
      'W01/defects': { status: 'disagreement', value: null, readings: [2, 4] },
      'W02/time': { status: 'pending', value: null, readings: [100] },
      'W02/leak': { status: 'pending', value: null, readings: [0] },
    });
    // Every acknowledged write was applied once: one audit event per key the pages got a 200 for.
    const events = await t.ctx.models.AuditEvent.find({ contestId, action: 'measurement.record' }).lean<
      any[]
    >();
    const keys = events.map((e) => e.after?.idempotencyKey).filter(Boolean);
    const acknowledged = puts.filter((p) => p.status === 200).map((p) => p.key);
    expect(acknowledged).toHaveLength(8);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of acknowledged) expect(keys.filter((x) => x === k)).toHaveLength(1);
    // The organizer's list agrees: two counted, one disagreement, two waiting.
    const list = await admin.get(`/api/contests/${contestId}/measurements`);
    expect(list.body.counts).toMatchObject({ agreed: 2, disagreement: 1, pending: 2, missing: 4 });
  });

  it("shows the provisional totals on the venue scoreboard, the judges' part pending", async () => {
    const api = await t.client().get(`/api/public/contests/${contestId}/scoreboard`);
    expect(api.status, j(api.body)).toBe(200);
    const w01 = api.body.stations[0].entries.find((e: { code: string }) => e.code === 'W01');
    // Counted: time 95 (21.25 of 30) and leak pass (10 of 10), weights 30 and 10 of the measured 60.
    const expected = (100 * (30 * (21.25 / 30) + 10 * (10 / 10))) / 60;
    expect(w01.total).toBeCloseTo(expected, 6);
    expect(w01.counted).toBe(2);

    const context = await browser.newContext({ viewport: PROJECTOR, locale: 'zh-CN' });
    contexts.push(context);
    const board = await context.newPage();
    board.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await board.goto(`${t.url}/scoreboard/${contestId}`);
    await board.getByRole('heading', { name: '市职工焊工技能比赛' }).waitFor();
    const stationA = board.getByRole('region', { name: '焊接A站' });
    const row = stationA.getByRole('row', { name: /W01/ });
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    // place, time, leak, defects, judges, total
    expect(cells).toEqual(['1', '21.3', '10.0', '—', '待公布', expected.toFixed(1)]);
    expect(await row.getByRole('rowheader').textContent()).toContain('已计入 2/3 项');
    await board.getByText('评委评分待公布').waitFor();
    expect(
      await board.getByRole('region', { name: '焊接B站' }).getByRole('row', { name: /W03/ }).count(),
    ).toBe(1);

    // A refresh every few seconds brings new counted values in without moving the board.
    const boxBefore = await stationA.boundingBox();
    const stamp = await board.getByText(/^更新于/).textContent();
    const b = await t.signedIn('rec-b', { password: PASSWORD });
    const cell = (await measurement('W02', 'leak')) as { version: number };
    const agreed = await b.put(
      `/api/contests/${contestId}/measurements/${entry.W02}/leak`,
      { value: 0, baseVersion: cell.version },
      { 'idempotency-key': `board-${new Types.ObjectId().toHexString()}` },
    );
    expect(agreed.body.status).toBe('agreed');
    const w02 = stationA.getByRole('row', { name: /W02/ });
    await w02.getByText('已计入 1/3 项').waitFor({ timeout: 15_000 });
    expect(await board.getByText(/^更新于/).textContent()).not.toBe(stamp);
    expect(await stationA.boundingBox()).toEqual(boxBefore);
    await board.screenshot({ path: path.join(shots, 'scoreboard.png') });

    // A contest without the screen: a plain message, not an error page.
    await board.goto(`${t.url}/scoreboard/${new Types.ObjectId().toHexString()}`);
    await board.getByText('这个比赛没有开启现场成绩屏。').waitFor();
    expect(problems).toEqual([]);
  });
});
