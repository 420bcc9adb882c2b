import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { AssignmentRow, EntryList, JudgeListItem } from '@pingxuan/shared';
import { seg } from '../../api';
import { ErrorNotice, Loading } from '../../components/Status';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { useOrganize } from '../context';
import { withJudgeNames } from './logic';
import { useFetched } from './useFetched';

export const LIST_PAGE = 50;
type ListAnswer = { roundId: string; total: number; offset: number; assignments: AssignmentRow[] };

/**
 * Who scores what, filtered by judge or by entry code (both kept in the address), each row with the reason
 * the planner gave, in the language of the page.
 */
export function AssignmentList({
  round,
  version,
  judges,
}: {
  round: string | null;
  version: number;
  judges: readonly JudgeListItem[];
}) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const [params, setParams] = useSearchParams();
  const judgeId = params.get('judge') ?? '';
  const code = params.get('entry') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const [typed, setTyped] = useState(code);
  const base = `/contests/${seg(contest.id)}`;

  // An entry code is looked up first: the list is filtered by the entry's id.
  const lookup = useFetched<EntryList>(
    code ? `${base}/entries?q=${encodeURIComponent(code)}&limit=50` : null,
  );
  const entry = lookup.data?.entries.find((e) => e.code.toLowerCase() === code.toLowerCase()) ?? null;
  const waitingForEntry = Boolean(code) && !entry;

  const query = new URLSearchParams({
    lang: lng,
    offset: String((page - 1) * LIST_PAGE),
    limit: String(LIST_PAGE),
  });
  if (round) query.set('round', round);
  if (judgeId) query.set('judgeId', judgeId);
  if (entry) query.set('entryId', entry.id);
  const list = useFetched<ListAnswer>(waitingForEntry ? null : `${base}/assignments?${query}`, version);
  const data = list.latest;

  const setParam = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('page');
    setParams(next, { replace: true });
  };
  const goTo = (p: number) => {
    const next = new URLSearchParams(params);
    if (p > 1) next.set('page', String(p));
    else next.delete('page');
    setParams(next, { replace: true });
  };
  const onFind = (e: FormEvent) => {
    e.preventDefault();
    setParam({ entry: typed.trim() });
  };

  const judgeNames = new Map(judges.map((j) => [j.id, j.name]));
  const pages = data ? Math.max(1, Math.ceil(data.total / LIST_PAGE)) : 1;
  const n = (x: number) => formatNumber(x, lng);

  return (
    <section className="card org-section asg-section" id="list" aria-labelledby="list-title">
      <h2 id="list-title">{t('list.title')}</h2>
      <p className="muted">{t('list.intro')}</p>
      <form
        className="org-filters asg-filters"
        role="search"
        aria-label={t('list.filters')}
        onSubmit={onFind}
      >
        <div className="org-field">
          <label htmlFor="list-judge">{t('list.judge')}</label>
          <select id="list-judge" value={judgeId} onChange={(e) => setParam({ judge: e.target.value })}>
            <option value="">{t('list.allJudges')}</option>
            {judges.map((j) => (
              <option key={j.id} value={j.id}>
                {j.active ? j.name : t('list.inactiveJudge', { name: j.name })}
              </option>
            ))}
          </select>
        </div>
        <div className="org-field asg-field-inline">
          <label htmlFor="list-entry">{t('list.entry')}</label>
          <div className="asg-inline">
            <input
              id="list-entry"
              type="search"
              value={typed}
              autoComplete="off"
              placeholder={t('list.entryPlaceholder')}
              onChange={(e) => setTyped(e.target.value)}
            />
            <button type="submit" className="button button-secondary">
              {t('list.find')}
            </button>
            {(code || judgeId) && (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => {
                  setTyped('');
                  setParam({ entry: '', judge: '' });
                }}
              >
                {t('list.clear')}
              </button>
            )}
          </div>
        </div>
      </form>

      {lookup.error && <ErrorNotice error={lookup.error} onRetry={lookup.reload} />}
      {code && lookup.data && !entry && (
        <p className="notice notice-waiting" role="status">
          {t('list.noSuchEntry', { code })}
        </p>
      )}
      {list.error && <ErrorNotice error={list.error} onRetry={list.reload} />}
      {!waitingForEntry && !data && !list.error && <Loading />}
      {code && lookup.loading && <Loading />}
      {data && !waitingForEntry && (
        <>
          {data.assignments.length === 0 ? (
            <p className="empty">{judgeId || code ? t('list.noneMatch') : t('list.none')}</p>
          ) : (
            <div className="table-wrap" aria-busy={list.loading}>
              <table className="table org-table asg-list">
                <caption className="visually-hidden">{t('list.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('list.code')}</th>
                    <th scope="col">{t('list.judgeCol')}</th>
                    <th scope="col" className="num">
                      {t('list.order')}
                    </th>
                    <th scope="col">{t('list.kind')}</th>
                    <th scope="col">{t('list.status')}</th>
                    <th scope="col">{t('list.why')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.assignments.map((a) => (
                    <tr key={a.id}>
                      <th scope="row" className="org-code">
                        {a.code}
                      </th>
                      <td className="org-nowrap">{a.judgeName || a.judgeId}</td>
                      <td className="num">{n(a.order + 1)}</td>
                      <td>
                        <span className={`org-tag asg-kind-${a.kind}`}>{t(`kind.${kindKey(a.kind)}`)}</span>
                        {a.calibration && a.kind !== 'calibration' && (
                          <span className="org-tag asg-kind-calibration">{t('kind.calibration')}</span>
                        )}
                      </td>
                      <td className="org-nowrap">{t(`scoreStatus.${a.scoreStatus ?? 'none'}`)}</td>
                      <td className="asg-why">{withJudgeNames(a.explanation, judgeNames)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {data.total > 0 && (
            <nav className="org-pager" aria-label={t('list.pager')}>
              <button
                type="button"
                className="button button-secondary"
                disabled={page <= 1}
                onClick={() => goTo(page - 1)}
              >
                {t('list.previous')}
              </button>
              <p aria-live="polite">
                {t('list.range', {
                  from: n(data.offset + 1),
                  to: n(data.offset + data.assignments.length),
                  total: n(data.total),
                  page: n(page),
                  pages: n(pages),
                })}
              </p>
              <button
                type="button"
                className="button button-secondary"
                disabled={page >= pages}
                onClick={() => goTo(page + 1)}
              >
                {t('list.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

const KINDS = ['calibration', 'kept', 'panel', 'pool', 'extra'] as const;
const kindKey = (k: string): (typeof KINDS)[number] | 'other' =>
  (KINDS as readonly string[]).includes(k) ? (k as (typeof KINDS)[number]) : 'other';
