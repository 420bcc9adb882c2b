import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MeasurementResolveSchema,
  type Criterion,
  type Measurement,
  type MeasurementList,
  type MeasurementRule,
  type Rubric,
} from '@pingxuan/shared';
import { api, seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage, type Language } from '../i18n';
import { formatNumber, localized } from '../localized';
import { useApi } from '../useApi';
import { useLive } from './useLive';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { Dialog } from './Dialog';
import { formatDateTime } from './format';
import type { FieldErrors } from './setup/forms';
import { Field, RefusalNotice, useCheck, useRefusal, type Refusal } from './setup/ui';

/** A measured value as the rule reads it: pass/fail in words, other values with their unit. */
function valueText(
  value: number,
  rule: MeasurementRule | undefined,
  lng: Language,
  words: { pass: string; fail: string },
) {
  if (rule?.type === 'passFail') return value === 1 ? words.pass : words.fail;
  const unit = rule?.unit ? ` ${rule.unit}` : '';
  return `${formatNumber(value, lng)}${unit}`;
}

/** Measured values of the current round: what is still missing per criterion, and recorders' disagreements to decide. */
export function MeasurementsPage() {
  const { t } = useTranslation('organize');
  const { contest } = useOrganize();
  usePageTitle(t('measure.title'));
  // Recorders keep entering values: the counts follow on their own, without flicker.
  const list = useLive<MeasurementList>(`/contests/${seg(contest.id)}/measurements`, 15_000);
  const roundId = list.data?.roundId ?? null;
  const rubric = useApi<Rubric>(
    roundId ? `/contests/${seg(contest.id)}/rounds/${seg(roundId)}/rubric` : null,
  );
  const [done, setDone] = useState<string | null>(null);

  let body;
  if (!list.data && list.error) body = <ErrorNotice error={list.error} onRetry={list.refresh} />;
  else if (rubric.status === 'error') body = <ErrorNotice error={rubric.error} onRetry={rubric.reload} />;
  else if (!list.data || rubric.status === 'loading') body = <Loading />;
  else {
    const criteria = rubric.data.criteria.filter((c) => c.kind === 'measurement');
    body = criteria.length ? (
      <MeasurementsBody
        data={list.data}
        criteria={criteria}
        onResolved={(text) => {
          setDone(text);
          list.refresh();
        }}
        onReload={list.refresh}
      />
    ) : (
      <p className="empty">{t('measure.noCriteria')}</p>
    );
  }

  return (
    <section aria-labelledby="measure-title" className="setup">
      <div className="org-page-head">
        <h1 id="measure-title">{t('measure.title')}</h1>
        <button type="button" className="button button-secondary" onClick={list.refresh}>
          {t('measure.refresh')}
        </button>
      </div>
      <div aria-live="polite">
        {done && (
          <div className="notice notice-info" role="status">
            <p>{done}</p>
          </div>
        )}
      </div>
      {body}
    </section>
  );
}

function MeasurementsBody({
  data,
  criteria,
  onResolved,
  onReload,
}: {
  data: MeasurementList;
  criteria: Criterion[];
  onResolved: (text: string) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const [resolving, setResolving] = useState<Measurement | null>(null);
  const words = { pass: t('measure.pass'), fail: t('measure.fail') };
  const byId = new Map(criteria.map((c) => [c.id, c]));
  const stored = Object.entries(data.counts)
    .filter(([k]) => k !== 'missing')
    .reduce((sum, [, n]) => sum + n, 0);
  // Every active entry of the round has one cell per measurement criterion.
  const entries = criteria.length ? (stored + (data.counts.missing ?? 0)) / criteria.length : 0;
  const disagreements = data.measurements.filter((m) => m.status === 'disagreement');
  const resolved = data.measurements.filter((m) => m.status === 'resolved');
  const counting = new Set(['recorded', 'agreed', 'resolved']);

  return (
    <>
      <p className="setup-hint">
        {data.doubleEntry ? t('measure.doubleEntryOn') : t('measure.doubleEntryOff')}
      </p>
      <div className="card table-wrap">
        <table className="table org-table">
          <caption>{t('measure.countsCaption', { n: formatNumber(entries, lng) })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('measure.criterion')}</th>
              <th scope="col" className="num">
                {t('measure.counted')}
              </th>
              {data.doubleEntry && (
                <th scope="col" className="num">
                  {t('measure.pending')}
                </th>
              )}
              {data.doubleEntry && (
                <th scope="col" className="num">
                  {t('measure.disagreements')}
                </th>
              )}
              <th scope="col" className="num">
                {t('measure.missing')}
              </th>
            </tr>
          </thead>
          <tbody>
            {criteria.map((c) => {
              const mine = data.measurements.filter((m) => m.criterionId === c.id);
              const n = (pred: (m: Measurement) => boolean) => mine.filter(pred).length;
              return (
                <tr key={c.id}>
                  <th scope="row">
                    {localized(c.name, lng)} <span className="org-code muted">{c.id}</span>
                  </th>
                  <td className="num">
                    {formatNumber(
                      n((m) => counting.has(m.status)),
                      lng,
                    )}
                  </td>
                  {data.doubleEntry && (
                    <td className="num">
                      {formatNumber(
                        n((m) => m.status === 'pending'),
                        lng,
                      )}
                    </td>
                  )}
                  {data.doubleEntry && (
                    <td className="num">
                      {formatNumber(
                        n((m) => m.status === 'disagreement'),
                        lng,
                      )}
                    </td>
                  )}
                  <td className="num">{formatNumber(entries - mine.length, lng)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <section aria-labelledby="measure-disagreements" className="card setup-card">
        <h2 id="measure-disagreements">
          {t('measure.disagreementsTitle')} <span className="muted">({disagreements.length})</span>
        </h2>
        {disagreements.length === 0 ? (
          <p className="empty">{t('measure.noDisagreements')}</p>
        ) : (
          <div className="table-wrap">
            <table className="table org-table">
              <caption className="visually-hidden">{t('measure.disagreementsTitle')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('measure.entry')}</th>
                  <th scope="col">{t('measure.criterion')}</th>
                  <th scope="col">{t('measure.readings')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('measure.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {disagreements.map((m) => {
                  const c = byId.get(m.criterionId);
                  return (
                    <tr key={m.id}>
                      <th scope="row" className="org-code">
                        {m.code}
                      </th>
                      <td>{c ? localized(c.name, lng) : m.criterionId}</td>
                      <td>
                        <ul className="measure-readings">
                          {m.readings.map((r) => (
                            <li key={r.userId}>
                              <strong>{valueText(r.value, c?.rule, lng, words)}</strong>{' '}
                              <span className="muted">
                                {t('measure.by', { who: r.username, at: formatDateTime(r.at, lng) })}
                              </span>
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="button button-primary"
                          aria-label={t('measure.resolveLabel', {
                            code: m.code,
                            criterion: c ? localized(c.name, lng) : m.criterionId,
                          })}
                          onClick={() => setResolving(m)}
                        >
                          {t('measure.resolve')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {resolved.length > 0 && (
        <section aria-labelledby="measure-resolved" className="card setup-card">
          <h2 id="measure-resolved">{t('measure.resolvedTitle')}</h2>
          <ul className="measure-resolved">
            {resolved.map((m) => {
              const c = byId.get(m.criterionId);
              return (
                <li key={m.id}>
                  <span className="org-code">{m.code}</span> · {c ? localized(c.name, lng) : m.criterionId}:{' '}
                  <strong>{valueText(m.value ?? 0, c?.rule, lng, words)}</strong>{' '}
                  <span className="muted">
                    {t('measure.resolvedBy', {
                      who: m.resolution?.username ?? '—',
                      reason: m.resolution?.reason ?? '',
                    })}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {resolving && (
        <ResolveDialog
          measurement={resolving}
          criterion={byId.get(resolving.criterionId)}
          onClose={() => setResolving(null)}
          onReload={() => {
            setResolving(null);
            onReload();
          }}
          onDone={(value) => {
            const c = byId.get(resolving.criterionId);
            setResolving(null);
            onResolved(
              t('measure.resolved', {
                code: resolving.code,
                criterion: c ? localized(c.name, lng) : resolving.criterionId,
                value: valueText(value, c?.rule, lng, words),
              }),
            );
          }}
        />
      )}
    </>
  );
}

const OTHER = 'other';

function ResolveDialog({
  measurement: m,
  criterion,
  onClose,
  onDone,
  onReload,
}: {
  measurement: Measurement;
  criterion: Criterion | undefined;
  onClose: () => void;
  onDone: (value: number) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const values = [...new Set(m.readings.map((r) => r.value))];
  const [choice, setChoice] = useState<string>(String(values[0] ?? OTHER));
  const [other, setOther] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const check = useCheck();
  const refusal = useRefusal();
  const groupName = useId();
  const passFail = criterion?.rule?.type === 'passFail';
  const words = { pass: t('measure.pass'), fail: t('measure.fail') };

  async function submit() {
    setRefused(null);
    const value = choice === OTHER ? (other.trim() === '' ? undefined : Number(other)) : Number(choice);
    const checked = check(MeasurementResolveSchema, { value, reason, version: m.version });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.post(
        `/contests/${seg(contest.id)}/measurements/${seg(m.entryId)}/${seg(m.criterionId)}/resolve`,
        checked.data,
      );
      onDone(checked.data.value);
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
      setBusy(false);
    }
  }

  const name = criterion ? localized(criterion.name, lng) : m.criterionId;
  return (
    <Dialog
      title={t('measure.resolveTitle', { code: m.code, criterion: name })}
      confirmLabel={t('measure.resolveConfirm')}
      busy={busy}
      onClose={onClose}
      onConfirm={() => void submit()}
    >
      <fieldset className="rule-kind measure-choice">
        <legend>{t('measure.valueToCount')}</legend>
        {values.map((v) => (
          <label key={v} className="rule-radio">
            <input
              type="radio"
              name={groupName}
              value={String(v)}
              checked={choice === String(v)}
              onChange={() => setChoice(String(v))}
            />{' '}
            {valueText(v, criterion?.rule, lng, words)}
          </label>
        ))}
        {!passFail && (
          <label className="rule-radio">
            <input
              type="radio"
              name={groupName}
              value={OTHER}
              checked={choice === OTHER}
              onChange={() => setChoice(OTHER)}
            />{' '}
            {t('measure.otherValue')}
          </label>
        )}
      </fieldset>
      {choice === OTHER && (
        <Field label={t('measure.otherValueLabel')} error={errors.value}>
          {(c) => (
            <input
              {...c}
              type="number"
              step="any"
              inputMode="decimal"
              value={other}
              onChange={(e) => setOther(e.target.value)}
            />
          )}
        </Field>
      )}
      {choice !== OTHER && errors.value && <p className="field-error">{errors.value}</p>}
      <Field label={t('measure.reason')} error={errors.reason} hint={t('measure.reasonHint')}>
        {(c) => (
          <textarea
            {...c}
            rows={2}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      {refused && <RefusalNotice refused={refused} onReload={onReload} />}
    </Dialog>
  );
}
