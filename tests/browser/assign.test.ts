// The organizer's assignment screen in the browser: a plan previewed (with its problems) and applied with
// its seed, the explained list, calibration deviations and their release, a judge who drops out, extra
// judges for disputed entries, and certificates per tier after publication; each step checked via the API.
// Run alone: `npm run build -w client && npx vitest run --project browser assign`.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import { Types } from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { snapshot, type Client, type TestApp } from '../api/harness.js';

const PASSWORD = 'correct horse battery';
const VIEWPORT = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };

if (!haveChromium) console.warn(`assignment browser test skipped: ${CHROMIUM} does not exist`);

const key = () => `k-${new Types.ObjectId().toHexString()}`;

describe.skipIf(!haveChromium)('assignment screen in the browser', () => {
  let t: TestApp;
  let org: Client;
  let browser: Browser;
  let page: Page;
  let contestId = '';
  let base = '';
  const problems: string[] = [];
  const judges: { id: string; name: string; client: Client }[] = [];
  const entryId = new Map<string, string>();
  let seed = 0;

  const judge = (name: string) => judges.find((j) => j.name === name)!;
  const assignments = (filter: Record<string, unknown> = {}) =>
    t.ctx.models.Assignment.find({ contestId, ...filter }).lean();

  /** A judge scores one entry with the same mark on both criteria (total = mark x 10) and submits it. */
  async function score(name: string, code: string, mark: number) {
    const j = judge(name);
    const id = entryId.get(code)!;
    const saved = await j.client.put(
      `${base}/judging/entries/${id}/score`,
      { values: { layout: mark, writing: mark }, baseVersion: 0 },
      { 'idempotency-key': key() },
    );
    expect(saved.status, `${name} ${code}: ${JSON.stringify(saved.body)}`).toBe(200);
    const sub = await j.client.post(
      `${base}/judging/entries/${id}/submit`,
      { baseVersion: saved.body.version },
      { 'idempotency-key': key() },
    );
    expect(sub.status, JSON.stringify(sub.body)).toBe(200);
  }

  async function setStatus(status: string) {
    const current = await org.get(base);
    const r = await org.post(`${base}/status`, { status, version: current.body.version });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }

  const noSideways = () =>
    page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
  const section = (name: string) => page.getByRole('region', { name, exact: true });

  beforeAll(async () => {
    t = await startClientApp();
    org = await t.signedIn('organizer', { isAdmin: true, password: PASSWORD });

    const created = await org.post('/api/contests', {
      name: '区教师黑板字比赛',
      categories: [
        { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
        { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
      ],
      settings: {
        judgesPerEntry: 3,
        aggregation: { method: 'mean', trim: 0, normalization: 'none', minJudges: 1 },
        tiers: [{ id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: 3 }],
        disagreementThreshold: 15,
        bootstrapSamples: 50,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contestId = created.body.id;
    base = `/api/contests/${contestId}`;
    const rubric = await org.put(`${base}/rounds/main/rubric`, {
      criteria: [
        { id: 'layout', name: { zh: '布局合理', en: 'Layout' }, weight: 40, maxScore: 10 },
        { id: 'writing', name: { zh: '书写美观', en: 'Writing' }, weight: 60, maxScore: 10 },
      ],
    });
    expect(rubric.status, JSON.stringify(rubric.body)).toBe(201);

    // 12 primary and 8 secondary entries; entries 0, 1 are from 实验小学 and 12..14 from 第二中学.
    const schoolOf = (i: number) => (i < 2 ? '实验小学' : i >= 12 && i < 15 ? '第二中学' : `学校${i}`);
    const entries = await t.ctx.models.Entry.insertMany(
      Array.from({ length: 20 }, (_, i) => ({
        contestId,
        roundIds: ['main'],
        code: `BB-${String(i).padStart(3, '0')}`,
        title: `作品${i}`,
        teacherName: `教师${i}`,
        school: schoolOf(i),
        category: i < 12 ? 'primary' : 'secondary',
      })),
    );
    for (const e of entries) entryId.set(e.code, String(e._id));

    const panels: string[] = [];
    for (const [name, category] of [
      ['小学组评审', 'primary'],
      ['中学组评审', 'secondary'],
    ]) {
      const r = await org.post(`${base}/panels`, { name, category });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      panels.push(r.body.id);
    }
    // Conflicts: 小王 teaches at 实验小学, 小李 declared BB-002, 中赵 excludes 第二中学.
    const specs: {
      name: string;
      school?: string;
      conflictSchools?: string[];
      conflictEntryCodes?: string[];
    }[] = [
      { name: '小王', school: '实验小学' },
      { name: '小李', conflictEntryCodes: ['BB-002'] },
      { name: '小张' },
      { name: '小刘' },
      { name: '小陈' },
      { name: '中赵', conflictSchools: ['第二中学'] },
      { name: '中钱' },
      { name: '中孙' },
      { name: '中周' },
      { name: '中吴' },
    ];
    for (const [i, spec] of specs.entries()) {
      const username = `judge${i + 1}`;
      const client = await t.signedIn(username);
      const { conflictSchools, conflictEntryCodes, ...rest } = spec;
      const r = await org.post(`${base}/judges`, { ...rest, username, panelId: panels[i < 5 ? 0 : 1] });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      if (conflictSchools || conflictEntryCodes) {
        const c = await org.put(`${base}/judges/${r.body.id}/conflicts`, {
          conflictSchools: conflictSchools ?? [],
          conflictEntryCodes: conflictEntryCodes ?? [],
          version: r.body.version,
        });
        expect(c.status, JSON.stringify(c.body)).toBe(200);
      }
      judges.push({ id: r.body.id, name: spec.name, client });
    }
    await setStatus('judging');

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    watchPageProblems(page, problems);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('previews a plan with its problems, then applies the previewed plan and shows its seed', async () => {
    await page.goto(`${t.url}/login?next=${encodeURIComponent(`/contests/${contestId}`)}`);
    await page.getByLabel('用户名').fill('organizer');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}`);
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '分配' }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}/assignments`);
    await page.getByRole('heading', { name: '评审分配', level: 1 }).waitFor();
    expect(await page.title()).toBe('评审分配 · 评选 Pingxuan');

    const plan = section('分配方案');
    const per = plan.getByLabel('每件作品的评委人数');
    // The contest's own setting is the starting value.
    expect(await per.inputValue()).toBe('3');
    await plan.getByText('比赛设置为 3 人。').waitFor();

    // A bad number is caught before any request.
    let planRequests = 0;
    const countPlans = (r: { url(): string; method(): string }) => {
      if (r.method() === 'POST' && /\/assignments\?dryRun/.test(r.url())) planRequests++;
    };
    page.on('request', countPlans);
    await per.fill('0');
    await plan.getByRole('button', { name: '预览方案' }).click();
    await plan.getByText('请填写 1 到 50 之间的整数。').waitFor();
    expect(await per.getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe(
      'plan-judgesPerEntry',
    );
    expect(planRequests).toBe(0);
    page.off('request', countPlans);

    // Five judges per entry: six entries cannot get them without breaking a conflict of interest.
    const before = await snapshot(t.conn);
    await per.fill('５');
    await plan.getByRole('button', { name: '预览方案' }).click();
    await plan.getByRole('heading', { name: '预览结果（尚未保存）' }).waitFor();
    const problemTable = plan.getByRole('table', { name: '评委人数不足的作品，列出作品编号与原因' });
    await problemTable.waitFor();
    expect(await problemTable.locator('tbody th').allTextContents()).toEqual([
      'BB-000',
      'BB-001',
      'BB-002',
      'BB-012',
      'BB-013',
      'BB-014',
    ]);
    expect(await problemTable.locator('tbody tr').first().locator('td').first().textContent()).toBe(
      '只分到 4 位评委（需要 5 位）',
    );
    expect(await problemTable.locator('tbody tr').first().locator('td').nth(1).textContent()).toMatch(
      /^4 of 5 judges: /,
    );
    await plan.getByRole('heading', { name: '评委人数不足的作品（6 件）' }).waitFor();
    expect(await snapshot(t.conn)).toBe(before);

    // Changing the form makes the preview stale: it cannot be applied until previewed again.
    await per.fill('3');
    await plan.getByLabel('每个评审组的校准作品数').fill('1');
    await plan.getByText('设置已修改，请重新预览后再应用。').waitFor();
    expect(await plan.getByRole('button', { name: '应用此方案…' }).isDisabled()).toBe(true);
    await plan.getByRole('button', { name: '预览方案' }).click();
    await plan.getByText('每件作品都分到了足够的评委。').waitFor();
    const facts = await plan.locator('.asg-plan-facts').textContent();
    const m = /随机种子 (\d+)/.exec(facts ?? '');
    expect(m, facts ?? '').not.toBeNull();
    seed = Number(m![1]);
    const figure = async (label: string) =>
      (await plan.locator('.asg-figures > div', { hasText: label }).locator('dd').textContent())?.trim();
    // 18 entries x 3 judges, and the two calibration works go to all four eligible judges of their panel.
    expect(await figure('分配总数')).toBe('62');
    expect(await figure('新增')).toBe('62');
    expect(await figure('移除')).toBe('0');
    // Loads: one group per panel, five judges each, balanced.
    for (const panel of ['小学组评审', '中学组评审']) {
      const group = plan.getByRole('region', { name: panel });
      expect(await group.locator('li').count()).toBe(5);
      await group.getByText('均衡').waitFor();
      expect(await group.locator('.asg-load-spread').textContent()).toMatch(/^最多与最少相差 [01] 件/);
    }
    const dry = await org.post(`${base}/assignments?dryRun=true`, {
      seed,
      judgesPerEntry: 3,
      calibrationEntries: 1,
    });
    const shown = await plan
      .locator('.asg-load-list li')
      .evaluateAll((lis) =>
        lis.map((li) => [
          li.querySelector('.asg-load-name')?.textContent,
          li.querySelector('.asg-load-count')?.textContent,
        ]),
      );
    expect(shown.sort()).toEqual(
      dry.body.loads.map((l: { name: string; count: number }) => [l.name, `${l.count} 件`]).sort(),
    );
    expect(await assignments()).toHaveLength(0);
    await page.screenshot({ path: path.join(shots, 'assign-preview.png'), fullPage: true });

    await plan.getByRole('button', { name: '应用此方案…' }).click();
    const dialog = page.getByRole('dialog', { name: '应用此分配方案？' });
    await dialog.getByText('新增 62 条分配，保留 0 条，移除 0 条。').waitFor();
    await dialog.getByText('先评 2 件校准作品：在你放开之前，评委只能看到校准作品。').waitFor();
    await dialog.getByText(`使用预览时的随机种子 ${seed}，并记入操作日志。`).waitFor();

    // Someone else ends judging meanwhile: the server's 409 is shown in the dialog, and nothing is written.
    await setStatus('review');
    await dialog.getByRole('button', { name: '应用方案' }).click();
    const alert = dialog.getByRole('alert');
    await alert.getByText('操作未完成：与比赛的当前状态冲突（409）。').waitFor();
    await alert.getByText('比赛当前所处的阶段不允许这项操作。').waitFor();
    await alert
      .getByText(
        /服务器说明：Assigning judges is possible while the contest is draft or judging; it is review/,
      )
      .waitFor();
    await page.locator('.org-head .badge', { hasText: '审核中' }).waitFor();
    expect(await assignments()).toHaveLength(0);

    // Back to judging, the same confirmation goes through.
    await setStatus('judging');
    await dialog.getByRole('button', { name: '应用方案' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('.org-head .badge', { hasText: '评审中' }).waitFor();
    const applied = plan.locator('.asg-applied');
    await applied.getByText('分配方案已应用。').waitFor();
    await plan.getByRole('status').getByText('分配方案已应用。').waitFor({ state: 'attached' });
    expect(await applied.locator('.asg-seed').textContent()).toBe(String(seed));

    // What was written is the previewed plan: same seed, same loads.
    const run = await t.ctx.models.AssignmentRun.findOne({ contestId }).lean();
    expect(run!.seed).toBe(seed);
    const rows = await assignments();
    expect(rows).toHaveLength(62);
    expect(rows.filter((a) => a.calibration)).toHaveLength(8);
    const count = new Map<string, number>();
    for (const a of rows) count.set(String(a.judgeId), (count.get(String(a.judgeId)) ?? 0) + 1);
    for (const l of dry.body.loads as { judgeId: string; count: number }[])
      expect(count.get(l.judgeId) ?? 0).toBe(l.count);
  });

  it('lists the assignments with their reasons, filtered by judge or entry code, in the page language', async () => {
    const list = section('分配明细');
    const table = list.getByRole('table', { name: '分配明细：作品、评委、顺序、类型、评分状态和分配理由' });
    await table.waitFor();
    await list.getByText('第 1–50 条，共 62 条（第 1 / 2 页）').waitFor();
    expect(await table.locator('tbody tr').count()).toBe(50);

    await list.getByLabel('评委', { exact: true }).selectOption({ label: '小王' });
    const wang = await org.get(`${base}/assignments?judgeId=${judge('小王').id}`);
    await expect.poll(() => table.locator('tbody tr').count()).toBe(wang.body.total);
    expect(new Set(await table.locator('tbody tr td:nth-child(2)').allTextContents())).toEqual(
      new Set(['小王']),
    );
    expect(await table.locator('tbody tr').first().locator('td').last().textContent()).toMatch(
      /^小学组评审：该作品可选评委 \d 人（\d 人因回避排除），分配时该评委已有 \d+ 件/,
    );
    expect(new URL(page.url()).searchParams.get('judge')).toBe(judge('小王').id);

    // By entry code (any case): the calibration work goes to the four judges without a conflict.
    await list.getByRole('button', { name: '清除筛选' }).click();
    await list.getByLabel('作品编号').fill('bb-000');
    await list.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(4);
    expect((await table.locator('tbody tr td:nth-child(2)').allTextContents()).sort()).toEqual(
      ['小张', '小李', '小刘', '小陈'].sort(),
    );
    expect(new Set(await table.locator('tbody tr td:nth-child(4)').allTextContents())).toEqual(
      new Set(['校准']),
    );
    expect(await table.locator('tbody tr').first().locator('td').last().textContent()).toMatch(
      /^小学组评审：校准作品，由全部可选评委评分；该作品可选评委 4 人（1 人因回避排除）/,
    );

    await page.getByRole('button', { name: 'English' }).click();
    await section('Assignment list').getByRole('heading', { name: 'Assignment list' }).waitFor();
    await expect
      .poll(() => page.locator('.asg-list tbody tr').first().locator('td').last().textContent())
      .toMatch(
        /^小学组评审: calibration entry, scored by every eligible judge; 4 eligible judges for this entry \(1 excluded/,
      );
    await page.getByRole('button', { name: '中文' }).click();
    await section('分配明细').waitFor();

    await list.screenshot({ path: path.join(shots, 'assign-list.png') });
    await list.getByLabel('作品编号').fill('ZZ-999');
    await list.getByRole('button', { name: '查找' }).click();
    await list.getByText('没有编号为「ZZ-999」的作品。').waitFor();
    await list.getByRole('button', { name: '清除筛选' }).click();
    await list.getByText('第 1–50 条，共 62 条（第 1 / 2 页）').waitFor();
  });

  it('shows each judge against the panel on the calibration works once scored, then releases the rest', async () => {
    const cal = section('校准');
    await cal.getByText('校准进行中：评委目前只能看到 2 件校准作品，其余作品要等你放开后才出现。').waitFor();
    expect((await judge('小张').client.get(`${base}/judging`)).body.items).toHaveLength(1);

    // BB-000: 小张 gives 80, the other three 50. BB-012: 60, 60, 70, 70.
    for (const [name, mark] of [
      ['小李', 5],
      ['小张', 8],
      ['小刘', 5],
      ['小陈', 5],
    ] as const)
      await score(name, 'BB-000', mark);
    for (const [name, mark] of [
      ['中钱', 6],
      ['中孙', 6],
      ['中周', 7],
      ['中吴', 7],
    ] as const)
      await score(name, 'BB-012', mark);

    await cal.getByRole('button', { name: '刷新' }).click();
    await cal.getByText('校准作品 2 件，已提交校准评分 8 / 8 份。').waitFor();
    const table = cal.getByRole('table', { name: '评委在校准作品上的平均偏差' });
    const row = (name: string) => table.locator('tbody tr', { has: page.getByRole('rowheader', { name }) });
    const mean = (name: string) => row(name).locator('td').nth(2);
    expect(await mean('小张').textContent()).toBe('+30.00（给分偏高）');
    expect(await mean('小张').getAttribute('class')).toContain('asg-dev-high');
    expect(await mean('小李').textContent()).toBe('−10.00（给分偏低）');
    expect(await mean('小李').getAttribute('class')).toContain('asg-dev-low');
    expect(await mean('中周').textContent()).toBe('+6.67（给分偏高）');
    expect(await row('小张').locator('svg rect').getAttribute('class')).toBe('asg-devbar-high');
    // Panels in the console's order (by name), the most lenient first within each, then by name.
    expect(await table.locator('tbody th').allTextContents()).toEqual([
      '中吴',
      '中周',
      '中钱',
      '中孙',
      '小张',
      '小陈',
      '小李',
      '小刘',
    ]);
    const report = await org.get(`${base}/assignments/calibration`);
    const byName = Object.fromEntries(
      report.body.judges.map((j: { name: string; meanDeviation: number }) => [j.name, j.meanDeviation]),
    );
    expect(byName['小张']).toBeCloseTo(30, 9);

    await cal.getByText('各校准作品的评分（2 件）').click();
    const works = cal.getByRole('table', { name: '每件校准作品各评委的总分与偏差' });
    await works.waitFor();
    expect(await works.locator('tbody tr').count()).toBe(8);
    await cal.screenshot({ path: path.join(shots, 'assign-calibration.png') });

    await cal.getByRole('button', { name: '放开其余作品…' }).click();
    const dialog = page.getByRole('dialog', { name: '放开其余作品？' });
    await dialog.getByText('校准阶段就此结束，不能撤回。').waitFor();
    await dialog.getByRole('button', { name: '放开其余作品' }).click();
    await dialog.waitFor({ state: 'detached' });
    await cal.getByText(/^已于 .+ 放开其余作品，评委可以评审分配给他们的全部作品。$/).waitFor();
    expect(await cal.getByRole('button', { name: '放开其余作品…' }).count()).toBe(0);
    const open = await judge('小张').client.get(`${base}/judging`);
    expect(open.body.items.length).toBe((await assignments({ judgeId: judge('小张').id })).length);
    expect((await org.get(`${base}/assignments/calibration`)).body.released).toBe(true);
  });

  it('hands the unfinished work of a judge who drops out to the rest of the panel', async () => {
    const liu = judge('小刘');
    const mine = await assignments({ judgeId: liu.id });
    const unfinished = mine.length - 1; // 小刘 submitted BB-000
    const replace = section('评委退出');
    await replace.getByLabel('退出的评委').selectOption({ label: '小刘（小学组评审）' });
    const before = await snapshot(t.conn);
    await replace.getByRole('button', { name: '预览交接' }).click();
    await replace.getByRole('heading', { name: '小刘 退出后的交接（尚未保存）' }).waitFor();
    await replace
      .getByText(
        `小刘 未完成的 ${unfinished} 件作品将移出，另由其他评委新增 ${unfinished} 条分配；已提交的评分保留。`,
      )
      .waitFor();
    // The new loads: 小刘 is no longer among them.
    const group = replace.getByRole('region', { name: '小学组评审' });
    expect((await group.locator('.asg-load-name').allTextContents()).sort()).toEqual(
      ['小王', '小李', '小张', '小陈'].sort(),
    );
    expect(await snapshot(t.conn)).toBe(before);

    await replace.getByRole('button', { name: '确认 小刘 退出…' }).click();
    const dialog = page.getByRole('dialog', { name: '确认 小刘 退出评审？' });
    await dialog.getByText('小刘 将被停用：不能再评分，今后的分配也不再包括该评委。').waitFor();
    await dialog.getByRole('button', { name: '确认退出并交接' }).click();
    await dialog.waitFor({ state: 'detached' });
    await replace.getByText(`小刘 已退出评审，${unfinished} 条分配已交给其他评委。`).waitFor();

    expect((await t.ctx.models.Judge.findById(liu.id).lean())!.active).toBe(false);
    const left = await assignments({ judgeId: liu.id });
    expect(left.map((a) => String(a.entryId))).toEqual([entryId.get('BB-000')]);
    expect(await assignments()).toHaveLength(62);
    // The drop-out is no longer offered (once the judges are read again after the hand-over message),
    // and the list marks the judge inactive.
    const dropOut = replace.getByLabel('退出的评委').locator('option', { hasText: '小刘' });
    await dropOut.waitFor({ state: 'detached' });
    expect(await dropOut.count()).toBe(0);
    await section('分配明细')
      .getByLabel('评委', { exact: true })
      .locator('option', { hasText: '小刘（已停用）' })
      .waitFor({ state: 'attached' });

    // A moved entry says whose work it took over, by name.
    const moved = mine.find((a) => String(a.entryId) !== entryId.get('BB-000'))!;
    const code = [...entryId].find(([, id]) => id === String(moved.entryId))![0];
    const list = section('分配明细');
    await list.getByLabel('作品编号').fill(code);
    await list.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => list.locator('.asg-list tbody tr').count()).toBe(3);
    expect(await list.getByText(/接替退出的评委（小刘）未完成的评审/).count()).toBe(1);
    await list.getByRole('button', { name: '清除筛选' }).click();
  });

  it('previews and adds extra judges for disputed entries while judging', async () => {
    // Everyone scores the rest: 80 each, except one judge of BB-005 (40) and one of BB-013 (10).
    const low = new Map([
      ['BB-005', 4],
      ['BB-013', 1],
    ]);
    const codeOf = new Map([...entryId].map(([c, id]) => [id, c]));
    const done = new Set(
      (await t.ctx.models.Score.find({ contestId, status: 'submitted' }).lean()).map(
        (s) => `${s.entryId}:${s.judgeId}`,
      ),
    );
    const active = new Set(judges.filter((j) => j.name !== '小刘').map((j) => j.id));
    for (const a of await assignments()) {
      if (done.has(`${a.entryId}:${a.judgeId}`) || !active.has(String(a.judgeId))) continue;
      const code = codeOf.get(String(a.entryId))!;
      const mark = low.get(code) ?? 8;
      low.delete(code);
      await score(judges.find((j) => j.id === String(a.judgeId))!.name, code, mark);
    }

    const extra = section('追加评委');
    await extra.getByLabel('处于获奖分界线').uncheck();
    await extra.getByLabel('预算（最多追加的评审份数）').fill('1');
    const before = await snapshot(t.conn);
    await extra.getByRole('button', { name: '预览追加' }).click();
    await extra.getByRole('heading', { name: '追加预览（尚未保存）' }).waitFor();
    const api = await org.post(`${base}/assignments/extra?dryRun=true`, {
      flags: ['disagreement'],
      budget: 1,
    });
    expect(api.status, JSON.stringify(api.body)).toBe(200);
    // BB-000 (calibration: 80 against 50), BB-005 and BB-013 are disputed; the budget allows one.
    expect(api.body.flagged).toBe(3);
    const figure = async (label: string) =>
      (await extra.locator('.asg-figures > div', { hasText: label }).locator('dd').textContent())?.trim();
    expect(await figure('需要追加的作品')).toBe('3');
    expect(await figure('将追加的分配')).toBe('1');
    expect(await figure('未能足额追加')).toBe('2');
    expect(await figure('剩余预算')).toBe('0');
    const skipped = extra.getByRole('table', { name: '未能足额追加评委的作品及原因' });
    expect(await skipped.locator('tbody tr td:nth-child(2)').allTextContents()).toEqual([
      '预算已用完',
      '预算已用完',
    ]);
    expect((await skipped.locator('tbody th').allTextContents()).sort()).toEqual(
      api.body.skipped.map((s: { code: string }) => s.code).sort(),
    );
    expect(await snapshot(t.conn)).toBe(before);

    await extra.getByRole('button', { name: '追加 1 条分配…' }).click();
    const dialog = page.getByRole('dialog', { name: '追加 1 条分配？' });
    await dialog.getByText('为 3 件需要追加的作品新增 1 条分配。').waitFor();
    await dialog.getByRole('button', { name: '确认追加' }).click();
    await dialog.waitFor({ state: 'detached' });
    await extra.getByText('已追加 1 条分配。').waitFor();
    const added = await assignments({ reason: 'extra' });
    expect(added).toHaveLength(1);
    // The most disputed entry (BB-013, 10 against 80) gets the extra judge first.
    expect(codeOf.get(String(added[0]!.entryId))).toBe('BB-013');

    await page.setViewportSize(TABLET);
    expect(await noSideways()).toBeLessThanOrEqual(TABLET.width);
    await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, 'assign-tablet.png') });
    await page.setViewportSize(VIEWPORT);
  });

  it('explains that assignments and extra judges are closed once judging is over', async () => {
    await setStatus('review');
    await page.reload();
    const extra = section('追加评委');
    await extra
      .getByText('追加评委只能在“评审中”阶段使用（它依据评分过程中已提交的分数）。比赛当前处于“审核中”阶段。')
      .waitFor();
    expect(await extra.getByRole('button', { name: '预览追加' }).isDisabled()).toBe(true);
    const plan = section('分配方案');
    await plan.getByText('比赛处于“审核中”阶段，分配已不能修改（只在草稿和评审中阶段可以）。').waitFor();
    expect(await plan.getByRole('button', { name: '预览方案' }).isDisabled()).toBe(true);
    // The server says the same.
    const r = await org.post(`${base}/assignments/extra?dryRun=true`, { budget: 1 });
    expect(r.status).toBe(409);
  });

  it('offers certificates per tier in Chinese and English once the results are published', async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '评审结果' }).click();
    await page.getByRole('heading', { name: '评审结果', level: 1 }).waitFor();
    const certs = section('获奖证书');
    await certs.getByText('结果公布后，可以在这里按奖项下载获奖证书（PDF）。').waitFor();
    expect(await certs.getByRole('link').count()).toBe(0);
    expect((await org.get(`${base}/certificates?tier=first&lang=zh`)).status).toBe(409);

    await setStatus('published');
    await page.reload();
    const zh = certs.getByRole('link', { name: '一等奖 中文证书（PDF）' });
    await zh.waitFor();
    expect(await zh.getAttribute('href')).toBe(`${base}/certificates?tier=first&lang=zh`);
    expect(await certs.getByRole('link', { name: '一等奖 英文证书（PDF）' }).getAttribute('href')).toBe(
      `${base}/certificates?tier=first&lang=en`,
    );
    const download = page.waitForEvent('download');
    await zh.click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('一等奖-证书.pdf');
    const pdf = await org.get(`${base}/certificates?tier=first&lang=zh`);
    expect(pdf.status).toBe(200);
  });

  it('raised no script errors on the way', () => {
    expect(problems).toEqual([]);
  });
});
