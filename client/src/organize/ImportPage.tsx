import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportProblem } from '@pingxuan/shared';
import { asApiError, seg, type ApiError } from '../api';
import { useLanguage } from '../i18n';
import { formatNumber } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { Problem } from './Problem';
import type { ImportCheck } from './types';
import { postFile } from './upload';

type Step =
  | { kind: 'idle' }
  | { kind: 'checking' | 'importing' }
  | { kind: 'checked'; wouldImport: number }
  | { kind: 'problems'; problems: ImportProblem[]; message: string }
  | { kind: 'failed'; error: ApiError }
  | { kind: 'imported'; imported: number };

/**
 * Entries from a CSV or XLSX sheet: checked first without writing anything (each problem with its row and
 * column), then imported all at once — the server imports every row or none.
 */
export function ImportPage() {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest, school } = useOrganize();
  usePageTitle(t('import.title'));
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const inputRef = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const hintId = useId();
  const base = `/contests/${seg(contest.id)}`;
  const open = contest.status === 'draft' || contest.status === 'judging';
  const busy = step.kind === 'checking' || step.kind === 'importing';

  async function send(dryRun: boolean) {
    if (!file) return;
    setStep({ kind: dryRun ? 'checking' : 'importing' });
    try {
      const r = await postFile<ImportCheck>(`${base}/entries/import?dryRun=${dryRun}`, file);
      setStep(
        dryRun ? { kind: 'checked', wouldImport: r.wouldImport } : { kind: 'imported', imported: r.imported },
      );
      if (!dryRun && inputRef.current) inputRef.current.value = '';
      if (!dryRun) setFile(null);
    } catch (err) {
      const e = asApiError(err);
      const problems = e.details.problems;
      if (e.code === 'import_invalid' && Array.isArray(problems))
        setStep({ kind: 'problems', problems: problems as ImportProblem[], message: e.message });
      else setStep({ kind: 'failed', error: e });
    }
  }

  return (
    <section aria-labelledby="import-title">
      <div className="org-page-head">
        <h1 id="import-title">{t('import.title')}</h1>
      </div>
      {!open && (
        <div className="notice notice-waiting">
          <p>{t('import.closed')}</p>
        </div>
      )}
      <div className="card org-section">
        <p>{t('import.intro')}</p>
        {school !== null && <p>{t('school.importNote', { school })}</p>}
        <p className="org-templates">
          {t('import.template')}{' '}
          <a href={`/api${base}/entries/import-template?format=xlsx`} download>
            {t('import.templateXlsx')}
          </a>
          {' · '}
          <a href={`/api${base}/entries/import-template?format=csv`} download>
            {t('import.templateCsv')}
          </a>
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void send(true);
          }}
        >
          <div className="field">
            <label htmlFor={fileId}>{t('import.file')}</label>
            <input
              ref={inputRef}
              id={fileId}
              className="org-file"
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-describedby={hintId}
              disabled={busy}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setStep({ kind: 'idle' });
              }}
            />
            <p id={hintId} className="muted org-hint">
              {t('import.fileHint')}
            </p>
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={!file || busy || !open}>
              {step.kind === 'checking' ? t('import.checking') : t('import.check')}
            </button>
            {step.kind === 'checked' && step.wouldImport > 0 && (
              <button
                type="button"
                className="button button-primary"
                disabled={busy}
                onClick={() => void send(false)}
              >
                {t('import.run', { n: formatNumber(step.wouldImport, lng) })}
              </button>
            )}
            {step.kind === 'importing' && (
              <button type="button" className="button button-primary" disabled>
                {t('import.importing')}
              </button>
            )}
          </div>
        </form>
      </div>

      <div aria-live="polite">
        {step.kind === 'checked' && (
          <div className="notice notice-info" role="status">
            <p>{t('import.checkedOk', { n: formatNumber(step.wouldImport, lng), file: file?.name ?? '' })}</p>
          </div>
        )}
        {step.kind === 'imported' && (
          <div className="notice notice-info" role="status">
            <p>{t('import.imported', { n: formatNumber(step.imported, lng) })}</p>
            <p>
              <Link to={base}>{t('import.toOverview')}</Link>
            </p>
          </div>
        )}
      </div>
      {step.kind === 'failed' && <Problem error={step.error} />}
      {step.kind === 'problems' && <ProblemTable problems={step.problems} message={step.message} />}
    </section>
  );
}

function ProblemTable({ problems, message }: { problems: ImportProblem[]; message: string }) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  return (
    <section className="org-section" aria-labelledby="import-problems-title">
      <div className="notice notice-error" role="alert">
        <h2 id="import-problems-title" className="org-alert-title">
          {t('import.problemsTitle', { n: formatNumber(problems.length, lng) })}
        </h2>
        <p>{t('import.problemsIntro')}</p>
        <p className="org-server-message">{t('problem.serverSaid', { message })}</p>
      </div>
      <div className="card table-wrap">
        <table className="table org-table">
          <caption className="visually-hidden">{t('import.problemsCaption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('import.row')}
              </th>
              <th scope="col">{t('import.column')}</th>
              <th scope="col">{t('import.problem')}</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={i}>
                <td className="num">{formatNumber(p.row, lng)}</td>
                <td>{p.column ?? <span className="muted">{t('import.wholeRow')}</span>}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
