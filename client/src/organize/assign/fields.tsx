import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import type { FieldProblem } from './logic';
import { formField } from './logic';

/** What is wrong with a typed number, in the reader's words. */
export function useProblemText(): (p: FieldProblem) => string {
  const { t } = useTranslation('assign');
  const lng = useLanguage();
  return (p) =>
    p.kind === 'required'
      ? t('field.required')
      : p.kind === 'integer'
        ? t('field.integer')
        : t('field.range', { min: formatNumber(p.min, lng), max: formatNumber(p.max, lng) });
}

/** Fields the server refused (400), by form field name. */
export function refusedFields(error: ApiError | null): Set<string> {
  return new Set((error?.fields ?? []).map((f) => formField(f.path)));
}

/**
 * A whole-number field: text with a numeric keyboard (full-width digits are accepted), its hint and its
 * error tied to it for screen readers.
 */
export function WholeField({
  id,
  label,
  hint,
  value,
  onChange,
  problem,
  refused = false,
  disabled = false,
  placeholder,
}: {
  id: string;
  label: string;
  hint?: string | undefined;
  value: string;
  onChange: (v: string) => void;
  problem?: FieldProblem | undefined;
  refused?: boolean;
  disabled?: boolean;
  placeholder?: string;
}) {
  const text = useProblemText();
  const describedBy = [hint ? `${id}-hint` : null, problem ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="asg-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={value}
        disabled={disabled}
        placeholder={placeholder}
        aria-invalid={problem || refused ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <p id={`${id}-hint`} className="asg-hint">
          {hint}
        </p>
      )}
      {problem && (
        <p id={`${id}-error`} className="field-error">
          {text(problem)}
        </p>
      )}
    </div>
  );
}
