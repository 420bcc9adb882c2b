import { useEffect, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ConflictsUpdateSchema,
  JudgeInputSchema,
  JudgeUpdateSchema,
  PanelUpdateSchema,
  type JudgeListItem,
  type Panel,
  type SignInCode,
  type SignInCodeSheetRow,
} from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { localized } from '../../localized';
import { useOrganize } from '../context';
import { Dialog } from '../Dialog';
import { Problem } from '../Problem';
import { describePath, indexUnder, splitLines, type FieldErrors } from './forms';
import {
  ErrorSummary,
  Field,
  RefusalNotice,
  focusFirstInvalid,
  useRefusal,
  useCheck,
  type Parser,
  type Refusal,
} from './ui';

/** Errors of a list typed into one box, each named by the item it is about. */
function listError(errors: FieldErrors, prefix: string, items: readonly string[]): string | undefined {
  const messages = Object.entries(errors)
    .filter(([k]) => k === prefix || k.startsWith(`${prefix}.`))
    .map(([k, v]) => {
      const i = indexUnder(k, prefix);
      const item = i === null ? undefined : items[i];
      return item && !v.includes(item) ? `「${item}」${v}` : v;
    });
  return messages.length ? messages.join('；') : undefined;
}

/** Saving a form in a dialog: errors for the fields, a refusal for the notice, focus on the first problem. */
function useDialogForm(ref: RefObject<HTMLDivElement | null>) {
  const check = useCheck();
  const refusal = useRefusal();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit<T, R>(
    schema: Parser<T>,
    value: unknown,
    send: (data: T) => Promise<R>,
    done: (r: R) => void,
  ) {
    setRefused(null);
    const checked = check(schema, value);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(ref.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const r = await send(checked.data);
      setBusy(false);
      done(r);
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
      setBusy(false);
      focusFirstInvalid(ref.current);
    }
  }
  return { errors, refused, busy, submit };
}

function useJudgeWhere() {
  const { t } = useTranslation('setup');
  return (path: string) =>
    describePath(
      path,
      {
        conflictSchools: (i) => t('judges.conflictSchoolN', { n: i + 1 }),
        conflictEntryCodes: (i) => t('judges.conflictCodeN', { n: i + 1 }),
      },
      {
        name: t('judges.name'),
        username: t('judges.username'),
        school: t('judges.school'),
        panelId: t('judges.panel'),
        conflictSchools: t('judges.conflictSchools'),
        conflictEntryCodes: t('judges.conflictCodes'),
        category: t('panels.category'),
        version: t('form.version'),
      },
    );
}

function PanelSelect({
  panels,
  value,
  onChange,
  error,
}: {
  panels: Panel[];
  value: string;
  onChange: (v: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation('setup');
  return (
    <Field label={t('judges.panel')} error={error}>
      {(p) => (
        <select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{t('judges.noPanel')}</option>
          {panels.map((panel) => (
            <option key={panel.id} value={panel.id}>
              {panel.name}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A new judge: name, optional account name, school, panel and conflicts of interest. */
export function JudgeCreateDialog({
  panels,
  onClose,
  onDone,
}: {
  panels: Panel[];
  onClose: () => void;
  onDone: (j: JudgeListItem) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const formRef = useRef<HTMLDivElement>(null);
  const f = useDialogForm(formRef);
  const where = useJudgeWhere();
  const [form, setForm] = useState({
    name: '',
    username: '',
    school: '',
    panelId: '',
    schools: '',
    codes: '',
  });
  const set = (k: keyof typeof form, v: string) => setForm((x) => ({ ...x, [k]: v }));
  const schools = splitLines(form.schools);
  const codes = splitLines(form.codes);

  const save = () => {
    const body: Record<string, unknown> = {
      name: form.name,
      conflictSchools: schools,
      conflictEntryCodes: codes,
    };
    if (form.username.trim()) body.username = form.username;
    if (form.school.trim()) body.school = form.school;
    if (form.panelId) body.panelId = form.panelId;
    void f.submit(
      JudgeInputSchema,
      body,
      (data) => api.post<JudgeListItem>(`/contests/${seg(contest.id)}/judges`, data),
      onDone,
    );
  };

  return (
    <Dialog
      title={t('judges.createTitle')}
      confirmLabel={t('judges.create')}
      busyLabel={t('form.saving')}
      busy={f.busy}
      onConfirm={save}
      onClose={onClose}
    >
      <div ref={formRef} className="setup-dialog-form">
        <ErrorSummary errors={f.errors} where={where} />
        {f.refused && <RefusalNotice refused={f.refused} />}
        <Field label={t('judges.name')} error={f.errors.name}>
          {(p) => (
            <input {...p} value={form.name} maxLength={100} onChange={(e) => set('name', e.target.value)} />
          )}
        </Field>
        <div className="setup-two">
          <Field label={t('judges.username')} error={f.errors.username} hint={t('judges.usernameHint')}>
            {(p) => (
              <input
                {...p}
                className="setup-mono"
                value={form.username}
                autoCapitalize="off"
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => set('username', e.target.value)}
              />
            )}
          </Field>
          <Field label={t('judges.school')} error={f.errors.school}>
            {(p) => <input {...p} value={form.school} onChange={(e) => set('school', e.target.value)} />}
          </Field>
        </div>
        <PanelSelect
          panels={panels}
          value={form.panelId}
          error={f.errors.panelId}
          onChange={(v) => set('panelId', v)}
        />
        <ConflictFields
          schools={form.schools}
          codes={form.codes}
          schoolsError={listError(f.errors, 'conflictSchools', schools)}
          codesError={listError(f.errors, 'conflictEntryCodes', codes)}
          onSchools={(v) => set('schools', v)}
          onCodes={(v) => set('codes', v)}
        />
      </div>
    </Dialog>
  );
}

function ConflictFields({
  schools,
  codes,
  schoolsError,
  codesError,
  onSchools,
  onCodes,
}: {
  schools: string;
  codes: string;
  schoolsError: string | undefined;
  codesError: string | undefined;
  onSchools: (v: string) => void;
  onCodes: (v: string) => void;
}) {
  const { t } = useTranslation('setup');
  return (
    <div className="setup-two">
      <Field label={t('judges.conflictSchools')} error={schoolsError} hint={t('judges.conflictSchoolsHint')}>
        {(p) => <textarea {...p} rows={3} value={schools} onChange={(e) => onSchools(e.target.value)} />}
      </Field>
      <Field label={t('judges.conflictCodes')} error={codesError} hint={t('judges.conflictCodesHint')}>
        {(p) => (
          <textarea
            {...p}
            rows={3}
            className="setup-mono"
            value={codes}
            spellCheck={false}
            onChange={(e) => onCodes(e.target.value)}
          />
        )}
      </Field>
    </div>
  );
}

/** Name, school and panel of a judge (the account stays; conflicts have their own dialog). */
export function JudgeEditDialog({
  judge,
  panels,
  onClose,
  onDone,
  onReload,
}: {
  judge: JudgeListItem;
  panels: Panel[];
  onClose: () => void;
  onDone: (j: JudgeListItem) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const formRef = useRef<HTMLDivElement>(null);
  const f = useDialogForm(formRef);
  const where = useJudgeWhere();
  const [form, setForm] = useState({
    name: judge.name,
    school: judge.school ?? '',
    panelId: judge.panelId ?? '',
  });
  const set = (k: keyof typeof form, v: string) => setForm((x) => ({ ...x, [k]: v }));
  const save = () =>
    void f.submit(
      JudgeUpdateSchema,
      {
        version: judge.version,
        name: form.name,
        school: form.school.trim() || null,
        panelId: form.panelId || null,
      },
      (data) => api.patch<JudgeListItem>(`/contests/${seg(contest.id)}/judges/${seg(judge.id)}`, data),
      onDone,
    );
  return (
    <Dialog
      title={t('judges.editTitle', { name: judge.name })}
      confirmLabel={t('form.save')}
      busyLabel={t('form.saving')}
      busy={f.busy}
      onConfirm={save}
      onClose={onClose}
    >
      <div ref={formRef} className="setup-dialog-form">
        <ErrorSummary errors={f.errors} where={where} />
        {f.refused && <RefusalNotice refused={f.refused} onReload={onReload} />}
        <Field label={t('judges.name')} error={f.errors.name}>
          {(p) => (
            <input {...p} value={form.name} maxLength={100} onChange={(e) => set('name', e.target.value)} />
          )}
        </Field>
        <Field label={t('judges.school')} error={f.errors.school}>
          {(p) => <input {...p} value={form.school} onChange={(e) => set('school', e.target.value)} />}
        </Field>
        <PanelSelect
          panels={panels}
          value={form.panelId}
          error={f.errors.panelId}
          onChange={(v) => set('panelId', v)}
        />
        {judge.username && (
          <p className="setup-hint">{t('judges.accountIs', { username: judge.username })}</p>
        )}
      </div>
    </Dialog>
  );
}

/** Schools and entry codes the judge must not score, with the entries that rule keeps from them now. */
export function ConflictsDialog({
  judge,
  onClose,
  onDone,
  onReload,
}: {
  judge: JudgeListItem;
  onClose: () => void;
  onDone: (j: JudgeListItem) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const formRef = useRef<HTMLDivElement>(null);
  const f = useDialogForm(formRef);
  const where = useJudgeWhere();
  const [schoolsText, setSchools] = useState(judge.conflictSchools.join('\n'));
  const [codesText, setCodes] = useState(judge.conflictEntryCodes.join('\n'));
  const [affected, setAffected] = useState<string[] | null>(null);
  const schools = splitLines(schoolsText);
  const codes = splitLines(codesText);
  const base = `/contests/${seg(contest.id)}/judges/${seg(judge.id)}`;

  useEffect(() => {
    const ctrl = new AbortController();
    api.get<{ entryCodes: string[] }>(`${base}/conflicting-entries`, ctrl.signal).then(
      (r) => setAffected(r.entryCodes),
      () => undefined,
    );
    return () => ctrl.abort();
  }, [base]);

  const save = () =>
    void f.submit(
      ConflictsUpdateSchema,
      { version: judge.version, conflictSchools: schools, conflictEntryCodes: codes },
      (data) => api.put<JudgeListItem>(`${base}/conflicts`, data),
      onDone,
    );
  return (
    <Dialog
      title={t('judges.conflictsTitle', { name: judge.name })}
      confirmLabel={t('form.save')}
      busyLabel={t('form.saving')}
      busy={f.busy}
      onConfirm={save}
      onClose={onClose}
    >
      <div ref={formRef} className="setup-dialog-form">
        <p>{judge.school ? t('judges.ownSchool', { school: judge.school }) : t('judges.noOwnSchool')}</p>
        <ErrorSummary errors={f.errors} where={where} />
        {f.refused && <RefusalNotice refused={f.refused} onReload={onReload} />}
        <ConflictFields
          schools={schoolsText}
          codes={codesText}
          schoolsError={listError(f.errors, 'conflictSchools', schools)}
          codesError={listError(f.errors, 'conflictEntryCodes', codes)}
          onSchools={setSchools}
          onCodes={setCodes}
        />
        {affected && (
          <p className="setup-hint" aria-live="polite">
            {affected.length
              ? t('judges.affected', { n: affected.length, codes: affected.slice(0, 30).join('、') })
              : t('judges.affectedNone')}
          </p>
        )}
      </div>
    </Dialog>
  );
}

/** Deactivation (DELETE) or reactivation: access goes or comes back at once; given scores stay. */
export function JudgeActiveDialog({
  judge,
  onClose,
  onDone,
}: {
  judge: JudgeListItem;
  onClose: () => void;
  onDone: (j: JudgeListItem) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<Refusal | null>(null);
  const refusal = useRefusal();
  const path = `/contests/${seg(contest.id)}/judges/${seg(judge.id)}`;
  async function confirm() {
    setBusy(true);
    setRefused(null);
    try {
      onDone(
        judge.active
          ? await api.delete<JudgeListItem>(path)
          : await api.patch<JudgeListItem>(path, { version: judge.version, active: true }),
      );
    } catch (err) {
      setRefused(refusal(err));
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={
        judge.active
          ? t('judges.deactivateTitle', { name: judge.name })
          : t('judges.reactivateTitle', { name: judge.name })
      }
      confirmLabel={judge.active ? t('judges.deactivate') : t('judges.reactivate')}
      busy={busy}
      danger={judge.active}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>{judge.active ? t('judges.deactivateText') : t('judges.reactivateText')}</p>
      {refused && <RefusalNotice refused={refused} />}
    </Dialog>
  );
}

/** Fresh one-time codes for one judge or every active judge; older unused codes stop working. */
export function IssueCodesDialog({
  judge,
  activeCount,
  onClose,
  onDone,
}: {
  judge: JudgeListItem | null;
  activeCount: number;
  onClose: () => void;
  onDone: (rows: SignInCodeSheetRow[]) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const base = `/contests/${seg(contest.id)}/judges`;
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      if (judge) {
        const code = await api.post<SignInCode>(`${base}/${seg(judge.id)}/sign-in-code`, {});
        onDone([
          { ...code, judgeId: judge.id, name: judge.name, username: judge.username, panel: judge.panelName },
        ]);
      } else onDone((await api.post<{ codes: SignInCodeSheetRow[] }>(`${base}/sign-in-codes`, {})).codes);
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={judge ? t('codes.oneTitle', { name: judge.name }) : t('codes.allTitle')}
      confirmLabel={judge ? t('codes.issueOne') : t('codes.issueAll', { n: activeCount })}
      busyLabel={t('codes.working')}
      busy={busy}
      confirmDisabled={!judge && activeCount === 0}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <ul className="org-effects">
        <li>{judge ? t('codes.effectOne') : t('codes.effectAll', { n: activeCount })}</li>
        <li>{t('codes.effectOld')}</li>
        <li>{t('codes.effectOnce')}</li>
      </ul>
      {error && <Problem error={error} />}
    </Dialog>
  );
}

/** Rename a panel or change its category. */
export function PanelEditDialog({
  panel,
  onClose,
  onDone,
  onReload,
}: {
  panel: Panel;
  onClose: () => void;
  onDone: (p: Panel) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const formRef = useRef<HTMLDivElement>(null);
  const f = useDialogForm(formRef);
  const where = useJudgeWhere();
  const [name, setName] = useState(panel.name);
  const [category, setCategory] = useState(panel.category ?? '');
  const save = () =>
    void f.submit(
      PanelUpdateSchema,
      { version: panel.version, name, category: category || null },
      (data) => api.patch<Panel>(`/contests/${seg(contest.id)}/panels/${seg(panel.id)}`, data),
      onDone,
    );
  return (
    <Dialog
      title={t('panels.editTitle', { name: panel.name })}
      confirmLabel={t('form.save')}
      busyLabel={t('form.saving')}
      busy={f.busy}
      onConfirm={save}
      onClose={onClose}
    >
      <div ref={formRef} className="setup-dialog-form">
        <ErrorSummary errors={f.errors} where={where} />
        {f.refused && <RefusalNotice refused={f.refused} onReload={onReload} />}
        <Field label={t('panels.name')} error={f.errors.name}>
          {(p) => <input {...p} value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label={t('panels.category')} error={f.errors.category} hint={t('panels.categoryHint')}>
          {(p) => (
            <select {...p} value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">{t('panels.anyCategory')}</option>
              {contest.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {localized(c.name, lng)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
    </Dialog>
  );
}

/** Deleting a panel is refused while active judges are in it; the refusal names them. */
export function PanelDeleteDialog({
  panel,
  onClose,
  onDone,
}: {
  panel: Panel;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.delete(`/contests/${seg(contest.id)}/panels/${seg(panel.id)}`);
      onDone();
    } catch (err) {
      setError(asApiError(err));
      setBusy(false);
    }
  }
  const still = Array.isArray(error?.details.judges) ? (error.details.judges as { name: string }[]) : [];
  return (
    <Dialog
      title={t('panels.deleteTitle', { name: panel.name })}
      confirmLabel={t('panels.delete')}
      busy={busy}
      danger
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>{t('panels.deleteText')}</p>
      {error && (
        <Problem
          error={error}
          hint={
            still.length ? t('panels.stillIn', { names: still.map((j) => j.name).join('、') }) : undefined
          }
        />
      )}
    </Dialog>
  );
}

/** Moves chosen judges into a panel (out of whichever panel they were in). */
export function AssignDialog({
  panel,
  judges,
  onClose,
  onDone,
}: {
  panel: Panel;
  judges: JudgeListItem[];
  onClose: () => void;
  onDone: (n: number) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<Refusal | null>(null);
  const refusal = useRefusal();
  const active = judges.filter((j) => j.active);
  const inPanel = active.filter((j) => j.panelId === panel.id);
  const others = active.filter((j) => j.panelId !== panel.id);
  async function confirm() {
    setBusy(true);
    setRefused(null);
    try {
      await api.post(`/contests/${seg(contest.id)}/panels/${seg(panel.id)}/judges`, {
        judgeIds: [...chosen],
      });
      onDone(chosen.size);
    } catch (err) {
      setRefused(refusal(err));
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={t('panels.assignTitle', { name: panel.name })}
      confirmLabel={t('panels.assignConfirm', { n: chosen.size })}
      busy={busy}
      confirmDisabled={chosen.size === 0}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p className="setup-hint">
        {inPanel.length
          ? t('panels.already', { names: inPanel.map((j) => j.name).join('、') })
          : t('panels.emptyNow')}
      </p>
      {others.length === 0 ? (
        <p className="empty">{t('panels.nobodyElse')}</p>
      ) : (
        <fieldset className="setup-checklist">
          <legend>{t('panels.choose')}</legend>
          {others.map((j) => (
            <label key={j.id} className="org-check">
              <input
                type="checkbox"
                checked={chosen.has(j.id)}
                onChange={(e) =>
                  setChosen((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(j.id);
                    else next.delete(j.id);
                    return next;
                  })
                }
              />
              <span>
                {j.name}
                <span className="muted setup-check-detail">
                  {' '}
                  {j.panelName ? t('panels.nowIn', { panel: j.panelName }) : t('panels.nowNone')}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {refused && <RefusalNotice refused={refused} />}
    </Dialog>
  );
}
