import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Criterion } from '@pingxuan/shared';
import { useLanguage } from '../i18n';
import { localized } from '../localized';
import { useJudging } from './useJudging';
import { isSubmitted, type WorkView } from './works';

/**
 * Submit all: first what is not finished (each work with the criteria it still lacks), then the submission
 * of the finished ones. A modal <dialog>: focus stays inside and Escape closes it.
 */
export function SubmitAllDialog({
  works,
  criteria,
  onClose,
}: {
  works: readonly WorkView[];
  criteria: readonly Criterion[];
  onClose: (submitted: number) => void;
}) {
  const { t } = useTranslation('judge');
  const lng = useLanguage();
  const { sync, contestId } = useJudging();
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const open = works.filter((w) => !isSubmitted(w));
  const conflicts = open.filter((w) => w.state === 'conflict');
  const incomplete = open.filter((w) => w.state !== 'conflict' && w.missing.length > 0);
  const complete = open.filter((w) => w.state !== 'conflict' && w.missing.length === 0);
  const sep = t('listSeparator');

  async function submit() {
    if (!sync) return;
    setBusy(true);
    try {
      const done = await sync.submit(complete.map((w) => w.item.entryId));
      onClose(done.length);
    } finally {
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="judge-dialog" aria-labelledby="submit-all-title" onClose={() => onClose(0)}>
      <h2 id="submit-all-title">{t('submitAll.title')}</h2>
      {incomplete.length > 0 ? (
        <>
          <p>{t('submitAll.incomplete', { count: incomplete.length })}</p>
          <ul className="missing-list">
            {incomplete.map((w) => (
              <li key={w.item.entryId}>
                <Link
                  to={`/judge/${encodeURIComponent(contestId)}/entries/${encodeURIComponent(w.item.entryId)}`}
                  className="missing-code"
                >
                  {w.item.code}
                </Link>
                <span>
                  {w.missing.length === criteria.length
                    ? t('submitAll.notStarted')
                    : t('submitAll.missing', {
                        names: w.missing.map((c) => localized(c.name, lng)).join(sep),
                      })}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t('submitAll.noneIncomplete')}</p>
      )}
      {conflicts.length > 0 && (
        <p className="notice notice-waiting">
          {t('submitAll.conflicts', { codes: conflicts.map((w) => w.item.code).join(sep) })}
        </p>
      )}
      <p className="submit-all-ready">
        {complete.length > 0 ? t('submitAll.ready', { count: complete.length }) : t('submitAll.nothingReady')}
      </p>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={complete.length === 0 || busy}
          onClick={() => void submit()}
        >
          {t('submitAll.confirm', { count: complete.length })}
        </button>
        <button type="button" className="button button-secondary" onClick={() => ref.current?.close()}>
          {t('submitAll.cancel')}
        </button>
      </div>
    </dialog>
  );
}
