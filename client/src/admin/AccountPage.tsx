import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ChangePasswordSchema } from '@pingxuan/shared';
import { api, asApiError } from '../api';
import { ErrorNotice, errorText } from '../components/Status';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';
import { TextField, serverFieldErrors, useFocusFirstInvalid, type Errors } from './fields';
import './admin.css';

type Key = 'account.errors.newTooShort' | 'account.errors.newTooLong' | 'account.errors.newSame';

/** Which rule a new password broke, from the shared schema's issue or the server's message. */
function newPasswordKey(message: string, code?: string): Key {
  if (code === 'too_big' || /at most|too big/i.test(message)) return 'account.errors.newTooLong';
  if (code === 'custom' || /differ/i.test(message)) return 'account.errors.newSame';
  return 'account.errors.newTooShort';
}

export function AccountPage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const id = useId();
  usePageTitle(t('account.title'));
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(0);
  const formRef = useFocusFirstInvalid(refused);

  const refuse = (e: Errors, msg: string | null = t('forms.fix')) => {
    setErrors(e);
    setMessage(msg);
    setRefused((n) => n + 1);
  };

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setDone(false);
    const parsed = ChangePasswordSchema.safeParse({ currentPassword: current, newPassword: next });
    const found: Errors = {};
    if (!parsed.success)
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0]);
        if (found[field]) continue;
        found[field] =
          field === 'currentPassword'
            ? t('account.errors.currentRequired')
            : t(newPasswordKey(issue.message, issue.code));
      }
    if (!found.newPassword && next !== confirm) found.confirm = t('account.errors.confirmMismatch');
    if (Object.keys(found).length || !parsed.success) return refuse(found);
    setErrors({});
    setMessage(null);
    setBusy(true);
    try {
      await api.post('/auth/password', parsed.data);
      setCurrent('');
      setNext('');
      setConfirm('');
      setDone(true);
    } catch (err) {
      const a = asApiError(err);
      if (a.status === 400 && a.fields.length)
        refuse(
          serverFieldErrors(a, (path, msg) =>
            path === 'currentPassword'
              ? msg === 'wrong password'
                ? t('account.errors.currentWrong')
                : t('account.errors.currentRequired')
              : path === 'newPassword'
                ? t(newPasswordKey(msg))
                : undefined,
          ),
        );
      else if (a.status === 409) refuse({}, t('account.errors.noPassword'));
      else if (a.status === 429) refuse({}, t('account.errors.rateLimited'));
      else refuse({}, errorText(t, a));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="admin-page" aria-labelledby={`${id}-title`}>
      <div className="page-head">
        <h1 id={`${id}-title`}>{t('account.title')}</h1>
      </div>
      {me && (
        <dl className="card account-facts">
          <div>
            <dt>{t('account.username')}</dt>
            <dd>{me.username}</dd>
          </div>
          <div>
            <dt>{t('account.displayName')}</dt>
            <dd>{me.displayName}</dd>
          </div>
          {me.isAdmin && (
            <div>
              <dt>{t('account.role')}</dt>
              <dd>{t('roles.admin')}</dd>
            </div>
          )}
        </dl>
      )}
      <section className="card admin-form" aria-labelledby={`${id}-pw`}>
        <h2 id={`${id}-pw`}>{t('account.passwordTitle')}</h2>
        <p className="muted">{t('account.passwordIntro')}</p>
        <form ref={formRef} onSubmit={(e) => void onSubmit(e)} noValidate>
          {/* Lets password managers file the new password under the right account. */}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={me?.username ?? ''}
            readOnly
            hidden
          />
          <TextField
            label={t('account.current')}
            type="password"
            name="currentPassword"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            error={errors.currentPassword}
          />
          <TextField
            label={t('account.new')}
            hint={t('account.newHint')}
            type="password"
            name="newPassword"
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            error={errors.newPassword}
          />
          <TextField
            label={t('account.confirm')}
            type="password"
            name="confirmPassword"
            autoComplete="new-password"
            value={confirm}
            onChange={(e) => setConfirm(e.target.value)}
            error={errors.confirm}
          />
          {message && <ErrorNotice message={message} />}
          <div role="status">{done && <p className="notice notice-success">{t('account.done')}</p>}</div>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('forms.saving') : t('account.submit')}
          </button>
        </form>
      </section>
    </section>
  );
}
