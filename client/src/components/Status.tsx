import type { ContestStatus } from '@pingxuan/shared';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api';

export function StatusBadge({ status }: { status: ContestStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>;
}

export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </p>
  );
}

/** A server error in the reader's words; the server's own message only for the unexpected. */
export function errorText(t: TFunction, err: ApiError): string {
  if (err.isNetwork) return t('errors.network');
  if (err.status === 403) return t('errors.forbidden');
  if (err.status === 404) return t('errors.notFound');
  return t('errors.generic', { message: err.message });
}

export function ErrorNotice({
  error,
  message,
  onRetry,
}: {
  error?: ApiError;
  message?: string;
  onRetry?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <div className="notice notice-error" role="alert">
      <p>{message ?? (error ? errorText(t, error) : '')}</p>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          {t('app.retry')}
        </button>
      )}
    </div>
  );
}
