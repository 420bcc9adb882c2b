import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssignmentOutcome, AssignmentPlanOutcome, Panel } from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { useOrganize } from '../context';
import { Dialog } from '../Dialog';
import { Problem } from '../Problem';
import { refusedFields, WholeField } from './fields';
import { LoadBars } from './LoadBars';
import { readPlanForm, samePlanInput, type PlanForm, type PlanInput } from './logic';

type Shown = { input: PlanInput; outcome: AssignmentPlanOutcome };

/** The plan: the settings, a dry run to look at, then the same plan (same seed) applied after a confirmation. */
export function PlanSection({
  round,
  panels,
  canChange,
  onApplied,
}: {
  round: string | null;
  panels: readonly Panel[];
  canChange: boolean;
  onApplied: () => void;
}) {
  const { t } = useTranslation('assign');
  const { contest, reloadContest } = useOrganize();
  const [form, setForm] = useState<PlanForm>({
    scope: 'panel',
    judgesPerEntry: String(contest.settings?.judgesPerEntry ?? 5),
    calibrationEntries: '0',
    seed: '',
  });
  const [checked, setChecked] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [applyError, setApplyError] = useState<ApiError | null>(null);
  const [applying, setApplying] = useState(false);

  const read = readPlanForm(form);
  const problems = checked ? read.problems : {};
  const refused = refusedFields(error);
  const preview = shown?.outcome.dryRun ? shown : null;
  const stale = preview !== null && (read.input === null || !samePlanInput(read.input, preview.input));
  const url = `/contests/${seg(contest.id)}/assignments`;
  const set = (patch: Partial<PlanForm>) => setForm((f) => ({ ...f, ...patch }));

  async function runPreview(e: FormEvent) {
    e.preventDefault();
    setChecked(true);
    if (!read.input) {
      const first = Object.keys(read.problems)[0];
      if (first) document.getElementById(`plan-${first}`)?.focus();
      return;
    }
    const input = read.input;
    setBusy(true);
    setError(null);
    try {
      const outcome = await api.post<AssignmentPlanOutcome>(`${url}?dryRun=true`, {
        ...input,
        ...(round ? { round } : {}),
      });
      setShown({ input, outcome });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function apply() {
    if (!preview) return;
    setApplying(true);
    setApplyError(null);
    try {
      // The previewed seed, so what is written is the plan that was looked at.
      const outcome = await api.post<AssignmentPlanOutcome>(`${url}?dryRun=false`, {
        ...preview.input,
        seed: preview.outcome.seed,
        ...(round ? { round } : {}),
      });
      setShown({ input: preview.input, outcome });
      setConfirming(false);
      onApplied();
      if (applyError?.status === 409) reloadContest();
    } catch (err) {
      const e = asApiError(err);
      setApplyError(e);
      // The contest may have moved on elsewhere: show its stage as it is now.
      if (e.status === 409) reloadContest();
    } finally {
      setApplying(false);
    }
  }

  return (
    <section className="card org-section asg-section" id="plan" aria-labelledby="plan-title">
      <h2 id="plan-title">{t('plan.title')}</h2>
      <p className="muted">{t('plan.intro')}</p>
      {!canChange && (
        <p className="notice notice-info">
          {t('plan.closed', { status: t(`contestStatus.${contest.status}`) })}
        </p>
      )}
      <form className="asg-form" onSubmit={(e) => void runPreview(e)} noValidate>
        <fieldset className="asg-fieldset" disabled={!canChange}>
          <legend>{t('plan.scope')}</legend>
          <label className="asg-choice">
            <input
              type="radio"
              name="plan-scope"
              value="panel"
              checked={form.scope === 'panel'}
              onChange={() => set({ scope: 'panel' })}
            />
            <span>
              <strong>{t('plan.scopePanel')}</strong>
              <span className="asg-hint">{t('plan.scopePanelHint')}</span>
            </span>
          </label>
          <label className="asg-choice">
            <input
              type="radio"
              name="plan-scope"
              value="pool"
              checked={form.scope === 'pool'}
              onChange={() => set({ scope: 'pool' })}
            />
            <span>
              <strong>{t('plan.scopePool')}</strong>
              <span className="asg-hint">{t('plan.scopePoolHint')}</span>
            </span>
          </label>
        </fieldset>
        <div className="asg-fields">
          <WholeField
            id="plan-judgesPerEntry"
            label={t('plan.judgesPerEntry')}
            hint={t('plan.judgesPerEntryHint', { n: contest.settings?.judgesPerEntry ?? 5 })}
            value={form.judgesPerEntry}
            onChange={(v) => set({ judgesPerEntry: v })}
            problem={problems.judgesPerEntry}
            refused={refused.has('judgesPerEntry')}
            disabled={!canChange}
          />
          <WholeField
            id="plan-calibrationEntries"
            label={t('plan.calibration')}
            hint={t('plan.calibrationHint')}
            value={form.calibrationEntries}
            onChange={(v) => set({ calibrationEntries: v })}
            problem={problems.calibrationEntries}
            refused={refused.has('calibrationEntries')}
            disabled={!canChange}
          />
          <WholeField
            id="plan-seed"
            label={t('plan.seed')}
            hint={t('plan.seedHint')}
            value={form.seed}
            onChange={(v) => set({ seed: v })}
            problem={problems.seed}
            refused={refused.has('seed')}
            disabled={!canChange}
            placeholder={t('plan.seedPlaceholder')}
          />
        </div>
        <div className="actions">
          <button type="submit" className="button button-secondary" disabled={!canChange || busy}>
            {busy ? t('plan.previewing') : t('plan.preview')}
          </button>
        </div>
      </form>
      {error && <Problem error={error} hint={hintFor(t, error)} />}

      <p className="visually-hidden" role="status">
        {shown &&
          t(shown.outcome.dryRun ? 'plan.previewReady' : 'plan.applied', {
            n: shown.outcome.counts.assignments,
            problems: shown.outcome.problemCount,
          })}
      </p>
      {shown && (
        <div className="asg-outcome">
          {shown.outcome.dryRun ? (
            <>
              <div className="asg-outcome-head">
                <h3>{t('plan.previewTitle')}</h3>
                <button
                  type="button"
                  className="button button-primary"
                  disabled={stale || !canChange}
                  onClick={() => {
                    setApplyError(null);
                    setConfirming(true);
                  }}
                >
                  {t('plan.apply')}
                </button>
              </div>
              {stale && <p className="notice notice-waiting">{t('plan.stale')}</p>}
            </>
          ) : (
            <div className="notice notice-info asg-applied">
              <p>
                <strong>{t('plan.applied')}</strong>
              </p>
              <p>
                {t('plan.appliedSeed')} <code className="asg-seed">{shown.outcome.seed}</code>
              </p>
              <p>{t('plan.appliedSeedHint')}</p>
            </div>
          )}
          <OutcomeFigures outcome={shown.outcome} plan={shown.outcome} />
          <h4 className="asg-subtitle">{t('plan.loadsTitle')}</h4>
          <LoadBars loads={shown.outcome.loads} spread={shown.outcome.spread} panels={panels} />
          <ProblemsTable outcome={shown.outcome} />
        </div>
      )}

      {confirming && preview && (
        <Dialog
          title={t('plan.confirmTitle')}
          confirmLabel={t('plan.confirm')}
          busyLabel={t('plan.applying')}
          busy={applying}
          onConfirm={() => void apply()}
          onClose={() => setConfirming(false)}
        >
          <ul className="org-effects">
            <li>{t('plan.effectCounts', countsText(preview.outcome.counts))}</li>
            {preview.outcome.problemCount > 0 && (
              <li className="org-warning">{t('plan.effectProblems', { n: preview.outcome.problemCount })}</li>
            )}
            {preview.outcome.calibrationEntryIds.length > 0 && (
              <li>{t('plan.effectCalibration', { n: preview.outcome.calibrationEntryIds.length })}</li>
            )}
            {contest.status === 'judging' && <li>{t('plan.effectKept')}</li>}
            <li>{t('plan.effectSeed', { seed: preview.outcome.seed })}</li>
          </ul>
          {applyError && <Problem error={applyError} hint={hintFor(t, applyError)} />}
        </Dialog>
      )}
    </section>
  );
}

const countsText = (c: AssignmentOutcome['counts']) => ({
  added: c.added,
  kept: c.kept,
  removed: c.removed,
});

/** A few words on why the server refused, next to its own message. */
export function hintFor(
  t: ReturnType<typeof useTranslation<'assign'>>['t'],
  error: ApiError,
): string | undefined {
  if (error.code === 'contest_status') return t('problem.status');
  if (error.status === 409) return t('problem.conflict');
  if (error.status === 400) return t('problem.badInput');
  return undefined;
}

/** The counts of a plan, a replacement or an extra-judges request. */
export function OutcomeFigures({
  outcome,
  plan,
}: {
  outcome: AssignmentOutcome;
  plan?: AssignmentPlanOutcome;
}) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  const n = (x: number) => formatNumber(x, lng);
  const c = outcome.counts;
  return (
    <>
      <dl className="asg-figures">
        <div>
          <dt>{t('counts.assignments')}</dt>
          <dd>{n(c.assignments)}</dd>
        </div>
        <div>
          <dt>{t('counts.added')}</dt>
          <dd>{n(c.added)}</dd>
        </div>
        <div>
          <dt>{t('counts.kept')}</dt>
          <dd>{n(c.kept)}</dd>
        </div>
        <div>
          <dt>{t('counts.removed')}</dt>
          <dd>{n(c.removed)}</dd>
        </div>
        <div className={outcome.problemCount ? 'asg-figure-alert' : undefined}>
          <dt>{t('counts.problems')}</dt>
          <dd>{n(outcome.problemCount)}</dd>
        </div>
      </dl>
      {plan && (
        <p className="muted asg-plan-facts">
          {t('plan.facts', {
            scope: plan.scope === 'pool' ? t('plan.scopePool') : t('plan.scopePanel'),
            per: n(plan.judgesPerEntry),
            calibration: n(plan.calibrationEntryIds.length),
            seed: plan.seed,
          })}
        </p>
      )}
    </>
  );
}

/** Entries left with fewer judges than needed: code, the shortfall in words, and the planner's own message. */
export function ProblemsTable({ outcome }: { outcome: AssignmentOutcome }) {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  if (outcome.problemCount === 0) return <p className="asg-ok">{t('problems.none')}</p>;
  return (
    <>
      <h4 className="asg-subtitle">{t('problems.title', { n: formatNumber(outcome.problemCount, lng) })}</h4>
      {outcome.problems.length < outcome.problemCount && (
        <p className="muted">{t('problems.firstOnly', { n: outcome.problems.length })}</p>
      )}
      <div className="table-wrap">
        <table className="table org-table asg-problems">
          <caption className="visually-hidden">{t('problems.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('problems.code')}</th>
              <th scope="col">{t('problems.what')}</th>
              <th scope="col">{t('problems.message')}</th>
            </tr>
          </thead>
          <tbody>
            {outcome.problems.map((p) => (
              <tr key={p.entryId}>
                <th scope="row" className="org-code">
                  {p.code}
                </th>
                <td>
                  {p.kind === 'noPanel'
                    ? t('problems.noPanel', { got: p.got, needed: p.needed })
                    : t('problems.notEnough', { got: p.got, needed: p.needed })}
                </td>
                <td className="asg-server-text">{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
