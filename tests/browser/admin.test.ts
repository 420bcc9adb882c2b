// A real installation's first hour in the browser: the bootstrapped administrator signs in with the
// generated password, changes it, creates an organizer's account and a contest, and lands on its settings.
// Every change is checked through the API and the database afterwards.
// Run alone: `npm run build -w client && npx vitest run --project browser admin`.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, haveChromium, launchChromium, watchPageProblems } from './chromium.js';
import { shots, startClientApp } from './app.js';
import type { Browser, Page } from 'playwright-core';
import { bootstrapAdmin } from '@pingxuan/server';
import { type Client, type TestApp } from '../api/harness.js';

const VIEWPORT = { width: 1280, height: 800 };
const TABLET = { width: 768, height: 1024 };
const NEW_PASSWORD = '板书评选 strong pass 2025';
const ORGANIZER_PASSWORD = 'organizer first pass';

if (!haveChromium) console.warn(`admin browser test skipped: ${CHROMIUM} does not exist`);

describe.skipIf(!haveChromium)("the first administrator's set-up in the browser", () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let generated = '';
  /** The administrator signed in a second time, elsewhere: must be signed out by the password change. */
  let elsewhere: Client;
  const problems: string[] = [];

  const sideways = () =>
    page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number);
  const shot = (name: string) => page.screenshot({ path: path.join(shots, name), fullPage: true });
  /** The element that has the keyboard focus, by its accessible label's text. */
  const focusedLabel = () =>
    page.evaluate(() => {
      const el = (globalThis as any).document.activeElement;
      return el?.labels?.[0]?.textContent ?? el?.tagName ?? null;
    });
  /** The text an input's aria-describedby points at. */
  const description = (label: string) =>
    page.getByLabel(label, { exact: true }).evaluate((el: any) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(' ')
        .filter(Boolean)
        .map((id: string) => el.ownerDocument.getElementById(id)?.textContent ?? '')
        .join(' '),
    );
  const login = (username: string, password: string) =>
    t.client().post('/api/auth/login', { username, password });
  /** Every page keeps to the tablet's width: nothing scrolls sideways. */
  async function onTablet(name: string) {
    await page.setViewportSize(TABLET);
    expect(await sideways(), name).toBeLessThanOrEqual(TABLET.width);
    await shot(name);
    await page.setViewportSize(VIEWPORT);
  }

  beforeAll(async () => {
    t = await startClientApp();
    const boot = await bootstrapAdmin(t.ctx, { username: 'admin', password: undefined });
    expect(boot?.generatedPassword).toBeTruthy();
    generated = boot!.generatedPassword!;
    elsewhere = t.client();
    expect((await elsewhere.post('/api/auth/login', { username: 'admin', password: generated })).status).toBe(
      200,
    );

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN' });
    page = await context.newPage();
    watchPageProblems(page, problems);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('signs in with the generated password and changes it, refused first for a wrong current one', async () => {
    await page.goto(`${t.url}/login`);
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码', { exact: true }).fill(generated);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForURL(`${t.url}/contests`);

    await page.getByRole('link', { name: /我的账号/ }).click();
    await page.waitForURL(`${t.url}/account`);
    await page.getByRole('heading', { name: '我的账号', level: 1 }).waitFor();
    expect(await page.title()).toBe('我的账号 · 评选 Pingxuan');

    // Checked in the browser before anything is sent: new and repeated passwords differ.
    await page.getByLabel('当前密码').fill(generated);
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('再次输入新密码').fill('something else entirely');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('两次输入的新密码不一致。').waitFor();
    expect(await focusedLabel()).toBe('再次输入新密码');
    expect(await description('再次输入新密码')).toBe('两次输入的新密码不一致。');

    // The server's refusal of a wrong current password is shown at that field.
    await page.getByLabel('当前密码').fill('not the password at all');
    await page.getByLabel('再次输入新密码').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('当前密码不正确。').waitFor();
    expect(await focusedLabel()).toBe('当前密码');
    expect(await description('当前密码')).toBe('当前密码不正确。');
    expect((await login('admin', generated)).status, 'nothing changed yet').toBe(200);

    await page.getByLabel('当前密码').fill(generated);
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('密码已修改。其他设备上的登录已退出。').waitFor();
    expect(await page.getByLabel('当前密码').inputValue()).toBe('');
    await shot('admin-account.png');
    await onTablet('admin-account-tablet.png');

    expect((await login('admin', generated)).status).toBe(401);
    expect((await login('admin', NEW_PASSWORD)).status).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).status, 'the other session is closed').toBe(401);
    // This browser's own session stays open.
    await page.reload();
    await page.getByRole('heading', { name: '我的账号', level: 1 }).waitFor();
    expect(await t.ctx.models.AuditEvent.countDocuments({ action: 'user.changePassword' })).toBe(1);
  });

  it("creates an organizer's account, with the server's refusals shown at the field", async () => {
    await page.getByRole('link', { name: '账号管理' }).click();
    await page.waitForURL(`${t.url}/admin/users`);
    await page.getByRole('heading', { name: '账号管理', level: 1 }).waitFor();
    await page.getByRole('cell', { name: '系统管理员' }).waitFor();

    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/admin/users')) posts++;
    });
    const form = page.getByRole('region', { name: '新建账号' });
    await form.getByLabel('用户名').fill('x');
    await form.getByLabel('显示名称').fill('张组织');
    await form.getByLabel('初始密码').fill('short');
    await form.getByRole('button', { name: '创建账号' }).click();
    await form.getByText('用户名为 3–64 位字母、数字或 . _ @ -').waitFor();
    await form.getByText('初始密码至少 8 个字符。').waitFor();
    expect(await focusedLabel()).toBe('用户名');
    expect(posts, 'refused in the browser, before sending').toBe(0);

    // Taken: only the server knows, and says so at the username.
    await form.getByLabel('用户名').fill('admin');
    await form.getByLabel('初始密码').fill(ORGANIZER_PASSWORD);
    await form.getByRole('button', { name: '创建账号' }).click();
    await form.getByText('用户名已被使用。').waitFor();
    expect(posts).toBe(1);
    expect(await description('用户名')).toContain('用户名已被使用。');

    await form.getByLabel('用户名').fill('zhang.org');
    await form.getByRole('button', { name: '创建账号' }).click();
    await page.getByText('已创建账号 zhang.org。').waitFor();
    await page.getByRole('row', { name: /zhang\.org/ }).waitFor();
    expect(await form.getByLabel('用户名').inputValue()).toBe('');

    await page.getByLabel('搜索用户名或显示名称').fill('张组');
    await page.getByText('共显示 1 个账号').waitFor();
    expect(await page.getByRole('row').allTextContents()).toEqual([
      expect.stringContaining('用户名'),
      expect.stringMatching(/^zhang\.org张组织普通账号正常/),
    ]);
    await shot('admin-users.png');
    await onTablet('admin-users-tablet.png');

    const user = await t.ctx.models.User.findOne({ username: 'zhang.org' }).lean();
    expect(user).toMatchObject({ displayName: '张组织', isAdmin: false, disabled: false });
    expect((await login('zhang.org', ORGANIZER_PASSWORD)).status).toBe(200);
  });

  it('creates a contest with categories and lands on its settings', async () => {
    await page.goto(`${t.url}/contests`);
    await page.getByRole('link', { name: '新建比赛' }).click();
    await page.waitForURL(`${t.url}/contests/new`);
    await page.getByRole('heading', { name: '新建比赛', level: 1 }).waitFor();

    await page.getByLabel('比赛名称').fill('2025 年区教师板书设计比赛');
    await page.getByLabel(/比赛说明/).fill('面向全区中小学教师。');
    const rows: [string, string, string][] = [
      ['primary', '小学组', 'Primary'],
      ['primary', '中学组', ''],
    ];
    for (const [i, [id, zh, en]] of rows.entries()) {
      await page.getByRole('button', { name: '添加组别' }).click();
      // The new row's code box has the focus, so typing goes straight in.
      await page.keyboard.type(id);
      const row = page.getByRole('group', { name: `组别 ${i + 1}` });
      await row.getByLabel('中文名称').fill(zh);
      if (en) await row.getByLabel('英文名称（可选）').fill(en);
    }
    let posts = 0;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/contests')) posts++;
    });
    await page.getByRole('button', { name: '创建比赛' }).click();
    const second = page.getByRole('group', { name: '组别 2' });
    await second.getByText('代码与其他组别重复。').waitFor();
    expect(await focusedLabel()).toBe('代码');
    expect(posts).toBe(0);
    await second.getByLabel('代码').fill('secondary');
    await shot('admin-new-contest.png');
    await onTablet('admin-new-contest-tablet.png');

    await page.getByRole('button', { name: '创建比赛' }).click();
    await page.waitForURL(/\/contests\/[0-9a-f]{24}\/settings$/);
    await page.getByRole('heading', { name: '比赛设置', level: 1 }).waitFor();
    await shot('admin-contest-settings.png');
    const contestId = /contests\/([0-9a-f]{24})\/settings/.exec(page.url())![1]!;

    const api = t.client();
    expect((await api.post('/api/auth/login', { username: 'admin', password: NEW_PASSWORD })).status).toBe(
      200,
    );
    const contest = (await api.get(`/api/contests/${contestId}`)).body;
    expect(contest).toMatchObject({
      name: '2025 年区教师板书设计比赛',
      description: '面向全区中小学教师。',
      status: 'draft',
      categories: [
        { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
        { id: 'secondary', name: { zh: '中学组' } },
      ],
    });
    expect(contest.categories[1].name.en).toBeUndefined();
    expect(await t.ctx.models.Contest.countDocuments()).toBe(1);
  });

  it('keeps the administration out of reach of an organizer', async () => {
    const context = await browser.newContext({ viewport: TABLET, locale: 'zh-CN' });
    const other = await context.newPage();
    other.on('pageerror', (e) => problems.push(`pageerror (organizer): ${e.message}`));
    await other.goto(`${t.url}/login`);
    await other.getByLabel('用户名').fill('zhang.org');
    await other.getByLabel('密码', { exact: true }).fill(ORGANIZER_PASSWORD);
    await other.getByRole('button', { name: '登录', exact: true }).click();
    await other.waitForURL(`${t.url}/contests`);
    await other.getByRole('heading', { name: '比赛', level: 1 }).waitFor();
    expect(await other.getByRole('link', { name: '新建比赛' }).count()).toBe(0);
    expect(await other.getByRole('link', { name: '账号管理' }).count()).toBe(0);
    await other.getByRole('link', { name: /我的账号/ }).waitFor();
    await other.goto(`${t.url}/admin/users`);
    await other.getByText('只有管理员可以管理账号。').waitFor();
    await context.close();
  });

  it('made no page errors', () => {
    expect(problems).toEqual([]);
  });
});
