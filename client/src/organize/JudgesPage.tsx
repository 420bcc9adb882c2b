import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PanelInputSchema,
  type JudgeList,
  type JudgeListItem,
  type Panel,
  type SignInCodeSheetRow,
} from '@pingxuan/shared';
import { api, seg, type ApiError } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage } from '../i18n';
import { formatNumber, localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { useLive } from './useLive';
import type { FieldErrors } from './setup/forms';
import { ImportJudges } from './setup/ImportJudges';
import {
  AssignDialog,
  ConflictsDialog,
  IssueCodesDialog,
  JudgeActiveDialog,
  JudgeCreateDialog,
  JudgeEditDialog,
  PanelDeleteDialog,
  PanelEditDialog,
} from './setup/judgeDialogs';
import { SignInSheet } from './setup/SignInSheet';
import { Field, RefusalNotice, focusFirstInvalid, useRefusal, useCheck, type Refusal } from './setup/ui';

type Action =
  | { kind: 'create' }
  | { kind: 'edit' | 'conflicts' | 'active'; judge: JudgeListItem }
  | { kind: 'codes'; judge: JudgeListItem | null }
  | { kind: 'panel-edit' | 'panel-delete' | 'assign'; panel: Panel };

/** Judges and panels: who judges, in which panel, with which conflicts, and their sign-in codes. */
export function JudgesPage() {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest } = useOrganize();
  usePageTitle(t('judges.title'));
  const base = `/contests/${seg(contest.id)}`;
  const judges = useLive<JudgeList>(`${base}/judges`);
  const panels = useLive<{ panels: Panel[] }>(`${base}/panels`);
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [sheet, setSheet] = useState<SignInCodeSheetRow[] | null>(null);
  const panelList = panels.data?.panels ?? [];
  const list = judges.data;

  const refresh = () => {
    judges.refresh();
    panels.refresh();
  };
  const finish = (message: string) => {
    setAction(null);
    setDone(message);
    refresh();
  };
  const open = (a: Action) => {
    setDone(null);
    setAction(a);
  };

  if (sheet) return <SignInSheet contestName={contest.name} rows={sheet} onClose={() => setSheet(null)} />;

  return (
    <section aria-labelledby="judges-title" className="setup">
      <div className="org-page-head">
        <h1 id="judges-title">{t('judges.title')}</h1>
        <div className="setup-head-actions">
          <button type="button" className="button button-primary" onClick={() => open({ kind: 'create' })}>
            {t('judges.add')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            disabled={!list || list.counts.active === 0}
            onClick={() => open({ kind: 'codes', judge: null })}
          >
            {t('codes.allButton')}
          </button>
        </div>
      </div>
      {list && (
        <p className="setup-counts">
          {t('judges.counts', {
            active: formatNumber(list.counts.active, lng),
            inactive: formatNumber(list.counts.inactive, lng),
            withoutPanel: formatNumber(list.counts.withoutPanel, lng),
          })}
        </p>
      )}
      <div aria-live="polite">
        {done && (
          <div className="notice notice-info" role="status">
            <p>{done}</p>
          </div>
        )}
      </div>

      {judges.error && <ErrorNotice error={judges.error} onRetry={judges.refresh} />}
      {!list && !judges.error && <Loading />}
      {list &&
        (list.judges.length === 0 ? (
          <p className="empty">{t('judges.none')}</p>
        ) : (
          <div className="card table-wrap">
            <table className="table org-table setup-judges">
              <caption className="visually-hidden">{t('judges.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('judges.name')}</th>
                  <th scope="col">{t('judges.school')}</th>
                  <th scope="col">{t('judges.panel')}</th>
                  <th scope="col">{t('judges.conflicts')}</th>
                  <th scope="col">{t('judges.state')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('judges.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.judges.map((j) => (
                  <tr key={j.id} className={j.active ? undefined : 'org-row-inactive'}>
                    <th scope="row">
                      {j.name}
                      {j.username && <div className="muted org-small setup-mono">{j.username}</div>}
                    </th>
                    <td className="setup-wrap">{j.school ?? <span className="muted">—</span>}</td>
                    <td>{j.panelName ?? <span className="muted">{t('judges.noPanel')}</span>}</td>
                    <td className="setup-wrap">
                      <ConflictSummary judge={j} />
                    </td>
                    <td>
                      {j.active ? (
                        <span className="org-tag">{t('judges.active')}</span>
                      ) : (
                        <span className="org-tag setup-tag-withdrawn">{t('judges.inactive')}</span>
                      )}
                    </td>
                    <td>
                      <div className="setup-row-actions">
                        <button
                          type="button"
                          className="button button-secondary org-small-button"
                          aria-label={t('judges.editLabel', { name: j.name })}
                          onClick={() => open({ kind: 'edit', judge: j })}
                        >
                          {t('judges.edit')}
                        </button>
                        <button
                          type="button"
                          className="button button-secondary org-small-button"
                          aria-label={t('judges.conflictsLabel', { name: j.name })}
                          onClick={() => open({ kind: 'conflicts', judge: j })}
                        >
                          {t('judges.conflictsButton')}
                        </button>
                        <button
                          type="button"
                          className="button button-secondary org-small-button"
                          disabled={!j.active}
                          aria-label={t('codes.oneLabel', { name: j.name })}
                          onClick={() => open({ kind: 'codes', judge: j })}
                        >
                          {t('codes.oneButton')}
                        </button>
                        <button
                          type="button"
                          className={`button button-secondary org-small-button${j.active ? ' setup-danger-text' : ''}`}
                          aria-label={
                            j.active
                              ? t('judges.deactivateLabel', { name: j.name })
                              : t('judges.reactivateLabel', { name: j.name })
                          }
                          onClick={() => open({ kind: 'active', judge: j })}
                        >
                          {j.active ? t('judges.deactivate') : t('judges.reactivate')}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}

      <Panels
        panels={panelList}
        error={panels.error}
        loading={!panels.data && !panels.error}
        onRetry={panels.refresh}
        onAction={open}
        onCreated={(p) => {
          setDone(t('panels.created', { name: p.name }));
          refresh();
        }}
      />

      <ImportJudges onImported={refresh} />

      {action?.kind === 'create' && (
        <JudgeCreateDialog
          panels={panelList}
          onClose={() => setAction(null)}
          onDone={(j) => finish(t('judges.created', { name: j.name }))}
        />
      )}
      {action?.kind === 'edit' && (
        <JudgeEditDialog
          key={action.judge.version}
          judge={action.judge}
          panels={panelList}
          onClose={() => setAction(null)}
          onDone={(j) => finish(t('judges.saved', { name: j.name }))}
          onReload={() => void reopen(action.judge, 'edit')}
        />
      )}
      {action?.kind === 'conflicts' && (
        <ConflictsDialog
          key={action.judge.version}
          judge={action.judge}
          onClose={() => setAction(null)}
          onDone={(j) => finish(t('judges.conflictsSaved', { name: j.name }))}
          onReload={() => void reopen(action.judge, 'conflicts')}
        />
      )}
      {action?.kind === 'active' && (
        <JudgeActiveDialog
          judge={action.judge}
          onClose={() => setAction(null)}
          onDone={(j) =>
            finish(
              j.active
                ? t('judges.reactivated', { name: j.name })
                : t('judges.deactivated', { name: j.name }),
            )
          }
        />
      )}
      {action?.kind === 'codes' && (
        <IssueCodesDialog
          judge={action.judge}
          activeCount={list?.counts.active ?? 0}
          onClose={() => setAction(null)}
          onDone={(rows) => {
            setAction(null);
            setSheet(rows);
          }}
        />
      )}
      {action?.kind === 'panel-edit' && (
        <PanelEditDialog
          key={action.panel.version}
          panel={action.panel}
          onClose={() => setAction(null)}
          onDone={(p) => finish(t('panels.saved', { name: p.name }))}
          onReload={() => void reopenPanel(action.panel)}
        />
      )}
      {action?.kind === 'panel-delete' && (
        <PanelDeleteDialog
          panel={action.panel}
          onClose={() => setAction(null)}
          onDone={() => finish(t('panels.deleted', { name: action.panel.name }))}
        />
      )}
      {action?.kind === 'assign' && list && (
        <AssignDialog
          panel={action.panel}
          judges={list.judges}
          onClose={() => setAction(null)}
          onDone={(n) => finish(t('panels.assigned', { n, name: action.panel.name }))}
        />
      )}
    </section>
  );

  /** After a 409: the judge as stored now, in the same dialog (its key is the version, so it starts afresh). */
  async function reopen(judge: JudgeListItem, kind: 'edit' | 'conflicts') {
    try {
      setAction({ kind, judge: await api.get<JudgeListItem>(`${base}/judges/${seg(judge.id)}`) });
    } catch {
      setAction(null);
    }
    refresh();
  }
  async function reopenPanel(panel: Panel) {
    try {
      const r = await api.get<{ panels: Panel[] }>(`${base}/panels`);
      const fresh = r.panels.find((p) => p.id === panel.id);
      setAction(fresh ? { kind: 'panel-edit', panel: fresh } : null);
    } catch {
      setAction(null);
    }
    refresh();
  }
}

function ConflictSummary({ judge }: { judge: JudgeListItem }) {
  const { t } = useTranslation('setup');
  const schools = judge.conflictSchools;
  const codes = judge.conflictEntryCodes;
  if (!schools.length && !codes.length)
    return <span className="muted">{judge.school ? t('judges.ownOnly') : '—'}</span>;
  return (
    <>
      {schools.length > 0 && <div>{t('judges.schoolsList', { list: schools.join('、') })}</div>}
      {codes.length > 0 && (
        <div>
          {t('judges.codesList', { list: '' })}
          <span className="setup-mono">{codes.slice(0, 12).join('、')}</span>
          {codes.length > 12 && (
            <span className="muted"> {t('judges.andMore', { n: codes.length - 12 })}</span>
          )}
        </div>
      )}
    </>
  );
}

function Panels({
  panels,
  error,
  loading,
  onRetry,
  onAction,
  onCreated,
}: {
  panels: Panel[];
  error: ApiError | null;
  loading: boolean;
  onRetry: () => void;
  onAction: (a: Action) => void;
  onCreated: (p: Panel) => void;
}) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const check = useCheck();
  const refusal = useRefusal();
  const [name, setName] = useState('');
  const [category, setCategory] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const categoryName = (id: string | null) => {
    const c = contest.categories.find((x) => x.id === id);
    return c ? localized(c.name, lng) : id;
  };

  async function create() {
    setRefused(null);
    const body: Record<string, unknown> = { name };
    if (category) body.category = category;
    const checked = check(PanelInputSchema, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const p = await api.post<Panel>(`/contests/${seg(contest.id)}/panels`, checked.data);
      setName('');
      setCategory('');
      onCreated(p);
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
      focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="panels-title" className="org-section">
      <h2 id="panels-title">{t('panels.title')}</h2>
      <p className="setup-hint">{t('panels.intro')}</p>
      {error && <ErrorNotice error={error} onRetry={onRetry} />}
      {loading && <Loading />}
      {!loading && panels.length === 0 && !error && <p className="empty">{t('panels.none')}</p>}
      {panels.length > 0 && (
        <ul className="setup-panels">
          {panels.map((p) => (
            <li key={p.id} className="card setup-panel">
              <h3>{p.name}</h3>
              <p className="muted">
                {t('panels.judgeCount', { n: p.judgeCount })}
                {p.category && ` · ${categoryName(p.category)}`}
              </p>
              <div className="setup-row-actions">
                <button
                  type="button"
                  className="button button-secondary org-small-button"
                  aria-label={t('panels.assignLabel', { name: p.name })}
                  onClick={() => onAction({ kind: 'assign', panel: p })}
                >
                  {t('panels.assign')}
                </button>
                <button
                  type="button"
                  className="button button-secondary org-small-button"
                  aria-label={t('panels.editLabel', { name: p.name })}
                  onClick={() => onAction({ kind: 'panel-edit', panel: p })}
                >
                  {t('panels.edit')}
                </button>
                <button
                  type="button"
                  className="button button-secondary org-small-button setup-danger-text"
                  aria-label={t('panels.deleteLabel', { name: p.name })}
                  onClick={() => onAction({ kind: 'panel-delete', panel: p })}
                >
                  {t('panels.delete')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <form
        ref={formRef}
        noValidate
        className="card setup-panel-create"
        aria-labelledby="panel-create-title"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h3 id="panel-create-title">{t('panels.createTitle')}</h3>
        {refused && refused.error.status !== 400 && !refused.fields.name && (
          <RefusalNotice refused={refused} />
        )}
        <div className="setup-inline-add">
          <Field label={t('panels.name')} error={errors.name} className="setup-grow">
            {(p) => (
              <input
                {...p}
                value={name}
                maxLength={100}
                onChange={(e) => {
                  setName(e.target.value);
                  // A name refused as taken is no longer the name in the box.
                  setErrors(({ name: _old, ...rest }) => rest);
                }}
              />
            )}
          </Field>
          {contest.categories.length > 0 && (
            <Field label={t('panels.category')} error={errors.category}>
              {(p) => (
                <select {...p} value={category} onChange={(e) => setCategory(e.target.value)}>
                  <option value="">{t('panels.anyCategory')}</option>
                  {contest.categories.map((c) => (
                    <option key={c.id} value={c.id}>
                      {localized(c.name, lng)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('form.saving') : t('panels.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
