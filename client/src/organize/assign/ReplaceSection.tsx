import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssignmentOutcome, JudgeListItem, Panel } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { useOrganize } from '../context';
import { Dialog } from '../Dialog';
import { Problem } from '../Problem';
import { LoadBars } from './LoadBars';
import { hintFor, ProblemsTable } from './PlanSection';

type Shown = { judge: JudgeListItem; outcome: AssignmentOutcome };

/** A judge drops out: preview where their unscored work goes, then confirm (finished scores stay theirs). */
export function ReplaceSection({
  round,
  judges,
  panels,
  canChange,
  onReplaced,
}: {
  round: string | null;
  judges: readonly JudgeListItem[];
  panels: readonly Panel[];
  canChange: boolean;
  onReplaced: () => void;
}) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  const { contest, reloadContest } = useOrganize();
  const [judgeId, setJudgeId] = useState('');
  const [shown, setShown] = useState<Shown | null>(null);
  const [done, setDone] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<ApiError | null>(null);
  const [applying, setApplying] = useState(false);
  const [missing, setMissing] = useState(false);
  const active = judges.filter((j) => j.active);
  const n = (x: number) => formatNumber(x, lng);
  const url = (id: string, dryRun: boolean) =>
    `/contests/${seg(contest.id)}/judges/${seg(id)}/replace?dryRun=${dryRun}`;

  async function preview(e: FormEvent) {
    e.preventDefault();
    const judge = active.find((j) => j.id === judgeId);
    setMissing(!judge);
    if (!judge) {
      document.getElementById('replace-judge')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const outcome = await api.post<AssignmentOutcome>(url(judge.id, true), round ? { round } : {});
      setShown({ judge, outcome });
    } catch (err) {
      setError(asApiError(err));
      setShown(null);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!shown) return;
    setApplying(true);
    setConfirmError(null);
    try {
      const outcome = await api.post<AssignmentOutcome>(url(shown.judge.id, false), {
        seed: shown.outcome.seed,
        ...(round ? { round } : {}),
      });
      setDone({ judge: shown.judge, outcome });
      setShown(null);
      setJudgeId('');
      setConfirming(false);
      onReplaced();
    } catch (err) {
      const e = asApiError(err);
      setConfirmError(e);
      if (e.status === 409) reloadContest();
    } finally {
      setApplying(false);
    }
  }

  return (
    <section className="card org-section asg-section" id="replace" aria-labelledby="replace-title">
      <h2 id="replace-title">{t('replace.title')}</h2>
      <p className="muted">{t('replace.intro')}</p>
      {!canChange && (
        <p className="notice notice-info">
          {t('plan.closed', { status: t(`contestStatus.${contest.status}`) })}
        </p>
      )}
      <form className="asg-form asg-row-form" onSubmit={(e) => void preview(e)} noValidate>
        <div className="org-field">
          <label htmlFor="replace-judge">{t('replace.judge')}</label>
          <select
            id="replace-judge"
            value={judgeId}
            disabled={!canChange}
            aria-invalid={missing ? true : undefined}
            aria-describedby={missing ? 'replace-judge-error' : undefined}
            onChange={(e) => {
              setJudgeId(e.target.value);
              setShown(null);
              setMissing(false);
            }}
          >
            <option value="">{t('replace.choose')}</option>
            {active.map((j) => (
              <option key={j.id} value={j.id}>
                {j.panelName ? t('replace.option', { name: j.name, panel: j.panelName }) : j.name}
              </option>
            ))}
          </select>
          {missing && (
            <p id="replace-judge-error" className="field-error">
              {t('replace.chooseFirst')}
            </p>
          )}
        </div>
        <button type="submit" className="button button-secondary" disabled={!canChange || busy}>
          {busy ? t('plan.previewing') : t('replace.preview')}
        </button>
      </form>
      {error && <Problem error={error} hint={hintFor(t, error)} />}
      {done && (
        <div className="notice notice-info" role="status">
          <p>
            <strong>{t('replace.done', { name: done.judge.name, n: n(done.outcome.counts.added) })}</strong>
          </p>
          <p>
            {t('plan.appliedSeed')} <code className="asg-seed">{done.outcome.seed}</code>
          </p>
        </div>
      )}
      <p className="visually-hidden" role="status">
        {shown && t('replace.previewReady', { name: shown.judge.name, moved: shown.outcome.counts.removed })}
      </p>
      {shown && (
        <div className="asg-outcome">
          <div className="asg-outcome-head">
            <h3>{t('replace.previewTitle', { name: shown.judge.name })}</h3>
            <button
              type="button"
              className="button org-button-danger"
              disabled={!canChange}
              onClick={() => {
                setConfirmError(null);
                setConfirming(true);
              }}
            >
              {t('replace.apply', { name: shown.judge.name })}
            </button>
          </div>
          <p className="asg-lead">
            {t('replace.moves', {
              name: shown.judge.name,
              moved: n(shown.outcome.counts.removed),
              added: n(shown.outcome.counts.added),
            })}
          </p>
          <h4 className="asg-subtitle">{t('replace.loadsTitle')}</h4>
          <LoadBars loads={shown.outcome.loads} spread={shown.outcome.spread} panels={panels} />
          <ProblemsTable outcome={shown.outcome} />
        </div>
      )}
      {confirming && shown && (
        <Dialog
          title={t('replace.confirmTitle', { name: shown.judge.name })}
          confirmLabel={t('replace.confirm')}
          busyLabel={t('plan.applying')}
          busy={applying}
          danger
          onConfirm={() => void confirm()}
          onClose={() => setConfirming(false)}
        >
          <ul className="org-effects">
            <li>
              {t('replace.effectMoves', {
                moved: n(shown.outcome.counts.removed),
                added: n(shown.outcome.counts.added),
              })}
            </li>
            <li>{t('replace.effectKept')}</li>
            <li>{t('replace.effectInactive', { name: shown.judge.name })}</li>
            {shown.outcome.problemCount > 0 && (
              <li className="org-warning">{t('plan.effectProblems', { n: shown.outcome.problemCount })}</li>
            )}
          </ul>
          {confirmError && <Problem error={confirmError} hint={hintFor(t, confirmError)} />}
        </Dialog>
      )}
    </section>
  );
}
