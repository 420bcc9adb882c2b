import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../i18n';
import { formatNumber } from '../localized';
import { formatScore, formatSigned, niceStep, ticks } from './format';

// Hand-written SVG drawn at the container's own width, so text keeps the page's size at any width.
const MIN_WIDTH = 280;

/** The width of the element, followed as the layout changes (tablet rotation, window resize). */
function useWidth(initial: number): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(MIN_WIDTH, Math.floor(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/**
 * Ranked entries per 10-point band of the 0–100 score, with each prize's cut-off drawn where it falls.
 * Screen readers get a summary (title and description); the numbers are in the table beside it.
 */
export function ScoreHistogram({
  bins,
  median,
  cutoffs,
}: {
  bins: number[];
  median: number | null;
  cutoffs: { label: string; score: number }[];
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const titleId = useId();
  const descId = useId();
  const [box, W] = useWidth(520);
  const H = 280;
  const m = { left: 44, right: 16, top: 20 + cutoffs.length * 16, bottom: 44 };
  const innerW = W - m.left - m.right;
  const innerH = H - m.top - m.bottom;
  const maxCount = Math.max(1, ...bins);
  const yTicks = ticks(maxCount, 4).filter((v) => Number.isInteger(v));
  const yTop = yTicks[yTicks.length - 1]!;
  const x = (score: number) => m.left + (Math.min(100, Math.max(0, score)) / 100) * innerW;
  const y = (count: number) => m.top + innerH - (count / yTop) * innerH;
  const bw = innerW / bins.length;
  const total = bins.reduce((s, b) => s + b, 0);
  const peak = bins.indexOf(Math.max(...bins));
  const band = (i: number) => `${(i * 100) / bins.length}–${((i + 1) * 100) / bins.length}`;

  return (
    <div ref={box} className="org-chart-box">
      <svg
        className="org-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        width={W}
        height={H}
      >
        <title id={titleId}>{t('charts.histogramTitle')}</title>
        <desc id={descId}>
          {total === 0
            ? t('charts.histogramEmpty')
            : t('charts.histogramDesc', {
                total: formatNumber(total, lng),
                band: band(peak),
                n: formatNumber(bins[peak]!, lng),
                median: formatScore(median, lng),
              })}
        </desc>
        {yTicks.map((v) => (
          <g key={v} className="org-chart-grid">
            <line x1={m.left} x2={W - m.right} y1={y(v)} y2={y(v)} />
            <text x={m.left - 6} y={y(v)} dy="0.35em" textAnchor="end">
              {formatNumber(v, lng)}
            </text>
          </g>
        ))}
        {bins.map((count, i) =>
          count > 0 ? (
            <rect
              key={i}
              className="org-chart-bar"
              x={m.left + i * bw + 2}
              width={bw - 4}
              y={y(count)}
              height={m.top + innerH - y(count)}
            >
              <title>{t('charts.binTooltip', { band: band(i), n: formatNumber(count, lng) })}</title>
            </rect>
          ) : null,
        )}
        {bins.map((_, i) => (
          <text
            key={i}
            className="org-chart-axis"
            x={x((i * 100) / bins.length)}
            y={H - m.bottom + 18}
            textAnchor="middle"
          >
            {(i * 100) / bins.length}
          </text>
        ))}
        <text className="org-chart-axis" x={x(100)} y={H - m.bottom + 18} textAnchor="middle">
          100
        </text>
        <text className="org-chart-axis-title" x={m.left + innerW / 2} y={H - 6} textAnchor="middle">
          {t('charts.scoreAxis')}
        </text>
        <line className="org-chart-baseline" x1={m.left} x2={W - m.right} y1={y(0)} y2={y(0)} />
        {median !== null && (
          <line className="org-chart-median" x1={x(median)} x2={x(median)} y1={m.top} y2={y(0)}>
            <title>{t('charts.median', { score: formatScore(median, lng) })}</title>
          </line>
        )}
        {cutoffs.map((c, i) => (
          <g key={c.label} className="org-chart-cutoff">
            <line x1={x(c.score)} x2={x(c.score)} y1={m.top - (cutoffs.length - i) * 16 + 12} y2={y(0)} />
            <text
              x={x(c.score) + (x(c.score) > W / 2 ? -4 : 4)}
              y={m.top - (cutoffs.length - i) * 16 + 10}
              textAnchor={x(c.score) > W / 2 ? 'end' : 'start'}
            >
              {c.label} ≥ {formatScore(c.score, lng)}
            </text>
          </g>
        ))}
      </svg>
    </div>
  );
}

/**
 * Each judge's leniency: how many points, on average, the judge gives above (right) or below (left) the
 * other judges of the same entries. Judges without shared entries have no bar.
 */
export function LeniencyChart({
  judges,
}: {
  judges: { id: string; name: string; leniency: number | null }[];
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const titleId = useId();
  const descId = useId();
  const [box, W] = useWidth(520);
  const row = 28;
  const m = { left: Math.min(132, W * 0.3), right: 64, top: 12, bottom: 40 };
  const H = m.top + m.bottom + Math.max(1, judges.length) * row;
  const innerW = W - m.left - m.right;
  const known = judges.filter(
    (j): j is { id: string; name: string; leniency: number } => j.leniency !== null,
  );
  const extent = Math.max(1, ...known.map((j) => Math.abs(j.leniency)));
  const step = niceStep(extent, 2);
  const limit = Math.ceil(extent / step - 1e-9) * step;
  const x = (v: number) => m.left + ((v + limit) / (2 * limit)) * innerW;
  const zero = x(0);
  const sorted = [...known].sort((a, b) => b.leniency - a.leniency);
  const most = sorted[0];
  const least = sorted[sorted.length - 1];
  const axis = [-limit, -limit / 2, 0, limit / 2, limit];

  return (
    <div ref={box} className="org-chart-box">
      <svg
        className="org-chart"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        width={W}
        height={H}
      >
        <title id={titleId}>{t('charts.leniencyTitle')}</title>
        <desc id={descId}>
          {most && least
            ? t('charts.leniencyDesc', {
                lenient: most.name,
                lenientBy: formatSigned(most.leniency, lng),
                strict: least.name,
                strictBy: formatSigned(least.leniency, lng),
              })
            : t('charts.leniencyEmpty')}
        </desc>
        {axis.map((v) => (
          <g key={v} className="org-chart-grid">
            <line x1={x(v)} x2={x(v)} y1={m.top} y2={H - m.bottom} />
            <text x={x(v)} y={H - m.bottom + 16} textAnchor="middle">
              {v === 0 ? '0' : formatSigned(v, lng)}
            </text>
          </g>
        ))}
        <text className="org-chart-axis-title" x={m.left + innerW / 2} y={H - 6} textAnchor="middle">
          {t('charts.leniencyAxis')}
        </text>
        {judges.map((j, i) => {
          const cy = m.top + i * row + row / 2;
          const name = j.name.length > 9 ? `${j.name.slice(0, 8)}…` : j.name;
          return (
            <g key={j.id}>
              <text className="org-chart-label" x={m.left - 8} y={cy} dy="0.35em" textAnchor="end">
                <title>{j.name}</title>
                {name}
              </text>
              {j.leniency === null ? (
                <text className="org-chart-note" x={zero + 6} y={cy} dy="0.35em">
                  {t('charts.noShared')}
                </text>
              ) : (
                <>
                  <rect
                    className={j.leniency >= 0 ? 'org-chart-lenient' : 'org-chart-strict'}
                    x={Math.min(zero, x(j.leniency))}
                    width={Math.max(1, Math.abs(x(j.leniency) - zero))}
                    y={cy - 9}
                    height={18}
                  />
                  <text className="org-chart-value" x={W - 4} y={cy} dy="0.35em" textAnchor="end">
                    {formatSigned(j.leniency, lng)}
                  </text>
                </>
              )}
            </g>
          );
        })}
        <line className="org-chart-baseline" x1={zero} x2={zero} y1={m.top} y2={H - m.bottom} />
      </svg>
    </div>
  );
}
