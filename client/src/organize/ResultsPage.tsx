import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { RESULT_FLAGS, type ResultFlag } from '@pingxuan/shared';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatNumber, formatPercent, localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { LeniencyChart, ScoreHistogram } from './charts';
import { CertificateLinks } from './assign/CertificateLinks';
import { useOrganize } from './context';
import { RoundPicker, useRoundParam } from './RoundPicker';
import { EntryJudges } from './EntryJudges';
import { formatDateTime, formatScore, formatSigned, iccBand } from './format';
import { Problem } from './Problem';
import type { Named, ResultRow, ResultsPage as ResultsAnswer, ResultsSummary } from './types';
import { useLive } from './useLive';

export const PAGE_SIZE = 50;
/** The tier filter's value for "no prize". */
const UNTIERED = '_none';
const COLUMN_COUNT = 11;

/** Live results: ranking with prizes and flags, the score spread, judges' leniency and panel reliability. */
export function ResultsPage() {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest, school } = useOrganize();
  usePageTitle(t('results.title'));
  const [params, setParams] = useSearchParams();
  const tier = params.get('tier') ?? '';
  const flag = (RESULT_FLAGS as readonly string[]).includes(params.get('flag') ?? '')
    ? (params.get('flag') as ResultFlag)
    : '';
  const category = params.get('category') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);

  const round = useRoundParam();
  const query = new URLSearchParams();
  if (round) query.set('round', round);
  if (tier === UNTIERED) query.set('untiered', 'true');
  else if (tier) query.set('tier', tier);
  if (flag) query.set('flag', flag);
  if (category) query.set('category', category);
  query.set('offset', String((page - 1) * PAGE_SIZE));
  query.set('limit', String(PAGE_SIZE));
  const base = `/contests/${seg(contest.id)}`;
  const live = useLive<ResultsAnswer>(`${base}/results?${query}`, undefined, true);

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete('page');
    setParams(next, { replace: true });
  };
  const goTo = (p: number) => {
    const next = new URLSearchParams(params);
    if (p > 1) next.set('page', String(p));
    else next.delete('page');
    setParams(next);
  };

  const data = live.data;
  const name = (n: Named) => localized({ zh: n.zh, en: n.en ?? undefined }, lng);

  return (
    <section aria-labelledby="results-title">
      <div className="org-page-head">
        <h1 id="results-title">{t('results.title')}</h1>
        <RoundPicker current={data?.summary.roundId} />
        {/* A school organizer's files hold their school's entries only. */}
        <div className="org-exports" role="group" aria-label={t('results.exportLabel')}>
          <a className="button button-secondary" href={`/api${base}/results/export?format=csv`} download>
            {t('results.exportCsv')}
          </a>
          <a className="button button-secondary" href={`/api${base}/results/export?format=xlsx`} download>
            {t('results.exportXlsx')}
          </a>
        </div>
      </div>
      {school !== null && <p className="notice notice-info">{t('school.resultsNote', { school })}</p>}
      <p className="muted">
        {contest.status === 'published' ? t('results.publishedNote') : t('results.liveNote')}
        {data && ` ${t('results.computedAt', { time: formatDateTime(data.summary.computedAt, lng) })}`}
      </p>

      {live.error &&
        (live.error.status === 409 ? (
          <Problem error={live.error} hint={t('results.notComputable')} />
        ) : (
          <ErrorNotice error={live.error} onRetry={live.refresh} />
        ))}
      {!data && !live.error && <Loading />}
      {data && (
        <>
          <Summary summary={data.summary} name={name} />
          {school === null && <CertificateLinks tiers={data.summary.tiers} />}

          <section className="org-section" aria-labelledby="ranking-title">
            <h2 id="ranking-title">{t('results.rankingTitle')}</h2>
            <div className="org-filters" role="search" aria-label={t('results.filtersLabel')}>
              <div className="org-field">
                <label htmlFor="filter-tier">{t('results.filterTier')}</label>
                <select id="filter-tier" value={tier} onChange={(e) => setFilter('tier', e.target.value)}>
                  <option value="">{t('results.all')}</option>
                  {data.summary.tiers.map((x) => (
                    <option key={x.id} value={x.id}>
                      {name(x.name)}
                    </option>
                  ))}
                  <option value={UNTIERED}>{t('results.untiered')}</option>
                </select>
              </div>
              <div className="org-field">
                <label htmlFor="filter-flag">{t('results.filterFlag')}</label>
                <select id="filter-flag" value={flag} onChange={(e) => setFilter('flag', e.target.value)}>
                  <option value="">{t('results.all')}</option>
                  {RESULT_FLAGS.map((f) => (
                    <option key={f} value={f}>
                      {t(`flags.${f}`)}
                    </option>
                  ))}
                </select>
              </div>
              {contest.categories.length > 0 && (
                <div className="org-field">
                  <label htmlFor="filter-category">{t('results.filterCategory')}</label>
                  <select
                    id="filter-category"
                    value={category}
                    onChange={(e) => setFilter('category', e.target.value)}
                  >
                    <option value="">{t('results.all')}</option>
                    {contest.categories.map((c) => (
                      <option key={c.id} value={c.id}>
                        {localized(c.name, lng)}
                      </option>
                    ))}
                  </select>
                </div>
              )}
            </div>
            <RankingTable data={data} busy={live.stale} onChanged={live.refresh} />
            <Pager total={data.total} offset={data.offset} count={data.entries.length} onPage={goTo} />
          </section>

          {school === null && <Analysis summary={data.summary} name={name} />}
        </>
      )}
    </section>
  );
}

function Summary({ summary, name }: { summary: ResultsSummary; name: (n: Named) => string }) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const n = (x: number) => formatNumber(x, lng);
  const { counts } = summary;
  return (
    <>
      <div className="org-stats">
        <div className="card stat">
          <div className="stat-label">{t('results.entries')}</div>
          <div className="stat-value">{n(counts.entries)}</div>
          <div className="stat-detail">{t('results.scoresCount', { n: n(counts.scores) })}</div>
        </div>
        <div className="card stat">
          <div className="stat-label">{t('results.ranked')}</div>
          <div className="stat-value">{n(counts.ranked)}</div>
        </div>
        <div className={`card stat${counts.incomplete ? ' org-stat-alert' : ''}`}>
          <div className="stat-label">{t('results.incomplete')}</div>
          <div className="stat-value">{n(counts.incomplete)}</div>
          <div className="stat-detail">{t('results.incompleteDetail')}</div>
        </div>
      </div>
      {summary.tiers.length > 0 && (
        <ul className="org-tiers" aria-label={t('results.tiersLabel')}>
          {summary.tiers.map((x) => (
            <li key={x.id} className="card">
              <span className="org-tier-name">{name(x.name)}</span>
              <span className="org-tier-count">
                {x.quota === null ? n(x.count) : t('results.tierCount', { n: n(x.count), quota: n(x.quota) })}
              </span>
              <span className="muted">
                {x.cutoffScore === null
                  ? t('results.noCutoff')
                  : t('results.cutoff', { score: formatScore(x.cutoffScore, lng) })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function RankingTable({
  data,
  busy,
  onChanged,
}: {
  data: ResultsAnswer;
  busy: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest, school } = useOrganize();
  // A school organizer is not shown who judged their entries, so there is nothing to open.
  const judgesShown = school === null;
  const [open, setOpen] = useState<string | null>(null);
  const tierName = new Map(
    data.summary.tiers.map((x) => [x.id, localized({ zh: x.name.zh, en: x.name.en ?? undefined }, lng)]),
  );
  const categoryName = (id: string | null) => {
    const c = id ? contest.categories.find((x) => x.id === id) : undefined;
    return c ? localized(c.name, lng) : (id ?? '');
  };

  if (data.entries.length === 0) return <p className="empty">{t('results.noneMatch')}</p>;
  return (
    <div className="card table-wrap" aria-busy={busy}>
      <table className="table org-table org-results">
        <caption className="visually-hidden">{t('results.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('results.rank')}
            </th>
            <th scope="col">{t('results.code')}</th>
            <th scope="col">{t('results.entryTitle')}</th>
            <th scope="col">{t('results.teacher')}</th>
            <th scope="col">{t('results.school')}</th>
            <th scope="col">{t('results.category')}</th>
            <th scope="col" className="num">
              {t('results.score')}
            </th>
            <th scope="col">{t('results.tier')}</th>
            <th scope="col" className="num">
              {t('results.confidence')}
            </th>
            <th scope="col">{t('results.flags')}</th>
            {judgesShown && (
              <th scope="col">
                <span className="visually-hidden">{t('results.judgeScores')}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {data.entries.map((e) => {
            const expanded = open === e.entryId;
            const detailId = `judges-${e.entryId}`;
            return (
              <Fragment key={e.entryId}>
                <tr className={expanded ? 'org-row-open' : undefined}>
                  <td className="num">{e.rank ?? '—'}</td>
                  <th scope="row" className="org-code">
                    {e.code}
                  </th>
                  <td className="org-wrap">{e.title}</td>
                  <td>{e.teacherName}</td>
                  <td className="org-wrap">{e.school}</td>
                  <td>{categoryName(e.category)}</td>
                  <td className="num">{formatScore(e.score, lng)}</td>
                  <td>
                    {e.tierId ? (
                      <span className="org-tier-badge">{tierName.get(e.tierId) ?? e.tierId}</span>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td className={`num${lowConfidence(e) ? ' org-low' : ''}`}>
                    {e.tierConfidence === null ? '—' : formatPercent(e.tierConfidence, lng)}
                  </td>
                  <td>
                    {e.flags.map((f) => (
                      <span key={f} className={`org-tag org-flag-${f}`}>
                        {t(`flags.${f}`)}
                      </span>
                    ))}
                  </td>
                  {judgesShown && (
                    <td>
                      <button
                        type="button"
                        className="org-link-button"
                        aria-expanded={expanded}
                        aria-controls={expanded ? detailId : undefined}
                        onClick={() => setOpen(expanded ? null : e.entryId)}
                      >
                        {t('results.showJudges', { n: e.judgeCount })}
                        <span className="visually-hidden"> {e.code}</span>
                      </button>
                    </td>
                  )}
                </tr>
                {judgesShown && expanded && (
                  <tr className="org-detail-row">
                    <td colSpan={COLUMN_COUNT} id={detailId}>
                      <EntryJudges entry={e} roundId={data.summary.roundId} onChanged={onChanged} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A prize held with under 80 % of the bootstrap samples agreeing is worth a second look. */
const lowConfidence = (e: ResultRow) => e.tierConfidence !== null && e.tierConfidence < 0.8;

function Pager({
  total,
  offset,
  count,
  onPage,
}: {
  total: number;
  offset: number;
  count: number;
  onPage: (page: number) => void;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const page = Math.floor(offset / PAGE_SIZE) + 1;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <nav className="org-pager" aria-label={t('pager.label')}>
      <button
        type="button"
        className="button button-secondary"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        {t('pager.previous')}
      </button>
      <p aria-live="polite">
        {total === 0
          ? t('pager.none')
          : t('pager.range', {
              from: formatNumber(offset + 1, lng),
              to: formatNumber(offset + count, lng),
              total: formatNumber(total, lng),
              page: formatNumber(page, lng),
              pages: formatNumber(pages, lng),
            })}
      </p>
      <button
        type="button"
        className="button button-secondary"
        disabled={page >= pages}
        onClick={() => onPage(page + 1)}
      >
        {t('pager.next')}
      </button>
    </nav>
  );
}

function Analysis({ summary, name }: { summary: ResultsSummary; name: (n: Named) => string }) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const dist = summary.distributions.score;
  const judges = [...summary.judges].sort((a, b) => (b.leniency ?? -Infinity) - (a.leniency ?? -Infinity));
  const n = (x: number | null, digits = 2) =>
    x === null ? '—' : x.toLocaleString(lng === 'en' ? 'en' : 'zh-CN', { maximumFractionDigits: digits });

  return (
    <section className="org-section" aria-labelledby="analysis-title">
      <h2 id="analysis-title">{t('results.analysisTitle')}</h2>
      <div className="org-columns">
        <figure className="card org-figure">
          <figcaption>
            <h3>{t('charts.histogramTitle')}</h3>
            <p className="muted">
              {t('charts.histogramCaption', {
                p25: formatScore(dist.p25, lng),
                p50: formatScore(dist.p50, lng),
                p75: formatScore(dist.p75, lng),
              })}
            </p>
          </figcaption>
          <ScoreHistogram
            bins={dist.bins}
            median={dist.p50}
            cutoffs={summary.tiers
              .filter((x) => x.cutoffScore !== null)
              .map((x) => ({ label: name(x.name), score: x.cutoffScore! }))}
          />
          <details>
            <summary>{t('charts.showData')}</summary>
            <table className="table org-table">
              <thead>
                <tr>
                  <th scope="col">{t('charts.band')}</th>
                  <th scope="col" className="num">
                    {t('charts.entries')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {dist.bins.map((count, i) => (
                  <tr key={i}>
                    <th scope="row">
                      {(i * 100) / dist.bins.length}–{((i + 1) * 100) / dist.bins.length}
                    </th>
                    <td className="num">{formatNumber(count, lng)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </figure>
        <figure className="card org-figure">
          <figcaption>
            <h3>{t('charts.leniencyTitle')}</h3>
            <p className="muted">{t('charts.leniencyCaption')}</p>
          </figcaption>
          <LeniencyChart
            judges={judges.map((j) => ({ id: j.judgeId, name: j.name, leniency: j.leniency }))}
          />
        </figure>
      </div>

      <h3>{t('results.judgeStatsTitle')}</h3>
      <div className="card table-wrap">
        <table className="table org-table">
          <caption className="visually-hidden">{t('results.judgeStatsTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('results.judge')}</th>
              <th scope="col" className="num">
                {t('results.judgeCount')}
              </th>
              <th scope="col" className="num">
                {t('results.judgeMean')}
              </th>
              <th scope="col" className="num">
                {t('results.judgeSd')}
              </th>
              <th scope="col" className="num">
                {t('results.leniency')}
              </th>
              <th scope="col" className="num">
                {t('results.consistency')}
              </th>
            </tr>
          </thead>
          <tbody>
            {judges.map((j) => (
              <tr key={j.judgeId}>
                <th scope="row">{j.name}</th>
                <td className="num">{formatNumber(j.count, lng)}</td>
                <td className="num">{formatScore(j.mean, lng)}</td>
                <td className="num">{n(j.sd)}</td>
                <td className="num">{j.leniency === null ? '—' : formatSigned(j.leniency, lng)}</td>
                <td className={`num${j.consistency !== null && j.consistency < 0.5 ? ' org-low' : ''}`}>
                  {n(j.consistency)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted org-note">{t('results.judgeStatsNote')}</p>

      <h3>{t('results.reliabilityTitle')}</h3>
      {summary.reliability.length === 0 ? (
        <p className="empty">{t('results.reliabilityNone')}</p>
      ) : (
        <div className="card table-wrap">
          <table className="table org-table">
            <caption className="visually-hidden">{t('results.reliabilityTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('results.panelJudges')}</th>
                <th scope="col" className="num">
                  {t('results.panelEntries')}
                </th>
                <th scope="col" className="num">
                  ICC
                </th>
                <th scope="col">{t('results.iccReading')}</th>
              </tr>
            </thead>
            <tbody>
              {summary.reliability.map((p) => (
                <tr key={p.judges.map((j) => j.id).join()}>
                  <th scope="row">{p.judges.map((j) => j.name).join(t('listSeparator'))}</th>
                  <td className="num">{formatNumber(p.entryCount, lng)}</td>
                  <td className="num">{n(p.icc, 3)}</td>
                  <td>
                    {p.icc === null ? (
                      <span className="muted">{t('icc.undefined')}</span>
                    ) : (
                      <span className={`org-tag org-icc-${iccBand(p.icc)}`}>
                        {t(`icc.${iccBand(p.icc)}`)}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted org-note">{t('results.reliabilityNote')}</p>
    </section>
  );
}
