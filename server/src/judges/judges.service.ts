import mongoose from 'mongoose';
import QRCode from 'qrcode';
import {
  conflictChecker,
  JudgeInputSchema,
  JUDGE_IMPORT_COLUMNS,
  JUDGE_IMPORT_HEADER_ALIASES,
  normalizeEntryCode,
  normalizeSchool,
  splitListCell,
  type ConflictsUpdate,
  type ImportProblem,
  type Judge,
  type JudgeImportColumn,
  type JudgeList,
  type JudgeListItem,
  type JudgeUpdate,
  type SignInCode,
  type SignInCodeSheetRow,
} from '@pingxuan/shared';
import type { z } from 'zod';
import type { AppContext } from '../context.js';
import type { AuditActor } from '../audit/audit.service.js';
import { AccountsService } from '../accounts/accounts.service.js';
import type { UserDoc } from '../accounts/accounts.model.js';
import { updateVersioned } from '../db/versioned.js';
import { csvDocument } from '../http/csv.js';
import { HttpError, badRequest, conflict, notFound } from '../http/errors.js';
import type { Table } from '../imports/table.js';
import type { JudgeDoc } from './judges.model.js';

type JudgeInput = z.infer<typeof JudgeInputSchema>;
type Issue = { field: string; message: string };
type Undo = () => Promise<void>;

/** A judge input that passed every check against the database, ready to be written. */
type Prepared = {
  name: string;
  username: string | null;
  existingUser: UserDoc | null;
  school: string | null;
  panelId: string | null;
  conflictSchools: string[];
  conflictEntryCodes: string[];
};

export const MAX_IMPORT_JUDGES = 1000;

const blankToNull = (s: string | null | undefined) => (s && s.trim() ? s.trim() : null);

/** Keeps the first spelling of each value that normalizes alike. */
function dedupe(values: readonly string[], norm: (s: string) => string): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = norm(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const importInvalid = (problems: ImportProblem[]) =>
  new HttpError(400, 'import_invalid', `The file has ${problems.length} problem(s); nothing was imported`, { problems });

export class JudgesService {
  private readonly accounts: AccountsService;

  constructor(private readonly ctx: AppContext) {
    this.accounts = new AccountsService(ctx);
  }

  // ---- reading ----

  async contest(contestId: string) {
    const contest = await this.ctx.models.Contest.findById(contestId).lean();
    if (!contest) throw notFound('Contest');
    return contest;
  }

  async judgeDoc(contestId: string, judgeId: string): Promise<JudgeDoc> {
    const judge = await this.ctx.models.Judge.findOne({ _id: judgeId, contestId }).lean<JudgeDoc>();
    if (!judge) throw notFound('Judge');
    return judge;
  }

  static view(j: JudgeDoc, username: string | null): Judge {
    return {
      id: String(j._id),
      contestId: String(j.contestId),
      userId: String(j.userId),
      name: j.name,
      username,
      school: j.school ?? null,
      panelId: j.panelId ? String(j.panelId) : null,
      conflictSchools: [...(j.conflictSchools ?? [])],
      conflictEntryCodes: [...(j.conflictEntryCodes ?? [])],
      active: j.active ?? true,
      version: j.version ?? 0,
    };
  }

  /** Views with usernames and panel names, loaded in two queries whatever the number of judges. */
  async views(judges: JudgeDoc[]): Promise<JudgeListItem[]> {
    const { User, Panel } = this.ctx.models;
    const userIds = [...new Set(judges.map((j) => String(j.userId)))];
    const panelIds = [...new Set(judges.filter((j) => j.panelId).map((j) => String(j.panelId)))];
    const [users, panels] = await Promise.all([
      userIds.length ? User.find({ _id: mongoose.trusted({ $in: userIds }) }, { username: 1 }).lean() : [],
      panelIds.length ? Panel.find({ _id: mongoose.trusted({ $in: panelIds }) }, { name: 1 }).lean() : [],
    ]);
    const usernames = new Map(users.map((u) => [String(u._id), u.username]));
    const panelNames = new Map(panels.map((p) => [String(p._id), p.name]));
    return judges.map((j) => ({
      ...JudgesService.view(j, usernames.get(String(j.userId)) ?? null),
      panelName: j.panelId ? (panelNames.get(String(j.panelId)) ?? null) : null,
    }));
  }

  async viewOne(j: JudgeDoc): Promise<JudgeListItem> {
    return (await this.views([j]))[0]!;
  }

  async list(contestId: string): Promise<JudgeList> {
    const judges = await this.ctx.models.Judge.find({ contestId }).sort({ name: 1, _id: 1 }).lean<JudgeDoc[]>();
    const views = await this.views(judges);
    const active = views.filter((j) => j.active);
    return {
      judges: views,
      counts: {
        total: views.length,
        active: active.length,
        inactive: views.length - active.length,
        withoutPanel: active.filter((j) => !j.panelId).length,
      },
    };
  }

  async get(contestId: string, judgeId: string): Promise<JudgeListItem> {
    return this.viewOne(await this.judgeDoc(contestId, judgeId));
  }

  // ---- checks shared by create, import and conflicts ----

  /** Entry codes of the contest by normalized code, so "bb-017" finds "BB-017". */
  private async entryCodeIndex(contestId: string): Promise<Map<string, string>> {
    const entries = await this.ctx.models.Entry.find({ contestId }, { code: 1 }).lean();
    return new Map(entries.map((e) => [normalizeEntryCode(e.code), e.code]));
  }

  /** Maps each code to the contest's spelling; unknown codes become issues naming their index. */
  private canonicalCodes(codes: readonly string[], index: Map<string, string>, field: string, issues: Issue[]): string[] {
    const out: string[] = [];
    codes.forEach((code, i) => {
      const known = index.get(normalizeEntryCode(code));
      if (known) out.push(known);
      else issues.push({ field: `${field}.${i}`, message: `no entry with code "${code}" in this contest` });
    });
    return dedupe(out, normalizeEntryCode);
  }

  private async checkPanel(contestId: string, panelId: string | null | undefined, field: string, issues: Issue[]) {
    if (!panelId) return;
    if (!(await this.ctx.models.Panel.exists({ _id: panelId, contestId })))
      issues.push({ field, message: 'no such panel in this contest' });
  }

  /** Finds the account a username names; reusing it must not make someone a judge twice. */
  private async checkUsername(contestId: string, username: string | undefined, issues: Issue[]): Promise<UserDoc | null> {
    if (!username) return null;
    const user = await this.ctx.models.User.findOne({ username }).lean<UserDoc>();
    if (!user) return null;
    if (user.disabled) issues.push({ field: 'username', message: `the account "${username}" is disabled` });
    else if (await this.ctx.models.Judge.exists({ contestId, userId: user._id }))
      issues.push({ field: 'username', message: `"${username}" is already a judge of this contest` });
    return user;
  }

  private async prepare(contestId: string, input: JudgeInput, codeIndex: Map<string, string>, issues: Issue[]): Promise<Prepared> {
    const existingUser = await this.checkUsername(contestId, input.username, issues);
    await this.checkPanel(contestId, input.panelId, 'panelId', issues);
    return {
      name: input.name,
      username: input.username ?? null,
      existingUser,
      school: blankToNull(input.school),
      panelId: input.panelId ?? null,
      conflictSchools: dedupe(input.conflictSchools, normalizeSchool),
      conflictEntryCodes: this.canonicalCodes(input.conflictEntryCodes, codeIndex, 'conflictEntryCodes', issues),
    };
  }

  // ---- writing ----

  /** `judge-<last 6 hex of the contest id>-<n>`, the first n not taken. */
  private async newCodeOnlyUser(contestId: string, displayName: string): Promise<UserDoc> {
    const { User, Judge } = this.ctx.models;
    const short = contestId.slice(-6);
    let n = (await Judge.countDocuments({ contestId })) + 1;
    for (let attempt = 0; attempt < 50; attempt++, n++) {
      const username = `judge-${short}-${n}`;
      if (await User.exists({ username })) continue;
      try {
        return (await User.create({ username, displayName, passwordHash: null })).toObject() as UserDoc;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err; // taken meanwhile: next n
      }
    }
    throw new Error('could not find a free judge username');
  }

  /**
   * User, Judge, Membership in that order. Standalone MongoDB has no transactions, so every step taken is
   * undone if a later one fails; the returned undo lets a caller (import, audit) roll back the whole judge.
   */
  private async createOne(contestId: string, p: Prepared): Promise<{ judge: JudgeDoc; undo: Undo }> {
    const { User, Judge, Membership } = this.ctx.models;
    const undos: Undo[] = [];
    const undo: Undo = async () => {
      for (const u of undos.reverse()) {
        try {
          await u();
        } catch (err) {
          this.ctx.logger.error({ err, contestId }, 'could not undo part of a judge creation');
        }
      }
    };
    try {
      let user = p.existingUser;
      if (!user) {
        if (p.username) user = (await User.create({ username: p.username, displayName: p.name, passwordHash: null })).toObject() as UserDoc;
        else user = await this.newCodeOnlyUser(contestId, p.name);
        const createdId = user._id;
        undos.push(async () => void (await User.deleteOne({ _id: createdId })));
      }
      const judge = (
        await Judge.create({
          contestId,
          userId: user._id,
          name: p.name,
          school: p.school,
          panelId: p.panelId,
          conflictSchools: p.conflictSchools,
          conflictEntryCodes: p.conflictEntryCodes,
        })
      ).toObject() as JudgeDoc;
      undos.push(async () => void (await Judge.deleteOne({ _id: judge._id })));
      const m = await Membership.updateOne(
        { contestId, userId: user._id, role: 'judge' },
        { $setOnInsert: { contestId, userId: user._id, role: 'judge' } },
        { upsert: true },
      );
      if (m.upsertedCount) undos.push(async () => void (await Membership.deleteOne({ contestId, userId: user._id, role: 'judge' })));
      return { judge, undo };
    } catch (err) {
      await undo();
      throw err;
    }
  }

  async create(contestId: string, input: JudgeInput, actor: AuditActor): Promise<JudgeListItem> {
    await this.contest(contestId);
    const issues: Issue[] = [];
    const codeIndex = input.conflictEntryCodes.length ? await this.entryCodeIndex(contestId) : new Map<string, string>();
    const prepared = await this.prepare(contestId, input, codeIndex, issues);
    const taken = issues.find((i) => i.field === 'username');
    if (taken) throw conflict(`body.username: ${taken.message}`, { field: 'body.username' });
    throwIssues(issues);
    const { judge, undo } = await this.createOne(contestId, prepared);
    try {
      const view = await this.viewOne(judge);
      await this.ctx.audit.append({ actor, action: 'judge.create', contestId, target: { type: 'judge', id: view.id }, before: null, after: view });
      return view;
    } catch (err) {
      await undo();
      throw err;
    }
  }

  /** Makes the judge's membership match `active`; deactivation also voids unused sign-in codes. */
  private async syncAccess(j: JudgeDoc) {
    const { Membership, SignInCode } = this.ctx.models;
    const key = { contestId: j.contestId, userId: j.userId, role: 'judge' as const };
    if (j.active) await Membership.updateOne(key, { $setOnInsert: key }, { upsert: true });
    else {
      await Membership.deleteMany(key);
      await SignInCode.deleteMany({ contestId: j.contestId, userId: j.userId, usedAt: null });
    }
  }

  /** Applies a versioned change; if the membership cannot follow, the judge is put back as it was. */
  private async applyVersioned(contestId: string, before: JudgeDoc, version: number, set: Record<string, unknown>): Promise<JudgeDoc> {
    const { Judge } = this.ctx.models;
    let after: JudgeDoc;
    try {
      after = (await updateVersioned(Judge as never, { _id: before._id, contestId }, version, set, 'Judge')) as JudgeDoc;
    } catch (err) {
      // The client gets the current judge in the same shape as every other answer.
      if (err instanceof HttpError && err.status === 409 && err.details.current)
        err.details.current = await this.viewOne(err.details.current as JudgeDoc);
      throw err;
    }
    if ('active' in set && set.active !== before.active) {
      try {
        await this.syncAccess(after);
      } catch (err) {
        const restore = Object.fromEntries(Object.keys(set).map((k) => [k, before[k as keyof JudgeDoc]]));
        await Judge.updateOne({ _id: before._id }, { $set: restore, $inc: { version: 1 } }).catch(() => undefined);
        throw err;
      }
    }
    return after;
  }

  async update(contestId: string, judgeId: string, input: JudgeUpdate, actor: AuditActor): Promise<JudgeListItem> {
    const before = await this.judgeDoc(contestId, judgeId);
    const issues: Issue[] = [];
    await this.checkPanel(contestId, input.panelId, 'panelId', issues);
    throwIssues(issues);
    const set: Record<string, unknown> = {};
    if (input.name !== undefined) set.name = input.name;
    if (input.school !== undefined) set.school = blankToNull(input.school);
    if (input.panelId !== undefined) set.panelId = input.panelId;
    if (input.active !== undefined) set.active = input.active;
    const after = await this.applyVersioned(contestId, before, input.version, set);
    const [beforeView, afterView] = await this.views([before, after]);
    const action = input.active === false && before.active ? 'judge.deactivate' : input.active && !before.active ? 'judge.reactivate' : 'judge.update';
    await this.ctx.audit.append({ actor, action, contestId, target: { type: 'judge', id: judgeId }, before: beforeView, after: afterView });
    return afterView!;
  }

  /** Deactivates: the judge loses access at once; scores already given stay. */
  async deactivate(contestId: string, judgeId: string, actor: AuditActor): Promise<JudgeListItem> {
    const before = await this.judgeDoc(contestId, judgeId);
    if (!before.active) {
      await this.syncAccess(before); // idempotent: make sure access is really gone
      return this.viewOne(before);
    }
    return this.update(contestId, judgeId, { version: before.version, active: false }, actor);
  }

  async setConflicts(contestId: string, judgeId: string, input: ConflictsUpdate, actor: AuditActor): Promise<JudgeListItem> {
    const before = await this.judgeDoc(contestId, judgeId);
    const issues: Issue[] = [];
    const codes = this.canonicalCodes(input.conflictEntryCodes, await this.entryCodeIndex(contestId), 'conflictEntryCodes', issues);
    throwIssues(issues);
    const after = await this.applyVersioned(contestId, before, input.version, {
      conflictSchools: dedupe(input.conflictSchools, normalizeSchool),
      conflictEntryCodes: codes,
    });
    const [beforeView, afterView] = await this.views([before, after]);
    await this.ctx.audit.append({ actor, action: 'conflicts.update', contestId, target: { type: 'judge', id: judgeId }, before: beforeView, after: afterView });
    return afterView!;
  }

  /** Codes of every entry (any status) this judge must never see. */
  async conflictingEntries(contestId: string, judgeId: string): Promise<{ judgeId: string; entryCodes: string[] }> {
    const judge = await this.judgeDoc(contestId, judgeId);
    const entries = await this.ctx.models.Entry.find({ contestId }, { code: 1, school: 1 }).sort({ code: 1 }).lean();
    const conflicts = conflictChecker(judge);
    return { judgeId, entryCodes: entries.filter((e) => conflicts(e)).map((e) => e.code) };
  }

  // ---- import ----

  /** Checks every row first; writes only if all are fine, and rolls back every judge if a write fails. */
  async importTable(contestId: string, table: Table, fileName: string, actor: AuditActor): Promise<JudgeListItem[]> {
    await this.contest(contestId);
    const problems: ImportProblem[] = [];

    const columns = new Map<JudgeImportColumn, string>(); // column -> header as written in the file
    for (const h of table.headers) {
      if (!h) continue;
      const col = JUDGE_IMPORT_HEADER_ALIASES[h] ?? JUDGE_IMPORT_COLUMNS.find((c) => c.toLowerCase() === h.toLowerCase());
      if (!col) continue; // extra columns (序号, 电话 ...) are common in organizers' sheets
      if (columns.has(col)) problems.push({ row: 1, column: h, message: `two columns mean "${col}" ("${columns.get(col)}" and "${h}")` });
      else columns.set(col, h);
    }
    if (!columns.has('name')) problems.push({ row: 1, column: 'name', message: 'a "name" (姓名) column is required' });
    if (problems.length) throw importInvalid(problems);
    if (!table.rows.length) throw importInvalid([{ row: 2, column: null, message: 'the file has no judges' }]);
    if (table.rows.length > MAX_IMPORT_JUDGES)
      throw importInvalid([{ row: MAX_IMPORT_JUDGES + 2, column: null, message: `at most ${MAX_IMPORT_JUDGES} judges per file` }]);

    const panels = await this.ctx.models.Panel.find({ contestId }, { name: 1 }).lean();
    const panelByName = new Map(panels.map((p) => [p.name, String(p._id)]));
    const codeIndex = await this.entryCodeIndex(contestId);
    const cell = (values: Record<string, string>, col: JudgeImportColumn) => {
      const h = columns.get(col);
      return h ? (values[h] ?? '').trim() : '';
    };
    const headerOf = (field: string) => {
      const col = field.split('.')[0] as JudgeImportColumn;
      return columns.get(col) ?? col;
    };

    const prepared: Prepared[] = [];
    const usernameRows = new Map<string, number>();
    for (const { row, values } of table.rows) {
      const rowProblems = (field: string, message: string) => problems.push({ row, column: headerOf(field), message });
      const username = cell(values, 'username');
      const parsed = JudgeInputSchema.safeParse({
        name: cell(values, 'name'),
        username: username || undefined,
        school: cell(values, 'school') || undefined,
        conflictSchools: splitListCell(cell(values, 'conflictSchools')),
        conflictEntryCodes: splitListCell(cell(values, 'conflictEntryCodes')),
      });
      const panelName = cell(values, 'panel');
      const panelId = panelName ? panelByName.get(panelName) : undefined;
      if (panelName && !panelId) rowProblems('panel', `no panel named "${panelName}" in this contest; create it first`);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const [field, index] = issue.path;
          const list = field === 'conflictSchools' || field === 'conflictEntryCodes' ? splitListCell(cell(values, field)) : [];
          const value = typeof index === 'number' ? list[index] : undefined;
          rowProblems(String(field ?? 'name'), value === undefined ? issue.message : `"${value}": ${issue.message}`);
        }
        continue;
      }
      if (username) {
        const first = usernameRows.get(username.toLowerCase());
        if (first) rowProblems('username', `"${username}" is also on row ${first}`);
        else usernameRows.set(username.toLowerCase(), row);
      }
      const issues: Issue[] = [];
      const p = await this.prepare(contestId, parsed.data, codeIndex, issues);
      p.panelId = panelId ?? null;
      for (const i of issues) rowProblems(i.field, i.message); // the message names the bad code itself
      prepared.push(p);
    }
    if (problems.length) throw importInvalid(problems);

    const undos: Undo[] = [];
    const created: JudgeDoc[] = [];
    try {
      for (const p of prepared) {
        const { judge, undo } = await this.createOne(contestId, p);
        undos.push(undo);
        created.push(judge);
      }
      const views = await this.views(created);
      await this.ctx.audit.append({
        actor,
        action: 'judge.import',
        contestId,
        target: { type: 'contest', id: contestId },
        before: null,
        after: { fileName, imported: views.length, judges: views },
      });
      return views;
    } catch (err) {
      for (const u of undos.reverse()) await u();
      throw err;
    }
  }

  // ---- sign-in codes ----

  signInUrl(code: string): string {
    const base = (this.ctx.config.publicUrl ?? '').replace(/\/+$/, '');
    return `${base}/judge/sign-in?code=${encodeURIComponent(code)}`;
  }

  private async issueFor(j: JudgeDoc): Promise<SignInCode> {
    const { code, expiresAt } = await this.accounts.issueSignInCode(String(j.userId), String(j.contestId));
    const url = this.signInUrl(code);
    const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    return { code, expiresAt: expiresAt.toISOString(), url, qrSvg };
  }

  async issueCode(contestId: string, judgeId: string, actor: AuditActor): Promise<SignInCode> {
    const judge = await this.judgeDoc(contestId, judgeId);
    if (!judge.active) throw conflict('This judge is deactivated; reactivate before issuing a sign-in code');
    const issued = await this.issueFor(judge);
    // Never the code itself: the log is readable by every organizer.
    await this.ctx.audit.append({
      actor,
      action: 'sign_in_code.issue',
      contestId,
      target: { type: 'judge', id: judgeId },
      before: null,
      after: { judgeId, userId: String(judge.userId), expiresAt: issued.expiresAt },
    });
    return issued;
  }

  /** Fresh codes for every active judge, or for the judges named; older unused codes stop working. */
  async issueCodes(contestId: string, judgeIds: string[] | undefined, actor: AuditActor): Promise<SignInCodeSheetRow[]> {
    await this.contest(contestId);
    const { Judge } = this.ctx.models;
    let judges: JudgeDoc[];
    if (judgeIds) {
      const found = await Judge.find({ contestId, _id: mongoose.trusted({ $in: judgeIds }) }).lean<JudgeDoc[]>();
      const byId = new Map(found.map((j) => [String(j._id), j]));
      const issues: Issue[] = [];
      judgeIds.forEach((id, i) => {
        const j = byId.get(id);
        if (!j) issues.push({ field: `judgeIds.${i}`, message: 'not a judge of this contest' });
        else if (!j.active) issues.push({ field: `judgeIds.${i}`, message: 'this judge is deactivated' });
      });
      throwIssues(issues);
      judges = [...new Set(judgeIds)].map((id) => byId.get(id)!);
    } else judges = await Judge.find({ contestId, active: true }).lean<JudgeDoc[]>();

    const views = await this.views(judges);
    views.sort((a, b) => (a.panelName ?? '\uffff').localeCompare(b.panelName ?? '\uffff', 'zh') || a.name.localeCompare(b.name, 'zh'));
    const byId = new Map(judges.map((j) => [String(j._id), j]));
    const rows: SignInCodeSheetRow[] = [];
    for (const v of views) {
      const issued = await this.issueFor(byId.get(v.id)!);
      rows.push({ judgeId: v.id, name: v.name, username: v.username, panel: v.panelName, ...issued });
    }
    await this.ctx.audit.append({
      actor,
      action: 'sign_in_code.issue',
      contestId,
      target: { type: 'contest', id: contestId },
      before: null,
      after: { count: rows.length, judges: rows.map((r) => ({ judgeId: r.judgeId, expiresAt: r.expiresAt })) },
    });
    return rows;
  }
}

/** Issues found by the checks above become one 400 naming every field under `body.`. */
export function throwIssues(issues: Issue[]) {
  if (!issues.length) return;
  const fields = issues.map((i) => ({ path: `body.${i.field}`, message: i.message }));
  throw badRequest(fields.map((f) => `${f.path}: ${f.message}`).join('; '), fields);
}

/** A printable sheet of codes and links, one judge per row. */
export function signInSheetCsv(rows: SignInCodeSheetRow[]): string {
  return csvDocument(['name', 'username', 'panel', 'code', 'url'], rows.map((r) => [r.name, r.username, r.panel, r.code, r.url]));
}
