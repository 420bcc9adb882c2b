import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RubricInputSchema, rubricWeightSum, type Criterion, type Rubric } from '@pingxuan/shared';
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
  /** Measurement criteria keep their kind and rule as they are; this screen edits judged criteria. */
  kind?: Criterion['kind'];
  rule?: Criterion['rule'];
};

const MAX_CRITERIA = 50;

const rowOf = (c: Criterion): Row => ({
  key: rowKey(),
  id: c.id,
  zh: c.name.zh,
  en: c.name.en ?? '',
  descZh: c.description.zh,
  descEn: c.description.en ?? '',
  weight: String(c.weight),
  maxScore: String(c.maxScore),
  step: String(c.step),
  ...(c.kind ? { kind: c.kind } : {}),
  ...(c.rule ? { rule: c.rule } : {}),
});

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
});

function criterionOf(r: Row): Record<string, unknown> {
  return {
    id: r.id.trim(),
    name: bilingual(r.zh, r.en),
    description: bilingual(r.descZh, r.descEn),
    weight: numberOrUndefined(r.weight),
    maxScore: numberOrUndefined(r.maxScore),
    step: numberOrUndefined(r.step),
    ...(r.kind ? { kind: r.kind } : {}),
    ...(r.rule ? { rule: r.rule } : {}),
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

  const where = (path: string) =>
    describePath(
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
      },
    );

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
                {r.kind === 'measurement' && <p className="org-tag">{t('rubric.measurement')}</p>}
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
                {errors[p] && <p className="field-error">{errors[p]}</p>}
                {errors[`${p}.rule`] && <p className="field-error">{errors[`${p}.rule`]}</p>}
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
