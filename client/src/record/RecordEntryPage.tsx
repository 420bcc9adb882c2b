import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';
import { MeasurementCard } from './MeasurementCard';
import { entryProgress } from './recording';
import { RecordHeader, stationName } from './RecordHeader';
import { useRecording } from './useRecording';

/** One entry's measurement criteria, each with its own control, preview and save. */
export function RecordEntryPage() {
  const { t } = useTranslation('record');
  const lng = useLanguage();
  const entryId = useParams().entryId ?? '';
  const { contestId, state, reload } = useRecording();
  const back = useLocation().state as { search?: string } | null;
  const sheet = state.status === 'ok' ? state.sheet : null;
  const index = sheet ? sheet.list.entries.findIndex((e) => e.entryId === entryId) : -1;
  const entry = sheet && index >= 0 ? sheet.list.entries[index]! : null;
  usePageTitle(entry ? t('entry.pageTitle', { code: entry.code }) : t('title'));

  if (state.status === 'loading' || !sheet) {
    return state.status === 'error' ? <ErrorNotice error={state.error} onRetry={reload} /> : <Loading />;
  }
  const listLink = `/record/${seg(contestId)}${back?.search ?? ''}`;
  if (!entry) {
    return (
      <>
        <ErrorNotice message={t('entry.notFound')} />
        <Link className="button button-secondary" to={listLink}>
          {t('entry.back')}
        </Link>
      </>
    );
  }
  const { list, contest } = sheet;
  const station = stationName(entry.category, contest?.categories ?? [], lng);
  // The next entry still needing this recorder, after this one in code order (then from the start).
  const after = [...list.entries.slice(index + 1), ...list.entries.slice(0, index)];
  const next = after.find((e) => entryProgress(e, list.criteria, list.doubleEntry).left > 0);

  return (
    <>
      <p className="back">
        <Link to={listLink}>{t('entry.back')}</Link>
      </p>
      <RecordHeader>
        <h1 className="record-entry-title">
          {t('entry.title', { code: entry.code })}
          {station && <span className="record-entry-station">{station}</span>}
        </h1>
      </RecordHeader>
      {list.criteria.length === 0 && <p className="notice notice-info">{t('list.noCriteria')}</p>}
      {list.criteria.map((c) => (
        <MeasurementCard
          key={c.id}
          entryId={entry.entryId}
          criterion={c}
          cell={entry.cells[c.id]}
          doubleEntry={list.doubleEntry}
          canRecord={list.contest.status === 'judging'}
        />
      ))}
      <nav className="record-next" aria-label={t('entry.moreNav')}>
        {next ? (
          <Link
            className="button button-secondary button-block"
            to={`/record/${seg(contestId)}/entries/${seg(next.entryId)}`}
            state={back}
          >
            {t('entry.next', { code: next.code })}
          </Link>
        ) : (
          <p className="muted">{t('entry.noneLeft')}</p>
        )}
      </nav>
    </>
  );
}
