import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { JudgeLoadView, Panel } from '@pingxuan/shared';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { groupLoads } from './logic';

/**
 * Entries per judge as bars, grouped the way the planner balances them (each panel, or the pool), with the
 * spread between the busiest and the least busy judge. The numbers are written out; the bars repeat them.
 */
export function LoadBars({
  loads,
  spread,
  panels,
  highlight,
}: {
  loads: readonly JudgeLoadView[];
  spread: Readonly<Record<string, number>>;
  panels: readonly Panel[];
  /** Judges whose load this change touches, marked in words and colour. */
  highlight?: ReadonlySet<string>;
}) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  // Several sections show loads at once: heading ids must stay unique on the page.
  const prefix = useId();
  const n = (x: number) => formatNumber(x, lng);
  if (loads.length === 0) return <p className="empty">{t('loads.none')}</p>;
  const groups = groupLoads(
    loads,
    spread,
    panels.map((p) => p.id),
  );
  const top = Math.max(1, ...loads.map((l) => l.count));
  const panelName = (id: string) =>
    id === 'pool'
      ? t('loads.pool')
      : id === 'none'
        ? t('loads.noPanel')
        : (panels.find((p) => p.id === id)?.name ?? t('loads.unknownPanel'));

  return (
    <div className="asg-loads">
      {groups.map((g) => {
        const headingId = `${prefix}-loads-${g.id}`;
        return (
          <section key={g.id} className="asg-load-group" aria-labelledby={headingId}>
            <div className="asg-load-head">
              <h4 id={headingId}>{panelName(g.id)}</h4>
              <span className={`org-tag ${g.spread <= 1 ? 'asg-even' : 'asg-uneven'}`}>
                {g.spread <= 1 ? t('loads.even') : t('loads.uneven')}
              </span>
            </div>
            <p className="asg-load-spread">
              {t('loads.spread', { spread: n(g.spread), min: n(g.min), max: n(g.max) })}
            </p>
            <ul className="asg-load-list">
              {g.loads.map((l) => {
                const marked = highlight?.has(l.judgeId) ?? false;
                return (
                  <li key={l.judgeId} className={marked ? 'asg-load-marked' : undefined}>
                    <span className="asg-load-name">
                      {l.name || l.judgeId}
                      {marked && <span className="visually-hidden">{t('loads.markedHidden')}</span>}
                    </span>
                    <span className="asg-load-bar" aria-hidden="true">
                      <span style={{ width: `${(100 * l.count) / top}%` }} />
                    </span>
                    <span className="asg-load-count">{t('loads.count', { n: n(l.count) })}</span>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
