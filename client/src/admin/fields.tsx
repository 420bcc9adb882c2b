import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api';

type FieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & {
  label: ReactNode;
  hint?: string | undefined;
  error?: string | undefined;
  /** Marks the label so it is clear before submitting; the input keeps `required` for assistive tech. */
  optional?: boolean;
};

/** A labelled input whose hint and error are read out with it (aria-describedby). */
export function TextField({ label, hint, error, optional, ...input }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {optional && <span className="field-optional">{t('forms.optional')}</span>}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      <input
        id={id}
        required={!optional}
        {...input}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

export type Errors = Record<string, string>;

/**
 * Field errors from a 400 (paths such as `body.categories.0.name.zh`) keyed without the `body.` prefix;
 * `localize` turns each into the reader's words, falling back to the server's own message.
 */
export function serverFieldErrors(
  err: ApiError,
  localize: (path: string, message: string) => string | undefined,
) {
  const out: Errors = {};
  for (const f of err.fields) {
    const path = f.path.replace(/^body\.?/, '');
    out[path] ??= localize(path, f.message) ?? f.message;
  }
  return out;
}

/** Errors without `key`: a field the reader has just edited no longer shows the old complaint. */
export const without = (errors: Errors, key: string): Errors =>
  key in errors ? Object.fromEntries(Object.entries(errors).filter(([k]) => k !== key)) : errors;

/** After a refused submit, keyboard and screen-reader users land on the first field to fix. */
export function useFocusFirstInvalid(trigger: number) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (trigger > 0) ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [trigger]);
  return ref;
}
