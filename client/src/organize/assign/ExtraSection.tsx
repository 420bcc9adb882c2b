import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ExtraJudgesOutcome, Panel } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { useOrganize } from '../context';
import { Dialog } from '../Dialog';
import { Problem } from '../Problem';
import { refusedFields, WholeField } from './fields';
import { LoadBars } from './LoadBars';
import { readExtraForm, sameExtraInput, type ExtraForm, type ExtraInput } from './logic';
import { hintFor } from './PlanSection';

type Shown = { input: ExtraInput; outcome: ExtraJudgesOutcome };
const SKIP_REASONS = ['budget', 'noEligibleJudge', 'noPanel'] as const;

/**
 * More judges for entries whose prize is uncertain (near a tier boundary, or judges far apart), most
 * uncertain first, within a budget of extra scores. Judging only: it reads the scores submitted so far.
 */
export function ExtraSection({
  round,
  panels,
  onAdded,
}: {
  round: string | null;
  panels: readonly Panel[];
  onAdded: () => void;
}) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  const { contest, reloadContest } = useOrganize();
  const judging = contest.status === 'judging';
  const [form, setForm] = useState<ExtraForm>({
    boundary: true,
    disagreement: true,
    budget: '',
    extraPerEntry: '1',
  });
  const [checked, setChecked] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [done, setDone] = useState<ExtraJudgesOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [confirmError, setConfirmError] = useState<ApiError | null>(null);
  const [applying, setApplying] = useState(false);
  const read = readExtraForm(form);
  const problems = checked ? read.problems : {};
  const refused = refusedFields(error);
  const stale = shown !== null && (read.input === null || !sameExtraInput(read.input, shown.input));
  const n = (x: number) => formatNumber(x, lng);
  const url = (dryRun: boolean) => `/contests/${seg(contest.id)}/assignments/extra?dryRun=${dryRun}`;
  const set = (patch: Partial<ExtraForm>) => setForm((f) => ({ ...f, ...patch }));

  async function preview(e: FormEvent) {
    e.preventDefault();
    setChecked(true);
    if (!read.input) {
      const first = Object.keys(read.problems)[0];
      if (first) document.getElementById(first === 'flags' ? 'extra-boundary' : `extra-${first}`)?.focus();
      return;
    }
    const input = read.input;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const outcome = await api.post<ExtraJudgesOutcome>(url(true), {
        ...input,
        ...(round ? { round } : {}),
      });
      setShown({ input, outcome });
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
      const outcome = await api.post<ExtraJudgesOutcome>(url(false), {
        ...shown.input,
        seed: shown.outcome.seed,
        ...(round ? { round } : {}),
      });
      setDone(outcome);
      setShown(null);
      setConfirming(false);
      onAdded();
    } catch (err) {
      const e = asApiError(err);
      setConfirmError(e);
      if (e.status === 409) reloadContest();
    } finally {
      setApplying(false);
    }
  }

  const o = shown?.outcome;
  return (
    <section className="card org-section asg-section" id="extra" aria-labelledby="extra-title">
      <h2 id="extra-title">{t('extra.title')}</h2>
      <p className="muted">{t('extra.intro')}</p>
      {!judging && (
        <p className="notice notice-info" id="extra-closed">
          {t('extra.judgingOnly', { status: t(`contestStatus.${contest.status}`) })}
        </p>
      )}
      <form className="asg-form" onSubmit={(e) => void preview(e)} noValidate>
        <fieldset
          className="asg-fieldset"
          disabled={!judging}
          aria-describedby={problems.flags ? 'extra-flags-error' : undefined}
        >
          <legend>{t('extra.flags')}</legend>
          <label className="asg-choice">
            <input
              id="extra-boundary"
              type="checkbox"
              checked={form.boundary}
              onChange={(e) => set({ boundary: e.target.checked })}
            />
            <span>
              <strong>{t('extra.boundary')}</strong>
              <span className="asg-hint">{t('extra.boundaryHint')}</span>
            </span>
          </label>
          <label className="asg-choice">
            <input
              type="checkbox"
              checked={form.disagreement}
              onChange={(e) => set({ disagreement: e.target.checked })}
            />
            <span>
              <strong>{t('extra.disagreement')}</strong>
              <span className="asg-hint">{t('extra.disagreementHint')}</span>
            </span>
          </label>
          {problems.flags && (
            <p id="extra-flags-error" className="field-error">
              {t('extra.flagsRequired')}
            </p>
          )}
        </fieldset>
        <div className="asg-fields">
          <WholeField
            id="extra-budget"
            label={t('extra.budget')}
            hint={t('extra.budgetHint')}
            value={form.budget}
            onChange={(v) => set({ budget: v })}
            problem={problems.budget}
            refused={refused.has('budget')}
            disabled={!judging}
          />
          <WholeField
            id="extra-extraPerEntry"
            label={t('extra.perEntry')}
            hint={t('extra.perEntryHint')}
            value={form.extraPerEntry}
            onChange={(v) => set({ extraPerEntry: v })}
            problem={problems.extraPerEntry}
            refused={refused.has('extraPerEntry')}
            disabled={!judging}
          />
        </div>
        <div className="actions">
          <button
            type="submit"
            className="button button-secondary"
            disabled={!judging || busy}
            aria-describedby={judging ? undefined : 'extra-closed'}
          >
            {busy ? t('plan.previewing') : t('extra.preview')}
          </button>
        </div>
      </form>
      {error && <Problem error={error} hint={hintFor(t, error)} />}
      {done && (
        <div className="notice notice-info" role="status">
          <p>
            <strong>{t('extra.done', { n: n(done.counts.added) })}</strong>
          </p>
          <p>
            {t('plan.appliedSeed')} <code className="asg-seed">{done.seed}</code>
          </p>
        </div>
      )}
      <p className="visually-hidden" role="status">
        {o && t('extra.previewReady', { flagged: o.flagged, n: o.counts.added })}
      </p>
      {o && shown && (
        <div className="asg-outcome">
          <div className="asg-outcome-head">
            <h3>{t('extra.previewTitle')}</h3>
            <button
              type="button"
              className="button button-primary"
              disabled={stale || !judging || o.counts.added === 0}
              onClick={() => {
                setConfirmError(null);
                setConfirming(true);
              }}
            >
              {t('extra.apply', { n: o.counts.added })}
            </button>
          </div>
          {stale && <p className="notice notice-waiting">{t('plan.stale')}</p>}
          <dl className="asg-figures">
            <div>
              <dt>{t('extra.flagged')}</dt>
              <dd>{n(o.flagged)}</dd>
            </div>
            <div>
              <dt>{t('extra.added')}</dt>
              <dd>{n(o.counts.added)}</dd>
            </div>
            <div className={o.skipped.length ? 'asg-figure-alert' : undefined}>
              <dt>{t('extra.skipped')}</dt>
              <dd>{n(o.skipped.length)}</dd>
            </div>
            <div>
              <dt>{t('extra.budgetLeft')}</dt>
              <dd>{o.budgetLeft === null ? t('extra.unlimited') : n(o.budgetLeft)}</dd>
            </div>
          </dl>
          {o.flagged === 0 && <p className="asg-ok">{t('extra.noneFlagged')}</p>}
          {o.flagged > 0 && o.counts.added === 0 && (
            <p className="notice notice-waiting">{t('extra.nothingToAdd')}</p>
          )}
          {o.skipped.length > 0 && (
            <>
              <h4 className="asg-subtitle">{t('extra.skippedTitle')}</h4>
              <div className="table-wrap">
                <table className="table org-table">
                  <caption className="visually-hidden">{t('extra.skippedCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('problems.code')}</th>
                      <th scope="col">{t('extra.reason')}</th>
                      <th scope="col" className="num">
                        {t('extra.gotWanted')}
                      </th>
                      <th scope="col">{t('problems.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.skipped.map((s) => (
                      <tr key={s.entryId}>
                        <th scope="row" className="org-code">
                          {s.code}
                        </th>
                        <td>
                          {t(
                            `extra.reasons.${(SKIP_REASONS as readonly string[]).includes(s.reason) ? (s.reason as (typeof SKIP_REASONS)[number]) : 'other'}`,
                          )}
                        </td>
                        <td className="num">
                          {n(s.got)} / {n(s.wanted)}
                        </td>
                        <td className="asg-server-text">{s.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          <details className="asg-details">
            <summary>{t('extra.loadsTitle')}</summary>
            <LoadBars loads={o.loads} spread={o.spread} panels={panels} />
          </details>
        </div>
      )}
      {confirming && o && (
        <Dialog
          title={t('extra.confirmTitle', { n: o.counts.added })}
          confirmLabel={t('extra.confirm')}
          busyLabel={t('plan.applying')}
          busy={applying}
          onConfirm={() => void confirm()}
          onClose={() => setConfirming(false)}
        >
          <ul className="org-effects">
            <li>{t('extra.effectAdded', { n: n(o.counts.added), flagged: n(o.flagged) })}</li>
            <li>{t('extra.effectJudges')}</li>
            {o.skipped.length > 0 && (
              <li className="org-warning">{t('extra.effectSkipped', { n: n(o.skipped.length) })}</li>
            )}
          </ul>
          {confirmError && <Problem error={confirmError} hint={hintFor(t, confirmError)} />}
        </Dialog>
      )}
    </section>
  );
}
