import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalibrationReport, Panel } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../../api';
import { ErrorNotice, Loading } from '../../components/Status';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { useOrganize } from '../context';
import { Dialog } from '../Dialog';
import { formatDateTime, formatScore, formatSigned } from '../format';
import { Problem } from '../Problem';
import { deviationLimit } from './logic';
import { hintFor } from './PlanSection';
import type { Fetched } from './useFetched';

/**
 * The calibration works: each judge against the rest of the panel on the same works (signed mean deviation,
 * coloured and drawn), every work's totals, and the release of the rest of the round.
 */
export function CalibrationSection({
  report,
  round,
  panels,
  onReleased,
}: {
  report: Fetched<CalibrationReport>;
  round: string | null;
  panels: readonly Panel[];
  onReleased: () => void;
}) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const data = report.latest;
  const n = (x: number) => formatNumber(x, lng);

  async function release() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/contests/${seg(contest.id)}/assignments/calibration/release`, round ? { round } : {});
      setConfirming(false);
      onReleased();
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  let body;
  if (!data) body = report.error ? <ErrorNotice error={report.error} onRetry={report.reload} /> : <Loading />;
  else if (data.entries.length === 0) body = <p className="empty">{t('calibration.none')}</p>;
  else {
    const assigned = data.judges.reduce((s, j) => s + j.assigned, 0);
    const scored = data.judges.reduce((s, j) => s + j.scored, 0);
    const panelName = (id: string | null) =>
      id ? (panels.find((p) => p.id === id)?.name ?? t('loads.unknownPanel')) : t('loads.noPanel');
    const order = (id: string | null) => {
      const i = panels.findIndex((p) => p.id === id);
      return i < 0 ? panels.length : i;
    };
    const judges = [...data.judges].sort(
      (a, b) =>
        order(a.panelId) - order(b.panelId) ||
        byDeviation(a.meanDeviation, b.meanDeviation) ||
        a.name.localeCompare(b.name, 'zh'),
    );
    const limit = deviationLimit(judges.map((j) => j.meanDeviation));
    body = (
      <>
        {data.released ? (
          <p className="notice notice-info">
            {t('calibration.released', { time: data.releasedAt ? formatDateTime(data.releasedAt, lng) : '' })}
          </p>
        ) : (
          <p className="notice notice-waiting">{t('calibration.waiting', { n: n(data.entries.length) })}</p>
        )}
        <p>
          {t('calibration.progress', {
            scored: n(scored),
            assigned: n(assigned),
            works: n(data.entries.length),
          })}
        </p>
        <div className="card table-wrap" aria-busy={report.loading}>
          <table className="table org-table asg-calibration">
            <caption className="visually-hidden">{t('calibration.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('calibration.judge')}</th>
                <th scope="col">{t('calibration.panel')}</th>
                <th scope="col" className="num">
                  {t('calibration.scored')}
                </th>
                <th scope="col" className="num">
                  {t('calibration.mean')}
                </th>
                <th scope="col" className="num">
                  {t('calibration.meanAbs')}
                </th>
                <th scope="col">{t('calibration.chart')}</th>
              </tr>
            </thead>
            <tbody>
              {judges.map((j) => (
                <tr key={j.judgeId}>
                  <th scope="row">{j.name || j.judgeId}</th>
                  <td>{panelName(j.panelId)}</td>
                  <td className="num">
                    {n(j.scored)} / {n(j.assigned)}
                  </td>
                  <td className={`num ${deviationClass(j.meanDeviation)}`}>
                    {j.meanDeviation === null ? '—' : formatSigned(j.meanDeviation, lng)}
                    {j.meanDeviation !== null && j.meanDeviation !== 0 && (
                      <span className="visually-hidden">
                        {j.meanDeviation > 0 ? t('calibration.higher') : t('calibration.lower')}
                      </span>
                    )}
                  </td>
                  <td className="num">
                    {j.meanAbsDeviation === null ? '—' : formatScore(j.meanAbsDeviation, lng)}
                  </td>
                  <td>
                    <DeviationBar value={j.meanDeviation} limit={limit} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted org-note">{t('calibration.note', { limit: formatScore(limit, lng) })}</p>

        <details className="asg-details">
          <summary>{t('calibration.perWork', { n: n(data.entries.length) })}</summary>
          <div className="table-wrap">
            <table className="table org-table">
              <caption className="visually-hidden">{t('calibration.perWorkCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('calibration.work')}</th>
                  <th scope="col">{t('calibration.judge')}</th>
                  <th scope="col" className="num">
                    {t('calibration.total')}
                  </th>
                  <th scope="col" className="num">
                    {t('calibration.deviation')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.entries.map((e) => (
                  <Fragment key={e.entryId}>
                    {e.judges.length === 0 && (
                      <tr>
                        <th scope="row" className="org-code">
                          {e.code}
                        </th>
                        <td colSpan={3} className="muted">
                          {t('calibration.noJudges')}
                        </td>
                      </tr>
                    )}
                    {e.judges.map((j, i) => (
                      <tr key={j.judgeId} className={i === 0 ? 'asg-group-start' : undefined}>
                        {i === 0 && (
                          <th scope="rowgroup" rowSpan={e.judges.length} className="org-code">
                            {e.code}
                          </th>
                        )}
                        <td>{j.name || j.judgeId}</td>
                        <td className="num">
                          {j.total === null ? (
                            <span className="muted">{t('calibration.notYet')}</span>
                          ) : (
                            formatScore(j.total, lng)
                          )}
                        </td>
                        <td className={`num ${deviationClass(j.deviation)}`}>
                          {j.deviation === null ? '—' : formatSigned(j.deviation, lng)}
                        </td>
                      </tr>
                    ))}
                  </Fragment>
                ))}
              </tbody>
            </table>
          </div>
        </details>

        <div className="actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={report.reload}
            disabled={report.loading}
          >
            {report.loading ? t('calibration.refreshing') : t('calibration.refresh')}
          </button>
          {!data.released && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setError(null);
                setConfirming(true);
              }}
            >
              {t('calibration.release')}
            </button>
          )}
        </div>
        {confirming && (
          <Dialog
            title={t('calibration.confirmTitle')}
            confirmLabel={t('calibration.confirm')}
            busyLabel={t('calibration.releasing')}
            busy={busy}
            onConfirm={() => void release()}
            onClose={() => setConfirming(false)}
          >
            <ul className="org-effects">
              <li>{t('calibration.effectOpen')}</li>
              <li>{t('calibration.effectFinal')}</li>
              {scored < assigned && (
                <li className="org-warning">
                  {t('calibration.effectUnscored', { n: n(assigned - scored) })}
                </li>
              )}
            </ul>
            {error && <Problem error={error} hint={hintFor(t, error)} />}
          </Dialog>
        )}
      </>
    );
  }

  return (
    <section className="card org-section asg-section" id="calibration" aria-labelledby="calibration-title">
      <h2 id="calibration-title">{t('calibration.title')}</h2>
      <p className="muted">{t('calibration.intro')}</p>
      {body}
    </section>
  );
}

/** Highest deviation first; judges without one (nothing comparable scored yet) last. */
const byDeviation = (a: number | null, b: number | null) =>
  a === null ? (b === null ? 0 : 1) : b === null ? -1 : b - a;

const deviationClass = (v: number | null) =>
  v === null || v === 0 ? '' : v > 0 ? 'asg-dev-high' : 'asg-dev-low';

/** A small diverging bar around 0 for one judge; the number beside it says the same for screen readers. */
function DeviationBar({ value, limit }: { value: number | null; limit: number }) {
  const W = 140;
  const H = 18;
  const x = (v: number) => ((Math.max(-limit, Math.min(limit, v)) + limit) / (2 * limit)) * W;
  const zero = x(0);
  return (
    <svg
      className="asg-devbar"
      width={W}
      height={H}
      viewBox={`0 0 ${W} ${H}`}
      aria-hidden="true"
      focusable="false"
    >
      <line className="asg-devbar-axis" x1={0} x2={W} y1={H / 2} y2={H / 2} />
      {value !== null && (
        <rect
          className={value >= 0 ? 'asg-devbar-high' : 'asg-devbar-low'}
          x={Math.min(zero, x(value))}
          width={Math.max(1.5, Math.abs(x(value) - zero))}
          y={3}
          height={H - 6}
          rx={2}
        />
      )}
      <line className="asg-devbar-zero" x1={zero} x2={zero} y1={0} y2={H} />
    </svg>
  );
}
