import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import type { JudgingList } from '@pingxuan/shared';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';

/** Placeholder of the judging screen: the judge's work list and progress. The scoring screen comes later. */
export function JudgePage() {
  const { t } = useTranslation();
  const contestId = useParams().contestId ?? '';
  const list = useApi<JudgingList>(`/contests/${seg(contestId)}/judging`);
  usePageTitle(
    list.status === 'ok'
      ? t('judge.titleWithContest', { contest: list.data.contest.name })
      : t('judge.title'),
  );

  if (list.status === 'loading') return <Loading />;
  if (list.status === 'error') {
    const e = list.error;
    const message =
      e.status === 403 ? t('judge.notJudge') : e.isNetwork ? t('errors.network') : t('judge.unavailable');
    return <ErrorNotice message={message} onRetry={e.status === 403 ? undefined : list.reload} />;
  }
  const { contest, progress, items } = list.data;
  return (
    <section aria-labelledby="judge-title">
      <div className="page-head">
        <h1 id="judge-title">{t('judge.titleWithContest', { contest: contest.name })}</h1>
      </div>
      <div className="card progress-card">
        <p className="progress-text" id="judge-progress">
          {t('judge.progress', { submitted: progress.submitted, assigned: progress.assigned })}
        </p>
        <progress
          aria-labelledby="judge-progress"
          max={Math.max(progress.assigned, 1)}
          value={progress.submitted}
        />
        {progress.drafts > 0 && <p className="muted">{t('judge.drafts', { count: progress.drafts })}</p>}
      </div>
      <h2>{t('judge.listTitle')}</h2>
      {items.length === 0 ? (
        <p className="empty">{t('judge.empty')}</p>
      ) : (
        <ul className="code-grid">
          {items.map((item) => {
            const state = item.score?.status === 'submitted' ? 'submitted' : item.score ? 'draft' : 'todo';
            const label =
              state === 'submitted'
                ? t('judge.itemSubmitted')
                : state === 'draft'
                  ? t('judge.itemDraft')
                  : t('judge.itemTodo');
            return (
              <li key={item.entryId} className={`code-tile code-${state}`}>
                <span className="code-tile-code">{item.code}</span>
                <span className="code-tile-state">{label}</span>
              </li>
            );
          })}
        </ul>
      )}
      <p className="muted">{t('judge.comingSoon')}</p>
    </section>
  );
}
