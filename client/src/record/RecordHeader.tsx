import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n';
import { errorText } from '../components/Status';
import { localized } from '../localized';
import { useRecording } from './useRecording';

type Category = { id: string; name: { zh: string; en?: string | undefined } };

/** A station is one of the contest's categories; null when the entry has none. */
export function stationName(id: string | null, categories: Category[], lng: Language): string | null {
  const c = id ? categories.find((x) => x.id === id) : undefined;
  return c ? localized(c.name, lng) : null;
}

/** Contest name, the page's heading, and what limits recording now (not judging, a failed refresh). */
export function RecordHeader({ children }: { children: ReactNode }) {
  const { t } = useTranslation('record');
  const { t: tc } = useTranslation();
  const { state, refreshError, reload } = useRecording();
  if (state.status !== 'ok') return null;
  const { list } = state.sheet;
  return (
    <header className="record-head">
      <p className="eyebrow">{list.contest.name}</p>
      {children}
      {list.contest.status !== 'judging' && <p className="notice notice-waiting">{t('notJudging')}</p>}
      {list.doubleEntry && <p className="record-note">{t('doubleEntry')}</p>}
      {refreshError && (
        <div className="notice notice-error" role="alert">
          <p>{t('refreshFailed', { problem: errorText(tc, refreshError) })}</p>
          <button type="button" className="button button-secondary" onClick={reload}>
            {tc('app.retry')}
          </button>
        </div>
      )}
    </header>
  );
}
