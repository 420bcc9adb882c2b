import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { ContestStatus } from '@pingxuan/shared';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';

/** GET /api/feedback/:token: one entry, seen by its teacher through a private link. */
type FeedbackView = {
  contest: { id?: string; name: string; status: ContestStatus };
  entry: {
    code: string;
    title: string;
    teacherName: string;
    school: string;
    category: string | null;
    subject: string | null;
    photos: { id: string; width: number; height: number }[];
  };
  published: boolean;
  results?: unknown;
};

export function FeedbackPage() {
  const { t } = useTranslation();
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
  const { contest, entry, published } = view.data;
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
    </article>
  );
}
