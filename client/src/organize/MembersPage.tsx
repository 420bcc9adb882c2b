import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  MemberAddSchema,
  NEW_ACCOUNT_ROLES,
  type Member,
  type MemberList,
  type Role,
  type SignInCode,
  type SignInCodeSheetRow,
} from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { Dialog } from './Dialog';
import { formatDateTime } from './format';
import { Problem } from './Problem';
import { useLive } from './useLive';
import type { FieldErrors } from './setup/forms';
import { SignInSheet } from './setup/SignInSheet';
import { ErrorSummary, Field, useCheck, useRefusal } from './setup/ui';

/** Roles listed, in this order; judges are managed on the judges page. */
const ROLE_ORDER: Role[] = ['organizer', 'recorder', 'schoolOrganizer', 'judge', 'teacher'];
const ADDABLE: Role[] = ['recorder', 'schoolOrganizer', 'organizer'];
const OTHER_SCHOOL = '\u0000other';
const canHaveNewAccount = (role: Role) => (NEW_ACCOUNT_ROLES as readonly Role[]).includes(role);

/** The QR code the server drew, as an image: an <img> runs nothing that might hide in the markup. */
const qrSource = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** A new one-time sign-in code for a member; their earlier unused one stops working. */
const issueSignInCode = (contestId: string, m: Member) =>
  api.post<SignInCode>(`/contests/${seg(contestId)}/members/${seg(m.id)}/sign-in-code`, {});

/** Who works on the contest besides judges: organizers, recorders at the venue, school organizers. */
export function MembersPage() {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  usePageTitle(t('members.title'));
  // Kept on screen while it reloads after a change, so the add form keeps its place and focus.
  const list = useLive<MemberList>(`/contests/${seg(contest.id)}/members`);
  const [notice, setNotice] = useState<string | null>(null);
  const [code, setCode] = useState<{ member: Member; code: SignInCode } | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [codeError, setCodeError] = useState<ApiError | null>(null);
  const [codesFor, setCodesFor] = useState<{ role: Role; members: Member[] } | null>(null);
  const [sheet, setSheet] = useState<SignInCodeSheetRow[] | null>(null);

  async function issueCode(m: Member) {
    setCodeError(null);
    try {
      setCode({ member: m, code: await issueSignInCode(contest.id, m) });
    } catch (err) {
      setCodeError(asApiError(err));
    }
  }

  if (sheet)
    return (
      <SignInSheet contestName={contest.name} rows={sheet} people="members" onClose={() => setSheet(null)} />
    );

  const data = list.data;
  let body;
  if (!data) body = list.error ? <ErrorNotice error={list.error} onRetry={list.refresh} /> : <Loading />;
  else
    body = (
      <>
        {list.error && <ErrorNotice error={list.error} onRetry={list.refresh} />}
        <AddMemberForm
          schools={data.schools}
          onAdded={(m, created) => {
            setNotice(
              t(created ? 'members.addedNew' : 'members.added', {
                name: m.displayName || m.username,
                role: t(`members.roles.${m.role}`),
              }),
            );
            list.refresh();
          }}
        />
        {codeError && <Problem error={codeError} />}
        {ROLE_ORDER.map((role) => (
          <RoleSection
            key={role}
            role={role}
            members={data.members.filter((m) => m.role === role)}
            onCode={(m) => void issueCode(m)}
            onCodesAll={(members) => setCodesFor({ role, members })}
            onRemove={setRemoving}
          />
        ))}
      </>
    );

  return (
    <section aria-labelledby="members-title" className="setup">
      <div className="org-page-head">
        <h1 id="members-title">{t('members.title')}</h1>
      </div>
      <p className="setup-hint">{t('members.intro')}</p>
      <div aria-live="polite">
        {notice && (
          <div className="notice notice-info" role="status">
            <p>{notice}</p>
          </div>
        )}
      </div>
      {body}
      {code && <CodeDialog member={code.member} code={code.code} onClose={() => setCode(null)} />}
      {codesFor && (
        <CodesAllDialog
          role={codesFor.role}
          members={codesFor.members}
          onClose={() => setCodesFor(null)}
          onDone={(rows) => {
            setCodesFor(null);
            setSheet(rows);
          }}
        />
      )}
      {removing && (
        <RemoveDialog
          member={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setNotice(t('members.removed', { name: removing.displayName || removing.username }));
            setRemoving(null);
            list.refresh();
          }}
        />
      )}
    </section>
  );
}

function RoleSection({
  role,
  members,
  onCode,
  onCodesAll,
  onRemove,
}: {
  role: Role;
  members: Member[];
  onCode: (m: Member) => void;
  onCodesAll: (members: Member[]) => void;
  onRemove: (m: Member) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  if (!members.length && (role === 'judge' || role === 'teacher')) return null;
  const headingId = `members-${role}`;
  return (
    <section className="card setup-card members-role" aria-labelledby={headingId}>
      <div className="members-role-head">
        <h2 id={headingId}>
          {t(`members.rolesPlural.${role}`)} <span className="muted">({members.length})</span>
        </h2>
        {canHaveNewAccount(role) && members.length > 0 && (
          <button
            type="button"
            className="button button-secondary"
            aria-label={t('members.codesAllLabel', { role: t(`members.roles.${role}`) })}
            onClick={() => onCodesAll(members)}
          >
            {t('members.codesAll')}
          </button>
        )}
      </div>
      {role === 'judge' && (
        <p className="setup-hint">
          {t('members.judgesElsewhere')}{' '}
          <Link to={`/contests/${seg(contest.id)}/judges`}>{t('members.toJudges')}</Link>
        </p>
      )}
      {members.length === 0 ? (
        <p className="empty">{t('members.none')}</p>
      ) : (
        <ul className="members-list">
          {members.map((m) => {
            const name = m.displayName || m.username;
            return (
              <li key={m.id} className="members-item">
                <div className="members-who">
                  <span className="members-name">{name}</span>{' '}
                  <span className="org-code muted">{m.username}</span>
                  {m.school && (
                    <span className="members-school">{t('members.schoolOf', { school: m.school })}</span>
                  )}
                </div>
                <div className="members-actions">
                  {canHaveNewAccount(m.role) && (
                    <button
                      type="button"
                      className="button button-secondary"
                      aria-label={t('members.codeLabel', { name })}
                      onClick={() => onCode(m)}
                    >
                      {t('members.code')}
                    </button>
                  )}
                  {m.role !== 'judge' && (
                    <button
                      type="button"
                      className="button button-secondary setup-tool-remove"
                      aria-label={t('members.removeLabel', { name })}
                      onClick={() => onRemove(m)}
                    >
                      {t('members.remove')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

type Form = {
  role: Role;
  newAccount: boolean;
  username: string;
  displayName: string;
  school: string;
  otherSchool: string;
};

function AddMemberForm({
  schools,
  onAdded,
}: {
  schools: string[];
  onAdded: (m: Member, created: boolean) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [form, setForm] = useState<Form>({
    role: 'recorder',
    newAccount: true,
    username: '',
    displayName: '',
    school: schools[0] ?? OTHER_SCHOOL,
    otherSchool: '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Focus goes to the first invalid input once React has shown the errors (after a refusal too).
  const [focusTick, setFocusTick] = useState(0);
  useEffect(() => {
    if (focusTick) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);
  const check = useCheck();
  const refusal = useRefusal();
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const newAccount = form.newAccount && canHaveNewAccount(form.role);
  const school = form.school === OTHER_SCHOOL ? form.otherSchool : form.school;

  const where = (path: string) =>
    ({
      username: t('members.username'),
      displayName: t('members.displayName'),
      role: t('members.role'),
      school: t('members.school'),
    })[path] ?? path;

  async function add() {
    setRefused(null);
    const body: Record<string, unknown> = { username: form.username.trim(), role: form.role };
    if (newAccount) body.displayName = form.displayName;
    if (form.role === 'schoolOrganizer') body.school = school;
    const checked = check(MemberAddSchema, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      setFocusTick((n) => n + 1);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const m = await api.post<Member>(`/contests/${seg(contest.id)}/members`, checked.data);
      setForm((f) => ({ ...f, username: '', displayName: '' }));
      onAdded(m, newAccount);
    } catch (err) {
      const r = refusal(err);
      // An unknown username is a 404 without fields: say so at the input, and how to make the account.
      if (r.error.status === 404)
        r.fields.username = t(canHaveNewAccount(form.role) ? 'members.unknownNew' : 'members.unknown');
      else if (r.error.status === 409 && r.fields.username)
        r.fields.username = t(newAccount ? 'members.taken' : 'members.already');
      setErrors(r.fields);
      if (!Object.keys(r.fields).length) setRefused(r.error);
      setFocusTick((n) => n + 1);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      ref={formRef}
      noValidate
      className="card setup-card"
      aria-labelledby="members-add"
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h2 id="members-add">{t('members.add')}</h2>
      <ErrorSummary errors={errors} where={where} />
      {refused && <Problem error={refused} />}
      <div className="setup-grid">
        <Field label={t('members.role')} error={errors.role}>
          {(c) => (
            <select {...c} value={form.role} onChange={(e) => set({ role: e.target.value as Role })}>
              {ADDABLE.map((r) => (
                <option key={r} value={r}>
                  {t(`members.roleNames.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.role === 'schoolOrganizer' && (
          <Field
            label={t('members.school')}
            error={form.school === OTHER_SCHOOL ? undefined : errors.school}
            hint={schools.length ? undefined : t('members.noSchools')}
          >
            {(c) => (
              <select {...c} value={form.school} onChange={(e) => set({ school: e.target.value })}>
                {schools.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
                <option value={OTHER_SCHOOL}>{t('members.otherSchool')}</option>
              </select>
            )}
          </Field>
        )}
        {form.role === 'schoolOrganizer' && form.school === OTHER_SCHOOL && (
          <Field label={t('members.otherSchoolName')} error={errors.school}>
            {(c) => (
              <input
                {...c}
                value={form.otherSchool}
                maxLength={200}
                onChange={(e) => set({ otherSchool: e.target.value })}
              />
            )}
          </Field>
        )}
      </div>
      {canHaveNewAccount(form.role) && (
        <fieldset className="rule-kind">
          <legend>{t('members.account')}</legend>
          {[true, false].map((v) => (
            <label key={String(v)} className="rule-radio">
              <input
                type="radio"
                name="members-account"
                checked={form.newAccount === v}
                onChange={() => set({ newAccount: v })}
              />{' '}
              {t(v ? 'members.newAccount' : 'members.existingAccount')}
            </label>
          ))}
        </fieldset>
      )}
      <div className="setup-grid">
        <Field
          label={t('members.username')}
          error={errors.username}
          hint={newAccount ? t('members.usernameNewHint') : t('members.usernameHint')}
        >
          {(c) => (
            <input
              {...c}
              className="setup-mono"
              value={form.username}
              autoCapitalize="off"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => set({ username: e.target.value })}
            />
          )}
        </Field>
        {newAccount && (
          <Field
            label={t('members.displayName')}
            error={errors.displayName}
            hint={t('members.displayNameHint')}
          >
            {(c) => (
              <input
                {...c}
                value={form.displayName}
                maxLength={100}
                onChange={(e) => set({ displayName: e.target.value })}
              />
            )}
          </Field>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('form.saving') : t('members.addButton')}
        </button>
      </div>
    </form>
  );
}

/** A freshly issued code: shown once (the server keeps only its hash), to scan on the phone or type in. */
function CodeDialog({ member, code, onClose }: { member: Member; code: SignInCode; onClose: () => void }) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const name = member.displayName || member.username;
  return (
    <Dialog title={t('members.codeTitle', { name })} onConfirm={onClose} onClose={onClose}>
      <div className="members-code">
        <img className="members-qr" src={qrSource(code.qrSvg)} alt={t('members.qrAlt', { name })} />
        <div>
          <p className="setup-sheet-label">{t('sheet.codeLabel')}</p>
          <p className="setup-sheet-code" data-testid="member-code">
            {code.code}
          </p>
          <p className="setup-hint">{t('members.codeHow')}</p>
          <p className="setup-sheet-url">{code.url}</p>
          <p className="setup-hint">{t('sheet.expires', { at: formatDateTime(code.expiresAt, lng) })}</p>
          <p className="setup-hint">{t('members.onceOnly')}</p>
        </div>
      </div>
    </Dialog>
  );
}

/**
 * New codes for every recorder (or school organizer) of the contest, one request each, then the sheet to
 * print. A request that fails stops the run; the codes issued before it are still shown, since each
 * replaced an earlier one.
 */
function CodesAllDialog({
  role,
  members,
  onClose,
  onDone,
}: {
  role: Role;
  members: Member[];
  onClose: () => void;
  onDone: (rows: SignInCodeSheetRow[]) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [done, setDone] = useState<number | null>(null);
  const [error, setError] = useState<{ error: ApiError; rows: SignInCodeSheetRow[] } | null>(null);
  const roleName = t(`members.roles.${role}`);

  async function issueAll() {
    setError(null);
    const rows: SignInCodeSheetRow[] = [];
    setDone(0);
    for (const m of members) {
      try {
        const code = await issueSignInCode(contest.id, m);
        rows.push({
          ...code,
          judgeId: m.id,
          name: m.displayName || m.username,
          username: m.username,
          panel: m.school ?? roleName,
        });
        setDone(rows.length);
      } catch (err) {
        setDone(null);
        setError({ error: asApiError(err), rows });
        return;
      }
    }
    onDone(rows);
  }

  if (error && error.rows.length > 0)
    return (
      <Dialog
        title={t('members.codesAllTitle', { n: members.length, role: roleName })}
        confirmLabel={t('sheet.print')}
        onClose={() => onDone(error.rows)}
        onConfirm={() => onDone(error.rows)}
      >
        <p>{t('members.codesAllStopped', { done: error.rows.length })}</p>
        <Problem error={error.error} />
      </Dialog>
    );
  return (
    <Dialog
      title={t('members.codesAllTitle', { n: members.length, role: roleName })}
      confirmLabel={t('members.codesAllConfirm')}
      busy={done !== null}
      onClose={onClose}
      onConfirm={() => void issueAll()}
    >
      <p>{t('members.codesAllText')}</p>
      {done !== null && <p role="status">{t('members.codesAllProgress', { done, n: members.length })}</p>}
      {error && <Problem error={error.error} />}
    </Dialog>
  );
}

function RemoveDialog({
  member,
  onClose,
  onRemoved,
}: {
  member: Member;
  onClose: () => void;
  onRemoved: () => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const name = member.displayName || member.username;
  return (
    <Dialog
      title={t('members.removeTitle', { name })}
      confirmLabel={t('members.remove')}
      danger
      busy={busy}
      onClose={onClose}
      onConfirm={() => {
        setBusy(true);
        setError(null);
        api
          .delete(`/contests/${seg(contest.id)}/members/${seg(member.id)}`)
          .then(onRemoved, (err: unknown) => {
            setError(asApiError(err));
            setBusy(false);
          });
      }}
    >
      <p>{t('members.removeText', { name, role: t(`members.roles.${member.role}`) })}</p>
      {error && <Problem error={error} />}
    </Dialog>
  );
}
