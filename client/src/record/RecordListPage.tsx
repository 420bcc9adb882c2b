import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { entryProgress, matchesCode } from './recording';
import { RecordHeader, stationName } from './RecordHeader';
import { cellKey, useRecording } from './useRecording';

/** "Not in any station": the select's value for entries without a category. */
const NO_STATION = '-';

/**
 * The recorder's list: find an entry by its code, narrow to a station, see what is left to record.
 * Filters live in the address (?q=&station=&left=1) so the back button from an entry keeps them.
 */
export function RecordListPage() {
  const { t } = useTranslation('record');
  const lng = useLanguage();
  const { contestId, state, drafts } = useRecording();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const searchId = useId();
  const stationId = useId();
  const [query, setQuery] = useState(params.get('q') ?? '');
  const station = params.get('station') ?? '';
  const onlyLeft = params.get('left') === '1';
  usePageTitle(t('title'));

  const setParam = (name: string, value: string | null) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={() => location.reload()} />;
  const { list, contest } = state.sheet;
  const categories = contest?.categories ?? [];
  const hasUnstationed = list.entries.some(
    (e) => !e.category || !categories.some((c) => c.id === e.category),
  );

  const rows = list.entries.map((e) => ({
    entry: e,
    progress: entryProgress(e, list.criteria, list.doubleEntry),
    unsaved: list.criteria.filter((c) => {
      const d = drafts.get(cellKey(e.entryId, c.id));
      return d && d.phase !== 'editing';
    }).length,
  }));
  const leftTotal = rows.reduce((s, r) => s + r.progress.left, 0);
  const cellsTotal = rows.reduce((s, r) => s + r.progress.total, 0);
  const shown = rows.filter(
    (r) =>
      matchesCode(r.entry.code, query) &&
      (!station ||
        (station === NO_STATION
          ? !r.entry.category || !categories.some((c) => c.id === r.entry.category)
          : r.entry.category === station)) &&
      (!onlyLeft || r.progress.left > 0 || r.progress.disagreements > 0 || r.unsaved > 0),
  );

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setParam('q', query.trim() || null);
    // One entry found: straight to it, as a recorder at the bench wants.
    if (shown.length === 1)
      void navigate(`/record/${seg(contestId)}/entries/${seg(shown[0]!.entry.entryId)}`);
  };

  return (
    <>
      <RecordHeader>
        <h1>{t('title')}</h1>
      </RecordHeader>
      {list.criteria.length === 0 ? (
        <p className="notice notice-info">{t('list.noCriteria')}</p>
      ) : (
        <p className="record-progress" aria-live="polite">
          {leftTotal === 0 ? t('list.allDone') : t('list.left', { left: leftTotal, total: cellsTotal })}
        </p>
      )}

      <form className="record-filters" role="search" onSubmit={onSearch}>
        <div className="field">
          <label htmlFor={searchId}>{t('list.search')}</label>
          <div className="record-search">
            <input
              id={searchId}
              type="search"
              autoComplete="off"
              autoCapitalize="characters"
              enterKeyHint="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              placeholder={t('list.searchHint')}
            />
            <button type="submit" className="button button-secondary">
              {t('list.find')}
            </button>
          </div>
        </div>
        {(categories.length > 0 || hasUnstationed) && (
          <div className="field">
            <label htmlFor={stationId}>{t('list.station')}</label>
            <select
              id={stationId}
              className="record-select"
              value={station}
              onChange={(e) => setParam('station', e.target.value || null)}
            >
              <option value="">{t('list.allStations')}</option>
              {categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {localized(c.name, lng)}
                </option>
              ))}
              {hasUnstationed && categories.length > 0 && (
                <option value={NO_STATION}>{t('list.noStation')}</option>
              )}
            </select>
          </div>
        )}
        <label className="record-check">
          <input
            type="checkbox"
            checked={onlyLeft}
            onChange={(e) => setParam('left', e.target.checked ? '1' : null)}
          />
          {t('list.onlyLeft')}
        </label>
      </form>

      {shown.length === 0 ? (
        <p className="empty">{list.entries.length === 0 ? t('list.noEntries') : t('list.noMatch')}</p>
      ) : (
        <ul className="record-list" aria-label={t('list.entries', { count: shown.length })}>
          {shown.map(({ entry, progress, unsaved }) => {
            const name = stationName(entry.category, categories, lng);
            return (
              <li key={entry.entryId}>
                <Link
                  className="record-row"
                  to={`entries/${seg(entry.entryId)}`}
                  state={{ search: params.size ? `?${params.toString()}` : '' }}
                >
                  <span className="record-row-code">{entry.code}</span>
                  {name && <span className="record-row-station">{name}</span>}
                  <span className="record-row-state">
                    {unsaved > 0 && (
                      <span className="record-tag tag-error">{t('list.unsaved', { count: unsaved })}</span>
                    )}
                    {progress.disagreements > 0 && (
                      <span className="record-tag tag-warn">
                        {t('list.disagreements', { count: progress.disagreements })}
                      </span>
                    )}
                    {progress.total > 0 &&
                      (progress.left === 0 ? (
                        <span className="record-tag tag-done">{t('list.done')}</span>
                      ) : (
                        <span className="record-tag">
                          {t('list.entryLeft', { left: progress.left, total: progress.total })}
                        </span>
                      ))}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
