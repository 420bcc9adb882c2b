import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice, Loading } from '../components/Status';
import { usePageTitle } from '../usePageTitle';
import { useJudging } from './useJudging';

/** Renders its children once a work list is at hand (the server's or the device's copy); else says why not. */
export function JudgingGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation('judge');
  const { list, listError, storageError, reloadList } = useJudging();
  usePageTitle(list ? null : t('title')); // the page shown names itself
  if (storageError) return <ErrorNotice message={t('storageUnavailable')} />;
  if (list) return children;
  if (!listError) return <Loading />;
  const message =
    listError.status === 403 ? t('notJudge') : listError.isNetwork ? t('offlineNoCopy') : t('unavailable');
  return <ErrorNotice message={message} onRetry={listError.status === 403 ? undefined : reloadList} />;
}
