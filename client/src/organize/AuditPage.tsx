import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatNumber } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { formatDateTime } from './format';
import type { AuditEvent, AuditPage as AuditAnswer } from './types';
import { useLive } from './useLive';

export const AUDIT_PAGE_SIZE = 50;

/** Actions the log records that have a name of their own here; any other shows as the server writes it. */
export const AUDIT_ACTIONS = [
  'contest.create',
  'contest.update',
  'contest.status',
  'rubric.put',
  'entry.create',
  'entry.update',
  'entry.import',
  'entry.withdraw',
  'entry.restore',
  'entry.photos.add',
  'entry.photos.remove',
  'entry.photos.bulk',
  'feedback_link.issue',
  'judge.create',
  'judge.update',
  'judge.import',
  'judge.deactivate',
  'judge.reactivate',
  'conflicts.update',
  'panel.create',
  'panel.update',
  'panel.delete',
  'panel.assign',
  'member.add',
  'member.remove',
  'sign_in_code.issue',
  'auth.code_login',
  'score.save',
  'score.submit',
  'score.reopen',
] as const;
type KnownAction = (typeof AUDIT_ACTIONS)[number];
const isKnown = (a: string): a is KnownAction => (AUDIT_ACTIONS as readonly string[]).includes(a);

/** The contest's audit log, newest first, a page at a time (older pages by sequence number). */
export function AuditPage() {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  usePageTitle(t('audit.title'));
  const [action, setAction] = useState('');
  // The `before` cursor of each page seen so far; the first page has none.
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const q = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (cursor !== null) q.set('before', String(cursor));
  if (action) q.set('action', action);
  const live = useLive<AuditAnswer>(`/contests/${seg(contest.id)}/audit?${q}`, undefined, true);
  const data = live.data;
  const pageNo = cursors.length;

  return (
    <section aria-labelledby="audit-title">
      <div className="org-page-head">
        <h1 id="audit-title">{t('audit.title')}</h1>
      </div>
      <p className="muted">{t('audit.intro')}</p>
      <div className="org-filters">
        <div className="org-field">
          <label htmlFor="audit-action">{t('audit.filterAction')}</label>
          <select
            id="audit-action"
            value={action}
            onChange={(e) => {
              setAction(e.target.value);
              setCursors([null]);
            }}
          >
            <option value="">{t('audit.allActions')}</option>
            {AUDIT_ACTIONS.map((a) => (
              <option key={a} value={a}>
                {t(`audit.actions.${a}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {live.error && <ErrorNotice error={live.error} onRetry={live.refresh} />}
      {!data && !live.error && <Loading />}
      {data &&
        (data.events.length === 0 ? (
          <p className="empty">{t('audit.empty')}</p>
        ) : (
          <div className="card table-wrap" aria-busy={live.stale}>
            <table className="table org-table org-audit">
              <caption className="visually-hidden">{t('audit.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('audit.seq')}
                  </th>
                  <th scope="col">{t('audit.at')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.details')}</th>
                </tr>
              </thead>
              <tbody>
                {data.events.map((e) => (
                  <tr key={e.seq}>
                    <td className="num">{e.seq}</td>
                    <td className="org-nowrap">
                      <time dateTime={e.at}>{formatDateTime(e.at, lng)}</time>
                    </td>
                    <td>{e.actor.username ?? <span className="muted">{t('audit.system')}</span>}</td>
                    <th scope="row">
                      {isKnown(e.action) ? t(`audit.actions.${e.action}`) : e.action}
                      <div className="muted org-small">
                        <code>{e.action}</code>
                      </div>
                    </th>
                    <td>
                      <EventDetails event={e} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      <nav className="org-pager" aria-label={t('pager.label')}>
        <button
          type="button"
          className="button button-secondary"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t('audit.newer')}
        </button>
        <p aria-live="polite">{t('audit.page', { page: formatNumber(pageNo, lng) })}</p>
        <button
          type="button"
          className="button button-secondary"
          disabled={!data?.nextBefore || live.stale}
          onClick={() => data?.nextBefore && setCursors((c) => [...c, data.nextBefore])}
        >
          {t('audit.older')}
        </button>
      </nav>
    </section>
  );
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** A line in words for the actions organizers look for most, then the raw record on request. */
function EventDetails({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('organize');
  const { t: tc } = useTranslation();
  const before = record(event.before);
  const after = record(event.after);
  const statusName = (s: unknown) =>
    s === 'draft' || s === 'judging' || s === 'review' || s === 'published'
      ? tc(`status.${s}`)
      : String(s ?? '');
  let line: string | null = null;
  if (event.action === 'contest.status')
    line = t('audit.statusLine', { from: statusName(before.status), to: statusName(after.status) });
  else if (event.action === 'score.reopen' && typeof after.reason === 'string')
    line = t('audit.reopenLine', { reason: after.reason });
  else if (event.action === 'entry.import')
    line = t('audit.importLine', { n: String(after.imported ?? ''), file: String(after.fileName ?? '') });

  return (
    <>
      {line && <p className="org-audit-line">{line}</p>}
      <div className="muted org-small">
        {t('audit.target', { type: event.target.type, id: event.target.id ?? '—' })}
      </div>
      {(event.before !== null || event.after !== null) && (
        <details className="org-audit-raw">
          <summary>{t('audit.raw')}</summary>
          {event.before !== null && (
            <>
              <p className="org-small">{t('audit.before')}</p>
              <pre>{JSON.stringify(event.before, null, 2)}</pre>
            </>
          )}
          {event.after !== null && (
            <>
              <p className="org-small">{t('audit.after')}</p>
              <pre>{JSON.stringify(event.after, null, 2)}</pre>
            </>
          )}
        </details>
      )}
    </>
  );
}
