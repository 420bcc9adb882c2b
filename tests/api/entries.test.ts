import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import mongoose from 'mongoose';
import { ContestSettingsSchema } from '@pingxuan/shared';
import { startTestApp, snapshot, type Client, type TestApp } from './harness.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.close());

let seq = 0;
const uniq = (p: string) => `${p}${++seq}`;

const CATEGORIES = [
  { id: 'primary', name: { zh: '小学组', en: 'Primary' } },
  { id: 'secondary', name: { zh: '中学组', en: 'Secondary' } },
];
const SUBJECTS = [
  { id: 'math', name: { zh: '数学', en: 'Maths' } },
  { id: 'chinese', name: { zh: '语文', en: 'Chinese' } },
];

async function contestWithOrganizer(status: 'draft' | 'judging' | 'review' | 'published' = 'draft') {
  const { Contest, Membership, User } = t.ctx.models;
  const contest = await Contest.create({
    name: '区教师板书设计比赛',
    settings: ContestSettingsSchema.parse({}),
    rounds: [{ id: 'main', name: { zh: '评审' } }],
    categories: CATEGORIES,
    subjects: SUBJECTS,
    status,
  });
  const contestId = String(contest._id);
  const username = uniq('org');
  const org = await t.signedIn(username);
  const user = await User.findOne({ username });
  await Membership.create({ contestId, userId: user!._id, role: 'organizer' });
  return { contestId, org, base: `/api/contests/${contestId}` };
}

const entryBody = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  title: `《春》板书 ${code}`,
  teacherName: '王芳',
  school: '实验小学',
  category: 'primary',
  subject: 'chinese',
  ...extra,
});

const paths = (fields: { path: string }[] | undefined) => (fields ?? []).map((f) => f.path);
const audits = (contestId: string, action: string) => t.ctx.models.AuditEvent.find({ contestId, action }).sort({ seq: 1 }).lean();

function fileForm(field: string, files: { data: Uint8Array | string; name: string; type?: string }[]) {
  const fd = new FormData();
  for (const f of files) fd.append(field, new Blob([f.data as unknown as ArrayBuffer], { type: f.type ?? 'application/octet-stream' }), f.name);
  return fd;
}
const csvForm = (text: string, name = 'entries.csv') => fileForm('file', [{ data: text, name, type: 'text/csv' }]);
async function xlsxForm(rows: (string | number)[][], name = 'entries.xlsx') {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('作品');
  for (const r of rows) sheet.addRow(r);
  return fileForm('file', [{ data: new Uint8Array(await wb.xlsx.writeBuffer()), name }]);
}

/** A real photo: a coloured board of the given size, with an optional EXIF orientation. */
async function jpeg(width = 1600, height = 1000, orientation?: number): Promise<Buffer> {
  let img = sharp({ create: { width, height, channels: 3, background: { r: 30, g: 70, b: 55 } } }).jpeg({ quality: 80 });
  if (orientation) img = img.withMetadata({ orientation });
  return img.toBuffer();
}

async function judgeFor(contestId: string, opts: { school?: string } = {}) {
  const username = uniq('judge');
  const client = await t.signedIn(username);
  const user = await t.ctx.models.User.findOne({ username });
  const judge = await t.ctx.models.Judge.create({ contestId, userId: user!._id, name: '评委', school: opts.school ?? null });
  await t.ctx.models.Membership.create({ contestId, userId: user!._id, role: 'judge' });
  return { client, judge };
}

describe('who may call the entry routes', () => {
  it('answers 401 without a session and 403 to outsiders, organizers of other contests and judges; nothing changes', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const other = await contestWithOrganizer();
    const created = await org.post(`${base}/entries`, entryBody('A001'));
    expect(created.status).toBe(201);
    const eid = created.body.id;
    const { client: judge } = await judgeFor(contestId);
    const outsider = await t.signedIn(uniq('outsider'));
    const photo = await jpeg(200, 120);

    const routes: [string, string, (() => unknown)?][] = [
      ['GET', `${base}/entries`],
      ['POST', `${base}/entries`, () => entryBody('A999')],
      ['GET', `${base}/entries/import-template`],
      ['POST', `${base}/entries/import`, () => csvForm('code,teacherName,school,title\nZ1,李,某校,题\n')],
      ['POST', `${base}/entries/feedback-links`, () => ({})],
      ['POST', `${base}/photos`, () => fileForm('photos', [{ data: photo, name: 'A001.jpg' }])],
      ['GET', `${base}/entries/${eid}`],
      ['PATCH', `${base}/entries/${eid}`, () => ({ version: 0, title: '改' })],
      ['POST', `${base}/entries/${eid}/withdraw`, () => ({ version: 0, reason: '重复' })],
      ['POST', `${base}/entries/${eid}/restore`, () => ({ version: 0 })],
      ['POST', `${base}/entries/${eid}/photos`, () => fileForm('photos', [{ data: photo, name: 'x.jpg' }])],
      ['DELETE', `${base}/entries/${eid}/photos/${new mongoose.Types.ObjectId()}`],
    ];
    const before = await snapshot(t.conn);
    for (const [method, path, makeBody] of routes) {
      const anon = await t.client().request(method, path, makeBody?.());
      expect(anon.status, `${method} ${path} anonymous`).toBe(401);
      for (const [who, c] of [['outsider', outsider], ['other organizer', other.org], ['judge', judge]] as [string, Client][]) {
        const r = await c.request(method, path, makeBody?.());
        expect(r.status, `${method} ${path} as ${who}`).toBe(403);
      }
    }
    expect(await snapshot(t.conn)).toBe(before);
  });
});

describe('creating, listing and editing entries', () => {
  it('creates an entry in the current round, audits it and lists it', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const r = await org.post(`${base}/entries`, entryBody('BB001', { imageFileNames: ['BB001.jpg', 'bb001.JPG', 'BB001-2.jpg'] }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      code: 'BB001',
      roundIds: ['main'],
      category: 'primary',
      subject: 'chinese',
      status: 'active',
      version: 0,
      photos: [],
      imageFileNames: ['BB001.jpg', 'BB001-2.jpg'], // the same name twice is kept once
      missingPhotos: ['BB001.jpg', 'BB001-2.jpg'],
      hasFeedbackLink: false,
    });
    const [event] = await audits(contestId, 'entry.create');
    expect(event?.after).toMatchObject({ code: 'BB001', teacherName: '王芳' });
    const list = await org.get(`${base}/entries`);
    expect(list.status).toBe(200);
    expect(list.body.entries.map((e: { code: string }) => e.code)).toEqual(['BB001']);
    expect(list.body.counts).toEqual({ active: 1, withdrawn: 0, withoutPhotos: 1 });
  });

  it('rejects bad fields with 400 naming each, unknown categories and duplicate codes, changing nothing', async () => {
    const { org, base } = await contestWithOrganizer();
    expect((await org.post(`${base}/entries`, entryBody('C001'))).status).toBe(201);
    const before = await snapshot(t.conn);
    const cases: [unknown, string[]][] = [
      [entryBody('bad code!'), ['body.code']],
      [entryBody('C002', { title: '' }), ['body.title']],
      [entryBody('C002', { teacherName: 'x'.repeat(101) }), ['body.teacherName']],
      [{ ...entryBody('C002'), school: undefined }, ['body.school']],
      [entryBody('C002', { category: 'kindergarten' }), ['body.category']],
      [entryBody('C002', { subject: 'music' }), ['body.subject']],
      [entryBody('C002', { roundId: 'final' }), ['body.roundId']],
      [entryBody('C002', { status: 'withdrawn' }), ['body']],
      [entryBody('C002', { imageFileNames: 'C002.jpg' }), ['body.imageFileNames']],
      [entryBody('C002', { $where: '1' }), ['body']],
    ];
    for (const [b, expected] of cases) {
      const r = await org.post(`${base}/entries`, b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      for (const p of expected) expect(paths(r.body.error.fields).join(' '), JSON.stringify(b)).toContain(p);
    }
    const dup = await org.post(`${base}/entries`, entryBody('C001'));
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('C001');
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('pages by code, filters by status, category, school and text, and counts across pages', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    await t.ctx.models.Entry.insertMany(
      Array.from({ length: 25 }, (_, i) => ({
        contestId,
        roundIds: ['main'],
        code: `P${String(i + 1).padStart(3, '0')}`,
        title: i === 7 ? '勾股定理' : `作品 ${i}`,
        teacherName: i === 3 ? '张三' : '李四',
        school: i % 2 ? '一中' : '实验小学',
        category: i % 2 ? 'secondary' : 'primary',
        status: i === 24 ? 'withdrawn' : 'active',
      })),
    );
    const first = await org.get(`${base}/entries?limit=10`);
    expect(first.body.entries).toHaveLength(10);
    expect(first.body.total).toBe(25);
    expect(first.body.nextAfter).toBe('P010');
    const second = await org.get(`${base}/entries?limit=10&after=${first.body.nextAfter}`);
    expect(second.body.entries[0].code).toBe('P011');
    const third = await org.get(`${base}/entries?limit=10&after=${second.body.nextAfter}`);
    expect(third.body.entries).toHaveLength(5);
    expect(third.body.nextAfter).toBeNull();

    expect((await org.get(`${base}/entries?status=withdrawn`)).body.entries.map((e: { code: string }) => e.code)).toEqual(['P025']);
    expect((await org.get(`${base}/entries?category=secondary`)).body.total).toBe(12);
    expect((await org.get(`${base}/entries?school=${encodeURIComponent('一中')}`)).body.total).toBe(12);
    expect((await org.get(`${base}/entries?q=${encodeURIComponent('勾股')}`)).body.entries[0].code).toBe('P008');
    expect((await org.get(`${base}/entries?q=${encodeURIComponent('张三')}`)).body.entries[0].code).toBe('P004');
    expect((await org.get(`${base}/entries?q=p00`)).body.total).toBe(9);
    // A pattern is searched as text, not run as a regular expression.
    expect((await org.get(`${base}/entries?q=${encodeURIComponent('.*')}`)).body.total).toBe(0);
    // A NUL in the text is searched for too (a NUL in a BSON pattern would make the driver throw: a 500).
    const nul = await org.get(`${base}/entries?q=${encodeURIComponent('p0\u0000')}`);
    expect(nul.status, JSON.stringify(nul.body)).toBe(200);
    expect(nul.body.total).toBe(0);
    expect((await org.get(`${base}/entries`)).body.counts).toEqual({ active: 24, withdrawn: 1, withoutPhotos: 24 });

    for (const [q, field] of [
      ['limit=0', 'query.limit'],
      ['limit=5000', 'query.limit'],
      ['status=lost', 'query.status'],
      // Express reads no nested objects from query strings, so this arrives as an unknown key.
      ['category[$ne]=x', 'query'],
      ['sort=code', 'query'],
    ] as const) {
      const r = await org.get(`${base}/entries?${q}`);
      expect(r.status, q).toBe(400);
      expect(paths(r.body.error.fields).join(' '), q).toContain(field);
      expect(r.body.error.message, q).toContain(q.split('=')[0]);
    }
  });

  it('edits with the version read, answers 409 with the current entry when stale, and keeps fields left out', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('E001', { imageFileNames: ['E001.jpg'] }))).body;
    const r = await org.patch(`${base}/entries/${e.id}`, { version: 0, teacherName: '王芳芳', category: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ teacherName: '王芳芳', category: null, imageFileNames: ['E001.jpg'], version: 1 });
    const stale = await org.patch(`${base}/entries/${e.id}`, { version: 0, title: '旧版本' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.current).toMatchObject({ teacherName: '王芳芳', version: 1 });
    const [event] = await audits(contestId, 'entry.update');
    expect(event?.before).toMatchObject({ teacherName: '王芳' });
    expect(event?.after).toMatchObject({ teacherName: '王芳芳' });

    const before = await snapshot(t.conn);
    for (const [b, field] of [
      [{ title: 'x' }, 'body.version'],
      [{ version: 1, title: '' }, 'body.title'],
      [{ version: 1, subject: 'music' }, 'body.subject'],
      [{ version: 1, photos: [] }, 'body'],
    ] as const) {
      const bad = await org.patch(`${base}/entries/${e.id}`, b);
      expect(bad.status, JSON.stringify(b)).toBe(400);
      expect(paths(bad.body.error.fields).join(' ')).toContain(field);
    }
    expect((await org.patch(`${base}/entries/${new mongoose.Types.ObjectId()}`, { version: 0, title: 'x' })).status).toBe(404);
    expect((await org.patch(`${base}/entries/not-an-id`, { version: 0, title: 'x' })).status).toBe(400);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('fixes codes once judging starts, refuses a school that conflicts with an assigned judge, and freezes after publication', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('F001'))).body;
    const { judge } = await judgeFor(contestId, { school: '第二中学' });
    await t.ctx.models.Assignment.create({ contestId, roundId: 'main', entryId: e.id, judgeId: judge._id, order: 0 });
    await t.ctx.models.Contest.updateOne({ _id: contestId }, { $set: { status: 'judging' } });

    const before = await snapshot(t.conn);
    const code = await org.patch(`${base}/entries/${e.id}`, { version: 0, code: 'F999' });
    expect(code.status).toBe(400);
    expect(paths(code.body.error.fields)).toEqual(['body.code']);
    const school = await org.patch(`${base}/entries/${e.id}`, { version: 0, school: '第二 中学' });
    expect(school.status).toBe(400);
    expect(paths(school.body.error.fields)).toEqual(['body.school']);
    expect(school.body.error.message).toContain('评委');
    expect(await snapshot(t.conn)).toBe(before);
    expect((await org.patch(`${base}/entries/${e.id}`, { version: 0, school: '第三中学' })).status).toBe(200);

    await t.ctx.models.Contest.updateOne({ _id: contestId }, { $set: { status: 'published' } });
    const frozen = await snapshot(t.conn);
    expect((await org.patch(`${base}/entries/${e.id}`, { version: 1, title: '晚了' })).status).toBe(409);
    expect((await org.post(`${base}/entries/${e.id}/withdraw`, { version: 1, reason: '晚了' })).status).toBe(409);
    expect((await org.post(`${base}/entries`, entryBody('F002'))).status).toBe(409);
    expect(await snapshot(t.conn)).toBe(frozen);
  });

  it('withdraws with a reason and restores, each audited; both are idempotent for the same version', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('W001'))).body;
    const noReason = await org.post(`${base}/entries/${e.id}/withdraw`, { version: 0 });
    expect(noReason.status).toBe(400);
    expect(paths(noReason.body.error.fields)).toEqual(['body.reason']);
    const w = await org.post(`${base}/entries/${e.id}/withdraw`, { version: 0, reason: '与 W002 重复报送' });
    expect(w.status).toBe(200);
    expect(w.body).toMatchObject({ status: 'withdrawn', withdrawnReason: '与 W002 重复报送', version: 1 });
    expect((await org.post(`${base}/entries/${e.id}/withdraw`, { version: 1, reason: '再来一次' })).body.version).toBe(1);
    expect((await org.post(`${base}/entries/${e.id}/restore`, { version: 0 })).status).toBe(409);
    const back = await org.post(`${base}/entries/${e.id}/restore`, { version: 1 });
    expect(back.body).toMatchObject({ status: 'active', withdrawnReason: null, version: 2 });
    expect((await audits(contestId, 'entry.withdraw')).length).toBe(1);
    expect((await audits(contestId, 'entry.restore')).length).toBe(1);
  });
});

describe('importing entries from CSV and XLSX', () => {
  const header = '作品编号,教师姓名,学校,组别,学科,作品名称,图片文件,备注';

  it('imports every row with Chinese headers, category and subject names, and list cells', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const csv = [header, 'BB001,王芳,实验小学,小学组,语文,《春》,BB001.jpg;BB001-2.jpg,', 'BB002,李明,第一中学,secondary,Maths,勾股定理,BB002.jpg,备注随意', ''].join('\n');
    const r = await org.post(`${base}/entries/import`, csvForm(`\ufeff${csv}`));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ imported: 2, dryRun: false });
    const list = (await org.get(`${base}/entries`)).body.entries;
    expect(list).toMatchObject([
      { code: 'BB001', category: 'primary', subject: 'chinese', imageFileNames: ['BB001.jpg', 'BB001-2.jpg'], roundIds: ['main'] },
      { code: 'BB002', category: 'secondary', subject: 'math', teacherName: '李明' },
    ]);
    const [event] = await audits(contestId, 'entry.import');
    expect(event?.after).toMatchObject({ fileName: 'entries.csv', imported: 2, codes: ['BB001', 'BB002'] });
  });

  it('answers every problem with its row and column and imports nothing', async () => {
    const { org, base } = await contestWithOrganizer();
    expect((await org.post(`${base}/entries`, entryBody('OLD1'))).status).toBe(201);
    const csv = [
      header,
      'G001,王芳,实验小学,小学组,语文,题一,,', // fine
      'G 002,李明,一中,中学组,数学,题二,,', // bad code
      'G001,张三,二中,中学组,数学,题三,,', // duplicate of row 2
      'OLD1,赵四,三中,中学组,数学,题四,,', // already in the contest
      'G005,,四中,幼儿组,体育,题五,,', // no teacher, unknown category and subject
      'G006,周七,五中,小学组,语文,,,', // no title
    ].join('\n');
    const before = await snapshot(t.conn);
    const r = await org.post(`${base}/entries/import`, csvForm(csv));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('import_invalid');
    const problems = r.body.error.problems.map((p: { row: number; column: string }) => `${p.row}:${p.column}`).sort();
    expect(problems).toEqual(['3:作品编号', '4:作品编号', '5:作品编号', '6:学科', '6:教师姓名', '6:组别', '7:作品名称'].sort());
    const dup = r.body.error.problems.find((p: { row: number }) => p.row === 4);
    expect(dup.message).toContain('row 2');
    expect(await snapshot(t.conn)).toBe(before);

    const dry = await org.post(`${base}/entries/import?dryRun=true`, csvForm([header, 'G001,王芳,实验小学,小学组,语文,题一,,'].join('\n')));
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, imported: 0, wouldImport: 1 });
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('reads XLSX the same way and reports missing columns, empty files and unreadable files as 400', async () => {
    const { org, base } = await contestWithOrganizer();
    const ok = await org.post(
      `${base}/entries/import`,
      await xlsxForm([
        ['编号', '教师', '学校', '类别', '题目'],
        ['X001', '王芳', '实验小学', '小学组', '题一'],
        ['X002', '李明', '一中', '中学组', 12345],
      ]),
    );
    expect(ok.status).toBe(201);
    expect((await org.get(`${base}/entries`)).body.entries[1]).toMatchObject({ code: 'X002', title: '12345', category: 'secondary' });

    const before = await snapshot(t.conn);
    const bad = await org.post(`${base}/entries/import`, await xlsxForm([['编号', '学校', '题目'], ['X003', '某校', '题']]));
    expect(bad.status).toBe(400);
    expect(bad.body.error.problems).toEqual([expect.objectContaining({ row: 1, column: 'teacherName' })]);
    const rowBad = await org.post(`${base}/entries/import`, await xlsxForm([['编号', '教师', '学校', '题目'], ['X004', '王', '某校', ''], ['X001', '李', '某校', '题']]));
    expect(rowBad.status).toBe(400);
    expect(rowBad.body.error.problems.map((p: { row: number; column: string }) => `${p.row}:${p.column}`).sort()).toEqual(['2:题目', '3:编号']);
    const empty = await org.post(`${base}/entries/import`, csvForm(`${header}\n`));
    expect(empty.status).toBe(400);
    expect(empty.body.error.problems[0].message).toContain('no entries');
    const junk = await org.post(`${base}/entries/import`, fileForm('file', [{ data: new Uint8Array([0x50, 0x4b, 3, 4, 9, 9, 9]), name: 'broken.xlsx' }]));
    expect(junk.status).toBe(400);
    expect(paths(junk.body.error.fields)).toEqual(['file']);
    const none = await org.post(`${base}/entries/import`, new FormData());
    expect(none.status).toBe(400);
    expect(paths(none.body.error.fields)).toEqual(['file']);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('offers a template in CSV and XLSX that imports as it is', async () => {
    const { org, base } = await contestWithOrganizer();
    const csv = await org.get(`${base}/entries/import-template?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('entries-template.csv');
    expect(String(csv.body)).toContain('作品编号,教师姓名,学校,组别,学科,作品名称,图片文件');
    const xlsx = await org.get(`${base}/entries/import-template`);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const r = await org.post(`${base}/entries/import`, fileForm('file', [{ data: new Uint8Array(xlsx.body), name: 'template.xlsx' }]));
    expect(r.status).toBe(201);
    expect((await org.get(`${base}/entries`)).body.entries[0]).toMatchObject({ code: 'BB001', category: 'primary', subject: 'math' });
    expect((await org.get(`${base}/entries/import-template?format=pdf`)).status).toBe(400);
  });
});

describe('photos', () => {
  it('stores a photo with a screen copy and a thumbnail, serves each with caching, and deletes the files with it', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('PH01', { imageFileNames: ['PH01.jpg'] }))).body;
    const original = await jpeg(3000, 2000);
    const up = await org.post(`${base}/entries/${e.id}/photos`, fileForm('photos', [{ data: original, name: 'PH01.jpg', type: 'image/jpeg' }]));
    expect(up.status).toBe(201);
    expect(up.body.photos).toEqual([expect.objectContaining({ fileName: 'PH01.jpg', contentType: 'image/jpeg', width: 3000, height: 2000, size: original.length })]);
    expect(up.body.missingPhotos).toEqual([]);
    const pid = up.body.photos[0].id;

    const thumb = await org.get(`${base}/entries/${e.id}/photos/${pid}?size=thumb`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const tm = await sharp(thumb.body).metadata();
    expect([tm.format, tm.width, tm.height]).toEqual(['webp', 480, 320]);
    const large = await org.get(`${base}/entries/${e.id}/photos/${pid}`);
    expect((await sharp(large.body).metadata()).width).toBe(2048);
    const orig = await org.get(`${base}/entries/${e.id}/photos/${pid}?size=original`);
    expect(Buffer.compare(orig.body, original)).toBe(0);
    const etag = thumb.headers.get('etag')!;
    expect(thumb.headers.get('cache-control')).toContain('immutable');
    expect((await org.get(`${base}/entries/${e.id}/photos/${pid}?size=thumb`, { 'if-none-match': etag })).status).toBe(304);
    expect((await org.get(`${base}/entries/${e.id}/photos/${pid}?size=huge`)).status).toBe(400);

    const files = t.conn.db!.collection('photos.files');
    expect(await files.countDocuments({ 'metadata.entryId': e.id })).toBe(3);
    const del = await org.delete(`${base}/entries/${e.id}/photos/${pid}`);
    expect(del.status).toBe(200);
    expect(del.body.photos).toEqual([]);
    expect(del.body.missingPhotos).toEqual(['PH01.jpg']);
    expect(await files.countDocuments({ 'metadata.entryId': e.id })).toBe(0);
    expect(await t.conn.db!.collection('photos.chunks').countDocuments({})).toBeGreaterThanOrEqual(0);
    expect((await org.get(`${base}/entries/${e.id}/photos/${pid}`)).status).toBe(404);
    expect((await audits(contestId, 'entry.photos.add')).length).toBe(1);
    expect((await audits(contestId, 'entry.photos.remove')).length).toBe(1);
  });

  it('turns photos upright by their EXIF orientation', async () => {
    const { org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('PH02'))).body;
    const up = await org.post(`${base}/entries/${e.id}/photos`, fileForm('photos', [{ data: await jpeg(800, 600, 6), name: 'phone.jpg' }]));
    expect(up.status).toBe(201);
    expect(up.body.photos[0]).toMatchObject({ width: 600, height: 800 });
    const thumb = await org.get(`${base}/entries/${e.id}/photos/${up.body.photos[0].id}?size=thumb`);
    const m = await sharp(thumb.body).metadata();
    expect([m.width, m.height, m.orientation]).toEqual([360, 480, undefined]);
    expect(up.body.imageFileNames).toEqual(['phone.jpg']);
  });

  it('checks the content, not the name: text, SVG, truncated and GIF files get 415 naming the file and nothing is stored', async () => {
    const { org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('PH03'))).body;
    const good = await jpeg(400, 300);
    const gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).gif().toBuffer();
    const before = await snapshot(t.conn);
    for (const [data, name] of [
      [Buffer.from('not really a photo'), 'PH03.jpg'],
      [Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'PH03.png'],
      [good.subarray(0, 300), 'cut.jpg'],
      [gif, 'anim.gif'],
    ] as const) {
      // The good photo first: a bad one later in the batch must hold back the whole batch.
      const r = await org.post(`${base}/entries/${e.id}/photos`, fileForm('photos', [{ data: good, name: 'ok.jpg' }, { data, name, type: 'image/jpeg' }]));
      expect(r.status, name).toBe(415);
      expect(paths(r.body.error.fields), name).toEqual(['photos.1']);
      expect(r.body.error.message).toContain(name);
    }
    const none = await org.post(`${base}/entries/${e.id}/photos`, new FormData());
    expect(none.status).toBe(400);
    expect(await snapshot(t.conn)).toBe(before);
  });

  it('refuses photos over the size limit with 413 and stores nothing', async () => {
    const small = await startTestApp({ maxUploadBytes: 20_000 });
    try {
      const { Contest, Membership, User } = small.ctx.models;
      const contest = await Contest.create({ name: 'c', settings: ContestSettingsSchema.parse({}), rounds: [{ id: 'main', name: { zh: '评审' } }] });
      const org = await small.signedIn('org-small');
      const user = await User.findOne({ username: 'org-small' });
      await Membership.create({ contestId: contest._id, userId: user!._id, role: 'organizer' });
      const base = `/api/contests/${contest._id}`;
      const e = (await org.post(`${base}/entries`, { code: 'S1', title: 't', teacherName: 'n', school: 's' })).body;
      const big = await sharp({ create: { width: 1500, height: 1500, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } }).jpeg({ quality: 95 }).toBuffer();
      expect(big.length).toBeGreaterThan(20_000);
      const before = await snapshot(small.conn);
      const r = await org.post(`${base}/entries/${e.id}/photos`, fileForm('photos', [{ data: big, name: 'big.jpg' }]));
      expect(r.status).toBe(413);
      expect(paths(r.body.error.fields)).toEqual(['photos']);
      expect(await snapshot(small.conn)).toBe(before);
    } finally {
      await small.close();
    }
  });

  it('matches photos dropped in bulk to entries by file name or code, skipping uploaded ones and reporting the rest', async () => {
    const { org, base } = await contestWithOrganizer();
    const a = (await org.post(`${base}/entries`, entryBody('BK01', { imageFileNames: ['黑板一.jpg'] }))).body;
    const b = (await org.post(`${base}/entries`, entryBody('BK02'))).body;
    const photo = await jpeg(640, 400);
    const form = () =>
      fileForm('photos', [
        { data: photo, name: '黑板一.jpg' },
        { data: photo, name: 'bk02.jpg' },
        { data: photo, name: 'nobody.jpg' },
        { data: Buffer.from('oops'), name: 'BK01-notes.jpg' },
      ]);
    const r = await org.post(`${base}/photos`, form());
    expect(r.status).toBe(200);
    expect(r.body.stored.map((s: { code: string }) => s.code).sort()).toEqual(['BK01', 'BK02']);
    expect(r.body.unmatched).toEqual(['nobody.jpg', 'BK01-notes.jpg']);
    const again = await org.post(`${base}/photos`, form());
    expect(again.body.stored).toEqual([]);
    expect(again.body.skipped.map((s: { fileName: string }) => s.fileName).sort()).toEqual(['bk02.jpg', '黑板一.jpg']);
    const replaced = await org.post(`${base}/photos?replace=true`, fileForm('photos', [{ data: await jpeg(320, 200), name: '黑板一.jpg' }]));
    expect(replaced.body.stored).toHaveLength(1);
    const entryA = (await org.get(`${base}/entries/${a.id}`)).body;
    expect(entryA.photos).toEqual([expect.objectContaining({ fileName: '黑板一.jpg', width: 320 })]);
    expect((await org.get(`${base}/entries/${b.id}`)).body.imageFileNames).toEqual(['bk02.jpg']);
    // The replaced photo's files are gone: 3 files for each of the two photos left.
    expect(await t.conn.db!.collection('photos.files').countDocuments({ 'metadata.entryId': { $in: [a.id, b.id] } })).toBe(6);
    expect((await org.post(`${base}/photos?replace=yes`, form())).status).toBe(400);
  });

  it('shows a judge the photos of assigned active entries only, never the camera original', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('J001'))).body;
    const other = (await org.post(`${base}/entries`, entryBody('J002'))).body;
    const pid = (await org.post(`${base}/entries/${e.id}/photos`, fileForm('photos', [{ data: await jpeg(400, 300), name: 'a.jpg' }]))).body.photos[0].id;
    const pid2 = (await org.post(`${base}/entries/${other.id}/photos`, fileForm('photos', [{ data: await jpeg(400, 300), name: 'b.jpg' }]))).body.photos[0].id;
    const { client: judge, judge: doc } = await judgeFor(contestId);
    await t.ctx.models.Assignment.create({ contestId, roundId: 'main', entryId: e.id, judgeId: doc._id, order: 0 });

    expect((await judge.get(`${base}/entries/${e.id}/photos/${pid}?size=thumb`)).status).toBe(200);
    expect((await judge.get(`${base}/entries/${e.id}/photos/${pid}`)).status).toBe(200);
    expect((await judge.get(`${base}/entries/${e.id}/photos/${pid}?size=original`)).status).toBe(403);
    expect((await judge.get(`${base}/entries/${other.id}/photos/${pid2}?size=thumb`)).status).toBe(404);
    expect((await judge.get(`${base}/entries/${e.id}`)).status).toBe(403);
    const w = await org.post(`${base}/entries/${e.id}/withdraw`, { version: 1, reason: '撤回' });
    expect(w.status).toBe(200);
    expect((await judge.get(`${base}/entries/${e.id}/photos/${pid}?size=thumb`)).status).toBe(404);
    expect((await t.client().get(`${base}/entries/${e.id}/photos/${pid}`)).status).toBe(401);
    expect((await (await t.signedIn(uniq('x'))).get(`${base}/entries/${e.id}/photos/${pid}`)).status).toBe(403);
  });
});

describe('private feedback links', () => {
  it('issues a link per entry that shows the teacher only their own entry, with no result before publication', async () => {
    const { contestId, org, base } = await contestWithOrganizer();
    const e = (await org.post(`${base}/entries`, entryBody('FB01'))).body;
    const e2 = (await org.post(`${base}/entries`, entryBody('FB02', { teacherName: '李明' }))).body;
    const pid = (await org.post(`${base}/entries/${e.id}/photos`, fileForm('photos', [{ data: await jpeg(400, 300), name: 'a.jpg' }]))).body.photos[0].id;

    const r = await org.post(`${base}/entries/feedback-links`, { entryIds: [e.id] });
    expect(r.status).toBe(201);
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(r.body.links).toEqual([expect.objectContaining({ entryId: e.id, code: 'FB01', teacherName: '王芳' })]);
    const token = r.body.links[0].url.split('/feedback/')[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await org.get(`${base}/entries/${e.id}`)).body.hasFeedbackLink).toBe(true);
    const [event] = await audits(contestId, 'feedback_link.issue');
    expect(JSON.stringify(event)).not.toContain(token);

    const teacher = t.client();
    const view = await teacher.get(`/api/feedback/${token}`);
    expect(view.status).toBe(200);
    expect(view.body).toEqual({
      contest: { id: contestId, name: '区教师板书设计比赛', status: 'draft' },
      entry: { code: 'FB01', title: e.title, teacherName: '王芳', school: '实验小学', category: 'primary', subject: 'chinese', photos: [{ id: pid, width: 400, height: 300 }] },
      published: false,
    });
    expect(JSON.stringify(view.body)).not.toMatch(/score|rank|tier|FB02/);
    expect((await teacher.get(`/api/feedback/${token}/photos/${pid}?size=thumb`)).status).toBe(200);
    expect((await teacher.get(`/api/feedback/${token}/photos/${pid}?size=original`)).status).toBe(400);

    // Issuing again replaces the old link; other entries' photos are not reachable through it.
    const all = await org.post(`${base}/entries/feedback-links?format=csv`, {});
    expect(all.status).toBe(200);
    expect(String(all.body)).toContain('FB02');
    expect((await teacher.get(`/api/feedback/${token}`)).status).toBe(404);
    const token2 = String(all.body).match(/FB02,李明,实验小学,\/feedback\/([A-Za-z0-9_-]{43})/)![1];
    expect((await teacher.get(`/api/feedback/${token2}`)).body.entry.code).toBe('FB02');
    expect((await teacher.get(`/api/feedback/${token2}/photos/${pid}`)).status).toBe(404);
    expect((await teacher.get(`/api/feedback/short`)).status).toBe(400);
    expect((await teacher.get(`/api/feedback/${'A'.repeat(43)}`)).status).toBe(404);

    const bad = await org.post(`${base}/entries/feedback-links`, { entryIds: [e2.id, String(new mongoose.Types.ObjectId())] });
    expect(bad.status).toBe(400);
    expect(paths(bad.body.error.fields)).toEqual(['body.entryIds.1']);
  });
});
