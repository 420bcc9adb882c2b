import mongoose, { Types } from 'mongoose';
import {
  conflictChecker,
  ENTRY_IMPORT_COLUMNS,
  ENTRY_IMPORT_HEADER_ALIASES,
  EntryInputSchema,
  splitListCell,
  type Entry,
  type EntryList,
  type EntryListQuery,
  type EntryUpdate,
  type FeedbackLink,
  type ImportProblem,
} from '@pingxuan/shared';
import type { z } from 'zod';
import ExcelJS from 'exceljs';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import type { ContestDoc } from '../contests/contests.model.js';
import { currentRoundId } from '../contests/rounds.js';
import { hashSecret, newSecret } from '../accounts/tokens.js';
import { updateVersioned } from '../db/versioned.js';
import { csvDocument } from '../http/csv.js';
import { HttpError, conflict, notFound } from '../http/errors.js';
import type { Table } from '../imports/table.js';
import { importInvalid, throwIssues } from '../judges/judges.service.js';
import type { JudgeDoc } from '../judges/judges.model.js';
import type { EntryDoc } from './entries.model.js';

type EntryInput = z.infer<typeof EntryInputSchema>;
type Issue = { field: string; message: string };
type ImportColumn = (typeof ENTRY_IMPORT_COLUMNS)[number];
type Named = { id: string; name: { zh: string; en?: string | null } };

const INSERT_CHUNK = 1000;

/** Text searched as text: metacharacters escaped, and NUL as `\x00` (BSON cannot carry a NUL in a pattern). */
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\0/g, '\\x00');
const normName = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** Finds a category or subject by id, Chinese or English name, as organizers write them in sheets. */
function namedLookup(list: readonly Named[]) {
  const map = new Map<string, string>();
  for (const n of list) for (const k of [n.id, n.name.zh, n.name.en]) if (k) map.set(normName(k), n.id);
  return (value: string) => map.get(normName(value));
}

export class EntriesService {
  constructor(private readonly ctx: AppContext) {}

  // ---- reading ----

  async contest(contestId: string): Promise<ContestDoc> {
    const contest = await this.ctx.models.Contest.findById(contestId).lean<ContestDoc>();
    if (!contest) throw notFound('Contest');
    return contest;
  }

  /** `school`: a school organizer's scope; another school's entry is as unknown as a missing one. */
  async entryDoc(contestId: string, entryId: string, school: string | null = null): Promise<EntryDoc> {
    const entry = await this.ctx.models.Entry.findOne({
      _id: entryId,
      contestId,
      ...(school !== null ? { school } : {}),
    }).lean<EntryDoc>();
    if (!entry) throw notFound('Entry');
    return entry;
  }

  static view(e: EntryDoc): Entry {
    const photos = (e.photos ?? []).map((p) => ({
      id: String(p._id),
      fileName: p.fileName,
      contentType: p.contentType,
      width: p.width,
      height: p.height,
      size: p.size,
    }));
    const uploaded = new Set(photos.map((p) => p.fileName.normalize('NFC').toLowerCase()));
    return {
      id: String(e._id),
      contestId: String(e.contestId),
      roundIds: [...(e.roundIds ?? [])],
      code: e.code,
      title: e.title,
      teacherName: e.teacherName,
      school: e.school,
      category: e.category ?? null,
      subject: e.subject ?? null,
      imageFileNames: [...(e.imageFileNames ?? [])],
      photos,
      missingPhotos: (e.imageFileNames ?? []).filter((f) => !uploaded.has(f.normalize('NFC').toLowerCase())),
      status: e.status ?? 'active',
      withdrawnReason: e.withdrawnReason ?? null,
      hasFeedbackLink: Boolean(e.feedbackTokenHash),
      version: e.version ?? 0,
    };
  }

  async list(contestId: string, q: EntryListQuery, school: string | null = null): Promise<EntryList> {
    await this.contest(contestId);
    const { Entry } = this.ctx.models;
    const scope = school !== null ? { school } : {};
    const filter: Record<string, unknown> = { contestId, ...scope };
    if (q.status) filter.status = q.status;
    if (q.category) filter.category = q.category;
    if (q.subject) filter.subject = q.subject;
    if (q.school && school === null) filter.school = q.school;
    else if (q.school && q.school !== school) filter._id = null; // another school: nothing to see
    if (q.q) {
      const re = new RegExp(escapeRegex(q.q), 'i');
      filter.$or = mongoose.trusted([{ code: re }, { title: re }, { teacherName: re }]);
    }
    const page = { ...filter, ...(q.after ? { code: mongoose.trusted({ $gt: q.after }) } : {}) };
    const [docs, total, active, withdrawn, withoutPhotos] = await Promise.all([
      Entry.find(page)
        .sort({ code: 1 })
        .limit(q.limit + 1)
        .lean<EntryDoc[]>(),
      Entry.countDocuments(filter),
      Entry.countDocuments({ contestId, ...scope, status: 'active' }),
      Entry.countDocuments({ contestId, ...scope, status: 'withdrawn' }),
      Entry.countDocuments({ contestId, ...scope, status: 'active', photos: mongoose.trusted({ $size: 0 }) }),
    ]);
    const more = docs.length > q.limit;
    const entries = docs.slice(0, q.limit).map(EntriesService.view);
    return {
      entries,
      total,
      nextAfter: more ? entries[entries.length - 1]!.code : null,
      counts: { active, withdrawn, withoutPhotos },
    };
  }

  async get(contestId: string, entryId: string, school: string | null = null): Promise<Entry> {
    return EntriesService.view(await this.entryDoc(contestId, entryId, school));
  }

  /** A school organizer may only file entries under their own school. */
  private checkSchool(school: string | null, value: string | undefined, issues: Issue[]) {
    if (school !== null && value !== undefined && value !== school)
      issues.push({ field: 'school', message: `must be your school, "${school}"` });
  }

  // ---- rules ----

  /** Entries change until results are published; the published snapshot names them as they were. */
  private assertEditable(contest: ContestDoc, what: string) {
    if (contest.status === 'published')
      throw conflict(`The contest is published; ${what} can no longer change`, { status: contest.status });
  }

  /** New entries only before or during judging: later they could not be judged. */
  private assertCanAdd(contest: ContestDoc) {
    if (contest.status !== 'draft' && contest.status !== 'judging')
      throw conflict(
        `Entries can be added while the contest is in draft or judging (it is ${contest.status})`,
        { status: contest.status },
      );
  }

  /** Category, subject and round must be the contest's own; answers the id to store. */
  private checkRefs(
    contest: ContestDoc,
    input: { category?: string | null; subject?: string | null; roundId?: string },
    issues: Issue[],
  ) {
    const has = (list: readonly Named[], v: string) => list.some((n) => n.id === v);
    const ids = (list: readonly Named[]) => (list.length ? list.map((n) => n.id).join(', ') : 'none defined');
    if (input.category && !has(contest.categories as Named[], input.category))
      issues.push({
        field: 'category',
        message: `no category "${input.category}" in this contest (${ids(contest.categories as Named[])})`,
      });
    if (input.subject && !has(contest.subjects as Named[], input.subject))
      issues.push({
        field: 'subject',
        message: `no subject "${input.subject}" in this contest (${ids(contest.subjects as Named[])})`,
      });
    if (input.roundId && !has(contest.rounds as Named[], input.roundId))
      issues.push({ field: 'roundId', message: `no round "${input.roundId}" in this contest` });
  }

  /** Judges already assigned to the entry must stay free of conflicts after an edit of school or code. */
  private async checkAssignedJudges(
    contestId: string,
    entryId: string,
    next: { code: string; school: string },
    issues: Issue[],
  ) {
    const { Assignment, Judge } = this.ctx.models;
    const judgeIds = (await Assignment.find({ contestId, entryId }, { judgeId: 1 }).lean()).map(
      (a) => a.judgeId,
    );
    if (!judgeIds.length) return;
    const judges = await Judge.find({ _id: mongoose.trusted({ $in: judgeIds }) }).lean<JudgeDoc[]>();
    const clash = judges.filter((j) => conflictChecker(j)(next));
    if (clash.length)
      issues.push({
        field: 'school',
        message: `assigned judge(s) ${clash.map((j) => j.name).join(', ')} would have a conflict of interest; reassign them first`,
      });
  }

  // ---- writing ----

  async create(
    contestId: string,
    input: EntryInput,
    actor: AuditActor,
    school: string | null = null,
  ): Promise<Entry> {
    const contest = await this.contest(contestId);
    this.assertCanAdd(contest);
    const issues: Issue[] = [];
    this.checkRefs(contest, input, issues);
    this.checkSchool(school, input.school, issues);
    throwIssues(issues);
    let doc: EntryDoc;
    try {
      doc = (
        await this.ctx.models.Entry.create({
          contestId,
          roundIds: [input.roundId ?? currentRoundId(contest)],
          code: input.code,
          title: input.title,
          teacherName: input.teacherName,
          school: input.school,
          category: input.category ?? null,
          subject: input.subject ?? null,
          imageFileNames: dedupeNames(input.imageFileNames),
        })
      ).toObject() as EntryDoc;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw codeTaken(input.code);
      throw err;
    }
    const view = EntriesService.view(doc);
    await this.ctx.audit.append({
      actor,
      action: 'entry.create',
      contestId,
      target: { type: 'entry', id: view.id },
      before: null,
      after: view,
    });
    return view;
  }

  async update(
    contestId: string,
    entryId: string,
    input: EntryUpdate,
    actor: AuditActor,
    school: string | null = null,
  ): Promise<Entry> {
    const contest = await this.contest(contestId);
    this.assertEditable(contest, 'entries');
    const before = await this.entryDoc(contestId, entryId, school);
    const issues: Issue[] = [];
    this.checkRefs(contest, input, issues);
    this.checkSchool(school, input.school, issues);
    if (input.code !== undefined && input.code !== before.code && contest.status !== 'draft')
      issues.push({
        field: 'code',
        message: 'entry codes are fixed once judging has started (judges know works by code)',
      });
    const next = { code: input.code ?? before.code, school: input.school ?? before.school };
    if (next.school !== before.school || next.code !== before.code)
      await this.checkAssignedJudges(contestId, entryId, next, issues);
    throwIssues(issues);

    const set: Record<string, unknown> = {};
    for (const k of ['code', 'title', 'teacherName', 'school', 'category', 'subject'] as const)
      if (input[k] !== undefined) set[k] = input[k];
    if (input.imageFileNames) set.imageFileNames = dedupeNames(input.imageFileNames);
    let after: EntryDoc;
    try {
      after = (await updateVersioned(
        this.ctx.models.Entry as never,
        { _id: entryId, contestId },
        input.version,
        set,
        'Entry',
        (d) => EntriesService.view(d as EntryDoc),
      )) as EntryDoc;
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw codeTaken(input.code ?? '');
      throw err;
    }
    const [b, a] = [EntriesService.view(before), EntriesService.view(after)];
    await this.ctx.audit.append({
      actor,
      action: 'entry.update',
      contestId,
      target: { type: 'entry', id: entryId },
      before: b,
      after: a,
    });
    return a;
  }

  /** Withdrawn entries leave judging lists and results but keep their scores, so a mistake can be undone. */
  async setStatus(
    contestId: string,
    entryId: string,
    status: 'active' | 'withdrawn',
    version: number,
    reason: string | null,
    actor: AuditActor,
    school: string | null = null,
  ) {
    const contest = await this.contest(contestId);
    this.assertEditable(contest, 'entries');
    const before = await this.entryDoc(contestId, entryId, school);
    if (before.status === status) {
      if (before.version !== version)
        throw conflict(`Entry was changed by someone else (version ${before.version}, you sent ${version})`, {
          current: EntriesService.view(before),
        });
      return EntriesService.view(before);
    }
    const after = (await updateVersioned(
      this.ctx.models.Entry as never,
      { _id: entryId, contestId },
      version,
      { status, withdrawnReason: status === 'withdrawn' ? reason : null },
      'Entry',
      (d) => EntriesService.view(d as EntryDoc),
    )) as EntryDoc;
    const [b, a] = [EntriesService.view(before), EntriesService.view(after)];
    await this.ctx.audit.append({
      actor,
      action: status === 'withdrawn' ? 'entry.withdraw' : 'entry.restore',
      contestId,
      target: { type: 'entry', id: entryId },
      before: b,
      after: a,
    });
    return a;
  }

  // ---- import ----

  /**
   * Checks every row first (fields, categories and subjects by id or name, codes unique in the file and in
   * the contest) and writes only if all rows are fine; a failed write takes back every row it wrote.
   */
  async importTable(
    contestId: string,
    table: Table,
    fileName: string,
    dryRun: boolean,
    actor: AuditActor,
    school: string | null = null,
  ) {
    const contest = await this.contest(contestId);
    this.assertCanAdd(contest);
    const problems: ImportProblem[] = [];

    const columns = new Map<ImportColumn, string>();
    for (const h of table.headers) {
      if (!h) continue;
      const col =
        ENTRY_IMPORT_HEADER_ALIASES[h] ??
        ENTRY_IMPORT_COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase());
      if (!col) continue; // extra columns (序号, 备注 ...) are common in organizers' sheets
      if (columns.has(col))
        problems.push({
          row: 1,
          column: h,
          message: `two columns mean "${col}" ("${columns.get(col)}" and "${h}")`,
        });
      else columns.set(col, h);
    }
    for (const required of ['code', 'teacherName', 'school', 'title'] as const)
      if (!columns.has(required))
        problems.push({
          row: 1,
          column: required,
          message: `a "${required}" column is required (${headerHint(required)})`,
        });
    if (problems.length) throw importInvalid(problems);
    if (!table.rows.length)
      throw importInvalid([{ row: 2, column: null, message: 'the file has no entries' }]);

    const category = namedLookup(contest.categories as Named[]);
    const subject = namedLookup(contest.subjects as Named[]);
    const cell = (values: Record<string, string>, col: ImportColumn) => {
      const h = columns.get(col);
      return h ? (values[h] ?? '').trim() : '';
    };
    const headerOf = (col: string) => columns.get(col as ImportColumn) ?? col;

    const existing = new Map(
      (await this.ctx.models.Entry.find({ contestId }, { code: 1 }).lean()).map((e) => [
        e.code.toLowerCase(),
        e.code,
      ]),
    );
    const codeRows = new Map<string, number>();
    const roundId = currentRoundId(contest);
    const importId = new Types.ObjectId().toHexString();
    const docs: Record<string, unknown>[] = [];

    for (const { row, values } of table.rows) {
      const problem = (col: string, message: string) =>
        problems.push({ row, column: headerOf(col), message });
      const rawCategory = cell(values, 'category');
      const rawSubject = cell(values, 'subject');
      const categoryId = rawCategory ? category(rawCategory) : undefined;
      const subjectId = rawSubject ? subject(rawSubject) : undefined;
      if (rawCategory && !categoryId) problem('category', `no category "${rawCategory}" in this contest`);
      if (rawSubject && !subjectId) problem('subject', `no subject "${rawSubject}" in this contest`);
      const parsed = EntryInputSchema.safeParse({
        code: cell(values, 'code'),
        title: cell(values, 'title'),
        teacherName: cell(values, 'teacherName'),
        school: cell(values, 'school'),
        imageFileNames: splitListCell(cell(values, 'imageFileNames')),
      });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problem(String(issue.path[0] ?? 'code'), issue.message);
        continue;
      }
      const e = parsed.data;
      if (school !== null && e.school !== school) problem('school', `must be your school, "${school}"`);
      const key = e.code.toLowerCase();
      const first = codeRows.get(key);
      if (first) problem('code', `code "${e.code}" is also on row ${first}`);
      else codeRows.set(key, row);
      if (existing.has(key)) problem('code', `code "${e.code}" is already an entry of this contest`);
      docs.push({
        contestId: new Types.ObjectId(contestId),
        roundIds: [roundId],
        code: e.code,
        title: e.title,
        teacherName: e.teacherName,
        school: e.school,
        category: categoryId ?? null,
        subject: subjectId ?? null,
        imageFileNames: dedupeNames(e.imageFileNames),
        status: 'active',
        importId,
        version: 0,
      });
    }
    if (problems.length) throw importInvalid(problems.slice(0, 1000));
    if (dryRun) return { dryRun: true, imported: 0, wouldImport: docs.length };

    const { Entry } = this.ctx.models;
    try {
      for (let i = 0; i < docs.length; i += INSERT_CHUNK)
        await Entry.insertMany(docs.slice(i, i + INSERT_CHUNK), { ordered: true, lean: true });
      await this.ctx.audit.append({
        actor,
        action: 'entry.import',
        contestId,
        target: { type: 'contest', id: contestId },
        before: null,
        // The codes tell an auditor what came in; the rows themselves are in the entries.
        after: { fileName, imported: docs.length, importId, codes: docs.slice(0, 2000).map((d) => d.code) },
      });
    } catch (err) {
      await Entry.deleteMany({ contestId, importId });
      if ((err as { code?: number }).code === 11000)
        throw new HttpError(
          409,
          'conflict',
          'An entry code was taken while importing; nothing was imported. Try again.',
        );
      throw err;
    }
    return { dryRun: false, imported: docs.length, wouldImport: docs.length };
  }

  // ---- feedback links ----

  /** A fresh private link per entry; older links of those entries stop working. Shown once, stored hashed. */
  async issueFeedbackLinks(
    contestId: string,
    entryIds: string[] | undefined,
    actor: AuditActor,
  ): Promise<FeedbackLink[]> {
    await this.contest(contestId);
    const { Entry } = this.ctx.models;
    let entries: EntryDoc[];
    if (entryIds) {
      entries = await Entry.find({ contestId, _id: mongoose.trusted({ $in: entryIds }) }).lean<EntryDoc[]>();
      const found = new Set(entries.map((e) => String(e._id)));
      throwIssues(
        entryIds.flatMap((id, i) =>
          found.has(id) ? [] : [{ field: `entryIds.${i}`, message: 'not an entry of this contest' }],
        ),
      );
    } else entries = await Entry.find({ contestId, status: 'active' }).lean<EntryDoc[]>();
    entries.sort((a, b) => a.code.localeCompare(b.code));

    const base = (this.ctx.config.publicUrl ?? '').replace(/\/+$/, '');
    const links: FeedbackLink[] = [];
    const ops = entries.map((e) => {
      const token = newSecret();
      links.push({
        entryId: String(e._id),
        code: e.code,
        teacherName: e.teacherName,
        school: e.school,
        url: `${base}/feedback/${token}`,
      });
      return {
        updateOne: { filter: { _id: e._id }, update: { $set: { feedbackTokenHash: hashSecret(token) } } },
      };
    });
    for (let i = 0; i < ops.length; i += INSERT_CHUNK)
      await Entry.bulkWrite(ops.slice(i, i + INSERT_CHUNK) as never, { ordered: false });
    await this.ctx.audit.append({
      actor,
      action: 'feedback_link.issue',
      contestId,
      target: { type: 'contest', id: contestId },
      before: null,
      after: { count: links.length, codes: links.slice(0, 2000).map((l) => l.code) },
    });
    return links;
  }

  // ---- template ----

  /** The import sheet with Chinese headers and one example row. */
  async template(
    contestId: string,
    format: 'csv' | 'xlsx',
  ): Promise<{ data: Buffer; type: string; fileName: string }> {
    const contest = await this.contest(contestId);
    const headers = ENTRY_IMPORT_COLUMNS.map(headerHint);
    const firstName = (list: readonly Named[]) => list[0]?.name.zh ?? '';
    const example = [
      'BB001',
      '王芳',
      '实验小学',
      firstName(contest.categories as Named[]),
      firstName(contest.subjects as Named[]),
      '《春》板书设计',
      'BB001.jpg',
    ];
    if (format === 'csv') {
      return {
        data: Buffer.from(csvDocument(headers, [example]), 'utf8'),
        type: 'text/csv; charset=utf-8',
        fileName: 'entries-template.csv',
      };
    }
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('作品');
    ws.addRow(headers).font = { bold: true };
    ws.addRow(example);
    ws.columns.forEach((c) => (c.width = 18));
    return {
      data: Buffer.from(await wb.xlsx.writeBuffer()),
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      fileName: 'entries-template.xlsx',
    };
  }
}

const codeTaken = (code: string) =>
  conflict(`body.code: code "${code}" is already an entry of this contest`, { field: 'body.code' });

/** The Chinese header the template uses for a column. */
function headerHint(col: ImportColumn): string {
  const preferred: Record<ImportColumn, string> = {
    code: '作品编号',
    teacherName: '教师姓名',
    school: '学校',
    category: '组别',
    subject: '学科',
    title: '作品名称',
    imageFileNames: '图片文件',
  };
  return preferred[col];
}

function dedupeNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = n.normalize('NFC').toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
