import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatDate } from '../localized';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { nameIn, type PublicContest } from './types';

/** /winners: every contest whose results are published, newest first. */
export function PublishedContestsPage() {
  const { t } = useTranslation('public');
  const { t: tc } = useTranslation();
  const lng = useLanguage();
  const list = useApi<{ contests: PublicContest[] }>('/public/contests');
  usePageTitle(t('list.title'));

  return (
    <section aria-labelledby="public-list-title">
      <div className="page-head">
        <h1 id="public-list-title">{t('list.title')}</h1>
      </div>
      <p className="muted">{t('list.intro')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {list.status === 'ok' && list.data.contests.length === 0 && <p className="empty">{t('list.empty')}</p>}
      {list.status === 'ok' && list.data.contests.length > 0 && (
        <ul className="contest-list">
          {list.data.contests.map((c) => (
            <li key={c.id} className="card contest-card public-contest">
              <h2>
                <Link to={`/winners/${seg(c.id)}`}>{c.name}</Link>
              </h2>
              <p className="meta">
                {c.publishedAt && (
                  <span>{t('list.publishedOn', { date: formatDate(c.publishedAt, lng) })}</span>
                )}
                {c.tiers.length > 0 && (
                  <span>
                    {t('list.tiers', {
                      tiers: c.tiers.map((x) => nameIn(x.name, lng)).join(tc('common.listSeparator')),
                    })}
                  </span>
                )}
              </p>
              {c.description && <p className="description public-description">{c.description}</p>}
              <div className="actions">
                <Link className="button button-primary" to={`/winners/${seg(c.id)}`}>
                  {t('list.winners')}
                </Link>
                <Link className="button button-secondary" to={`/winners/${seg(c.id)}/showcase`}>
                  {t('list.showcase')}
                </Link>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
