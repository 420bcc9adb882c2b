import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  RubricInputSchema,
  rubricWeightSum,
  type Criterion,
  type CriterionKind,
  type MeasurementRule,
  type Rubric,
} from '@pingxuan/shared';
import { api, seg } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatNumber, formatPercent, localized } from '../localized';
import { useApi } from '../useApi';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { RoundPicker, useRoundParam } from './RoundPicker';
import {
  bilingual,
  describePath,
  moveItem,
  numberOrUndefined,
  rowKey,
  type FieldErrors,
} from './setup/forms';
import {
  ErrorSummary,
  Field,
  RefusalNotice,
  RowTools,
  focusFirstInvalid,
  updateThenFocus,
  useRefusal,
  useAnnouncer,
  useCheck,
  type Refusal,
} from './setup/ui';

type RuleType = MeasurementRule['type'];
type BandRow = { key: string; min: string; max: string; points: string };

type Row = {
  key: string;
  id: string;
  zh: string;
  en: string;
  descZh: string;
  descEn: string;
  weight: string;
  maxScore: string;
  step: string;
  kind: CriterionKind;
  /** Stored with an explicit kind: sent back with it, so an unchanged criterion reads back as written. */
  hadKind: boolean;
  ruleType: RuleType;
  best: string;
  worst: string;
  unit: string;
  bands: BandRow[];
};

const MAX_CRITERIA = 50;
const MAX_BANDS = 50;
const RULE_TYPES: RuleType[] = ['linear', 'bands', 'passFail'];

const emptyBand = (): BandRow => ({ key: rowKey(), min: '', max: '', points: '' });

const rowOf = (c: Criterion): Row => {
  const rule = c.rule;
  return {
    key: rowKey(),
    id: c.id,
    zh: c.name.zh,
    en: c.name.en ?? '',
    descZh: c.description.zh,
    descEn: c.description.en ?? '',
    weight: String(c.weight),
    maxScore: String(c.maxScore),
    step: String(c.step),
    kind: c.kind ?? 'judgement',
    hadKind: c.kind !== undefined,
    ruleType: rule?.type ?? 'linear',
    best: rule?.type === 'linear' ? String(rule.best) : '',
    worst: rule?.type === 'linear' ? String(rule.worst) : '',
    unit: rule && rule.type !== 'passFail' ? (rule.unit ?? '') : '',
    bands:
      rule?.type === 'bands'
        ? rule.bands.map((b) => ({
            key: rowKey(),
            min: b.min === undefined ? '' : String(b.min),
            max: b.max === undefined ? '' : String(b.max),
            points: String(b.points),
          }))
        : [emptyBand()],
  };
};

const emptyRow = (): Row => ({
  key: rowKey(),
  id: '',
  zh: '',
  en: '',
  descZh: '',
  descEn: '',
  weight: '10',
  maxScore: '10',
  step: '1',
  kind: 'judgement',
  hadKind: false,
  ruleType: 'linear',
  best: '',
  worst: '',
  unit: '',
  bands: [emptyBand()],
});

/** The row's rule as the schema wants it; blank numbers are left out so the schema names them. */
function ruleOf(r: Row): Record<string, unknown> {
  const unit = r.unit.trim() ? { unit: r.unit.trim() } : {};
  if (r.ruleType === 'passFail') return { type: 'passFail' };
  if (r.ruleType === 'linear')
    return { type: 'linear', best: numberOrUndefined(r.best), worst: numberOrUndefined(r.worst), ...unit };
  return {
    type: 'bands',
    bands: r.bands.map((b) => {
      const band: Record<string, unknown> = { points: numberOrUndefined(b.points) };
      // A blank bound is an open end (below the first band, above the last).
      if (b.min.trim()) band.min = Number(b.min);
      if (b.max.trim()) band.max = Number(b.max);
      return band;
    }),
    ...unit,
  };
}

function criterionOf(r: Row): Record<string, unknown> {
  return {
    id: r.id.trim(),
    name: bilingual(r.zh, r.en),
    description: bilingual(r.descZh, r.descEn),
    weight: numberOrUndefined(r.weight),
    maxScore: numberOrUndefined(r.maxScore),
    step: numberOrUndefined(r.step),
    ...(r.kind === 'measurement'
      ? { kind: 'measurement', rule: ruleOf(r) }
      : r.hadKind
        ? { kind: r.kind }
        : {}),
  };
}

/** The rubric of a round: criteria in order with weights and score ranges; frozen once judging starts. */
export function RubricPage() {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  usePageTitle(t('rubric.title'));
  const firstRound = contest.rounds[0]?.id ?? null;
  const roundId = useRoundParam() ?? firstRound;
  const rubric = useApi<Rubric>(
    roundId ? `/contests/${seg(contest.id)}/rounds/${seg(roundId)}/rubric` : null,
  );
  const [saved, setSaved] = useState(false);

  let body;
  if (rubric.status === 'loading') body = <Loading />;
  else if (rubric.status === 'error' && rubric.error.status !== 404)
    body = <ErrorNotice error={rubric.error} onRetry={rubric.reload} />;
  else {
    const current = rubric.status === 'ok' ? rubric.data : null;
    const frozen = Boolean(current?.frozen) || contest.status !== 'draft';
    body = frozen ? (
      <FrozenRubric rubric={current} />
    ) : (
      <RubricForm
        key={`${roundId}:${current?.version ?? 'new'}`}
        roundId={roundId!}
        rubric={current}
        onSaved={() => {
          setSaved(true);
          rubric.reload();
        }}
        onEdit={() => setSaved(false)}
        onReload={rubric.reload}
      />
    );
  }

  return (
    <section aria-labelledby="rubric-title" className="setup">
      <div className="org-page-head">
        <h1 id="rubric-title">{t('rubric.title')}</h1>
        <RoundPicker current={firstRound} />
      </div>
      <div aria-live="polite">
        {saved && (
          <div className="notice notice-info" role="status">
            <p>{t('rubric.saved')}</p>
          </div>
        )}
      </div>
      {body}
    </section>
  );
}

function FrozenRubric({ rubric }: { rubric: Rubric | null }) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const sum = rubric ? rubricWeightSum(rubric.criteria) : 0;
  return (
    <>
      <div className="notice notice-waiting" role="note">
        <p>
          <strong>{t('rubric.frozenTitle')}</strong>
        </p>
        <p>{t('rubric.frozenText')}</p>
      </div>
      {!rubric ? (
        <p className="empty">{t('rubric.none')}</p>
      ) : (
        <div className="card table-wrap">
          <table className="table org-table">
            <caption className="visually-hidden">{t('rubric.caption')}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  {t('rubric.order')}
                </th>
                <th scope="col">{t('rubric.criterion')}</th>
                <th scope="col" className="num">
                  {t('rubric.weight')}
                </th>
                <th scope="col" className="num">
                  {t('rubric.maxScore')}
                </th>
                <th scope="col" className="num">
                  {t('rubric.step')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rubric.criteria.map((c, i) => (
                <tr key={c.id}>
                  <td className="num">{i + 1}</td>
                  <th scope="row">
                    {localized(c.name, lng)} <span className="org-code muted">{c.id}</span>
                    {c.kind === 'measurement' && c.rule && (
                      <div className="setup-hint">
                        {t('rule.kinds.measurement')} · <RuleSummary rule={c.rule} />
                      </div>
                    )}
                    {c.description.zh && (
                      <div className="criterion-description">{localized(c.description, lng)}</div>
                    )}
                  </th>
                  <td className="num">
                    {formatNumber(c.weight, lng)}
                    <div className="setup-hint">{sum > 0 ? formatPercent(c.weight / sum, lng) : ''}</div>
                  </td>
                  <td className="num">{formatNumber(c.maxScore, lng)}</td>
                  <td className="num">{formatNumber(c.step, lng)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={2}>
                  {t('rubric.weightSum')}
                </th>
                <td className="num">{formatNumber(sum, lng)}</td>
                <td colSpan={2} />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </>
  );
}

function RubricForm({
  roundId,
  rubric,
  onSaved,
  onEdit,
  onReload,
}: {
  roundId: string;
  rubric: Rubric | null;
  onSaved: () => void;
  onEdit: () => void;
  onReload: () => void;
}) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const [rows, setRowsState] = useState<Row[]>(() => (rubric ? rubric.criteria.map(rowOf) : [emptyRow()]));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcer, announce] = useAnnouncer();
  const formRef = useRef<HTMLFormElement>(null);
  const check = useCheck();
  const refusal = useRefusal();

  const setRows = (change: (r: Row[]) => Row[], keepErrors = false) => {
    setRowsState(change);
    // Errors are keyed by position: once rows move or go, they would point at the wrong criterion.
    if (!keepErrors) setErrors({});
    onEdit();
  };

  const weights = rows.map((r) => numberOrUndefined(r.weight));
  const valid = weights.filter((w): w is number => w !== undefined && Number.isFinite(w) && w > 0);
  const sum = rubricWeightSum(valid.map((weight) => ({ weight })));
  const nameOf = (r: Row, i: number) => r.zh || r.id || t('rubric.criterionN', { n: i + 1 });

  const where = (path: string) => {
    const band = /^criteria\.(\d+)\.rule\.bands\.(\d+)(?:\.(min|max|points))?$/.exec(path);
    if (band) {
      const parts = [
        t('rubric.criterionN', { n: Number(band[1]) + 1 }),
        t('rule.bandN', { n: Number(band[2]) + 1 }),
      ];
      if (band[3]) parts.push(t(`rule.${band[3] as 'min' | 'max' | 'points'}`));
      return parts.join(' · ');
    }
    return describePath(
      path,
      { criteria: (i) => t('rubric.criterionN', { n: i + 1 }) },
      {
        id: t('rubric.id'),
        'name.zh': t('rubric.nameZh'),
        'name.en': t('rubric.nameEn'),
        'description.zh': t('rubric.descZh'),
        'description.en': t('rubric.descEn'),
        weight: t('rubric.weight'),
        maxScore: t('rubric.maxScore'),
        step: t('rubric.step'),
        criteria: t('rubric.criteria'),
        version: t('rubric.version'),
        kind: t('rule.kind'),
        rule: t('rule.title'),
        'rule.type': t('rule.type'),
        'rule.best': t('rule.best'),
        'rule.worst': t('rule.worst'),
        'rule.unit': t('rule.unit'),
        'rule.bands': t('rule.bands'),
      },
    );
  };

  async function save() {
    setRefused(null);
    const body: Record<string, unknown> = { criteria: rows.map(criterionOf) };
    if (rubric) body.version = rubric.version;
    const checked = check(RubricInputSchema, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.put(`/contests/${seg(contest.id)}/rounds/${seg(roundId)}/rubric`, checked.data);
      onSaved();
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
      focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      ref={formRef}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {announcer}
      <p className="setup-hint">{rubric ? t('rubric.intro') : t('rubric.introNew')}</p>
      <ErrorSummary errors={errors} where={where} />
      {refused && <RefusalNotice refused={refused} onReload={onReload} />}

      <ol className="setup-rows setup-criteria">
        {rows.map((r, i) => {
          const p = `criteria.${i}`;
          const name = nameOf(r, i);
          const w = weights[i];
          const share = w !== undefined && Number.isFinite(w) && w > 0 && sum > 0 ? w / sum : null;
          const set = (patch: Partial<Row>) =>
            setRows((list) => list.map((x) => (x.key === r.key ? { ...x, ...patch } : x)), true);
          return (
            <li key={r.key} className="card setup-row setup-criterion">
              <fieldset>
                <legend>{t('rubric.legend', { n: i + 1, name })}</legend>
                <div className="setup-row-fields setup-criterion-fields">
                  <Field
                    id={`${r.key}-first`}
                    label={t('rubric.id')}
                    error={errors[`${p}.id`]}
                    className="setup-narrow"
                  >
                    {(c) => (
                      <input
                        {...c}
                        className="setup-mono"
                        value={r.id}
                        autoCapitalize="off"
                        spellCheck={false}
                        onChange={(e) => set({ id: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field label={t('rubric.nameZh')} error={errors[`${p}.name.zh`]}>
                    {(c) => (
                      <input {...c} lang="zh" value={r.zh} onChange={(e) => set({ zh: e.target.value })} />
                    )}
                  </Field>
                  <Field label={t('rubric.nameEn')} error={errors[`${p}.name.en`]}>
                    {(c) => (
                      <input {...c} lang="en" value={r.en} onChange={(e) => set({ en: e.target.value })} />
                    )}
                  </Field>
                  <Field
                    label={t('rubric.weight')}
                    error={errors[`${p}.weight`]}
                    hint={
                      share === null ? undefined : t('rubric.share', { share: formatPercent(share, lng) })
                    }
                    className="setup-narrow"
                  >
                    {(c) => (
                      <input
                        {...c}
                        type="number"
                        min={0}
                        step="any"
                        inputMode="decimal"
                        value={r.weight}
                        onChange={(e) => set({ weight: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field
                    label={t('rubric.maxScore')}
                    error={errors[`${p}.maxScore`]}
                    hint={
                      r.kind === 'measurement' && r.ruleType === 'passFail'
                        ? t('rubric.passPoints')
                        : undefined
                    }
                    className="setup-narrow"
                  >
                    {(c) => (
                      <input
                        {...c}
                        type="number"
                        min={0}
                        step="any"
                        inputMode="decimal"
                        value={r.maxScore}
                        onChange={(e) => set({ maxScore: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field
                    label={t('rubric.step')}
                    error={errors[`${p}.step`]}
                    hint={t('rubric.stepHint')}
                    className="setup-narrow"
                  >
                    {(c) => (
                      <input
                        {...c}
                        type="number"
                        min={0}
                        step="any"
                        inputMode="decimal"
                        value={r.step}
                        onChange={(e) => set({ step: e.target.value })}
                      />
                    )}
                  </Field>
                </div>
                <div className="setup-row-fields setup-desc-fields">
                  <Field
                    label={t('rubric.descZh')}
                    error={errors[`${p}.description.zh`]}
                    hint={t('rubric.descHint')}
                  >
                    {(c) => (
                      <textarea
                        {...c}
                        lang="zh"
                        rows={2}
                        value={r.descZh}
                        onChange={(e) => set({ descZh: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field label={t('rubric.descEn')} error={errors[`${p}.description.en`]}>
                    {(c) => (
                      <textarea
                        {...c}
                        lang="en"
                        rows={2}
                        value={r.descEn}
                        onChange={(e) => set({ descEn: e.target.value })}
                      />
                    )}
                  </Field>
                </div>
                <KindChoice row={r} name={name} set={set} />
                {r.kind === 'measurement' && (
                  <RuleEditor row={r} prefix={p} errors={errors} set={set} announce={announce} />
                )}
                {errors[p] && <p className="field-error">{errors[p]}</p>}
                {r.kind !== 'measurement' && errors[`${p}.rule`] && (
                  <p className="field-error">{errors[`${p}.rule`]}</p>
                )}
                <RowTools
                  rowId={r.key}
                  index={i}
                  count={rows.length}
                  name={name}
                  removeDisabled={rows.length === 1}
                  onMove={(delta) => {
                    setRows((list) => moveItem(list, i, delta));
                    announce(t('rows.moved', { name, n: i + delta + 1 }));
                  }}
                  onRemove={() => {
                    setRows((list) => list.filter((x) => x.key !== r.key));
                    announce(t('rows.removed', { name }));
                  }}
                />
              </fieldset>
            </li>
          );
        })}
      </ol>
      {errors.criteria && <p className="field-error">{errors.criteria}</p>}

      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          disabled={rows.length >= MAX_CRITERIA}
          onClick={() => {
            const row = emptyRow();
            updateThenFocus(() => setRows((list) => [...list, row]), `${row.key}-first`);
            announce(t('rubric.added', { n: rows.length + 1 }));
          }}
        >
          {t('rubric.add')}
        </button>
      </div>

      <div className="setup-savebar">
        <p className="setup-sum" aria-live="polite">
          {t('rubric.weightSumLive', { sum: formatNumber(sum, lng), n: rows.length })}
          {sum !== 100 && sum > 0 && <span className="setup-hint"> {t('rubric.normalised')}</span>}
        </p>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('form.saving') : rubric ? t('rubric.save') : t('rubric.create')}
        </button>
      </div>
    </form>
  );
}

/** Judges score it, or a recorder measures it and a rule turns the value into points. */
function KindChoice({ row, name, set }: { row: Row; name: string; set: (patch: Partial<Row>) => void }) {
  const { t } = useTranslation('setup');
  return (
    <fieldset className="rule-kind">
      <legend>{t('rule.kindOf', { name })}</legend>
      {(['judgement', 'measurement'] as const).map((k) => (
        <label key={k} className="rule-radio">
          <input
            type="radio"
            name={`${row.key}-kind`}
            value={k}
            checked={row.kind === k}
            onChange={() => set({ kind: k })}
          />{' '}
          {t(`rule.kinds.${k}`)}
        </label>
      ))}
    </fieldset>
  );
}

/** The conversion rule of a measurement criterion: a straight line, a table of bands, or pass/fail. */
function RuleEditor({
  row,
  prefix,
  errors,
  set,
  announce,
}: {
  row: Row;
  prefix: string;
  errors: FieldErrors;
  set: (patch: Partial<Row>) => void;
  announce: (message: string) => void;
}) {
  const { t } = useTranslation('setup');
  const p = `${prefix}.rule`;
  const setBand = (key: string, patch: Partial<BandRow>) =>
    set({ bands: row.bands.map((b) => (b.key === key ? { ...b, ...patch } : b)) });
  const number = (value: string, onChange: (v: string) => void) => ({
    type: 'number' as const,
    step: 'any',
    inputMode: 'decimal' as const,
    value,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  });
  return (
    <div className="rule-editor">
      <div className="setup-row-fields">
        <Field label={t('rule.type')} error={errors[`${p}.type`]} className="rule-type">
          {(c) => (
            <select
              {...c}
              value={row.ruleType}
              onChange={(e) => set({ ruleType: e.target.value as RuleType })}
            >
              {RULE_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`rule.types.${type}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {row.ruleType !== 'passFail' && (
          <Field
            label={t('rule.unit')}
            error={errors[`${p}.unit`]}
            hint={t('rule.unitHint')}
            className="setup-narrow"
          >
            {(c) => (
              <input {...c} value={row.unit} maxLength={20} onChange={(e) => set({ unit: e.target.value })} />
            )}
          </Field>
        )}
        {row.ruleType === 'linear' && (
          <>
            <Field
              label={t('rule.best')}
              error={errors[`${p}.best`]}
              hint={t('rule.bestHint')}
              className="setup-narrow"
            >
              {(c) => <input {...c} {...number(row.best, (v) => set({ best: v }))} />}
            </Field>
            <Field
              label={t('rule.worst')}
              error={errors[`${p}.worst`]}
              hint={t('rule.worstHint')}
              className="setup-narrow"
            >
              {(c) => <input {...c} {...number(row.worst, (v) => set({ worst: v }))} />}
            </Field>
          </>
        )}
      </div>
      {row.ruleType === 'passFail' && <p className="setup-hint">{t('rule.passFailHint')}</p>}
      {row.ruleType === 'bands' && (
        <fieldset className="rule-bands">
          <legend>{t('rule.bands')}</legend>
          <p className="setup-hint">{t('rule.bandsHint')}</p>
          <ol className="rule-band-list">
            {row.bands.map((b, j) => {
              const bp = `${p}.bands.${j}`;
              const label = t('rule.bandN', { n: j + 1 });
              return (
                <li key={b.key} className="rule-band" aria-label={label}>
                  <span className="rule-band-n" aria-hidden="true">
                    {j + 1}
                  </span>
                  <Field id={`${b.key}-min`} label={t('rule.min')} error={errors[`${bp}.min`]}>
                    {(c) => <input {...c} {...number(b.min, (v) => setBand(b.key, { min: v }))} />}
                  </Field>
                  <Field label={t('rule.max')} error={errors[`${bp}.max`]}>
                    {(c) => <input {...c} {...number(b.max, (v) => setBand(b.key, { max: v }))} />}
                  </Field>
                  <Field label={t('rule.points')} error={errors[`${bp}.points`]}>
                    {(c) => <input {...c} {...number(b.points, (v) => setBand(b.key, { points: v }))} />}
                  </Field>
                  <button
                    type="button"
                    className="button button-secondary setup-tool setup-tool-remove"
                    disabled={row.bands.length === 1}
                    aria-label={t('rule.removeBandLabel', { n: j + 1 })}
                    onClick={() => {
                      set({ bands: row.bands.filter((x) => x.key !== b.key) });
                      announce(t('rule.bandRemoved', { n: j + 1 }));
                    }}
                  >
                    {t('rows.remove')}
                  </button>
                  {errors[bp] && <p className="field-error rule-band-error">{errors[bp]}</p>}
                </li>
              );
            })}
          </ol>
          {errors[`${p}.bands`] && <p className="field-error">{errors[`${p}.bands`]}</p>}
          <button
            type="button"
            className="button button-secondary"
            disabled={row.bands.length >= MAX_BANDS}
            onClick={() => {
              const band = emptyBand();
              updateThenFocus(() => set({ bands: [...row.bands, band] }), `${band.key}-min`);
              announce(t('rule.bandAdded', { n: row.bands.length + 1 }));
            }}
          >
            {t('rule.addBand')}
          </button>
        </fieldset>
      )}
      {errors[p] && <p className="field-error">{errors[p]}</p>}
    </div>
  );
}

/** A rule in one line, for the frozen rubric. */
function RuleSummary({ rule }: { rule: MeasurementRule }) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  if (rule.type === 'passFail') return <>{t('rule.types.passFail')}</>;
  const unit = rule.unit ?? '';
  if (rule.type === 'linear')
    return (
      <>
        {t('rule.linearSummary', {
          best: `${formatNumber(rule.best, lng)}${unit}`,
          worst: `${formatNumber(rule.worst, lng)}${unit}`,
        })}
      </>
    );
  return <>{t('rule.bandsSummary', { n: rule.bands.length })}</>;
}
