import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CONTEST_TRANSITIONS, type ContestStatus } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../api';
import { useLanguage } from '../i18n';
import { formatNumber, localized } from '../localized';
import { useApi } from '../useApi';
import { useOrganize } from './context';
import { Dialog } from './Dialog';
import { Problem } from './Problem';
import type { ResultsPage } from './types';

type Move = `${ContestStatus}_${ContestStatus}`;
/** Forward moves are the primary action; review → judging goes back to rescore. */
const BACKWARD = new Set<Move>(['review_judging']);

/** The contest's next steps (draft → judging → review → published), each confirmed in a dialog first. */
export function StatusActions() {
  const { t } = useTranslation('organize');
  const { contest, reloadContest } = useOrganize();
  const [target, setTarget] = useState<ContestStatus | null>(null);
  const [done, setDone] = useState<ContestStatus | null>(null);
  const moves = CONTEST_TRANSITIONS[contest.status];

  return (
    <div className="org-status">
      {moves.length > 0 && (
        <div className="org-status-actions" role="group" aria-label={t('status.groupLabel')}>
          {moves.map((to) => {
            const move = `${contest.status}_${to}` as Move;
            return (
              <button
                key={to}
                type="button"
                className={`button ${BACKWARD.has(move) ? 'button-secondary' : 'button-primary'}`}
                onClick={() => {
                  setDone(null);
                  setTarget(to);
                }}
              >
                {t(`status.action.${move}` as 'status.action.draft_judging')}
              </button>
            );
          })}
        </div>
      )}
      {done && (
        <div className="notice notice-info org-status-done" role="status">
          <p>{t(`status.done.${done}` as 'status.done.judging')}</p>
          {done === 'published' && (
            <p>
              <Link to={`/winners/${seg(contest.id)}`}>{t('status.winnersLink')}</Link>
            </p>
          )}
        </div>
      )}
      {target && (
        <StatusDialog
          to={target}
          onClose={() => setTarget(null)}
          onDone={() => {
            setDone(target);
            setTarget(null);
            reloadContest();
          }}
        />
      )}
    </div>
  );
}

function StatusDialog({
  to,
  onClose,
  onDone,
}: {
  to: ContestStatus;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('organize');
  const { t: tc } = useTranslation();
  const { contest, reloadContest } = useOrganize();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirmed, setConfirmed] = useState(false);
  const move = `${contest.status}_${to}` as Move;
  const publishing = to === 'published';
  const effects = t(`status.effects.${move}` as 'status.effects.draft_judging', { returnObjects: true }) as
    string[] | string;

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/contests/${seg(contest.id)}/status`, { status: to, version: contest.version });
      onDone();
    } catch (err) {
      const e = asApiError(err);
      setError(e);
      // Changed elsewhere: show the contest as it is now, so a second confirm acts on fresh facts.
      if (e.status === 409 && e.details.current) reloadContest();
    } finally {
      setBusy(false);
    }
  }

  const stale = error?.status === 409 && Boolean(error.details.current);
  // Read again after a 409, the contest may have moved on (someone else published it, say).
  if (!CONTEST_TRANSITIONS[contest.status].includes(to))
    return (
      <Dialog title={t('status.noLongerTitle')} onConfirm={onClose} onClose={onClose}>
        <p>{t('status.noLonger', { status: tc(`status.${contest.status}`) })}</p>
        {error && <Problem error={error} />}
      </Dialog>
    );
  return (
    <Dialog
      title={t(`status.confirmTitle.${move}` as 'status.confirmTitle.draft_judging', {
        contest: contest.name,
      })}
      confirmLabel={t(`status.action.${move}` as 'status.action.draft_judging')}
      busyLabel={t('status.working')}
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={busy}
      danger={publishing}
      confirmDisabled={publishing && !confirmed}
    >
      <p>{t('status.from', { from: tc(`status.${contest.status}`), to: tc(`status.${to}`) })}</p>
      <ul className="org-effects">
        {(Array.isArray(effects) ? effects : [effects]).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {publishing && <PublishSummary />}
      {publishing && (
        <label className="org-check">
          <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
          <span>{t('status.publishConfirm')}</span>
        </label>
      )}
      {error && <Problem error={error} hint={stale ? t('status.stale') : statusHint(t, error)} />}
    </Dialog>
  );
}

function statusHint(
  t: ReturnType<typeof useTranslation<'organize'>>['t'],
  error: ApiError,
): string | undefined {
  if (error.code === 'results_not_computable') return t('status.notComputable');
  if (error.status === 409) return t('status.refused');
  return undefined;
}

/** What publication will fix for good: the prizes and how many entries go without a rank. */
function PublishSummary() {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const results = useApi<ResultsPage>(`/contests/${seg(contest.id)}/results?limit=1`);
  if (results.status !== 'ok') return null;
  const { tiers, counts } = results.data.summary;
  return (
    <div className="org-publish-summary">
      <p>{t('status.willPublish')}</p>
      <ul>
        {tiers.map((tier) => (
          <li key={tier.id}>
            {t('status.tierLine', {
              tier: localized({ zh: tier.name.zh, en: tier.name.en ?? undefined }, lng),
              n: formatNumber(tier.count, lng),
            })}
          </li>
        ))}
        <li>{t('status.rankedLine', { ranked: formatNumber(counts.ranked, lng) })}</li>
        {counts.incomplete > 0 && (
          <li className="org-warning">
            {t('status.incompleteLine', { n: formatNumber(counts.incomplete, lng) })}
          </li>
        )}
      </ul>
    </div>
  );
}
