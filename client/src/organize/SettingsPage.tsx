import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  ContestUpdateSchema,
  type ContestForMember,
  type ContestSettings,
  type ContestUpdate,
  type Rubric,
} from '@pingxuan/shared';
import { api, seg } from '../api';
import { useLanguage } from '../i18n';
import { localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import {
  bilingual,
  describePath,
  moveItem,
  numberOrUndefined,
  percentToShare,
  rowKey,
  shareToPercent,
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

type NamedRow = { key: string; id: string; zh: string; en: string };
type TierRow = NamedRow & { quota: string; percent: string; minScore: string };
type Form = {
  name: string;
  description: string;
  categories: NamedRow[];
  subjects: NamedRow[];
  method: ContestSettings['aggregation']['method'];
  trim: string;
  normalization: ContestSettings['aggregation']['normalization'];
  minJudges: string;
  disagreementThreshold: string;
  judgesPerEntry: string;
  bootstrapSamples: string;
  tiers: TierRow[];
  tiePolicy: ContestSettings['tiePolicy'];
  quotaScope: ContestSettings['quotaScope'];
  tieBreak: string[];
  measurementDoubleEntry: boolean;
  scoreboardEnabled: boolean;
  judgementReleased: boolean;
};

type SettingsPatch = NonNullable<ContestUpdate['settings']>;

const text = (n: number | undefined | null) => (n === undefined || n === null ? '' : String(n));
const namedRows = (list: ContestForMember['categories']): NamedRow[] =>
  list.map((c) => ({ key: rowKey(), id: c.id, zh: c.name.zh, en: c.name.en ?? '' }));

function formOf(c: ContestForMember): Form {
  const s = c.settings!;
  return {
    name: c.name,
    description: c.description,
    categories: namedRows(c.categories),
    subjects: namedRows(c.subjects),
    method: s.aggregation.method,
    trim: text(s.aggregation.trim),
    normalization: s.aggregation.normalization,
    minJudges: text(s.aggregation.minJudges),
    disagreementThreshold: text(s.disagreementThreshold),
    judgesPerEntry: text(s.judgesPerEntry),
    bootstrapSamples: text(s.bootstrapSamples),
    tiers: s.tiers.map((tier) => ({
      key: rowKey(),
      id: tier.id,
      zh: tier.name.zh,
      en: tier.name.en ?? '',
      quota: text(tier.quota),
      percent: tier.share === undefined ? '' : String(shareToPercent(tier.share)),
      minScore: text(tier.minScore),
    })),
    tiePolicy: s.tiePolicy,
    quotaScope: s.quotaScope,
    tieBreak: [...s.tieBreak],
    measurementDoubleEntry: s.measurementDoubleEntry,
    scoreboardEnabled: s.scoreboard.enabled,
    judgementReleased: s.scoreboard.judgementReleased,
  };
}

/**
 * The PATCH body. Categories and subjects go only while the contest is a draft, settings only until
 * publication (the server refuses changes later); the server replaces each settings key sent.
 */
function payloadOf(
  f: Form,
  c: ContestForMember,
): { body: Record<string, unknown>; percentErrors: FieldErrors } {
  const percentErrors: FieldErrors = {};
  const named = (r: NamedRow) => ({ id: r.id.trim(), name: bilingual(r.zh, r.en) });
  const tiers = f.tiers.map((r, i) => {
    const tier: Record<string, unknown> = { id: r.id.trim(), name: bilingual(r.zh, r.en) };
    const quota = numberOrUndefined(r.quota);
    const percent = numberOrUndefined(r.percent);
    const minScore = numberOrUndefined(r.minScore);
    if (quota !== undefined) tier.quota = quota;
    if (minScore !== undefined) tier.minScore = minScore;
    if (percent !== undefined) {
      // The form speaks percent, the schema a share of 0..1: range errors are named in percent here.
      if (!(percent >= 0 && percent <= 100)) percentErrors[`settings.tiers.${i}.share`] = 'percent';
      tier.share = percent >= 0 && percent <= 100 ? percentToShare(percent) : 0;
    }
    return tier;
  });
  // Keys left out (settings other screens own) stay as stored: the server replaces only the keys sent.
  const settings: Partial<Record<keyof SettingsPatch, unknown>> = {
    aggregation: {
      method: f.method,
      trim: numberOrUndefined(f.trim),
      normalization: f.normalization,
      minJudges: numberOrUndefined(f.minJudges),
    },
    disagreementThreshold: numberOrUndefined(f.disagreementThreshold),
    tiers,
    tiePolicy: f.tiePolicy,
    quotaScope: f.quotaScope,
    tieBreak: f.tieBreak,
    judgesPerEntry: numberOrUndefined(f.judgesPerEntry),
    bootstrapSamples: numberOrUndefined(f.bootstrapSamples),
    measurementDoubleEntry: f.measurementDoubleEntry,
    scoreboard: { enabled: f.scoreboardEnabled, judgementReleased: f.judgementReleased },
  };
  const body: Record<string, unknown> = { version: c.version, name: f.name, description: f.description };
  // Published results fix the settings for good; the name and description may still change.
  if (c.status !== 'published') body.settings = settings;
  if (c.status === 'draft') {
    body.categories = f.categories.map(named);
    body.subjects = f.subjects.map(named);
  }
  return { body, percentErrors };
}

/** Criteria of every round's rubric, for the tie-break choice (a round without a rubric adds none). */
function useCriteria(contest: ContestForMember) {
  const [criteria, setCriteria] = useState<{ id: string; name: { zh: string; en?: string } }[] | null>(null);
  const key = contest.rounds.map((r) => r.id).join(',');
  useEffect(() => {
    const ctrl = new AbortController();
    const base = `/contests/${seg(contest.id)}/rounds`;
    Promise.all(
      key.split(',').map((r) =>
        api.get<Rubric>(`${base}/${seg(r)}/rubric`, ctrl.signal).then(
          (rubric) => rubric.criteria,
          () => [],
        ),
      ),
    ).then((lists) => {
      if (ctrl.signal.aborted) return;
      const seen = new Map<string, { id: string; name: { zh: string; en?: string } }>();
      for (const c of lists.flat()) if (!seen.has(c.id)) seen.set(c.id, { id: c.id, name: c.name });
      setCriteria([...seen.values()]);
    });
    return () => ctrl.abort();
  }, [contest.id, key]);
  return criteria;
}

/** Contest settings: names, categories and subjects, how scores are combined, prize tiers and ties. */
export function SettingsPage() {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  usePageTitle(t('settings.title'));
  const [saved, setSaved] = useState(false);
  return (
    <section aria-labelledby="settings-title" className="setup">
      <div className="org-page-head">
        <h1 id="settings-title">{t('settings.title')}</h1>
      </div>
      <div aria-live="polite">
        {saved && (
          <div className="notice notice-info" role="status">
            <p>{t('settings.saved')}</p>
          </div>
        )}
      </div>
      {/* A new version (saved here, or read again after a conflict) starts the form afresh. */}
      <SettingsForm key={contest.version} onSaved={() => setSaved(true)} onEdit={() => setSaved(false)} />
    </section>
  );
}

function SettingsForm({ onSaved, onEdit }: { onSaved: () => void; onEdit: () => void }) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest, reloadContest } = useOrganize();
  const [form, setFormState] = useState<Form>(() => formOf(contest));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const [announcer, announce] = useAnnouncer();
  const formRef = useRef<HTMLFormElement>(null);
  const check = useCheck();
  const criteria = useCriteria(contest);
  const refusal = useRefusal();
  const draft = contest.status === 'draft';
  const published = contest.status === 'published';

  const setForm = (change: (f: Form) => Form) => {
    setFormState(change);
    onEdit();
  };
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  const where = (path: string) =>
    describePath(
      path,
      {
        categories: (i) => t('settings.categoryN', { n: i + 1 }),
        subjects: (i) => t('settings.subjectN', { n: i + 1 }),
        'settings.tiers': (i) => t('settings.tierN', { n: i + 1 }),
        'settings.tieBreak': (i) => t('settings.tieBreakN', { n: i + 1 }),
      },
      {
        name: t('settings.name'),
        description: t('settings.description'),
        id: t('settings.id'),
        'name.zh': t('settings.nameZh'),
        'name.en': t('settings.nameEn'),
        quota: t('settings.quota'),
        share: t('settings.share'),
        minScore: t('settings.minScore'),
        'settings.aggregation.method': t('settings.method'),
        'settings.aggregation.trim': t('settings.trim'),
        'settings.aggregation.normalization': t('settings.normalization'),
        'settings.aggregation.minJudges': t('settings.minJudges'),
        'settings.disagreementThreshold': t('settings.disagreement'),
        'settings.judgesPerEntry': t('settings.judgesPerEntry'),
        'settings.bootstrapSamples': t('settings.bootstrap'),
        'settings.tiePolicy': t('settings.tiePolicy'),
        'settings.quotaScope': t('settings.quotaScope'),
        'settings.tieBreak': t('settings.tieBreak'),
        'settings.measurementDoubleEntry': t('settings.doubleEntry'),
        'settings.scoreboard.enabled': t('settings.scoreboardEnabled'),
        'settings.scoreboard.judgementReleased': t('settings.judgementReleased'),
        settings: t('settings.title'),
      },
    );

  async function save() {
    setRefused(null);
    const { body, percentErrors } = payloadOf(form, contest);
    const checked = check(ContestUpdateSchema, body);
    const percentText = Object.fromEntries(
      Object.keys(percentErrors).map((k) => [k, t('settings.percentRange')]),
    );
    const found = { ...(checked.ok ? {} : checked.errors), ...percentText };
    if (Object.keys(found).length) {
      setErrors(found);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await api.patch(`/contests/${seg(contest.id)}`, checked.ok ? checked.data : body);
      onSaved();
      reloadContest(); // the new version remounts this form with what the server stored
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
      focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  }

  const err = (path: string) => errors[path];
  const tierCount = form.tiers.length;

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
      {published && (
        <div className="notice notice-waiting">
          <p>{t('settings.publishedNotice')}</p>
        </div>
      )}
      <ErrorSummary errors={errors} where={where} />
      {refused && <RefusalNotice refused={refused} onReload={reloadContest} />}

      <fieldset className="card setup-card">
        <legend>{t('settings.basics')}</legend>
        <Field label={t('settings.name')} error={err('name')}>
          {(p) => (
            <input {...p} value={form.name} maxLength={200} onChange={(e) => set('name', e.target.value)} />
          )}
        </Field>
        <Field label={t('settings.description')} error={err('description')}>
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={form.description}
              onChange={(e) => set('description', e.target.value)}
            />
          )}
        </Field>
      </fieldset>

      <fieldset className="card setup-card">
        <legend>{t('settings.groups')}</legend>
        {!draft && <p className="notice notice-waiting">{t('settings.groupsLocked')}</p>}
        <NamedList
          kind="category"
          rows={form.categories}
          prefix="categories"
          errors={errors}
          disabled={!draft}
          onChange={(rows) => set('categories', rows)}
          announce={announce}
        />
        <NamedList
          kind="subject"
          rows={form.subjects}
          prefix="subjects"
          errors={errors}
          disabled={!draft}
          onChange={(rows) => set('subjects', rows)}
          announce={announce}
        />
      </fieldset>

      <fieldset className="card setup-card" disabled={published}>
        <legend>{t('settings.scoring')}</legend>
        <div className="setup-grid">
          <Field
            label={t('settings.method')}
            error={err('settings.aggregation.method')}
            hint={t('settings.methodHint')}
          >
            {(p) => (
              <select
                {...p}
                value={form.method}
                onChange={(e) => set('method', e.target.value as Form['method'])}
              >
                {(['trimmedMean', 'mean', 'median'] as const).map((m) => (
                  <option key={m} value={m}>
                    {t(`settings.methods.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('settings.trim')}
            error={err('settings.aggregation.trim')}
            hint={t('settings.trimHint')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                max={10}
                step={1}
                inputMode="numeric"
                value={form.trim}
                disabled={form.method !== 'trimmedMean'}
                onChange={(e) => set('trim', e.target.value)}
              />
            )}
          </Field>
          <Field
            label={t('settings.normalization')}
            error={err('settings.aggregation.normalization')}
            hint={t('settings.normalizationHint')}
          >
            {(p) => (
              <select
                {...p}
                value={form.normalization}
                onChange={(e) => set('normalization', e.target.value as Form['normalization'])}
              >
                {(['none', 'zscore'] as const).map((m) => (
                  <option key={m} value={m}>
                    {t(`settings.normalizations.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('settings.minJudges')}
            error={err('settings.aggregation.minJudges')}
            hint={t('settings.minJudgesHint')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={50}
                step={1}
                inputMode="numeric"
                value={form.minJudges}
                onChange={(e) => set('minJudges', e.target.value)}
              />
            )}
          </Field>
          <Field
            label={t('settings.judgesPerEntry')}
            error={err('settings.judgesPerEntry')}
            hint={t('settings.judgesPerEntryHint')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={50}
                step={1}
                inputMode="numeric"
                value={form.judgesPerEntry}
                onChange={(e) => set('judgesPerEntry', e.target.value)}
              />
            )}
          </Field>
          <Field
            label={t('settings.disagreement')}
            error={err('settings.disagreementThreshold')}
            hint={t('settings.disagreementHint')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                max={100}
                step="any"
                inputMode="decimal"
                value={form.disagreementThreshold}
                onChange={(e) => set('disagreementThreshold', e.target.value)}
              />
            )}
          </Field>
          <Field
            label={t('settings.bootstrap')}
            error={err('settings.bootstrapSamples')}
            hint={t('settings.bootstrapHint')}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={0}
                max={5000}
                step={1}
                inputMode="numeric"
                value={form.bootstrapSamples}
                onChange={(e) => set('bootstrapSamples', e.target.value)}
              />
            )}
          </Field>
        </div>
      </fieldset>

      <fieldset className="card setup-card" disabled={published}>
        <legend>{t('settings.venue')}</legend>
        <Toggle
          id="settings-double-entry"
          checked={form.measurementDoubleEntry}
          onChange={(v) => set('measurementDoubleEntry', v)}
          label={t('settings.doubleEntry')}
          hint={t('settings.doubleEntryHint')}
          error={err('settings.measurementDoubleEntry')}
        />
        <Toggle
          id="settings-scoreboard"
          checked={form.scoreboardEnabled}
          onChange={(v) => set('scoreboardEnabled', v)}
          label={t('settings.scoreboardEnabled')}
          hint={t('settings.scoreboardHint')}
          error={err('settings.scoreboard.enabled')}
        />
        <Toggle
          id="settings-judgement-released"
          checked={form.judgementReleased}
          onChange={(v) => set('judgementReleased', v)}
          label={t('settings.judgementReleased')}
          hint={t('settings.judgementReleasedHint')}
          error={err('settings.scoreboard.judgementReleased')}
        />
      </fieldset>

      <fieldset className="card setup-card" disabled={published}>
        <legend>{t('settings.tiers')}</legend>
        <p className="setup-hint">{t('settings.tiersIntro')}</p>
        {form.tiers.length === 0 && <p className="empty">{t('settings.noTiers')}</p>}
        <ol className="setup-rows">
          {form.tiers.map((tier, i) => {
            const name = tier.zh || tier.id || t('settings.tierN', { n: i + 1 });
            const p = `settings.tiers.${i}`;
            const setTier = (patch: Partial<TierRow>) =>
              setForm((f) => ({
                ...f,
                tiers: f.tiers.map((x) => (x.key === tier.key ? { ...x, ...patch } : x)),
              }));
            return (
              <li key={tier.key} className="setup-row">
                <fieldset>
                  <legend>{t('settings.tierLegend', { n: i + 1, name })}</legend>
                  <div className="setup-row-fields setup-tier-fields">
                    <Field
                      id={`${tier.key}-first`}
                      label={t('settings.id')}
                      error={errors[`${p}.id`]}
                      className="setup-narrow"
                    >
                      {(c) => (
                        <input
                          {...c}
                          className="setup-mono"
                          value={tier.id}
                          autoCapitalize="off"
                          spellCheck={false}
                          onChange={(e) => setTier({ id: e.target.value })}
                        />
                      )}
                    </Field>
                    <Field label={t('settings.nameZh')} error={errors[`${p}.name.zh`]}>
                      {(c) => (
                        <input
                          {...c}
                          lang="zh"
                          value={tier.zh}
                          onChange={(e) => setTier({ zh: e.target.value })}
                        />
                      )}
                    </Field>
                    <Field label={t('settings.nameEn')} error={errors[`${p}.name.en`]}>
                      {(c) => (
                        <input
                          {...c}
                          lang="en"
                          value={tier.en}
                          onChange={(e) => setTier({ en: e.target.value })}
                        />
                      )}
                    </Field>
                    <Field label={t('settings.quota')} error={errors[`${p}.quota`]} className="setup-narrow">
                      {(c) => (
                        <input
                          {...c}
                          type="number"
                          min={0}
                          step={1}
                          inputMode="numeric"
                          value={tier.quota}
                          onChange={(e) => setTier({ quota: e.target.value })}
                        />
                      )}
                    </Field>
                    <Field label={t('settings.share')} error={errors[`${p}.share`]} className="setup-narrow">
                      {(c) => (
                        <input
                          {...c}
                          type="number"
                          min={0}
                          max={100}
                          step="any"
                          inputMode="decimal"
                          value={tier.percent}
                          onChange={(e) => setTier({ percent: e.target.value })}
                        />
                      )}
                    </Field>
                    <Field
                      label={t('settings.minScore')}
                      error={errors[`${p}.minScore`]}
                      className="setup-narrow"
                    >
                      {(c) => (
                        <input
                          {...c}
                          type="number"
                          min={0}
                          max={100}
                          step="any"
                          inputMode="decimal"
                          value={tier.minScore}
                          onChange={(e) => setTier({ minScore: e.target.value })}
                        />
                      )}
                    </Field>
                  </div>
                  {errors[p] && <p className="field-error">{errors[p]}</p>}
                  <RowTools
                    rowId={tier.key}
                    index={i}
                    count={tierCount}
                    name={name}
                    disabled={published}
                    onMove={(delta) => {
                      setForm((f) => ({ ...f, tiers: moveItem(f.tiers, i, delta) }));
                      setErrors({});
                      announce(t('rows.moved', { name, n: i + delta + 1 }));
                    }}
                    onRemove={() => {
                      setForm((f) => ({ ...f, tiers: f.tiers.filter((x) => x.key !== tier.key) }));
                      setErrors({});
                      announce(t('rows.removed', { name }));
                    }}
                  />
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div className="actions">
          <button
            type="button"
            className="button button-secondary"
            disabled={published || form.tiers.length >= 20}
            onClick={() => {
              const key = rowKey();
              const tier = { key, id: '', zh: '', en: '', quota: '', percent: '', minScore: '' };
              updateThenFocus(() => setForm((f) => ({ ...f, tiers: [...f.tiers, tier] })), `${key}-first`);
              announce(t('settings.tierAdded', { n: form.tiers.length + 1 }));
            }}
          >
            {t('settings.addTier')}
          </button>
        </div>

        <div className="setup-grid setup-gap-top">
          <Field
            label={t('settings.tiePolicy')}
            error={err('settings.tiePolicy')}
            hint={t('settings.tiePolicyHint')}
          >
            {(p) => (
              <select
                {...p}
                value={form.tiePolicy}
                onChange={(e) => set('tiePolicy', e.target.value as Form['tiePolicy'])}
              >
                {(['include', 'exclude'] as const).map((m) => (
                  <option key={m} value={m}>
                    {t(`settings.tiePolicies.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            label={t('settings.quotaScope')}
            error={err('settings.quotaScope')}
            hint={t('settings.quotaScopeHint')}
          >
            {(p) => (
              <select
                {...p}
                value={form.quotaScope}
                onChange={(e) => set('quotaScope', e.target.value as Form['quotaScope'])}
              >
                {(['contest', 'category'] as const).map((m) => (
                  <option key={m} value={m}>
                    {t(`settings.quotaScopes.${m}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <TieBreak
          value={form.tieBreak}
          criteria={criteria}
          errors={errors}
          disabled={published}
          onChange={(v) => set('tieBreak', v)}
          announce={announce}
          lng={lng}
        />
      </fieldset>

      <div className="setup-savebar">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('form.saving') : t('settings.save')}
        </button>
        {Object.keys(errors).length > 0 && (
          <p className="field-error">{t('form.fixFirst', { n: Object.keys(errors).length })}</p>
        )}
      </div>
    </form>
  );
}

/** Categories or subjects: id and names, in the order they are listed everywhere. */
function NamedList({
  kind,
  rows,
  prefix,
  errors,
  disabled,
  onChange,
  announce,
}: {
  kind: 'category' | 'subject';
  rows: NamedRow[];
  prefix: string;
  errors: FieldErrors;
  disabled: boolean;
  onChange: (rows: NamedRow[]) => void;
  announce: (m: string) => void;
}) {
  const { t } = useTranslation('setup');
  const title = kind === 'category' ? t('settings.categories') : t('settings.subjects');
  const itemN = (n: number) =>
    kind === 'category' ? t('settings.categoryN', { n }) : t('settings.subjectN', { n });
  const headingId = `setup-${kind}-title`;
  return (
    <section aria-labelledby={headingId} className="setup-named">
      <h3 id={headingId}>{title}</h3>
      <p className="setup-hint">
        {kind === 'category' ? t('settings.categoriesHint') : t('settings.subjectsHint')}
      </p>
      {rows.length === 0 && <p className="empty">{t('settings.noneYet')}</p>}
      <ol className="setup-rows">
        {rows.map((r, i) => {
          const name = r.zh || r.id || itemN(i + 1);
          const p = `${prefix}.${i}`;
          const setRow = (patch: Partial<NamedRow>) =>
            onChange(rows.map((x) => (x.key === r.key ? { ...x, ...patch } : x)));
          const rowError = errors[p];
          return (
            <li key={r.key} className="setup-row setup-row-inline">
              <fieldset>
                <legend className="visually-hidden">{itemN(i + 1)}</legend>
                <div className="setup-row-fields">
                  <Field
                    id={`${r.key}-first`}
                    label={t('settings.id')}
                    error={errors[`${p}.id`]}
                    className="setup-narrow"
                  >
                    {(c) => (
                      <input
                        {...c}
                        className="setup-mono"
                        value={r.id}
                        disabled={disabled}
                        autoCapitalize="off"
                        spellCheck={false}
                        onChange={(e) => setRow({ id: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field label={t('settings.nameZh')} error={errors[`${p}.name.zh`]}>
                    {(c) => (
                      <input
                        {...c}
                        lang="zh"
                        value={r.zh}
                        disabled={disabled}
                        onChange={(e) => setRow({ zh: e.target.value })}
                      />
                    )}
                  </Field>
                  <Field label={t('settings.nameEn')} error={errors[`${p}.name.en`]}>
                    {(c) => (
                      <input
                        {...c}
                        lang="en"
                        value={r.en}
                        disabled={disabled}
                        onChange={(e) => setRow({ en: e.target.value })}
                      />
                    )}
                  </Field>
                </div>
                {rowError && <p className="field-error">{rowError}</p>}
                <RowTools
                  rowId={r.key}
                  index={i}
                  count={rows.length}
                  name={name}
                  disabled={disabled}
                  onMove={(delta) => {
                    onChange(moveItem(rows, i, delta));
                    announce(t('rows.moved', { name, n: i + delta + 1 }));
                  }}
                  onRemove={() => {
                    onChange(rows.filter((x) => x.key !== r.key));
                    announce(t('rows.removed', { name }));
                  }}
                />
              </fieldset>
            </li>
          );
        })}
      </ol>
      {errors[prefix] && <p className="field-error">{errors[prefix]}</p>}
      {!disabled && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            const key = rowKey();
            updateThenFocus(() => onChange([...rows, { key, id: '', zh: '', en: '' }]), `${key}-first`);
          }}
        >
          {kind === 'category' ? t('settings.addCategory') : t('settings.addSubject')}
        </button>
      )}
    </section>
  );
}

/** Criteria that break a tie, in order: chosen from the rubric's criteria. */
function TieBreak({
  value,
  criteria,
  errors,
  disabled,
  onChange,
  announce,
  lng,
}: {
  value: string[];
  criteria: { id: string; name: { zh: string; en?: string } }[] | null;
  errors: FieldErrors;
  disabled: boolean;
  onChange: (v: string[]) => void;
  announce: (m: string) => void;
  lng: 'zh' | 'en';
}) {
  const { t } = useTranslation('setup');
  const [pick, setPick] = useState('');
  const nameOf = (id: string) => {
    const c = criteria?.find((x) => x.id === id);
    return c ? `${localized(c.name, lng)} (${id})` : id;
  };
  const left = (criteria ?? []).filter((c) => !value.includes(c.id));
  const chosen = pick && left.some((c) => c.id === pick) ? pick : (left[0]?.id ?? '');
  let body: ReactNode;
  if (criteria === null) body = null;
  else if (criteria.length === 0 && value.length === 0)
    body = <p className="empty">{t('settings.tieBreakNoRubric')}</p>;
  else
    body = (
      <>
        {value.length === 0 && <p className="empty">{t('settings.tieBreakNone')}</p>}
        <ol className="setup-rows setup-tiebreak">
          {value.map((id, i) => (
            <li key={id} className="setup-row setup-row-compact">
              <span className="setup-order">{i + 1}</span>
              <span className="setup-tiebreak-name">{nameOf(id)}</span>
              {errors[`settings.tieBreak.${i}`] && (
                <span className="field-error">{errors[`settings.tieBreak.${i}`]}</span>
              )}
              <RowTools
                rowId={`tb-${id}`}
                index={i}
                count={value.length}
                name={nameOf(id)}
                disabled={disabled}
                onMove={(delta) => {
                  onChange(moveItem(value, i, delta));
                  announce(t('rows.moved', { name: nameOf(id), n: i + delta + 1 }));
                }}
                onRemove={() => {
                  onChange(value.filter((x) => x !== id));
                  announce(t('rows.removed', { name: nameOf(id) }));
                }}
              />
            </li>
          ))}
        </ol>
        {left.length > 0 && !disabled && (
          <div className="setup-inline-add">
            <Field label={t('settings.tieBreakAdd')}>
              {(p) => (
                <select {...p} value={chosen} onChange={(e) => setPick(e.target.value)}>
                  {left.map((c) => (
                    <option key={c.id} value={c.id}>
                      {localized(c.name, lng)} ({c.id})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                if (!chosen) return;
                onChange([...value, chosen]);
                announce(t('settings.tieBreakAdded', { name: nameOf(chosen) }));
              }}
            >
              {t('settings.tieBreakAddButton')}
            </button>
          </div>
        )}
      </>
    );
  return (
    <section aria-labelledby="setup-tiebreak-title" className="setup-named">
      <h3 id="setup-tiebreak-title">{t('settings.tieBreak')}</h3>
      <p className="setup-hint">{t('settings.tieBreakHint')}</p>
      {errors['settings.tieBreak'] && <p className="field-error">{errors['settings.tieBreak']}</p>}
      {body}
    </section>
  );
}

/** A checkbox with its hint and error read out with it. */
function Toggle({
  id,
  checked,
  onChange,
  label,
  hint,
  error,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  hint: ReactNode;
  error: string | undefined;
}) {
  return (
    <div className="setup-field setup-toggle">
      <label className="org-check" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          {...(error ? { 'aria-invalid': true } : {})}
          onChange={(e) => onChange(e.target.checked)}
        />
        <span>{label}</span>
      </label>
      <p id={`${id}-hint`} className="setup-hint">
        {hint}
      </p>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
