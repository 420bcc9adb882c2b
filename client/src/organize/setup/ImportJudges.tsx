import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportProblem } from '@pingxuan/shared';
import { asApiError, seg, type ApiError } from '../../api';
import { useLanguage } from '../../i18n';
import { formatNumber } from '../../localized';
import { useOrganize } from '../context';
import { Problem } from '../Problem';
import { postFile } from '../upload';
import { Field } from './ui';

type Step =
  | { kind: 'idle' | 'importing' }
  | { kind: 'imported'; n: number }
  | { kind: 'problems'; problems: ImportProblem[] }
  | { kind: 'failed'; error: ApiError };

/** The header row the import reads (Chinese names; the English column names work too). */
const TEMPLATE = '\uFEFF姓名,用户名,学校,评审组,回避学校,回避作品\r\n';

/** Judges from a CSV or XLSX sheet; the server takes every row or none and names each problem's row and column. */
export function ImportJudges({ onImported }: { onImported: () => void }) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const inputRef = useRef<HTMLInputElement>(null);

  async function run() {
    if (!file) return;
    setStep({ kind: 'importing' });
    try {
      const r = await postFile<{ imported: number }>(`/contests/${seg(contest.id)}/judges/import`, file);
      setStep({ kind: 'imported', n: r.imported });
      setFile(null);
      if (inputRef.current) inputRef.current.value = '';
      onImported();
    } catch (err) {
      const e = asApiError(err);
      const problems = e.details.problems;
      if (e.code === 'import_invalid' && Array.isArray(problems))
        setStep({ kind: 'problems', problems: problems as ImportProblem[] });
      else setStep({ kind: 'failed', error: e });
    }
  }

  return (
    <details className="card setup-bulk">
      <summary>
        <h2 className="setup-summary-title">{t('judgeImport.title')}</h2>
      </summary>
      <p className="setup-hint">{t('judgeImport.intro')}</p>
      <p>
        <a
          href={`data:text/csv;charset=utf-8,${encodeURIComponent(TEMPLATE)}`}
          download="judges-template.csv"
        >
          {t('judgeImport.template')}
        </a>
      </p>
      <Field label={t('judgeImport.file')} hint={t('judgeImport.fileHint')}>
        {(p) => (
          <input
            {...p}
            ref={inputRef}
            type="file"
            className="org-file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={step.kind === 'importing'}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setStep({ kind: 'idle' });
            }}
          />
        )}
      </Field>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={!file || step.kind === 'importing'}
          onClick={() => void run()}
        >
          {step.kind === 'importing' ? t('judgeImport.importing') : t('judgeImport.run')}
        </button>
      </div>
      <div aria-live="polite">
        {step.kind === 'imported' && (
          <div className="notice notice-info" role="status">
            <p>{t('judgeImport.done', { n: formatNumber(step.n, lng) })}</p>
          </div>
        )}
      </div>
      {step.kind === 'failed' && <Problem error={step.error} />}
      {step.kind === 'problems' && (
        <div className="setup-problems">
          <div className="notice notice-error" role="alert">
            <p>
              <strong>{t('judgeImport.problems', { n: formatNumber(step.problems.length, lng) })}</strong>
            </p>
            <p>{t('judgeImport.problemsIntro')}</p>
          </div>
          <div className="table-wrap">
            <table className="table org-table">
              <caption className="visually-hidden">{t('judgeImport.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('judgeImport.row')}
                  </th>
                  <th scope="col">{t('judgeImport.column')}</th>
                  <th scope="col">{t('judgeImport.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {step.problems.map((p, i) => (
                  <tr key={i}>
                    <td className="num">{formatNumber(p.row, lng)}</td>
                    <td>{p.column ?? <span className="muted">{t('judgeImport.wholeRow')}</span>}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </details>
  );
}
