import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatNumber } from '../localized';
import { CriteriaChart } from '../public/CriteriaChart';
import { nameIn, type FeedbackResults, type FeedbackView } from '../public/types';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import '../public/public.css';

export function FeedbackPage() {
  const { t } = useTranslation();
  const { t: tp } = useTranslation('public');
  const token = useParams().token ?? '';
  const view = useApi<FeedbackView>(`/feedback/${seg(token)}`);
  usePageTitle(view.status === 'ok' ? view.data.entry.title : t('feedback.title'));

  if (view.status === 'loading') return <Loading />;
  if (view.status === 'error') {
    const e = view.error;
    const gone = e.status === 404 || e.status === 400;
    return (
      <ErrorNotice
        message={gone ? t('feedback.notFound') : undefined}
        error={e}
        onRetry={gone ? undefined : view.reload}
      />
    );
  }
  const { contest, entry, published, results } = view.data;
  const facts: [string, string | null][] = [
    [t('feedback.code'), entry.code],
    [t('feedback.teacher'), entry.teacherName],
    [t('feedback.school'), entry.school],
  ];
  return (
    <article aria-labelledby="feedback-title">
      <p className="eyebrow">{contest.name}</p>
      <h1 id="feedback-title">{entry.title}</h1>
      <dl className="facts card">
        {facts
          .filter((f): f is [string, string] => Boolean(f[1]))
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      <div className={`notice ${published ? 'notice-info' : 'notice-waiting'}`} role="status">
        <p>{published ? t('feedback.published') : t('feedback.notPublished')}</p>
      </div>
      <section aria-labelledby="photos-title">
        <h2 id="photos-title">{t('feedback.photos')}</h2>
        {entry.photos.length === 0 ? (
          <p className="empty">{t('feedback.noPhotos')}</p>
        ) : (
          <ul className="photo-grid">
            {entry.photos.map((p, i) => (
              <li key={p.id}>
                <a
                  href={`/api/feedback/${seg(token)}/photos/${seg(p.id)}?size=large`}
                  target="_blank"
                  rel="noreferrer"
                >
                  <img
                    src={`/api/feedback/${seg(token)}/photos/${seg(p.id)}?size=thumb`}
                    width={p.width}
                    height={p.height}
                    alt={t('feedback.photoAlt', { n: i + 1 })}
                    loading="lazy"
                  />
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>
      {published &&
        (results ? (
          <Results results={results} />
        ) : (
          <div className="notice notice-waiting" role="status">
            <p>{tp('feedback.unavailable')}</p>
          </div>
        ))}
    </article>
  );
}

/** Score, tier, rank band, each criterion against the cohort, and the judges' comments. */
function Results({ results }: { results: FeedbackResults }) {
  const { t } = useTranslation('public');
  const lng = useLanguage();
  const rows = [
    { id: 'total', name: t('feedback.total'), max: 100, value: results.score, cohort: results.cohort },
    ...results.criteria.map((c) => ({
      id: c.id,
      name: nameIn(c.name, lng),
      max: c.maxScore,
      value: c.mean,
      cohort: c.cohort,
    })),
  ];
  return (
    <section className="feedback-results" aria-labelledby="results-title">
      <h2 id="results-title">{t('feedback.resultsTitle')}</h2>
      {results.incomplete && (
        <div className="notice notice-waiting">
          <p>{t('feedback.incomplete')}</p>
        </div>
      )}
      <dl className="facts card result-facts">
        <div>
          <dt>{t('feedback.tier')}</dt>
          <dd>
            {results.tier ? (
              <span className="tier-badge" data-tier={results.tier.id}>
                {nameIn(results.tier.name, lng)}
              </span>
            ) : (
              t('feedback.noTier')
            )}
          </dd>
        </div>
        <div>
          <dt>{t('feedback.score')}</dt>
          <dd className="result-score">
            {results.score === null
              ? t('feedback.none')
              : t('feedback.scoreValue', { score: formatNumber(results.score, lng) })}
          </dd>
        </div>
        <div>
          <dt>{t('feedback.rankBand')}</dt>
          <dd>
            {results.rankBand ? t(`feedback.bands.${results.rankBand}`) : t('feedback.notRanked')}
            <span className="result-detail">{t('feedback.ranked', { count: results.ranked })}</span>
          </dd>
        </div>
      </dl>
      <CriteriaChart rows={rows} />
      <section className="feedback-comments" aria-labelledby="comments-title">
        <h3 id="comments-title">{t('feedback.comments')}</h3>
        {results.comments.length === 0 ? (
          <p className="empty">{t('feedback.noComments')}</p>
        ) : (
          <>
            <p className="muted">{t('feedback.commentsNote')}</p>
            <ul className="comment-list">
              {results.comments.map((c, i) => (
                <li key={i} className="card">
                  <blockquote>{c}</blockquote>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </section>
  );
}
