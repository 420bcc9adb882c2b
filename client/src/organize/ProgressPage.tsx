import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatNumber, formatPercent, localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { RoundPicker, useRoundParam } from './RoundPicker';
import { formatAgo, formatTime, share, sortJudges, type SortKey } from './format';
import type { ProgressReport } from './types';
import { useLive } from './useLive';

export const REFRESH_MS = 15_000;

/** Who has scored how much: totals, every judge (the ones behind first and marked), panels and categories. */
export function ProgressPage() {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  usePageTitle(t('progress.title'));
  const round = useRoundParam();
  const live = useLive<ProgressReport>(
    `/contests/${seg(contest.id)}/progress${round ? `?round=${seg(round)}` : ''}`,
    REFRESH_MS,
  );
  const report = live.data;

  return (
    <section aria-labelledby="progress-title">
      <div className="org-page-head">
        <h1 id="progress-title">{t('progress.title')}</h1>
        <div className="org-refresh">
          <RoundPicker current={report?.roundId} />
          <p className="muted">
            {live.updatedAt && t('progress.updated', { time: formatTime(live.updatedAt, lng) })}{' '}
            {live.paused ? t('progress.paused') : t('progress.auto', { seconds: REFRESH_MS / 1000 })}
          </p>
          <button
            type="button"
            className="button button-secondary"
            onClick={live.refresh}
            disabled={live.refreshing}
          >
            {live.refreshing ? t('progress.refreshing') : t('progress.refresh')}
          </button>
        </div>
      </div>
      {live.error && (
        <ErrorNotice
          error={live.error}
          message={report ? t('progress.refreshFailed') : undefined}
          onRetry={live.refresh}
        />
      )}
      {!report && !live.error && <Loading />}
      {report && <Board report={report} now={live.updatedAt ?? new Date(0)} />}
    </section>
  );
}

function Board({ report, now }: { report: ProgressReport; now: Date }) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const { totals, entries } = report;
  const behind = report.judges.filter((j) => j.behind).length;
  const n = (x: number) => formatNumber(x, lng);
  const categoryName = (id: string | null) => {
    if (!id) return t('progress.noCategory');
    const c = contest.categories.find((x) => x.id === id);
    return c ? localized(c.name, lng) : id;
  };
  const entryParts = [
    { key: 'complete', value: entries.complete, label: t('progress.entriesComplete') },
    { key: 'started', value: entries.started, label: t('progress.entriesStarted') },
    { key: 'notStarted', value: entries.notStarted, label: t('progress.entriesNotStarted') },
    { key: 'unassigned', value: entries.unassigned, label: t('progress.entriesUnassigned') },
  ];
  const entryTotal = entryParts.reduce((s, p) => s + p.value, 0);

  return (
    <>
      <div className="org-stats">
        <div className="card stat">
          <div className="stat-label">{t('progress.scores')}</div>
          <div className="stat-value">{formatPercent(share(totals.submitted, totals.assignments), lng)}</div>
          <div className="stat-detail">
            {t('progress.scoresDetail', { submitted: n(totals.submitted), assigned: n(totals.assignments) })}
          </div>
        </div>
        <div className="card stat">
          <div className="stat-label">{t('progress.entriesDone')}</div>
          <div className="stat-value">{n(entries.complete)}</div>
          <div className="stat-detail">{t('progress.ofEntries', { total: n(totals.entries) })}</div>
        </div>
        <div className="card stat">
          <div className="stat-label">{t('progress.drafts')}</div>
          <div className="stat-value">{n(totals.drafts)}</div>
          <div className="stat-detail">{t('progress.draftsDetail')}</div>
        </div>
        <div className={`card stat${behind ? ' org-stat-alert' : ''}`}>
          <div className="stat-label">{t('progress.behindJudges')}</div>
          <div className="stat-value">{n(behind)}</div>
          <div className="stat-detail">{t('progress.behindDetail')}</div>
        </div>
      </div>

      <section className="card org-section" aria-labelledby="entries-state-title">
        <h2 id="entries-state-title">{t('progress.entriesTitle')}</h2>
        <div className="org-stack" aria-hidden="true">
          {entryParts.map((p) =>
            p.value > 0 ? (
              <span
                key={p.key}
                className={`org-stack-${p.key}`}
                style={{ flexGrow: p.value }}
                title={`${p.label} ${n(p.value)}`}
              />
            ) : null,
          )}
        </div>
        <ul className="org-legend">
          {entryParts.map((p) => (
            <li key={p.key}>
              <span className={`org-swatch org-stack-${p.key}`} aria-hidden="true" />
              {p.label} <strong>{n(p.value)}</strong>
              <span className="muted"> ({formatPercent(share(p.value, entryTotal), lng)})</span>
            </li>
          ))}
        </ul>
      </section>

      <JudgeTable report={report} now={now} />

      <div className="org-columns">
        <section className="card org-section" aria-labelledby="panels-title">
          <h2 id="panels-title">{t('progress.panelsTitle')}</h2>
          {report.panels.length === 0 ? (
            <p className="empty">{t('progress.noJudges')}</p>
          ) : (
            <ul className="org-bars">
              {report.panels.map((p) => (
                <BarRow
                  key={p.panelId ?? 'none'}
                  label={p.panelName ?? t('progress.noPanel')}
                  note={t('progress.panelJudges', { n: n(p.judges) })}
                  value={p.submitted}
                  total={p.assigned}
                />
              ))}
            </ul>
          )}
        </section>
        <section className="card org-section" aria-labelledby="categories-title">
          <h2 id="categories-title">{t('progress.categoriesTitle')}</h2>
          {report.categories.length === 0 ? (
            <p className="empty">{t('progress.noEntries')}</p>
          ) : (
            <ul className="org-bars">
              {report.categories.map((c) => (
                <BarRow
                  key={c.category ?? 'none'}
                  label={categoryName(c.category)}
                  note={t('progress.categoryNote')}
                  value={c.complete}
                  total={c.entries}
                />
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

/** A labelled share: the numbers are written out, the bar only repeats them for the eye. */
function BarRow({
  label,
  note,
  value,
  total,
}: {
  label: string;
  note: string;
  value: number;
  total: number;
}) {
  const lng = useLanguage();
  const { t } = useTranslation('organize');
  const s = share(value, total);
  return (
    <li className="org-bar-row">
      <div className="org-bar-label">
        <span className="org-bar-name">{label}</span>
        <span className="muted">{note}</span>
        <span className="org-bar-figure">
          {t('progress.fraction', { value: formatNumber(value, lng), total: formatNumber(total, lng) })} ·{' '}
          {formatPercent(s, lng)}
        </span>
      </div>
      <div className="org-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, s * 100)}%` }} />
      </div>
    </li>
  );
}

const COLUMNS: { key: SortKey | null; label: string; num?: boolean }[] = [
  { key: 'name', label: 'progress.judge' },
  { key: 'panel', label: 'progress.panel' },
  { key: null, label: 'progress.submitted', num: true },
  { key: null, label: 'progress.draftsColumn', num: true },
  { key: 'done', label: 'progress.done' },
  { key: 'lastActivity', label: 'progress.lastActivity' },
];

function JudgeTable({ report, now }: { report: ProgressReport; now: Date }) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  // The least done first, as the server sends them: the judges to call are at the top.
  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({ key: 'done', ascending: true });
  const judges = sortJudges(report.judges, sort.key, sort.ascending);
  const n = (x: number) => formatNumber(x, lng);

  return (
    <section className="org-section" aria-labelledby="judges-title">
      <h2 id="judges-title">{t('progress.judgesTitle')}</h2>
      {judges.length === 0 ? (
        <p className="empty">{t('progress.noJudges')}</p>
      ) : (
        <div className="card table-wrap">
          <table className="table org-table">
            <caption className="visually-hidden">{t('progress.judgesCaption')}</caption>
            <thead>
              <tr>
                {COLUMNS.map((c) => {
                  const label = t(c.label as 'progress.judge');
                  if (!c.key)
                    return (
                      <th key={c.label} scope="col" className={c.num ? 'num' : undefined}>
                        {label}
                      </th>
                    );
                  const active = sort.key === c.key;
                  return (
                    <th
                      key={c.label}
                      scope="col"
                      aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : undefined}
                    >
                      <button
                        type="button"
                        className="org-sort"
                        onClick={() =>
                          setSort({
                            key: c.key!,
                            ascending: active ? !sort.ascending : c.key !== 'lastActivity',
                          })
                        }
                      >
                        {label}
                        <span aria-hidden="true">{active ? (sort.ascending ? ' ▲' : ' ▼') : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody>
              {judges.map((j) => (
                <tr
                  key={j.judgeId}
                  className={j.behind ? 'org-row-behind' : !j.active ? 'org-row-inactive' : undefined}
                >
                  <th scope="row">
                    {j.name}
                    {j.behind && <span className="org-tag org-tag-behind">{t('progress.behind')}</span>}
                    {!j.active && <span className="org-tag">{t('progress.inactive')}</span>}
                  </th>
                  <td>{j.panelName ?? <span className="muted">{t('progress.noPanel')}</span>}</td>
                  <td className="num">
                    {t('progress.fraction', { value: n(j.submitted), total: n(j.assigned) })}
                  </td>
                  <td className="num">{n(j.drafts)}</td>
                  <td>
                    <div className="org-done">
                      <div className="org-bar org-bar-small" aria-hidden="true">
                        <span style={{ width: `${Math.min(100, j.done * 100)}%` }} />
                      </div>
                      <span>{formatPercent(j.done, lng)}</span>
                    </div>
                  </td>
                  <td>
                    {j.lastActivityAt ? (
                      <time dateTime={j.lastActivityAt} title={new Date(j.lastActivityAt).toLocaleString()}>
                        {formatAgo(j.lastActivityAt, now, lng)}
                      </time>
                    ) : (
                      <span className="muted">{t('progress.never')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
