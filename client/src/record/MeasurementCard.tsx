import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { RecordingCell } from '@pingxuan/shared';
import { errorText } from '../components/Status';
import { useLanguage, type Language } from '../i18n';
import { formatNumber, localized } from '../localized';
import {
  cellState,
  parseValue,
  previewPoints,
  replacedValue,
  roundPoints,
  unitOf,
  type CellState,
  type RecordingCriterion,
} from './recording';
import { cellKey, useRecording, type Draft } from './useRecording';

type Props = {
  entryId: string;
  criterion: RecordingCriterion;
  cell: RecordingCell | undefined;
  doubleEntry: boolean;
  canRecord: boolean;
};

/** The server's known field messages in the recorder's words; anything else as the server said it. */
function fieldText(t: TFunction<'record'>, message: string | null | undefined): string {
  if (!message) return t('field.notANumber');
  if (message.startsWith('must be 1 (pass) or 0 (fail)')) return t('field.passFail');
  if (message.startsWith('expected a finite number')) return t('field.notANumber');
  return t('field.server', { message });
}

/** What the rule makes of values, in one line under the criterion's name. */
function ruleText(t: TFunction<'record'>, c: RecordingCriterion, lng: Language): string {
  const unit = unitOf(c.rule) ?? '';
  const n = (x: number) => formatNumber(x, lng);
  const max = n(c.maxScore);
  switch (c.rule.type) {
    case 'passFail':
      return t('rule.passFail', { max });
    case 'linear':
      return t('rule.linear', { best: `${n(c.rule.best)}${unit}`, worst: `${n(c.rule.worst)}${unit}`, max });
    case 'bands':
      return c.rule.bands
        .map((b) => {
          const points = n(b.points);
          if (b.min !== undefined && b.max !== undefined)
            return t('rule.bandBetween', { min: `${n(b.min)}${unit}`, max: `${n(b.max)}${unit}`, points });
          if (b.min !== undefined) return t('rule.bandFrom', { min: `${n(b.min)}${unit}`, points });
          if (b.max !== undefined) return t('rule.bandBelow', { max: `${n(b.max)}${unit}`, points });
          return t('rule.bandAny', { points });
        })
        .join(t('rule.separator'));
  }
}

/** How a value reads for this criterion: 合格/不合格, or the number with its unit. */
export function valueText(t: TFunction<'record'>, c: RecordingCriterion, value: number, lng: Language) {
  if (c.rule.type === 'passFail') return value === 1 ? t('passFail.pass') : t('passFail.fail');
  const unit = unitOf(c.rule);
  return unit ? `${formatNumber(value, lng)} ${unit}` : formatNumber(value, lng);
}

function stateText(
  t: TFunction<'record'>,
  s: CellState,
  cell: RecordingCell | undefined,
  show: (v: number) => string,
) {
  const own = cell?.own ? show(cell.own.value) : '';
  const value = cell?.value !== null && cell?.value !== undefined ? show(cell.value) : '';
  switch (s) {
    case 'empty':
      return t('state.empty');
    case 'yourTurn':
      return t('state.yourTurn');
    case 'waiting':
      return t('state.waiting', { own });
    case 'counted':
      return t('state.counted', { value });
    case 'disagreement':
      return t('state.disagreement', { own });
    case 'resolved':
      return t('state.resolved', { value });
    case 'full':
      return t('state.full');
  }
}

export function MeasurementCard({ entryId, criterion: c, cell, doubleEntry, canRecord }: Props) {
  const { t } = useTranslation('record');
  const { t: tc } = useTranslation();
  const lng = useLanguage();
  const { drafts, edit, save, keepMine, discard } = useRecording();
  const id = useId();
  const draft: Draft | undefined = drafts.get(cellKey(entryId, c.id));
  const state = cellState(cell, doubleEntry);
  const locked = !canRecord || state === 'resolved' || state === 'full';
  const saved = cell?.own ? String(cell.own.value) : '';
  const text = draft?.text ?? saved;
  const typed = parseValue(text);
  const points = previewPoints(c, typed);
  const show = (v: number) => valueText(t, c, v, lng);
  const name = localized(c.name, lng);
  const unit = unitOf(c.rule);
  const saving = draft?.phase === 'saving';
  const changed = draft !== undefined && draft.text.trim() !== saved;
  const invalid = draft?.phase === 'invalid';
  const theirs = draft?.current ? replacedValue(draft.current, doubleEntry) : null;
  const counted = cell?.value !== null && cell?.value !== undefined ? previewPoints(c, cell.value) : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!locked && !saving) void save(entryId, c.id);
  };

  const ids = { hint: `${id}-hint`, error: `${id}-error`, state: `${id}-state`, preview: `${id}-preview` };
  const describedBy = [invalid ? ids.error : null, ids.hint, ids.state].filter(Boolean).join(' ');

  return (
    <section className={`record-card record-card-${state}`} aria-labelledby={`${id}-name`}>
      <h2 id={`${id}-name`} className="record-card-name">
        {name}
        <span className="record-card-max">{t('card.max', { max: formatNumber(c.maxScore, lng) })}</span>
      </h2>
      <p id={ids.hint} className="record-rule">
        {ruleText(t, c, lng)}
      </p>
      {c.description.zh && <p className="record-description">{localized(c.description, lng)}</p>}
      <p id={ids.state} className={`record-state record-state-${state}`} role="status">
        {stateText(t, state, cell, show)}
        {counted !== null && (state === 'counted' || state === 'resolved') && (
          <> {t('card.countedPoints', { points: formatNumber(roundPoints(counted), lng) })}</>
        )}
      </p>

      <form className="record-form" onSubmit={onSubmit} noValidate>
        {c.rule.type === 'passFail' ? (
          <fieldset className="record-passfail" disabled={locked || saving} aria-describedby={describedBy}>
            <legend className="visually-hidden">{t('passFail.legend', { name })}</legend>
            {[1, 0].map((v) => (
              <label key={v} className={`record-toggle record-toggle-${v ? 'pass' : 'fail'}`}>
                <input
                  type="radio"
                  name={`${id}-pf`}
                  value={v}
                  checked={text === String(v)}
                  onChange={() => edit(entryId, c.id, String(v))}
                />
                <span>{v ? t('passFail.pass') : t('passFail.fail')}</span>
              </label>
            ))}
          </fieldset>
        ) : (
          <div className="record-value">
            <label htmlFor={`${id}-input`}>{t('card.valueLabel', { name })}</label>
            <div className="record-input-row">
              <input
                id={`${id}-input`}
                className="record-input"
                type="text"
                inputMode="decimal"
                autoComplete="off"
                enterKeyHint="done"
                value={text}
                disabled={locked}
                readOnly={saving}
                aria-invalid={invalid}
                aria-describedby={describedBy}
                onChange={(e) => edit(entryId, c.id, e.target.value)}
              />
              {unit && <span className="record-unit">{unit}</span>}
            </div>
          </div>
        )}
        {invalid && (
          <p id={ids.error} className="field-error record-field-error">
            {fieldText(t, draft.fieldMessage)}
          </p>
        )}
        <p id={ids.preview} className="record-preview" aria-live="polite">
          {changed && points !== null
            ? t('card.preview', {
                points: formatNumber(roundPoints(points), lng),
                max: formatNumber(c.maxScore, lng),
              })
            : ' '}
        </p>
        {!locked && (
          <button
            type="submit"
            className="button button-primary button-block record-save"
            disabled={saving || !changed}
          >
            {saving ? t('card.saving') : t('card.save')}
          </button>
        )}
      </form>

      {draft?.phase === 'failed' && draft.error && (
        <div className="notice notice-error" role="alert">
          <p>{t('card.failed', { value: draft.text, problem: errorText(tc, draft.error) })}</p>
          <button type="button" className="button button-primary" onClick={() => void save(entryId, c.id)}>
            {t('card.retry')}
          </button>
        </div>
      )}
      {draft?.phase === 'refused' && draft.error && (
        <div className="notice notice-error" role="alert">
          <p>{refusedText(t, tc, draft)}</p>
          <button type="button" className="button button-secondary" onClick={() => discard(entryId, c.id)}>
            {t('card.dismiss')}
          </button>
        </div>
      )}
      {draft?.phase === 'conflict' && draft.current && (
        <div className="notice notice-waiting record-conflict" role="alert">
          <p>{t('conflict.intro')}</p>
          <dl className="record-conflict-values">
            <dt>{t('conflict.yours')}</dt>
            <dd>{typed === null ? draft.text : show(typed)}</dd>
            <dt>{t('conflict.saved')}</dt>
            <dd>{theirs === null ? t('conflict.nothing') : show(theirs)}</dd>
          </dl>
          <div className="actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => void keepMine(entryId, c.id)}
            >
              {t('conflict.keepMine')}
            </button>
            <button type="button" className="button button-secondary" onClick={() => discard(entryId, c.id)}>
              {t('conflict.takeSaved')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function refusedText(t: TFunction<'record'>, tc: TFunction, d: Draft): string {
  switch (d.error?.code) {
    case 'measurement_full':
      return t('refused.full');
    case 'measurement_resolved':
      return t('refused.resolved');
    case 'contest_not_judging':
      return t('refused.notJudging');
    default:
      return d.error ? errorText(tc, d.error) : '';
  }
}
