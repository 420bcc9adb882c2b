import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScoreReopenSchema, type Score, type ScoreList } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../api';
import { ErrorNotice } from '../components/Status';
import { useLanguage } from '../i18n';
import { useApi } from '../useApi';
import { useOrganize } from './context';
import { Dialog } from './Dialog';
import { formatScore } from './format';
import { Problem } from './Problem';
import type { ResultRow } from './types';

/**
 * One entry's judges with their totals, and the way to send a submitted score back to its judge with a
 * reason (allowed while judging or in review; the judge then scores it again).
 */
export function EntryJudges({
  entry,
  roundId,
  onChanged,
}: {
  entry: ResultRow;
  roundId: string;
  onChanged: () => void;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const scores = useApi<ScoreList>(
    `/contests/${seg(contest.id)}/scores?entryId=${seg(entry.entryId)}&roundId=${seg(roundId)}&status=submitted&limit=500`,
  );
  const [reopening, setReopening] = useState<{ score: Score; judgeName: string } | null>(null);
  const [reopened, setReopened] = useState<{ judgeName: string; reason: string } | null>(null);
  const canReopen = contest.status === 'judging' || contest.status === 'review';
  const byJudge = new Map(scores.status === 'ok' ? scores.data.scores.map((s) => [s.judgeId, s]) : []);
  const normalized = entry.judgeTotals.some((j) => Math.abs(j.normalized - j.total) > 1e-9);

  return (
    <div className="org-judges">
      <h3 className="org-judges-title">{t('reopen.judgesOf', { code: entry.code, title: entry.title })}</h3>
      {reopened && (
        <p className="notice notice-info" role="status">
          {t('reopen.done', { judge: reopened.judgeName, code: entry.code, reason: reopened.reason })}
        </p>
      )}
      {entry.judgeTotals.length === 0 ? (
        <p className="empty">{t('reopen.noScores')}</p>
      ) : (
        <table className="table org-table">
          <thead>
            <tr>
              <th scope="col">{t('results.judge')}</th>
              <th scope="col" className="num">
                {t('reopen.total')}
              </th>
              {normalized && (
                <th scope="col" className="num">
                  {t('reopen.normalized')}
                </th>
              )}
              <th scope="col">{t('reopen.action')}</th>
            </tr>
          </thead>
          <tbody>
            {entry.judgeTotals.map((j) => {
              const score = byJudge.get(j.judgeId);
              return (
                <tr key={j.judgeId}>
                  <th scope="row">{j.judgeName || j.judgeId}</th>
                  <td className="num">{formatScore(j.total, lng)}</td>
                  {normalized && <td className="num">{formatScore(j.normalized, lng)}</td>}
                  <td>
                    {scores.status === 'loading' ? (
                      <span className="muted">{t('reopen.loading')}</span>
                    ) : score ? (
                      <button
                        type="button"
                        className="button button-secondary org-small-button"
                        disabled={!canReopen}
                        onClick={() => setReopening({ score, judgeName: j.judgeName })}
                      >
                        {t('reopen.button')}
                        <span className="visually-hidden">
                          {' '}
                          {t('reopen.buttonContext', { judge: j.judgeName, code: entry.code })}
                        </span>
                      </button>
                    ) : (
                      <span className="muted">{t('reopen.notFound')}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {!canReopen && entry.judgeTotals.length > 0 && <p className="muted">{t('reopen.notNow')}</p>}
      {scores.status === 'error' && <ErrorNotice error={scores.error} onRetry={scores.reload} />}
      {reopening && (
        <ReopenDialog
          score={reopening.score}
          judgeName={reopening.judgeName}
          code={entry.code}
          onClose={() => setReopening(null)}
          onDone={(reason) => {
            setReopened({ judgeName: reopening.judgeName, reason });
            setReopening(null);
            scores.reload();
            onChanged();
          }}
        />
      )}
    </div>
  );
}

function ReopenDialog({
  score,
  judgeName,
  code,
  onClose,
  onDone,
}: {
  score: Score;
  judgeName: string;
  code: string;
  onClose: () => void;
  onDone: (reason: string) => void;
}) {
  const { t } = useTranslation('organize');
  const { contest } = useOrganize();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const reasonId = useId();
  const hintId = useId();
  const check = ScoreReopenSchema.shape.reason.safeParse(reason);
  const invalid = touched && !check.success;

  async function confirm() {
    setTouched(true);
    if (!check.success) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(`/contests/${seg(contest.id)}/scores/${seg(score.id)}/reopen`, {
        reason: check.data,
        version: score.version,
      });
      onDone(check.data);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={t('reopen.title', { judge: judgeName, code })}
      confirmLabel={t('reopen.confirm')}
      busyLabel={t('reopen.working')}
      onConfirm={() => void confirm()}
      onClose={onClose}
      busy={busy}
    >
      <p>{t('reopen.explain')}</p>
      <div className="field">
        <label htmlFor={reasonId}>{t('reopen.reason')}</label>
        <textarea
          id={reasonId}
          className="org-textarea"
          value={reason}
          maxLength={500}
          rows={3}
          required
          aria-invalid={invalid}
          aria-describedby={hintId}
          onChange={(e) => setReason(e.target.value)}
          onBlur={() => setTouched(true)}
        />
        <p id={hintId} className={invalid ? 'field-error' : 'muted org-hint'}>
          {invalid ? t('reopen.reasonRequired') : t('reopen.reasonHint')}
        </p>
      </div>
      {error && <Problem error={error} hint={error.status === 409 ? t('reopen.conflict') : undefined} />}
    </Dialog>
  );
}
