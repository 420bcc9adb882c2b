import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { asApiError, type ApiError } from '../api';
import { ErrorNotice, errorText, Loading } from '../components/Status';
import { homeFor } from '../routing';
import { useSession } from '../session';
import { judgeContest, redeemCode } from '../signIn';
import { usePageTitle } from '../usePageTitle';

/**
 * The link in a judge's QR code: `/judge/sign-in?code=…` (built by the server's JudgesService.signInUrl).
 * Redeems the code and opens the judging page; the code leaves the address bar and history on the way.
 */
export function CodeSignInPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  usePageTitle(t('code.title'));
  const code = params.get('code')?.trim() ?? '';
  const { setMe } = useSession();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<{ error: ApiError } | { noContest: true } | null>(null);

  useEffect(() => {
    if (!code) return;
    let live = true;
    redeemCode(code).then(
      (me) => {
        if (!live) return;
        setMe(me);
        const contestId = judgeContest(me);
        if (contestId) void navigate(`/judge/${encodeURIComponent(contestId)}`, { replace: true });
        else if (me.memberships.length) void navigate(homeFor(me), { replace: true });
        else setProblem({ noContest: true });
      },
      (err: unknown) => {
        if (!live) return;
        setProblem({ error: asApiError(err) });
        // Do not keep a spent or wrong code in the address bar.
        void navigate('/judge/sign-in', { replace: true });
      },
    );
    return () => {
      live = false;
    };
  }, [code, setMe, navigate]);

  let message: string | null = null;
  if (problem && 'noContest' in problem) message = t('code.noContest');
  else if (problem) {
    const e = problem.error;
    message =
      e.status === 401 || e.status === 400
        ? t('code.bad')
        : e.status === 429
          ? t('login.errors.rateLimited')
          : errorText(t, e);
  } else if (!code) message = t('code.missing');

  return (
    <section className="card narrow">
      <h1>{t('code.title')}</h1>
      {message ? (
        <>
          <ErrorNotice message={message} />
          <Link className="button button-primary" to="/login">
            {t('code.toLogin')}
          </Link>
        </>
      ) : (
        <>
          <p className="muted">{t('code.signingIn')}</p>
          <Loading />
        </>
      )}
    </section>
  );
}
