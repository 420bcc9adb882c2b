import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AdvancementRequestSchema,
  type AdvancementEntryView,
  type AdvancementOutcome,
  type AdvancementRecord,
  type ContestForMember,
} from '@pingxuan/shared';
import { api, seg } from '../api';
import { useLanguage } from '../i18n';
import { formatNumber, localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { Dialog } from './Dialog';
import { formatDateTime } from './format';
import { useLive } from './useLive';
import { numberOrUndefined, percentToShare, type FieldErrors } from './setup/forms';
import { ErrorSummary, Field, RefusalNotice, useCheck, useRefusal, type Refusal } from './setup/ui';

type Mode = 'none' | 'top' | 'share';
type Limit = { mode: Mode; value: string };
type Scope = 'perSchool' | 'perCategory' | 'overall';
type Form = {
  minScore: string;
  perSchool: Limit;
  perCategory: Limit;
  overall: Limit;
  tiePolicy: 'include' | 'exclude';
};

const SCOPES: Scope[] = ['perSchool', 'perCategory', 'overall'];
/** Long rounds are summarised: the first rows are shown, the rest counted. */
const SHOWN = 200;

/** The round after the current one, if the contest has one. */
export function nextRound(c: Pick<ContestForMember, 'rounds' | 'currentRoundId'>) {
  const i = c.rounds.findIndex((r) => r.id === c.currentRoundId);
  return i >= 0 ? (c.rounds[i + 1] ?? null) : null;
}

function requestOf(f: Form, toRound: string) {
  const limit = (l: Limit) => {
    if (l.mode === 'none') return undefined;
    const n = numberOrUndefined(l.value);
    // The form speaks percent, the schema a share of 0..1.
    if (l.mode === 'share') return { share: n === undefined || Number.isNaN(n) ? n : percentToShare(n) };
    return { top: n };
  };
  const rules: Record<string, unknown> = { tiePolicy: f.tiePolicy };
  const min = numberOrUndefined(f.minScore);
  if (min !== undefined) rules.minScore = min;
  for (const s of SCOPES) {
    const l = limit(f[s]);
    if (l) rules[s] = l;
  }
  return { toRound, rules };
}

/** Sends the entries chosen by the organizer's rules from the current round on to the next: preview, then confirm. */
export function AdvancementPage() {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest, reloadContest } = useOrganize();
  usePageTitle(t('advance.title'));
  const next = nextRound(contest);
  const current = contest.rounds.find((r) => r.id === contest.currentRoundId);
  const [form, setFormState] = useState<Form>(() => ({
    minScore: '',
    perSchool: { mode: 'none', value: '' },
    perCategory: { mode: 'none', value: '' },
    overall: { mode: 'top', value: '' },
    tiePolicy: contest.settings?.tiePolicy ?? 'include',
  }));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [preview, setPreview] = useState<AdvancementOutcome | null>(null);
  const [confirmed, setConfirmed] = useState<AdvancementOutcome | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  // Focus goes to the first invalid input once React has shown the errors (after a refusal too).
  const [focusTick, setFocusTick] = useState(0);
  useEffect(() => {
    if (focusTick) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusTick]);
  const check = useCheck();
  const refusal = useRefusal();
  const history = useLive<{ advancements: AdvancementRecord[] }>(`/contests/${seg(contest.id)}/advancements`);

  const setForm = (patch: Partial<Form>) => {
    setFormState((f) => ({ ...f, ...patch }));
    // A preview of other rules would be confirmed by mistake.
    setPreview(null);
  };

  const where = (path: string) => {
    const m = /^rules\.(perSchool|perCategory|overall)/.exec(path);
    if (m) return t(`advance.scopes.${m[1] as Scope}`);
    if (path === 'rules.minScore') return t('advance.minScore');
    if (path === 'toRound') return t('advance.toRound');
    return path === 'rules' ? t('advance.rules') : path;
  };

  async function run(dryRun: boolean) {
    if (!next) return;
    setRefused(null);
    const checked = check(AdvancementRequestSchema, requestOf(form, next.id));
    if (!checked.ok) {
      setErrors(checked.errors);
      setFocusTick((n) => n + 1);
      return false;
    }
    setErrors({});
    setBusy(true);
    try {
      const outcome = await api.post<AdvancementOutcome>(
        `/contests/${seg(contest.id)}/advancement?${new URLSearchParams({ dryRun: String(dryRun), lang: lng })}`,
        checked.data,
      );
      if (dryRun) setPreview(outcome);
      else {
        setConfirmed(outcome);
        setPreview(null);
        reloadContest();
        history.refresh();
      }
      return true;
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
      setFocusTick((n) => n + 1);
      return false;
    } finally {
      setBusy(false);
    }
  }

  const roundName = (id: string) => {
    const r = contest.rounds.find((x) => x.id === id);
    return r ? localized(r.name, lng) : id;
  };

  return (
    <section aria-labelledby="advance-title" className="setup">
      <div className="org-page-head">
        <h1 id="advance-title">{t('advance.title')}</h1>
      </div>
      <div aria-live="polite">
        {confirmed && (
          <div className="notice notice-info" role="status">
            <p>
              <strong>
                {t('advance.done', {
                  n: formatNumber(confirmed.counts.advancing, lng),
                  to: roundName(confirmed.toRound),
                })}
              </strong>
            </p>
            <p>
              {t('advance.nowCurrent', {
                round: current ? localized(current.name, lng) : (contest.currentRoundId ?? '—'),
              })}
            </p>
          </div>
        )}
      </div>
      <p className="setup-hint">
        {t('advance.currentRound', { round: current ? localized(current.name, lng) : '—' })}
      </p>
      {!next ? (
        <p className="empty">{t('advance.noNext')}</p>
      ) : (
        <>
          <form
            ref={formRef}
            noValidate
            className="card setup-card"
            aria-labelledby="advance-rules"
            onSubmit={(e) => {
              e.preventDefault();
              void run(true);
            }}
          >
            <h2 id="advance-rules">{t('advance.rulesTitle', { to: localized(next.name, lng) })}</h2>
            <p className="setup-hint">{t('advance.rulesIntro')}</p>
            <ErrorSummary errors={errors} where={where} />
            {refused && <RefusalNotice refused={refused} onReload={reloadContest} />}
            <div className="setup-grid">
              <Field
                label={t('advance.minScore')}
                error={errors['rules.minScore']}
                hint={t('advance.minScoreHint')}
              >
                {(c) => (
                  <input
                    {...c}
                    type="number"
                    step="any"
                    inputMode="decimal"
                    value={form.minScore}
                    onChange={(e) => setForm({ minScore: e.target.value })}
                  />
                )}
              </Field>
              {SCOPES.map((s) => (
                <LimitField
                  key={s}
                  scope={s}
                  value={form[s]}
                  errors={errors}
                  onChange={(l) => setForm({ [s]: l } as Partial<Form>)}
                />
              ))}
              <Field
                label={t('advance.tiePolicy')}
                error={errors['rules.tiePolicy']}
                hint={t('advance.tiePolicyHint')}
              >
                {(c) => (
                  <select
                    {...c}
                    value={form.tiePolicy}
                    onChange={(e) => setForm({ tiePolicy: e.target.value as Form['tiePolicy'] })}
                  >
                    <option value="include">{t('advance.tie.include')}</option>
                    <option value="exclude">{t('advance.tie.exclude')}</option>
                  </select>
                )}
              </Field>
            </div>
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={busy}>
                {busy && !confirming ? t('advance.previewing') : t('advance.preview')}
              </button>
            </div>
          </form>
          {preview && (
            <Preview
              outcome={preview}
              canConfirm={contest.status === 'review'}
              onConfirm={() => setConfirming(true)}
            />
          )}
          {confirming && preview && (
            <Dialog
              title={t('advance.confirmTitle', { to: localized(next.name, lng) })}
              confirmLabel={t('advance.confirm')}
              busyLabel={t('advance.confirming')}
              busy={busy}
              onClose={() => setConfirming(false)}
              onConfirm={() => {
                void run(false).then(() => setConfirming(false));
              }}
            >
              <p>
                {t('advance.confirmText', {
                  n: formatNumber(preview.counts.advancing, lng),
                  from: roundName(preview.fromRound),
                  to: roundName(preview.toRound),
                })}
              </p>
              <p>{t('advance.confirmFinal')}</p>
            </Dialog>
          )}
        </>
      )}
      <History records={history.data?.advancements ?? null} roundName={roundName} />
    </section>
  );
}

/** The rules as one line: "每校前 3 名、全体前 50 名、最低 60 分；并列作品全部晋级". */
function useRulesText() {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  return (rules: AdvancementRecord['rules']) => {
    const parts: string[] = [];
    if (rules.minScore !== undefined)
      parts.push(t('advance.ruleMin', { n: formatNumber(rules.minScore, lng) }));
    for (const s of SCOPES) {
      const l = rules[s];
      if (!l) continue;
      const scope = t(`advance.ruleScope.${s}`);
      if (l.top !== undefined) parts.push(t('advance.ruleTop', { scope, n: formatNumber(l.top, lng) }));
      else if (l.share !== undefined)
        parts.push(t('advance.ruleShare', { scope, p: formatNumber(Math.round(l.share * 1000) / 10, lng) }));
    }
    const list = parts.length ? parts.join(t('listSeparator')) : t('advance.historyNoRules');
    return t('advance.rulesAndTie', { rules: list, tie: t(`advance.tie.${rules.tiePolicy}`) });
  };
}

/** What was confirmed, oldest first: from which round to which, by whom, under which rules, and who went on. */
function History({
  records,
  roundName,
}: {
  records: AdvancementRecord[] | null;
  roundName: (id: string) => string;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const rulesText = useRulesText();
  if (!records) return null;
  const categoryName = (id: string | null) => {
    const c = id ? contest.categories.find((x) => x.id === id) : undefined;
    return c ? localized(c.name, lng) : (id ?? '—');
  };
  return (
    <section className="card setup-card" aria-labelledby="advance-history">
      <h2 id="advance-history">{t('advance.historyTitle')}</h2>
      {records.length === 0 && <p className="empty">{t('advance.historyNone')}</p>}
      <ol className="advance-history">
        {records.map((r) => {
          const at = formatDateTime(r.confirmedAt, lng);
          return (
            <li key={r.id}>
              <h3>
                {t('advance.historyItem', {
                  from: roundName(r.fromRound),
                  to: roundName(r.toRound),
                  n: formatNumber(r.counts.advancing, lng),
                  entries: formatNumber(r.counts.entries, lng),
                })}
              </h3>
              <p className="setup-hint">
                {r.confirmedBy?.username
                  ? t('advance.historyWhen', { at, who: r.confirmedBy.username })
                  : t('advance.historyWhenUnknown', { at })}
              </p>
              {r.completedAt === null && (
                <p className="notice notice-waiting">{t('advance.historyPending')}</p>
              )}
              <p>{t('advance.historyRules', { rules: rulesText(r.rules) })}</p>
              <p className="org-exports" role="group" aria-label={t('advance.historyFiles')}>
                <a
                  className="button button-secondary"
                  href={`/api/contests/${seg(contest.id)}/advancements/${seg(r.id)}/export?format=xlsx`}
                  download
                >
                  {t('advance.historyXlsx')}
                </a>
                <a
                  className="button button-secondary"
                  href={`/api/contests/${seg(contest.id)}/advancements/${seg(r.id)}/export?format=csv`}
                  download
                >
                  {t('advance.historyCsv')}
                </a>
              </p>
              <details>
                <summary>{t('advance.historyList', { n: formatNumber(r.advancing.length, lng) })}</summary>
                <div className="table-wrap advance-table">
                  <table className="table org-table">
                    <caption className="visually-hidden">
                      {t('advance.historyList', { n: formatNumber(r.advancing.length, lng) })}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('advance.code')}</th>
                        <th scope="col">{t('advance.entryTitle')}</th>
                        <th scope="col">{t('advance.teacher')}</th>
                        <th scope="col">{t('advance.school')}</th>
                        <th scope="col">{t('advance.category')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.advancing.slice(0, SHOWN).map((e) => (
                        <tr key={e.entryId}>
                          <th scope="row" className="org-code">
                            {e.code}
                          </th>
                          <td>{e.title}</td>
                          <td>{e.teacherName}</td>
                          <td>{e.school}</td>
                          <td>{categoryName(e.category)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                  {r.advancing.length > SHOWN && (
                    <p className="setup-hint">
                      {t('advance.more', { n: formatNumber(r.advancing.length - SHOWN, lng) })}
                    </p>
                  )}
                </div>
              </details>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function LimitField({
  scope,
  value,
  errors,
  onChange,
}: {
  scope: Scope;
  value: Limit;
  errors: FieldErrors;
  onChange: (l: Limit) => void;
}) {
  const { t } = useTranslation('organize');
  const p = `rules.${scope}`;
  const error = errors[`${p}.top`] ?? errors[`${p}.share`] ?? errors[p];
  return (
    <fieldset className="advance-limit">
      <legend>{t(`advance.scopes.${scope}`)}</legend>
      <Field label={t('advance.limitMode')} className="advance-mode">
        {(c) => (
          <select
            {...c}
            value={value.mode}
            onChange={(e) => onChange({ ...value, mode: e.target.value as Mode })}
          >
            <option value="none">{t('advance.mode.none')}</option>
            <option value="top">{t('advance.mode.top')}</option>
            <option value="share">{t('advance.mode.share')}</option>
          </select>
        )}
      </Field>
      {value.mode !== 'none' && (
        <Field label={t(value.mode === 'top' ? 'advance.topLabel' : 'advance.shareLabel')} error={error}>
          {(c) => (
            <input
              {...c}
              type="number"
              min={0}
              max={value.mode === 'share' ? 100 : undefined}
              step={value.mode === 'top' ? 1 : 'any'}
              inputMode={value.mode === 'top' ? 'numeric' : 'decimal'}
              value={value.value}
              onChange={(e) => onChange({ ...value, value: e.target.value })}
            />
          )}
        </Field>
      )}
    </fieldset>
  );
}

function Preview({
  outcome,
  canConfirm,
  onConfirm,
}: {
  outcome: AdvancementOutcome;
  canConfirm: boolean;
  onConfirm: () => void;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const c = outcome.counts;
  const groupName = (g: AdvancementOutcome['groups'][number]) => {
    if (g.group === null) return t('advance.overallGroup');
    const category = g.scope === 'category' ? contest.categories.find((x) => x.id === g.group) : undefined;
    return category ? localized(category.name, lng) : g.group;
  };
  // A group kept more than its limit only because of a tie under `include`.
  const tiesIn = outcome.groups.filter((g) => g.selected > g.limit);
  const tiesOut = outcome.notAdvancing.filter((n) => n.reason === 'tieExcluded');
  return (
    <section className="card setup-card" aria-labelledby="advance-preview">
      <h2 id="advance-preview">{t('advance.previewTitle')}</h2>
      <p role="status">
        {t('advance.summary', {
          advancing: formatNumber(c.advancing, lng),
          entries: formatNumber(c.entries, lng),
          incomplete: formatNumber(c.incomplete, lng),
          below: formatNumber(c.belowMinScore, lng),
        })}
      </p>
      {(tiesIn.length > 0 || tiesOut.length > 0) && (
        <div className="notice notice-waiting" role="note">
          <p>
            <strong>{t('advance.tiesTitle')}</strong>
          </p>
          <ul>
            {tiesIn.map((g) => (
              <li key={`${g.scope}:${g.group ?? ''}`}>
                {t('advance.tieIncluded', {
                  group: groupName(g),
                  limit: formatNumber(g.limit, lng),
                  selected: formatNumber(g.selected, lng),
                  score: g.cutoffScore === null ? '—' : formatNumber(g.cutoffScore, lng),
                })}
              </li>
            ))}
            {tiesOut.length > 0 && (
              <li>{t('advance.tieExcludedCount', { n: formatNumber(tiesOut.length, lng) })}</li>
            )}
          </ul>
        </div>
      )}
      <EntryTable
        caption={t('advance.advancingTitle', { n: formatNumber(outcome.advancing.length, lng) })}
        rows={outcome.advancing}
      />
      <EntryTable
        caption={t('advance.leftTitle', { n: formatNumber(outcome.notAdvancing.length, lng) })}
        rows={outcome.notAdvancing}
        why
      />
      <div className="actions">
        <button type="button" className="button button-primary" disabled={!canConfirm} onClick={onConfirm}>
          {t('advance.confirmButton', { n: formatNumber(c.advancing, lng) })}
        </button>
      </div>
      {!canConfirm && <p className="setup-hint">{t('advance.reviewFirst')}</p>}
    </section>
  );
}

function EntryTable({
  caption,
  rows,
  why = false,
}: {
  caption: string;
  rows: (AdvancementEntryView & { explanation?: string })[];
  why?: boolean;
}) {
  const { t } = useTranslation('organize');
  const lng = useLanguage();
  return (
    <div className="table-wrap advance-table">
      <table className="table org-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('advance.code')}</th>
            <th scope="col">{t('advance.entryTitle')}</th>
            <th scope="col">{t('advance.school')}</th>
            <th scope="col" className="num">
              {t('advance.score')}
            </th>
            <th scope="col" className="num">
              {t('advance.rank')}
            </th>
            {why && <th scope="col">{t('advance.why')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, SHOWN).map((r) => (
            <tr key={r.entryId}>
              <th scope="row" className="org-code">
                {r.code}
              </th>
              <td>{r.title}</td>
              <td>{r.school}</td>
              <td className="num">{r.score === null ? '—' : formatNumber(r.score, lng)}</td>
              <td className="num">{r.rank === null ? '—' : formatNumber(r.rank, lng)}</td>
              {why && <td>{r.explanation}</td>}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length > SHOWN && (
        <p className="setup-hint">{t('advance.more', { n: formatNumber(rows.length - SHOWN, lng) })}</p>
      )}
    </div>
  );
}
