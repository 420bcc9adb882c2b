import type { Distribution } from '@pingxuan/shared';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n';
import { formatNumber } from '../localized';

export type ChartRow = {
  id: string;
  name: string;
  max: number;
  /** The teacher's entry: its mean on this criterion (or its total), null when nobody scored it. */
  value: number | null;
  cohort: Distribution;
};

/** Plot coordinates: 0..1000 across, 0..H down; drawn unscaled vertically, stretched to the width. */
const W = 1000;
const H = 60;
const HIST_TOP = 4;
const HIST_BOTTOM = 34;
const BOX_TOP = 40;
const BOX_BOTTOM = 56;

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Each criterion as a strip from 0 to its maximum: the cohort's histogram, a box from the 25th to the 75th
 * percentile with the median, and the teacher's own value as an orange line. The numbers are in the text
 * beside each strip and in a table, so the drawing itself is decoration for screen readers.
 */
export function CriteriaChart({ rows }: { rows: ChartRow[] }) {
  const { t } = useTranslation('public');
  const lng = useLanguage();
  const num = (n: number | null) => (n === null ? t('feedback.none') : formatNumber(n, lng));

  return (
    <figure className="criteria-chart" aria-labelledby="criteria-chart-title">
      <figcaption>
        <h3 id="criteria-chart-title">{t('feedback.chartTitle')}</h3>
        <p className="muted">{t('feedback.chartIntro')}</p>
        <ul className="chart-legend" aria-hidden="true">
          <li>
            <span className="legend-swatch legend-cohort" />
            {t('feedback.legendCohort')}
          </li>
          <li>
            <span className="legend-swatch legend-box" />
            {t('feedback.legendBox')}
          </li>
          <li>
            <span className="legend-swatch legend-median" />
            {t('feedback.legendMedian')}
          </li>
          <li>
            <span className="legend-swatch legend-yours" />
            {t('feedback.legendYours')}
          </li>
        </ul>
      </figcaption>
      <ul className="chart-rows">
        {rows.map((r, i) => (
          <li key={r.id} className={`chart-row${i === 0 ? ' chart-row-total' : ''}`} data-criterion={r.id}>
            <div className="chart-label">
              <span className="chart-name">{r.name}</span>
              <span className="chart-yours">
                {r.value === null
                  ? t('feedback.yoursNone')
                  : t('feedback.yours', { value: num(r.value), max: num(r.max) })}
              </span>
              <span className="chart-cohort muted">
                {r.cohort.count === 0
                  ? t('feedback.cohortNone')
                  : t('feedback.cohort', {
                      median: num(r.cohort.p50),
                      from: num(r.cohort.p25),
                      to: num(r.cohort.p75),
                    })}
              </span>
            </div>
            <div className="chart-plot">
              <Strip row={r} />
              <div className="chart-axis" aria-hidden="true">
                <span>0</span>
                <span>{num(r.max / 2)}</span>
                <span>{num(r.max)}</span>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <details className="chart-table">
        <summary>{t('feedback.tableToggle')}</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('feedback.tableCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('feedback.criterion')}</th>
                <th scope="col" className="num">
                  {t('feedback.yourValue')}
                </th>
                <th scope="col" className="num">
                  {t('feedback.max')}
                </th>
                <th scope="col" className="num">
                  {t('feedback.p25')}
                </th>
                <th scope="col" className="num">
                  {t('feedback.median')}
                </th>
                <th scope="col" className="num">
                  {t('feedback.p75')}
                </th>
                <th scope="col" className="num">
                  {t('feedback.cohortMean')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td className="num">{num(r.value)}</td>
                  <td className="num">{num(r.max)}</td>
                  <td className="num">{num(r.cohort.p25)}</td>
                  <td className="num">{num(r.cohort.p50)}</td>
                  <td className="num">{num(r.cohort.p75)}</td>
                  <td className="num">{num(r.cohort.mean)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function Strip({ row }: { row: ChartRow }) {
  const { max, value, cohort } = row;
  const x = (v: number) => clamp01(v / max) * W;
  const peak = Math.max(1, ...cohort.bins);
  const binWidth = W / Math.max(1, cohort.bins.length);
  const hasBox = cohort.p25 !== null && cohort.p75 !== null && cohort.p50 !== null;
  return (
    <svg
      className="chart-strip"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
    >
      <line
        className="chart-baseline"
        x1={0}
        x2={W}
        y1={HIST_BOTTOM}
        y2={HIST_BOTTOM}
        vectorEffect="non-scaling-stroke"
      />
      {cohort.bins.map((n, i) => {
        const h = ((HIST_BOTTOM - HIST_TOP) * n) / peak;
        return n > 0 ? (
          <rect
            key={i}
            className="chart-bin"
            x={i * binWidth + 2}
            width={Math.max(1, binWidth - 4)}
            y={HIST_BOTTOM - h}
            height={h}
          />
        ) : null;
      })}
      {hasBox && (
        <>
          <rect
            className="chart-box"
            x={x(cohort.p25!)}
            width={Math.max(2, x(cohort.p75!) - x(cohort.p25!))}
            y={BOX_TOP}
            height={BOX_BOTTOM - BOX_TOP}
            vectorEffect="non-scaling-stroke"
          />
          <line
            className="chart-median"
            x1={x(cohort.p50!)}
            x2={x(cohort.p50!)}
            y1={BOX_TOP - 2}
            y2={BOX_BOTTOM + 2}
            vectorEffect="non-scaling-stroke"
          />
        </>
      )}
      {value !== null && (
        <line
          className="chart-yours-mark"
          x1={x(value)}
          x2={x(value)}
          y1={0}
          y2={H}
          vectorEffect="non-scaling-stroke"
          data-value={value}
        />
      )}
    </svg>
  );
}
