import { useCallback, useId, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { asApiError, type ApiError } from '../../api';
import { Problem } from '../Problem';
import {
  describeIssue,
  describeServerMessage,
  issueErrors,
  ruleIssue,
  serverErrors,
  type FieldErrors,
  type Issue,
} from './forms';
import '../setup.css';

type Parsed<T> = { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
/** Any shared zod schema (only safeParse is used). */
export type Parser<T> = { safeParse: (value: unknown) => Parsed<T> };

/** Zod issues in the reader's language. */
export function useIssueText(): (issue: Issue) => string {
  const { t } = useTranslation('setup');
  return useCallback(
    (issue: Issue) => {
      const d = describeIssue(issue);
      if (d.key === 'server') return d.message;
      if ('n' in d) return t(`errors.${d.key}`, { n: d.n });
      return t(`errors.${d.key}`);
    },
    [t],
  );
}

/** Checks a payload with the same schema the server uses; the errors keyed like the server's. */
export function useCheck() {
  const text = useIssueText();
  return useCallback(
    <T,>(schema: Parser<T>, value: unknown): { ok: true; data: T } | { ok: false; errors: FieldErrors } => {
      const r = schema.safeParse(value);
      return r.success
        ? { ok: true, data: r.data }
        : { ok: false, errors: issueErrors(r.error.issues, text) };
    },
    [text],
  );
}

/** A refused request: its field errors for the inputs, the rest for a notice. */
export type Refusal = { error: ApiError; fields: FieldErrors };

/**
 * Reads a refusal: the field errors in the reader's words where the message is a known one (the
 * server's own text stays in the notice), as sent otherwise.
 */
export function useRefusal(): (err: unknown) => Refusal {
  const { t } = useTranslation('setup');
  return useCallback(
    (err: unknown) => {
      // Each message has its own placeholders, which the typed t cannot match for a union of keys.
      const text = t as unknown as (key: string, values: Record<string, string>) => string;
      const error = asApiError(err);
      const fields = Object.fromEntries(
        Object.entries(serverErrors(error)).map(([path, message]) => {
          const known = describeServerMessage(message);
          if (known) return [path, text(`server.${known.key}`, known.values)];
          // The server checks rules with the same schema, so its messages are the client's own.
          const rule = ruleIssue(message);
          if (rule && rule.key !== 'server')
            return [path, text(`errors.${rule.key}`, 'n' in rule ? { n: String(rule.n) } : {})];
          return [path, message];
        }),
      );
      return { error, fields };
    },
    [t],
  );
}
/** A 409 that says someone else changed the record since it was read (the server sends it as it is now). */
export const isStale = (e: ApiError | null | undefined): boolean =>
  e?.status === 409 && e.details.current !== undefined;

/**
 * Applies a state change at once and then focuses the element with `id` (a row just added, a button
 * that moved), so keys typed right after the click land in it.
 */
export function updateThenFocus(update: () => void, id: string) {
  flushSync(update);
  document.getElementById(id)?.focus();
}

/** Moves focus to the first input marked invalid inside `root` once React has shown the errors. */
export function focusFirstInvalid(root: HTMLElement | null) {
  setTimeout(() => root?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
}

type Control = { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true };

/** A label, the control, a hint and the error under it, tied together for screen readers. */
export function Field({
  label,
  error,
  hint,
  className,
  id: fixedId,
  children,
}: {
  /** A known id, for focusing the control from elsewhere (a row just added). */
  id?: string;
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  className?: string;
  children: (control: Control) => ReactNode;
}) {
  const autoId = useId();
  const id = fixedId ?? autoId;
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const control: Control = { id };
  if (describedBy) control['aria-describedby'] = describedBy;
  if (error) control['aria-invalid'] = true;
  return (
    <div className={`setup-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(control)}
      {hint && (
        <p id={`${id}-hint`} className="setup-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Every problem of a form in one announced list, each named by where it is. */
export function ErrorSummary({
  errors,
  where,
  id,
}: {
  errors: FieldErrors;
  where: (path: string) => string;
  id?: string;
}) {
  const { t } = useTranslation('setup');
  const list = Object.entries(errors);
  if (!list.length) return null;
  return (
    <div className="notice notice-error setup-summary" role="alert" id={id}>
      <p>
        <strong>{t('form.summary', { n: list.length })}</strong>
      </p>
      <ul>
        {list.map(([path, message]) => {
          const place = where(path);
          return (
            <li key={path}>
              {place ? `${place}：` : ''}
              {message}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A refusal's notice: a stale version offers to load the current state; anything else says why. */
export function RefusalNotice({ refused, onReload }: { refused: Refusal; onReload?: () => void }) {
  const { t } = useTranslation('setup');
  if (isStale(refused.error))
    return (
      <div className="notice notice-waiting setup-stale" role="alert">
        <p>
          <strong>{t('stale.title')}</strong>
        </p>
        <p>{onReload ? t('stale.text') : t('stale.textNoReload')}</p>
        {onReload && (
          <button type="button" className="button button-secondary" onClick={onReload}>
            {t('stale.reload')}
          </button>
        )}
      </div>
    );
  // Field errors sit next to their inputs; the notice only says that something was refused.
  return <Problem error={refused.error} />;
}

/** Up, down and remove for a row of an ordered list, keeping focus on the control that was pressed. */
export function RowTools({
  rowId,
  index,
  count,
  name,
  onMove,
  onRemove,
  disabled = false,
  removeDisabled = false,
}: {
  rowId: string;
  index: number;
  count: number;
  name: string;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
  disabled?: boolean;
  removeDisabled?: boolean;
}) {
  const { t } = useTranslation('setup');
  const move = (delta: -1 | 1) => {
    // The row is now elsewhere; the same button (or its partner at either end) keeps the focus.
    const next = index + delta;
    const same = delta < 0 ? 'up' : 'down';
    const other = delta < 0 ? 'down' : 'up';
    const atEnd = delta < 0 ? next === 0 : next === count - 1;
    updateThenFocus(() => onMove(delta), `${rowId}-${atEnd ? other : same}`);
  };
  return (
    <div className="setup-row-tools" role="group" aria-label={t('rows.tools', { name })}>
      <button
        id={`${rowId}-up`}
        type="button"
        className="button button-secondary setup-tool"
        disabled={disabled || index === 0}
        aria-label={t('rows.upLabel', { name })}
        onClick={() => move(-1)}
      >
        <span aria-hidden="true">↑</span> {t('rows.up')}
      </button>
      <button
        id={`${rowId}-down`}
        type="button"
        className="button button-secondary setup-tool"
        disabled={disabled || index === count - 1}
        aria-label={t('rows.downLabel', { name })}
        onClick={() => move(1)}
      >
        <span aria-hidden="true">↓</span> {t('rows.down')}
      </button>
      <button
        type="button"
        className="button button-secondary setup-tool setup-tool-remove"
        disabled={disabled || removeDisabled}
        aria-label={t('rows.removeLabel', { name })}
        onClick={onRemove}
      >
        {t('rows.remove')}
      </button>
    </div>
  );
}

/** A polite live region for what a button did out of sight (a row moved, a file uploaded). */
export function useAnnouncer(): [ReactNode, (message: string) => void] {
  const [message, setMessage] = useState('');
  const node = (
    <p className="visually-hidden" aria-live="polite" role="status">
      {message}
    </p>
  );
  // Same text twice in a row (moving down twice) must be heard twice: clear, then set.
  const announce = useCallback((m: string) => {
    setMessage('');
    setTimeout(() => setMessage(m), 50);
  }, []);
  return [node, announce];
}
