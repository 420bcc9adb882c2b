import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { CodeLoginRequestSchema, LoginRequestSchema, type Me } from '@pingxuan/shared';
import type { TFunction } from 'i18next';
import { api, asApiError, type ApiError } from '../api';
import { ErrorNotice, errorText, Loading } from '../components/Status';
import { homeFor, safeNext } from '../routing';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';
import { redeemCode } from '../signIn';

type Fields = { username?: string; password?: string };

export function LoginPage() {
  const { t } = useTranslation();
  const { state } = useSession();
  const [params] = useSearchParams();
  usePageTitle(t('login.title'));

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'signed-in')
    return <Navigate to={safeNext(params.get('next')) ?? homeFor(state.me)} replace />;

  return (
    <div className="login-layout">
      <p className="tagline">{t('app.tagline')}</p>
      <div className="login-cards">
        <PasswordForm />
        <CodeForm />
      </div>
    </div>
  );
}

function useAfterSignIn() {
  const { setMe } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (me: Me) => {
    setMe(me);
    void navigate(safeNext(params.get('next')) ?? homeFor(me), { replace: true });
  };
}

function PasswordForm() {
  const { t } = useTranslation();
  const id = useId();
  const afterSignIn = useAfterSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [fields, setFields] = useState<Fields>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setMessage(null);
    const parsed = LoginRequestSchema.safeParse({ username, password });
    if (!parsed.success) {
      const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
      setFields({
        ...(bad.has('username') ? { username: t('login.errors.usernameInvalid') } : {}),
        ...(bad.has('password') ? { password: t('login.errors.passwordRequired') } : {}),
      });
      return;
    }
    setFields({});
    setBusy(true);
    try {
      afterSignIn(await api.post<Me>('/auth/login', parsed.data));
    } catch (err) {
      const e = asApiError(err);
      if (e.status === 400 && e.fields.length) {
        setFields({
          ...(e.fieldMessage('username') ? { username: t('login.errors.usernameInvalid') } : {}),
          ...(e.fieldMessage('password') ? { password: t('login.errors.passwordRequired') } : {}),
        });
        setMessage(t('login.errors.fields'));
      } else setMessage(loginError(t, e));
      setBusy(false);
    }
  }

  return (
    <section className="card login-card" aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('login.title')}</h1>
      <p className="muted">{t('login.intro')}</p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-username`}>{t('login.username')}</label>
          <input
            id={`${id}-username`}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={fields.username ? true : undefined}
            aria-describedby={fields.username ? `${id}-username-error` : undefined}
            required
          />
          {fields.username && (
            <p id={`${id}-username-error`} className="field-error">
              {fields.username}
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>{t('login.password')}</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={fields.password ? true : undefined}
            aria-describedby={fields.password ? `${id}-password-error` : undefined}
            required
          />
          {fields.password && (
            <p id={`${id}-password-error`} className="field-error">
              {fields.password}
            </p>
          )}
        </div>
        {message && <ErrorNotice message={message} />}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
    </section>
  );
}

function loginError(t: TFunction, e: ApiError): string {
  if (e.status === 401) return t('login.errors.badCredentials');
  if (e.status === 429) return t('login.errors.rateLimited');
  return errorText(t, e);
}

function CodeForm() {
  const { t } = useTranslation();
  const id = useId();
  const afterSignIn = useAfterSignIn();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const parsed = CodeLoginRequestSchema.safeParse({ code });
    if (!parsed.success) {
      setMessage(t('code.tooShort'));
      return;
    }
    setMessage(null);
    setBusy(true);
    try {
      afterSignIn(await redeemCode(parsed.data.code));
    } catch (err) {
      const e = asApiError(err);
      setMessage(
        e.status === 401 ? t('code.bad') : e.status === 429 ? t('login.errors.rateLimited') : errorText(t, e),
      );
      setBusy(false);
    }
  }

  return (
    <section className="card login-card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('code.title')}</h2>
      <p className="muted">{t('code.intro')}</p>
      <form onSubmit={(e) => void onSubmit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-code`}>{t('code.label')}</label>
          <input
            id={`${id}-code`}
            name="code"
            className="code-input"
            autoComplete="one-time-code"
            autoCapitalize="none"
            spellCheck={false}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={message ? true : undefined}
            aria-describedby={message ? `${id}-code-error` : undefined}
            required
          />
        </div>
        {message && (
          <div id={`${id}-code-error`}>
            <ErrorNotice message={message} />
          </div>
        )}
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? t('code.submitting') : t('code.submit')}
        </button>
      </form>
    </section>
  );
}
