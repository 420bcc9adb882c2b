import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContestForMember } from '@pingxuan/shared';
import { ErrorNotice, Loading, StatusBadge } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatDate } from '../localized';
import { schoolScopeOf } from '../organize/schoolScope';
import { useSession } from '../session';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';

export function ContestsPage() {
  const { t } = useTranslation();
  const lng = useLanguage();
  const { me } = useSession();
  const list = useApi<{ contests: ContestForMember[] }>('/contests');
  usePageTitle(t('contests.title'));

  return (
    <section aria-labelledby="contests-title">
      <div className="page-head">
        <h1 id="contests-title">{t('contests.title')}</h1>
        {me?.isAdmin && (
          <Link className="button button-primary page-head-action" to="/contests/new">
            {t('contests.new')}
          </Link>
        )}
      </div>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' && list.data.contests.length === 0 && (
        <p className="empty">{t('contests.empty')}</p>
      )}
      {list.status === 'ok' && list.data.contests.length > 0 && (
        <ul className="contest-list">
          {list.data.contests.map((c) => {
            const organizes = me?.isAdmin || c.roles.includes('organizer');
            const roles = [
              ...(me?.isAdmin ? [t('roles.admin')] : []),
              ...c.roles.map((r) => t(`roles.${r}`)),
            ];
            return (
              <li key={c.id} className="card contest-card">
                <div className="contest-card-head">
                  <h2>
                    {organizes ? <Link to={`/contests/${encodeURIComponent(c.id)}`}>{c.name}</Link> : c.name}
                  </h2>
                  <StatusBadge status={c.status} />
                </div>
                <p className="meta">
                  <span>{t('contests.rounds', { count: c.rounds.length })}</span>
                  <span>{t('contests.categories', { count: c.categories.length })}</span>
                  <span>{t('contests.updated', { date: formatDate(c.updatedAt, lng) })}</span>
                </p>
                {roles.length > 0 && (
                  <p className="meta">
                    {t('contests.yourRoles', { roles: roles.join(t('common.listSeparator')) })}
                    {c.school !== undefined && ` · ${t('contests.school', { school: c.school })}`}
                  </p>
                )}
                <div className="actions">
                  {organizes && (
                    <Link className="button button-primary" to={`/contests/${encodeURIComponent(c.id)}`}>
                      {t('contests.overview')}
                    </Link>
                  )}
                  {c.roles.includes('judge') && (
                    <Link className="button button-secondary" to={`/judge/${encodeURIComponent(c.id)}`}>
                      {t('contests.judge')}
                    </Link>
                  )}
                  {schoolScopeOf(c, me?.isAdmin) !== null && (
                    <Link
                      className="button button-primary"
                      to={`/contests/${encodeURIComponent(c.id)}/entries`}
                    >
                      {t('contests.schoolEntries')}
                    </Link>
                  )}
                  {c.roles.includes('recorder') && (
                    <Link className="button button-secondary" to={`/record/${encodeURIComponent(c.id)}`}>
                      {t('contests.record')}
                    </Link>
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
