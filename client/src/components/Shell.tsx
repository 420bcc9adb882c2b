import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { LANGUAGES, setLanguage, useLanguage } from '../i18n';
import { useSession } from '../session';
import { ErrorNotice } from './Status';
import { asApiError, type ApiError } from '../api';

export function Shell() {
  const { t } = useTranslation();
  const { me, signOut } = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const lng = useLanguage();
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstPage = useRef(true);

  // After a client-side navigation, keyboard and screen-reader users start at the new page's content.
  useEffect(() => {
    if (firstPage.current) {
      firstPage.current = false;
      return;
    }
    mainRef.current?.focus();
  }, [pathname]);

  async function onSignOut() {
    setSigningOut(true);
    setError(null);
    try {
      await signOut();
      void navigate('/login', { replace: true });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to="/" className="brand" aria-label={`${t('app.name')} ${t('app.nameLatin')}`}>
          <span className="brand-main">{t('app.name')}</span>
          <span className="brand-sub">{t('app.nameLatin')}</span>
        </Link>
        <div className="header-tools">
          <div className="lang-switch" role="group" aria-label={t('lang.label')}>
            {LANGUAGES.map((l) => (
              <button
                key={l}
                type="button"
                lang={l === 'zh' ? 'zh-CN' : 'en'}
                className="lang-button"
                aria-pressed={lng === l}
                onClick={() => setLanguage(l)}
              >
                {t(`lang.${l}`)}
              </button>
            ))}
          </div>
          {me && (
            <div className="user-box">
              <nav className="user-menu" aria-label={t('auth.account')}>
                <Link
                  to="/account"
                  className="user-name"
                  aria-current={pathname === '/account' ? 'page' : undefined}
                >
                  {t('auth.signedInAs', { name: me.displayName })}
                  <span className="visually-hidden">
                    {t('common.listSeparator')}
                    {t('auth.account')}
                  </span>
                </Link>
                {me.isAdmin && (
                  <Link
                    to="/admin/users"
                    className="user-link"
                    aria-current={pathname === '/admin/users' ? 'page' : undefined}
                  >
                    {t('auth.adminUsers')}
                  </Link>
                )}
              </nav>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void onSignOut()}
                disabled={signingOut}
              >
                {signingOut ? t('auth.signingOut') : t('auth.signOut')}
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1} ref={mainRef}>
        {error && <ErrorNotice error={error} />}
        <Outlet />
      </main>
    </>
  );
}
