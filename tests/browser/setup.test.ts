// The organizer's set-up screens in the browser: settings (categories, tiers), the rubric editor, judges
// with conflicts, panels, sign-in codes with the printable sheet, entries (edit, withdraw, photo upload).
// Every change is checked through the API afterwards.
// Run alone: `npm run build -w client && npx vitest run --project browser setup`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import type { Browser, Page } from 'playwright-core';
import { type Client, type TestApp } from '../api/harness.js';

const PASSWORD = 'correct horse battery';
const VIEWPORT = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };

if (!haveChromium) console.warn(`set-up browser test skipped: ${CHROMIUM} does not exist`);

const RUBRIC = [
  { id: 'content', name: { zh: '内容', en: 'Content' }, weight: 60, maxScore: 60, step: 1 },
  { id: 'writing', name: { zh: '书写', en: 'Writing' }, weight: 40, maxScore: 40, step: 0.5 },
];
const ENTRIES = [
  ['R01', '王芳', '实验小学', 'R01 板书'],
  ['R02', '李明', '第一中学', 'R02 板书'],
  ['R03', '张伟', '育才小学', 'R03 板书'],
];

describe.skipIf(!haveChromium)('organizer set-up screens in the browser', () => {
  let t: TestApp;
  let org: Client;
  let browser: Browser;
  let page: Page;
  let contestId = '';
  let base = '';
  const problems: string[] = [];

  const sideways = () =>
    page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
  const contest = async () => (await org.get(base)).body;
  /** A full-page picture with the sticky save bar where it rests, at the end of the form. */
  const shot = async (name: string) => {
    await page.evaluate(() =>
      (globalThis as any).scrollTo(0, (globalThis as any).document.body.scrollHeight),
    );
    await page.screenshot({ path: path.join(shots, name), fullPage: true });
  };

  beforeAll(async () => {
    t = await startClientApp();
    org = await t.signedIn('organizer', { isAdmin: true, password: PASSWORD });
    const created = await org.post('/api/contests', { name: '区教师板书设计比赛', settings: { tiers: [] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    contestId = created.body.id;
    base = `/api/contests/${contestId}`;
    expect((await org.put(`${base}/rounds/main/rubric`, { criteria: RUBRIC })).status).toBe(201);
    const csv = ['作品编号,教师姓名,学校,作品名称', ...ENTRIES.map((r) => r.join(','))];
    const fd = new FormData();
    fd.append('file', new Blob([csv.join('\n')], { type: 'text/csv' }), 'entries.csv');
    expect((await org.post(`${base}/entries/import`, fd)).status).toBe(201);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', acceptDownloads: true });
    page = await context.newPage();
    watchPageProblems(page, problems);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in and sets up categories and prize tiers, refused first for a tier without a rule', async () => {
    await page.goto(`${t.url}/login?next=${encodeURIComponent(`/contests/${contestId}/settings`)}`);
    await page.getByLabel('用户名').fill('organizer');
    await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${t.url}/contests/${contestId}/settings`);
    await page.getByRole('heading', { name: '比赛设置', level: 1 }).waitFor();
    expect(await page.title()).toBe('比赛设置 · 评选 Pingxuan');

    const groups = page.getByRole('group', { name: '组别与学科' });
    const categories: [string, string, string][] = [
      ['primary', '小学组', 'Primary'],
      ['secondary', '中学组', 'Secondary'],
    ];
    for (const [id, zh, en] of categories) {
      await groups.getByRole('button', { name: '添加组别' }).click();
      // The new row's first box has the focus, so typing goes straight in.
      await page.keyboard.type(id);
      const row = groups.locator('section').first().locator('li').last();
      await row.getByLabel('中文名称').fill(zh);
      await row.getByLabel('英文名称（可选）').fill(en);
    }

    const tiers = page.getByRole('group', { name: '奖项等级' });
    await tiers.getByRole('button', { name: '添加奖项等级' }).click();
    await page.keyboard.type('first');
    let tier = tiers.getByRole('group', { name: /^等级 1/ });
    await tier.getByLabel('中文名称').fill('一等奖');
    await tier.getByLabel('英文名称（可选）').fill('First prize');
    await tiers.getByRole('button', { name: '添加奖项等级' }).click();
    await page.keyboard.type('second');
    tier = tiers.getByRole('group', { name: /^等级 2/ });
    await tier.getByLabel('中文名称').fill('二等奖');

    // Neither tier has a quota, share or minimum yet: the shared schema refuses before anything is sent.
    let patches = 0;
    const countPatch = (r: { method(): string; url(): string }) => {
      if (r.method() === 'PATCH' && r.url().endsWith(`/api/contests/${contestId}`)) patches++;
    };
    page.on('request', countPatch);
    await page.getByRole('button', { name: '保存设置' }).click();
    const summary = page.getByRole('alert').filter({ hasText: '处需要修改' });
    await summary.waitFor();
    expect(await summary.textContent()).toContain('等级 1：每个奖项等级需要名额、比例或最低分中的至少一项。');
    expect(patches).toBe(0);

    await tiers
      .getByRole('group', { name: /^等级 1/ })
      .getByLabel('名额（件）')
      .fill('1');
    const share = tiers.getByRole('group', { name: /^等级 2/ }).getByLabel('比例（%）');
    await share.fill('130');
    await page.getByRole('button', { name: '保存设置' }).click();
    // The percent box is named, invalid and described by its message, and has the focus.
    await tiers.getByText('请填写 0 到 100 之间的百分数。').waitFor();
    expect(await share.getAttribute('aria-invalid')).toBe('true');
    await expect
      .poll(() => share.evaluate((el) => el === (globalThis as any).document.activeElement))
      .toBe(true);
    expect(patches).toBe(0);
    await share.fill('30');
    await page.getByLabel('分歧提示阈值（分）').fill('12');
    await page.getByLabel('汇总方法').selectOption('mean');
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('设置已保存。').waitFor();
    page.off('request', countPatch);
    expect(patches).toBe(1);

    const c = await contest();
    expect(c.categories).toEqual([
      { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
      { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
    ]);
    expect(c.settings.tiers).toEqual([
      { id: 'first', name: { zh: '一等奖', en: 'First prize' }, quota: 1 },
      { id: 'second', name: { zh: '二等奖' }, share: 0.3 },
    ]);
    expect(c.settings.disagreementThreshold).toBe(12);
    expect(c.settings.aggregation.method).toBe('mean');
    await shot('setup-settings.png');
    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('setup-settings-tablet.png');
    await page.setViewportSize(VIEWPORT);
  });

  it('reorders tiers from the keyboard and offers a reload when someone else saved meanwhile', async () => {
    const tiers = page.getByRole('group', { name: '奖项等级' });
    const down = tiers.getByRole('button', { name: '下移 一等奖' });
    await down.focus();
    await page.keyboard.press('Enter');
    // The moved tier is now last; focus follows it to its still usable button.
    await page.getByRole('status').filter({ hasText: '一等奖 已移到第 2 位。' }).waitFor();
    expect(
      await tiers
        .getByRole('button', { name: '上移 一等奖' })
        .evaluate((el) => el === (globalThis as any).document.activeElement),
    ).toBe(true);

    // Someone else renames the contest meanwhile: saving now is refused as stale.
    const c = await contest();
    expect((await org.patch(base, { version: c.version, name: '区教师板书设计比赛（复赛）' })).status).toBe(
      200,
    );
    await page.getByRole('button', { name: '保存设置' }).click();
    await page.getByText('别人刚刚修改过这里。').waitFor();
    expect((await contest()).settings.tiers.map((x: any) => x.id)).toEqual(['first', 'second']);
    await page.getByRole('button', { name: '载入最新内容' }).click();
    await expect.poll(() => page.getByLabel('比赛名称').inputValue()).toBe('区教师板书设计比赛（复赛）');
    // The form now shows what is stored: first prize back on top.
    expect(
      await tiers
        .getByRole('group', { name: /^等级 1/ })
        .getByLabel('编号')
        .inputValue(),
    ).toBe('first');
  });

  it('edits the rubric: adds a criterion, moves it up, changes weights with a live sum', async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '评分标准' }).click();
    await page.getByRole('heading', { name: '评分标准', level: 1 }).waitFor();
    const sum = page.locator('.setup-sum');
    expect(await sum.textContent()).toContain('权重合计：100（共 2 项）');

    await page.getByRole('button', { name: '添加评分项' }).click();
    await page.keyboard.type('design');
    const added = page.getByRole('group', { name: /^评分项 3/ });
    await added.getByLabel('中文名称').fill('板书设计');
    await added.getByLabel('满分标准（中文）').fill('布局合理，重点突出。');
    await added.getByLabel('权重').fill('20');
    await added.getByLabel('满分', { exact: true }).fill('20');
    expect(await sum.textContent()).toContain('权重合计：120（共 3 项）');

    await page.getByRole('button', { name: '上移 板书设计' }).click();
    await page.getByRole('group', { name: '评分项 2：板书设计' }).waitFor();
    await page
      .getByRole('group', { name: /^评分项 1/ })
      .getByLabel('权重')
      .fill('40');
    expect(await sum.textContent()).toContain('权重合计：100（共 3 项）');
    // The share of each weight shows beside it.
    expect(await page.getByRole('group', { name: /^评分项 2/ }).textContent()).toContain('占 20%');

    // A maximum that is not a whole number of steps is named at its box.
    const step = page.getByRole('group', { name: /^评分项 3/ }).getByLabel('步长');
    await step.fill('3');
    await page.getByRole('button', { name: '保存评分标准' }).click();
    await page.getByText('满分必须是步长的整数倍。').first().waitFor();
    expect(await step.getAttribute('aria-invalid')).toBe('true');
    await step.fill('0.5');
    await page.getByRole('button', { name: '保存评分标准' }).click();
    await page.getByText('评分标准已保存。').waitFor();

    const rubric = (await org.get(`${base}/rounds/main/rubric`)).body;
    expect(rubric.criteria.map((c: any) => [c.id, c.weight, c.maxScore, c.step])).toEqual([
      ['content', 40, 60, 1],
      ['design', 20, 20, 1],
      ['writing', 40, 40, 0.5],
    ]);
    expect(rubric.criteria[1].description).toEqual({ zh: '布局合理，重点突出。' });
    await shot('setup-rubric.png');
    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('setup-rubric-tablet.png');
    await page.setViewportSize(VIEWPORT);
  });

  it("adds a judge with conflicts, showing the server's error at the entry codes first", async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '评委' }).click();
    await page.getByRole('heading', { name: '评委与评审组', level: 1 }).waitFor();
    await page.getByRole('button', { name: '添加评委' }).click();
    const dialog = page.getByRole('dialog', { name: '添加评委' });
    await dialog.getByLabel('姓名').fill('评委甲');
    await dialog.getByLabel('学校 / 单位').fill('教研室');
    await dialog.getByLabel('回避学校').fill('实验小学');
    const codes = dialog.getByLabel('回避作品编号');
    await codes.fill('R02\nZZ99');
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    // Only the server knows which codes exist: its 400 lands under the codes box.
    const message = dialog.getByText('本比赛没有编号为“ZZ99”的作品。');
    await message.first().waitFor();
    expect(await codes.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await codes.getAttribute('aria-describedby')) ?? '';
    const described = await page.evaluate(
      (ids) => ids.map((id) => (globalThis as any).document.getElementById(id)?.textContent ?? '').join(' '),
      describedBy.split(' '),
    );
    expect(described).toContain('ZZ99');
    expect((await org.get(`${base}/judges`)).body.judges).toHaveLength(0);

    await codes.fill('R02');
    await dialog.getByRole('button', { name: '添加', exact: true }).click();
    await page.getByText('已添加评委 评委甲。').waitFor();
    await page.getByRole('button', { name: '添加评委' }).click();
    const second = page.getByRole('dialog', { name: '添加评委' });
    await second.getByLabel('姓名').fill('评委乙');
    await second.getByRole('button', { name: '添加', exact: true }).click();
    await page.getByText('已添加评委 评委乙。').waitFor();

    const judges = (await org.get(`${base}/judges`)).body.judges;
    const first = judges.find((j: any) => j.name === '评委甲');
    expect(first).toMatchObject({
      school: '教研室',
      conflictSchools: ['实验小学'],
      conflictEntryCodes: ['R02'],
    });
    await expect
      .poll(() => page.getByRole('row', { name: /评委甲/ }).textContent())
      .toContain('学校：实验小学');
  });

  it('creates a panel (a taken name is refused at its box) and assigns a judge to it', async () => {
    const create = page.getByRole('form', { name: '新建评审组' });
    await create.getByLabel('评审组名称').fill('第一评审组');
    await create.getByLabel('负责组别').selectOption('primary');
    await create.getByRole('button', { name: '新建' }).click();
    await page.getByText('已新建评审组 第一评审组。').waitFor();
    await create.getByLabel('评审组名称').fill('第一评审组');
    await create.getByRole('button', { name: '新建' }).click();
    await create.getByText('已经有名为“第一评审组”的评审组。').waitFor();
    expect(await create.getByLabel('评审组名称').getAttribute('aria-invalid')).toBe('true');
    await create.getByLabel('评审组名称').fill('');
    expect(await create.getByLabel('评审组名称').getAttribute('aria-invalid')).toBeNull();

    await page.getByRole('button', { name: '向 第一评审组 加入评委' }).click();
    const dialog = page.getByRole('dialog', { name: '向 第一评审组 加入评委' });
    await dialog.getByRole('checkbox', { name: /评委甲/ }).check();
    await dialog.getByRole('button', { name: '加入 1 位评委' }).click();
    await page.getByText('已向 第一评审组 加入 1 位评委。').waitFor();

    const panels = (await org.get(`${base}/panels`)).body.panels;
    expect(panels).toEqual([
      expect.objectContaining({ name: '第一评审组', category: 'primary', judgeCount: 1 }),
    ]);
    const judges = (await org.get(`${base}/judges`)).body.judges;
    expect(judges.find((j: any) => j.name === '评委甲').panelId).toBe(panels[0].id);
    await expect.poll(() => page.getByRole('row', { name: /评委甲/ }).textContent()).toContain('第一评审组');
    await shot('setup-judges.png');

    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('setup-judges-tablet.png');
    await page.setViewportSize(VIEWPORT);

    // The same screen in English, every label translated.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Judges and panels', level: 1 }).waitFor();
    await expect
      .poll(() => page.getByRole('row', { name: /评委甲/ }).textContent())
      .toContain('Schools: 实验小学');
    await page.getByRole('button', { name: 'Add judges to 第一评审组' }).waitFor();
    await shot('setup-judges-en.png');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '评委与评审组', level: 1 }).waitFor();
  });

  it('issues sign-in codes for every judge and shows a printable sheet whose codes work', async () => {
    await page.getByRole('button', { name: '发放全部登录码' }).click();
    const dialog = page.getByRole('dialog', { name: '为全部在任评委发放登录码' });
    await dialog.getByRole('button', { name: '发放 2 个登录码' }).click();
    const sheet = page.getByRole('region', { name: /评委登录码/ });
    await sheet.waitFor();
    const cards = sheet.locator('.setup-sheet-card');
    expect(await cards.count()).toBe(2);
    // Sorted by panel: the judge in a panel first.
    expect(await cards.first().textContent()).toContain('评委甲');
    expect(await cards.first().textContent()).toContain('第一评审组');
    const qr = sheet.getByRole('img', { name: '评委甲 的登录二维码' });
    await expect.poll(() => qr.evaluate((img: any) => img.naturalWidth as number)).toBeGreaterThan(0);
    const code = (await cards.first().locator('.setup-sheet-code').textContent())!.trim();
    expect(code.length).toBeGreaterThanOrEqual(8);
    await shot('setup-codes-sheet.png');

    // Printing shows the cards only: no header, navigation or buttons.
    await page.emulateMedia({ media: 'print' });
    const shown = (sel: string) =>
      page.evaluate(
        (s) => (globalThis as any).getComputedStyle((globalThis as any).document.querySelector(s)).display,
        sel,
      );
    expect(await shown('.app-header')).toBe('none');
    expect(await shown('.org-nav')).toBe('none');
    expect(await shown('.setup-sheet-tools')).toBe('none');
    expect(await shown('.setup-sheet-cards')).toBe('grid');
    await shot('setup-codes-print.png');
    await page.emulateMedia({ media: 'screen' });

    // The printed code signs the judge in.
    const tablet = t.client();
    const signIn = await tablet.post('/api/auth/code-login', { code });
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    await page.getByRole('button', { name: '关闭登录码页' }).click();
    await page.getByRole('heading', { name: '评委与评审组', level: 1 }).waitFor();
  });

  it('edits and withdraws entries and uploads a photo that shows as a thumbnail', async () => {
    await page
      .getByRole('navigation', { name: '比赛管理' })
      .getByRole('link', { name: '作品', exact: true })
      .click();
    await page.getByRole('heading', { name: '作品管理', level: 1 }).waitFor();
    await page.getByText('共 3 件作品').waitFor();

    await page.getByLabel('按编号、作品名称或教师搜索').fill('R02');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.getByText('“R02”：找到 1 件作品').waitFor();
    await page.getByRole('button', { name: '编辑作品 R02' }).click();
    const edit = page.getByRole('dialog', { name: '编辑作品 R02' });
    await edit.getByLabel('作品名称').fill('《春》板书设计');
    await edit.getByLabel('组别').selectOption('secondary');
    await edit.getByLabel('教师姓名').fill(' ');
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.getByText('必填。').first().waitFor();
    expect(await edit.getByLabel('教师姓名').getAttribute('aria-invalid')).toBe('true');
    await edit.getByLabel('教师姓名').fill('李明');
    await edit.getByRole('button', { name: '保存' }).click();
    await page.getByText('作品 R02 已保存。').waitFor();

    await page.getByLabel('按编号、作品名称或教师搜索').fill('');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.getByText('共 3 件作品').waitFor();
    await page.getByRole('button', { name: '撤回作品 R03' }).click();
    const withdraw = page.getByRole('dialog', { name: '撤回作品 R03' });
    await withdraw.getByRole('button', { name: '撤回' }).click();
    await withdraw.getByText('必填。').waitFor();
    await withdraw.getByLabel('撤回原因').fill('作者申请退出');
    await withdraw.getByRole('button', { name: '撤回' }).click();
    await page.getByText('作品 R03 已撤回。').waitFor();
    // The list is read again after the change; the row follows.
    await expect.poll(() => page.getByRole('row', { name: /R03/ }).textContent()).toContain('已撤回');

    await page.getByRole('button', { name: '作品 R01 的照片' }).click();
    const photos = page.getByRole('dialog', { name: '作品 R01 的照片' });
    const jpeg = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 40, g: 90, b: 60 } },
    })
      .jpeg()
      .toBuffer();
    await photos
      .getByLabel('选择照片')
      .setInputFiles({ name: 'R01-a.jpg', mimeType: 'image/jpeg', buffer: jpeg });
    await photos.getByRole('button', { name: '上传 1 张照片' }).click();
    await photos.getByText('已上传 1 张照片。').waitFor();
    await photos.getByRole('img', { name: '照片 R01-a.jpg' }).waitFor();
    await photos.getByRole('button', { name: '关闭' }).click();
    const thumb = page.getByRole('img', { name: '作品 R01 的照片' });
    await expect.poll(() => thumb.evaluate((img: any) => img.naturalWidth as number)).toBeGreaterThan(0);

    const entries = (await org.get(`${base}/entries`)).body.entries;
    const byCode = Object.fromEntries(entries.map((e: any) => [e.code, e]));
    expect(byCode.R02).toMatchObject({ title: '《春》板书设计', category: 'secondary', teacherName: '李明' });
    expect(byCode.R03).toMatchObject({ status: 'withdrawn', withdrawnReason: '作者申请退出' });
    expect(byCode.R01.photos).toEqual([expect.objectContaining({ fileName: 'R01-a.jpg', width: 640 })]);
    await shot('setup-entries.png');

    await page.setViewportSize(TABLET);
    expect(await sideways()).toBeLessThanOrEqual(TABLET.width);
    await shot('setup-entries-tablet.png');
    await page.setViewportSize(VIEWPORT);
  });

  it('uploads photos in bulk, matched by entry code, and downloads the feedback links as CSV', async () => {
    await page.getByText('批量上传照片').click();
    const png = await sharp({
      create: { width: 320, height: 240, channels: 3, background: { r: 200, g: 200, b: 180 } },
    })
      .png()
      .toBuffer();
    await page.getByLabel('选择照片文件').setInputFiles([
      { name: 'R02.png', mimeType: 'image/png', buffer: png },
      { name: 'nobody.png', mimeType: 'image/png', buffer: png },
    ]);
    await page.getByRole('button', { name: '上传 2 张照片' }).click();
    await page.getByText('已保存 1 张，跳过 0 张，未对应 1 张，被拒绝 0 张。').waitFor();
    await page.getByText('nobody.png').waitFor();
    const r02 = (await org.get(`${base}/entries?q=R02`)).body.entries[0];
    expect(r02.photos.map((p: any) => p.fileName)).toEqual(['R02.png']);

    await page.getByRole('button', { name: '下载反馈链接' }).click();
    const dialog = page.getByRole('dialog', { name: '生成并下载反馈链接' });
    const downloading = page.waitForEvent('download');
    await dialog.getByRole('button', { name: '生成并下载 CSV' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('feedback-links.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toBe('code,teacherName,school,url');
    // Active entries only: R03 was withdrawn.
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(['R01', 'R02']);
    await page.getByText('反馈链接已下载（feedback-links.csv）。').waitFor();
    const entries = (await org.get(`${base}/entries`)).body.entries;
    expect(
      entries
        .filter((e: any) => e.hasFeedbackLink)
        .map((e: any) => e.code)
        .sort(),
    ).toEqual(['R01', 'R02']);
  });

  it('imports judges from a sheet, listing each problem by row and column first', async () => {
    await page.getByRole('navigation', { name: '比赛管理' }).getByRole('link', { name: '评委' }).click();
    await page.getByRole('heading', { name: '评委与评审组', level: 1 }).waitFor();
    await page.getByText('从表格导入评委').click();
    const sheet = (rows: string[]) => ({
      name: 'judges.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(['姓名,学校,评审组,回避作品', ...rows].join('\n')),
    });
    await page
      .getByLabel('评委表文件')
      .setInputFiles(sheet(['评委丙,第二中学,第九评审组,', '评委丁,第三中学,,R09']));
    await page.getByRole('button', { name: '导入评委' }).click();
    await page.getByText('文件中有 2 处问题，没有导入任何评委').waitFor();
    const problemRows = page
      .getByRole('table', { name: '导入文件中的问题，按行和列列出' })
      .locator('tbody tr');
    expect(await problemRows.count()).toBe(2);
    expect(await problemRows.nth(0).textContent()).toContain('2评审组');
    expect(await problemRows.nth(1).textContent()).toContain('3回避作品');
    expect((await org.get(`${base}/judges`)).body.judges).toHaveLength(2);

    await page
      .getByLabel('评委表文件')
      .setInputFiles(sheet(['评委丙,第二中学,第一评审组,', '评委丁,第三中学,,R01']));
    await page.getByRole('button', { name: '导入评委' }).click();
    await page.getByText('已导入 2 位评委。').waitFor();
    await page.getByRole('row', { name: /评委丁/ }).waitFor();
    const judges = (await org.get(`${base}/judges`)).body.judges;
    expect(judges.find((j: any) => j.name === '评委丁')).toMatchObject({
      school: '第三中学',
      conflictEntryCodes: ['R01'],
    });
    expect(judges.find((j: any) => j.name === '评委丙').panelName).toBe('第一评审组');
  });

  it('made no page errors', () => {
    expect(problems).toEqual([]);
  });
});
