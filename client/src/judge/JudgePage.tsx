import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContestStatus } from '@pingxuan/shared';
import { StatusBadge } from '../components/Status';
import { usePageTitle } from '../usePageTitle';
import { SubmitAllDialog } from './SubmitAllDialog';
import { SyncStatus, WorkStateLabel } from './SyncStatus';
import { JudgingGate } from './JudgingGate';
import { useJudging } from './useJudging';
import { formatTotal, isSubmitted, judgedCriteria, workViews } from './works';

/** The judge's work list: progress, the device's sync state, one tile per work by its anonymous code. */
export function JudgePage() {
  return (
    <JudgingGate>
      <WorkList />
    </JudgingGate>
  );
}

function WorkList() {
  const { t } = useTranslation('judge');
  const { list: maybeList, listFrom, snap, contestId } = useJudging();
  const list = maybeList!;
  const [asking, setAsking] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(t('titleWithContest', { contest: list.contest.name }));

  const works = workViews(list, snap);
  const submitted = works.filter(isSubmitted).length;
  const assigned = works.length;
  const started = works.filter((w) => !isSubmitted(w) && w.state !== 'todo').length;
  const open = assigned - submitted;
  const judging = list.contest.status === 'judging';

  return (
    <section className="judge-list" aria-labelledby="judge-title">
      <div className="page-head">
        <h1 id="judge-title">{list.contest.name}</h1>
        {!judging && <StatusBadge status={list.contest.status as ContestStatus} />}
      </div>
      <SyncStatus />
      {listFrom === 'device' && <p className="notice notice-info">{t('list.fromDevice')}</p>}
      {!judging && <p className="notice notice-waiting">{t('list.notJudging')}</p>}
      <div className="card progress-card">
        <p className="progress-text" id="judge-progress">
          <span className="visually-hidden">{t('list.progressLabel')} </span>
          {t('list.progress', { submitted, assigned })}
        </p>
        <progress aria-labelledby="judge-progress" max={Math.max(assigned, 1)} value={submitted} />
        <p className="muted">{t('list.progressDetail', { started, todo: open - started })}</p>
        {open > 0 && judging && (
          <div className="actions">
            <button type="button" className="button button-primary" onClick={() => setAsking(true)}>
              {t('submitAll.open')}
            </button>
          </div>
        )}
      </div>
      {notice && (
        <p className="notice notice-info" role="status">
          {notice}
        </p>
      )}
      <h2>{t('list.title')}</h2>
      {works.length === 0 ? (
        <p className="empty">{t('list.empty')}</p>
      ) : (
        <ul className="work-grid">
          {works.map((w) => (
            <li key={w.item.entryId}>
              <Link
                to={`/judge/${encodeURIComponent(contestId)}/entries/${encodeURIComponent(w.item.entryId)}`}
                className={`work-tile tile-${w.state}`}
              >
                <span className="work-tile-code">{w.item.code}</span>
                <WorkStateLabel state={w.state} />
                <span className="work-tile-total">
                  {w.total === null ? '\u00a0' : t('list.total', { total: formatTotal(w.total) })}
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {asking && (
        <SubmitAllDialog
          works={works}
          criteria={judgedCriteria(list)}
          onClose={(count) => {
            setAsking(false);
            if (count) setNotice(t('submitAll.done', { count }));
          }}
        />
      )}
    </section>
  );
}
