// `npm run screenshots`: takes the README's screenshots (docs/screenshots/*.png) from the seeded demo contest,
// served as `npm start -- --offline-demo` does, in Debian's chromium. Writes nothing but docs/screenshots and
// build output; the server and its in-memory database stop on exit, also on error or Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureInstalled, root, run, step } from './lib.mjs';

const outDir = path.join(root, 'docs', 'screenshots');
const DESKTOP = { width: 1280, height: 800 };
const TABLET_LANDSCAPE = { width: 1024, height: 768 };
const TABLET_PORTRAIT = { width: 768, height: 1024 };
const PHOTOS_TIMEOUT_MS = 15 * 60_000;

const started = Date.now();
const cleanups = [];
let cleaning = null;
/** Undoes what was started, newest first; safe to call more than once. */
function cleanup() {
  cleaning ??= (async () => {
    for (const undo of cleanups.reverse()) {
      try {
        await undo();
      } catch (err) {
        console.error('cleanup:', err);
      }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM'])
  process.on(sig, () => {
    console.error(`\n${sig}: stopping`);
    void cleanup().then(() => process.exit(130));
  });

try {
  await main();
  await cleanup();
  console.log(`\n✓ screenshots in docs/screenshots (${Math.round((Date.now() - started) / 1000)} s)`);
} catch (err) {
  console.error('\n✗ screenshots failed:', err);
  await cleanup();
  process.exit(1);
}

async function main() {
  ensureInstalled();
  step('build');
  run('npm', ['run', 'build', '-w', 'shared']);
  run('npm', ['run', 'build', '-w', 'server']);
  // The client goes to a folder of our own, so a build running elsewhere in the checkout cannot empty it mid-shot.
  const clientDir = mkdtempSync(path.join(os.tmpdir(), 'pingxuan-shots-client-'));
  const dropClient = () => rmSync(clientDir, { recursive: true, force: true });
  cleanups.push(dropClient);
  process.on('exit', dropClient); // run() exits at once when a build fails
  run('npm', ['run', 'build', '-w', 'client', '--', '--outDir', clientDir, '--emptyOutDir']);

  step('start the offline demo');
  const { tsImport } = await import('tsx/esm/api');
  const { MiniMongo } = await tsImport('../tests/support/miniMongo.ts', import.meta.url);
  const mini = new MiniMongo();
  const mongoUri = (await mini.start()) + 'pingxuan';
  cleanups.push(() => mini.stop());
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const server = await startServer({
    ...process.env,
    MONGODB_URI: mongoUri,
    PINGXUAN_OFFLINE_DEMO: '1',
    PORT: String(port),
    HOST: '127.0.0.1',
    CLIENT_DIR: clientDir,
    LOG_LEVEL: 'info',
  });
  const demo = parseBanner(server.banner);
  console.log(`  server on ${base}; judge code ${demo.judgeCode}; feedback ${demo.feedbackPath}`);

  const organizer = await apiClient(base, demo.logins.organizer);
  const { contests } = await organizer.get('/api/contests');
  if (contests.length !== 1) throw new Error(`expected the one demo contest, got ${contests.length}`);
  const contestId = contests[0].id;
  await waitForPhotos(organizer, contestId, server);

  step('screenshots');
  mkdirSync(outDir, { recursive: true });
  // Launched as every browser test launches it (path and flags in one place).
  const { launchChromium } = await tsImport('../tests/browser/chromium.ts', import.meta.url);
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const problems = [];
  const newPage = async (viewport, opts = {}) => {
    const context = await browser.newContext({
      viewport,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      ...opts,
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`${page.url()}: ${e.message}`));
    // Failed requests are reported below by URL; a visitor's /api/auth/me answers 401 by design.
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
        problems.push(`${page.url()}: console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && !(r.status() === 401 && r.url().endsWith('/api/auth/me')))
        problems.push(`${page.url()}: ${r.status()} ${r.url()}`);
    });
    return { context, page };
  };

  // Organizer's console, while judging is two-thirds done.
  const org = await newPage(DESKTOP);
  await signIn(org.context, base, demo.logins.organizer);
  const contestPath = `/contests/${contestId}`;
  await shoot(org.page, `${base}${contestPath}/results`, 'results', {
    ready: '.org-results',
    maxHeight: 1500,
  });
  await shoot(org.page, `${base}${contestPath}/progress`, 'progress', {
    ready: '.org table',
    maxHeight: 1500,
  });
  await shoot(org.page, `${base}${contestPath}/assignments`, 'assignments', {
    ready: '.asg h1',
    maxHeight: 1500,
  });

  // A school's organizer: their school's works and ranking only.
  if (demo.logins.school) {
    const school = await newPage(DESKTOP);
    await signIn(school.context, base, demo.logins.school);
    await shoot(school.page, `${base}${contestPath}/results`, 'school-results', {
      ready: '.org-results',
      maxHeight: 1100,
    });
  }

  // A judge on a tablet, signed in with the one-time code of their QR link.
  const judge = await newPage(TABLET_LANDSCAPE, { hasTouch: true });
  await judge.page.goto(`${base}/judge/sign-in?code=${encodeURIComponent(demo.judgeCode)}`);
  await judge.page.waitForURL(/\/judge\/[0-9a-f]{24}$/, { timeout: 30_000 });
  const judging = await (await judge.context.request.get(`${base}/api/contests/${contestId}/judging`)).json();
  // The work the judge left half-done shows scores being entered; else the first one not yet started.
  const work =
    judging.items.find((i) => i.score?.status === 'draft') ??
    judging.items.find((i) => !i.score) ??
    judging.items[0];
  if (!work.photos.length) throw new Error(`work ${work.code} has no photo`);
  await shoot(judge.page, `${base}/judge/${contestId}/entries/${work.entryId}`, 'judge-scoring', {
    ready: '.photo-viewer img',
  });
  await judge.page.setViewportSize(TABLET_PORTRAIT);
  await shoot(judge.page, `${base}/judge/${contestId}`, 'judge-works', { ready: '.work-grid' });

  // Publication, as the organizer would confirm it in the console.
  for (const status of ['review', 'published']) {
    const contest = await organizer.get(`/api/contests/${contestId}`);
    await organizer.post(`/api/contests/${contestId}/status`, { status, version: contest.version });
  }

  // What everyone else sees afterwards: no sign-in.
  const pub = await newPage(DESKTOP);
  await shoot(pub.page, `${base}/winners/${contestId}`, 'winners', { ready: 'main h1', maxHeight: 1500 });
  await shoot(pub.page, `${base}/winners/${contestId}/showcase`, 'showcase', {
    // Once the mouse has rested, the controls leave the picture.
    ready: '.showcase[data-idle="true"] .showcase-photo img',
  });
  await shoot(pub.page, `${base}${demo.feedbackPath}`, 'feedback', { ready: 'main h1', maxHeight: 1500 });

  if (problems.length) console.warn(`\n⚠ the browser reported:\n  ${[...new Set(problems)].join('\n  ')}`);
}

/** Opens `url`, waits until it has settled (data, fonts, images, no spinner) and saves `<name>.png`. */
async function shoot(page, url, name, { ready, maxHeight = DESKTOP.height } = {}) {
  if (page.url() !== url) await page.goto(url, { waitUntil: 'networkidle' });
  if (ready) await page.locator(ready).first().waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const { width, height } = page.viewportSize();
  const full = await page.evaluate(() => document.documentElement.scrollHeight);
  const clipHeight = Math.max(height, Math.min(full, maxHeight));
  // Lazy images load only once scrolled near.
  for (let y = height; y < clipHeight; y += height) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(150);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForFunction(
    (bottom) =>
      document.fonts.status === 'loaded' &&
      !document.querySelector('.spinner, .loading, [aria-busy="true"]') &&
      [...document.images]
        .filter((img) => img.checkVisibility() && img.getBoundingClientRect().top + window.scrollY < bottom)
        .every((img) => img.complete && img.naturalWidth > 0),
    clipHeight,
    { timeout: 30_000 },
  );
  await page.waitForLoadState('networkidle');
  // Let transitions and charts finish drawing.
  await page.waitForTimeout(500);
  const png = await page.screenshot({
    fullPage: true,
    clip: { x: 0, y: 0, width, height: clipHeight },
    animations: 'disabled',
    caret: 'hide',
  });
  const { default: sharp } = await import('sharp');
  // 256 colours are plenty for a UI; the blackboard photos stay legible.
  const small = await sharp(png)
    .png({ palette: true, quality: 90, effort: 10, compressionLevel: 9 })
    .toBuffer();
  writeFileSync(path.join(outDir, `${name}.png`), small);
  console.log(`  ${name}.png ${width}x${clipHeight} ${Math.round(small.length / 1024)} KB`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts server/dist/main.js and resolves once it has printed its demo log-ins. */
function startServer(env) {
  const child = spawn(process.execPath, ['server/dist/main.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state = { out: '', banner: '', exited: null };
  cleanups.push(
    () =>
      new Promise((resolve) => {
        if (state.exited) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  );
  child.stderr.on('data', (d) => process.stderr.write(d));
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => {
      state.exited = { code, signal };
      if (!state.banner)
        reject(new Error(`the server stopped (${code ?? signal}) before it was up:\n${state.out}`));
    });
    child.stdout.on('data', (d) => {
      if (state.banner) return; // request logs from here on
      state.out += d;
      if (/\n\s+teacher\s+\S+/.test(state.out)) {
        state.banner = state.out;
        resolve(state);
      }
    });
  });
}

/** The demo's log-ins, judge sign-in code and feedback link, as main.ts prints them at first start. */
function parseBanner(text) {
  const logins = {};
  for (const m of text.matchAll(/^\s+(admin|organizer|judge|school)\s+(\S+) \/ (\S+)$/gm))
    logins[m[1]] = { username: m[2], password: m[3] };
  const judgeCode = /^\s+judge code\s+(\S+)/m.exec(text)?.[1];
  const feedbackPath = /^\s+teacher\s+https?:\/\/[^/\s]+(\/feedback\/\S+)/m.exec(text)?.[1];
  if (!logins.organizer || !judgeCode || !feedbackPath)
    throw new Error(`the server did not print the demo log-ins:\n${text}`);
  return { logins, judgeCode, feedbackPath };
}

/** A signed-in JSON client for the API (the session cookie kept by hand). */
async function apiClient(base, { username, password }) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`sign-in as ${username}: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const call = async (method, url, body) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  return { get: (url) => call('GET', url), post: (url, body) => call('POST', url, body) };
}

async function signIn(context, base, { username, password }) {
  const res = await context.request.post(`${base}/api/auth/login`, { data: { username, password } });
  if (!res.ok()) throw new Error(`browser sign-in as ${username}: ${res.status()} ${await res.text()}`);
}

/** The demo draws its blackboard photos after start-up; the shots need all of them (winners come from anywhere). */
async function waitForPhotos(organizer, contestId, server) {
  const until = Date.now() + PHOTOS_TIMEOUT_MS;
  for (let i = 0; ; i++) {
    const { counts } = await organizer.get(`/api/contests/${contestId}/entries?limit=1`);
    if (counts.withoutPhotos === 0) return;
    if (server.exited) throw new Error('the server stopped while drawing the demo photos');
    if (Date.now() > until)
      throw new Error(`demo photos not drawn in time (${counts.withoutPhotos} missing)`);
    if (i % 10 === 0) console.log(`  waiting for the demo photos: ${counts.withoutPhotos} still to draw`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}
