import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CreateUserSchema, type UserList, type UserSummary } from '@pingxuan/shared';
import { api, asApiError, type ApiError } from '../api';
import { ErrorNotice, Loading, errorText } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatDate } from '../localized';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { TextField, serverFieldErrors, useFocusFirstInvalid, type Errors } from './fields';
import './admin.css';

export function UsersPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = useId();
  usePageTitle(t('users.title'));
  const [notice, setNotice] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  // Typing is not a request per key: the list follows the box after a short pause.
  useEffect(() => {
    const timer = setTimeout(() => setQuery(search.trim()), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const list = useApi<UserList>(me?.isAdmin ? `/admin/users?q=${encodeURIComponent(query)}` : null);

  if (!me?.isAdmin) return <ErrorNotice message={t('users.adminOnly')} />;

  return (
    <section className="admin-page" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h1 id={`${id}-title`}>{t('users.title')}</h1>
      </div>
      <CreateUserForm
        onCreated={(username) => {
          setNotice(t('users.created', { username }));
          list.reload();
        }}
      />
      <div role="status">{notice && <p className="notice notice-success">{notice}</p>}</div>
      <section className="card admin-list" aria-labelledby={`${id}-list`}>
        <h2 id={`${id}-list`}>{t('users.listTitle')}</h2>
        <div className="field">
          <label htmlFor={`${id}-search`}>{t('users.search')}</label>
          <input
            id={`${id}-search`}
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoCapitalize="none"
            spellCheck={false}
            maxLength={100}
          />
        </div>
        {list.status === 'loading' && <Loading />}
        {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.reload} />}
        {list.status === 'ok' && (
          <UserTable
            users={list.data.users}
            more={list.data.more}
            myId={me.id}
            onChanged={(u) => {
              setNotice(t(u.disabled ? 'users.disabledDone' : 'users.enabledDone', { username: u.username }));
              list.reload();
            }}
          />
        )}
      </section>
    </section>
  );
}

function CreateUserForm({ onCreated }: { onCreated: (username: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(0);
  const formRef = useFocusFirstInvalid(refused);

  /** Each field's rule in the reader's words; the password's by which limit it broke. */
  const localize = (field: string, message: string, code?: string): string | undefined => {
    if (field === 'username') return t('users.errors.usernameInvalid');
    if (field === 'displayName') return t('users.errors.displayNameRequired');
    if (field === 'password')
      return code === 'too_big' || /at most|too big/i.test(message)
        ? t('users.errors.passwordTooLong')
        : t('users.errors.passwordTooShort');
    return undefined;
  };

  const refuse = (e: Errors, msg: string | null = t('forms.fix')) => {
    setErrors(e);
    setMessage(msg);
    setRefused((n) => n + 1);
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed = CreateUserSchema.safeParse({ username, displayName, password, isAdmin });
    if (!parsed.success) {
      const found: Errors = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        found[field] ??= localize(field, issue.message, issue.code) ?? issue.message;
      }
      return refuse(found);
    }
    setErrors({});
    setMessage(null);
    setBusy(true);
    try {
      const created = await api.post<{ username: string }>('/admin/users', parsed.data);
      setUsername('');
      setDisplayName('');
      setPassword('');
      setIsAdmin(false);
      onCreated(created.username);
    } catch (err) {
      const a: ApiError = asApiError(err);
      if (a.status === 400 && a.fields.length) refuse(serverFieldErrors(a, (p, m) => localize(p, m)));
      else if (a.status === 409 && a.details.field === 'username')
        refuse({ username: t('users.errors.usernameTaken') });
      else refuse({}, errorText(t, a));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card admin-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('users.createTitle')}</h2>
      <p className="muted">{t('users.createIntro')}</p>
      <form ref={formRef} onSubmit={(e) => void onSubmit(e)} noValidate>
        <div className="form-grid">
          <TextField
            label={t('users.username')}
            hint={t('users.usernameHint')}
            name="new-username"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            error={errors.username}
          />
          <TextField
            label={t('users.displayName')}
            hint={t('users.displayNameHint')}
            name="displayName"
            autoComplete="off"
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
            error={errors.displayName}
          />
          <TextField
            label={t('users.password')}
            hint={t('users.passwordHint')}
            type="password"
            name="new-user-password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={errors.password}
          />
        </div>
        <div className="field field-check">
          <input
            id={`${id}-admin`}
            type="checkbox"
            checked={isAdmin}
            onChange={(e) => setIsAdmin(e.target.checked)}
          />
          <label htmlFor={`${id}-admin`}>{t('users.isAdmin')}</label>
        </div>
        {message && <ErrorNotice message={message} />}
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('forms.saving') : t('users.create')}
        </button>
      </form>
    </section>
  );
}

function UserTable({
  users,
  more,
  myId,
  onChanged,
}: {
  users: UserSummary[];
  more: boolean;
  myId: string;
  onChanged: (u: UserSummary) => void;
}) {
  const { t } = useTranslation();
  const lng = useLanguage();
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  async function toggle(u: UserSummary) {
    setBusyId(u.id);
    setError(null);
    try {
      onChanged(
        await api.patch<UserSummary>(`/admin/users/${encodeURIComponent(u.id)}`, { disabled: !u.disabled }),
      );
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusyId(null);
    }
  }

  if (users.length === 0) return <p className="empty">{t('users.none')}</p>;
  return (
    <>
      {error && <ErrorNotice error={error} />}
      <p className="muted">
        {more ? t('users.more', { count: users.length }) : t('users.count', { count: users.length })}
      </p>
      <div className="table-wrap">
        <table className="table users-table">
          <thead>
            <tr>
              <th scope="col">{t('users.colUsername')}</th>
              <th scope="col">{t('users.colDisplayName')}</th>
              <th scope="col">{t('users.colRole')}</th>
              <th scope="col">{t('users.colStatus')}</th>
              <th scope="col">{t('users.colCreated')}</th>
              <th scope="col">{t('users.colActions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={u.disabled ? 'user-disabled' : undefined}>
                <th scope="row">
                  {u.username}
                  {u.id === myId && <span className="muted"> {t('users.you')}</span>}
                </th>
                <td>{u.displayName}</td>
                <td>{u.isAdmin ? t('users.roleAdmin') : t('users.roleUser')}</td>
                <td>{u.disabled ? t('users.disabled') : t('users.active')}</td>
                <td>{formatDate(u.createdAt, lng)}</td>
                <td>
                  {u.id !== myId && (
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      aria-label={t(u.disabled ? 'users.enableLabel' : 'users.disableLabel', {
                        username: u.username,
                      })}
                      disabled={busyId === u.id}
                      onClick={() => void toggle(u)}
                    >
                      {u.disabled ? t('users.enable') : t('users.disable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
