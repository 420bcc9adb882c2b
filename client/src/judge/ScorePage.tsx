import {
  useEffect,
  useEffectEvent,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent as ReactKeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { judgeTotal, type Criterion, type JudgingList, type ScoreValues } from '@pingxuan/shared';
import { useLanguage } from '../i18n';
import { localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import type { LocalScore } from './db';
import { JudgingGate } from './JudgingGate';
import { sameValues } from './outbox';
import { PhotoViewer } from './PhotoViewer';
import { prefetchImages } from './prefetch';
import { missingCriteria, stepValue, typeDigit } from './scoring';
import { SyncStatus, WorkStateLabel } from './SyncStatus';
import { useJudging } from './useJudging';
import { formatTotal, judgedCriteria, photoUrl, workView } from './works';

const PREFETCH_AHEAD = 3;

export function ScorePage() {
  return (
    <JudgingGate>
      <ScoreRoute />
    </JudgingGate>
  );
}

function ScoreRoute() {
  const { t } = useTranslation('judge');
  const { entryId = '' } = useParams();
  const { list, contestId } = useJudging();
  const index = list!.items.findIndex((i) => i.entryId === entryId);
  if (index < 0)
    return (
      <div className="notice notice-error" role="alert">
        <p>{t('work.notAssigned')}</p>
        <Link to={`/judge/${encodeURIComponent(contestId)}`}>{t('work.backToList')}</Link>
      </div>
    );
  // A new work is a new screen: zoom, open descriptions and typing start afresh.
  return <ScoreScreen key={entryId} list={list!} index={index} />;
}

/**
 * What the judge changed and the device has not taken in yet: shown instead of the stored copy while writes
 * are on their way, so quick taps build on each other; afterwards the stored copy (which may come from
 * elsewhere, e.g. a conflict settled) is shown again.
 */
function useEditable<T>(stored: T, write: (value: T) => Promise<unknown>): [T, (value: T) => void] {
  const [edit, setEdit] = useState<{ value: T; inflight: number } | null>(null);
  const value = edit && edit.inflight > 0 ? edit.value : stored;
  const set = (next: T) => {
    setEdit((e) => ({ value: next, inflight: (e?.inflight ?? 0) + 1 }));
    void write(next).finally(() => setEdit((e) => (e ? { ...e, inflight: e.inflight - 1 } : e)));
  };
  return [value, set];
}

function ScoreScreen({ list, index }: { list: JudgingList; index: number }) {
  const { t } = useTranslation('judge');
  const lng = useLanguage();
  const navigate = useNavigate();
  const { contestId, sync, snap, refreshEntry } = useJudging();
  const item = list.items[index]!;
  const entryId = item.entryId;
  const criteria = judgedCriteria(list);
  const work = workView(list, snap, item);
  const judging = list.contest.status === 'judging';
  const locked = work.state === 'submitted' || work.state === 'submitting';
  const readOnly = locked || work.state === 'conflict' || !judging || !sync;
  const [photo, setPhoto] = useState(0);
  const [message, setMessage] = useState<{ text: string; tone: 'info' | 'error' } | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const criteriaRef = useRef<HTMLDivElement>(null);
  usePageTitle(t('work.pageTitle', { code: item.code }));

  const [values, setValues] = useEditable<ScoreValues>(work.values, (v) =>
    sync ? sync.change(entryId, { values: v }) : Promise.resolve(),
  );
  const [comment, setComment] = useEditable<string>(work.comment, (c) =>
    sync ? sync.change(entryId, { comment: c }) : Promise.resolve(),
  );
  const total = judgeTotal(criteria, values);
  const missing = missingCriteria(criteria, values);

  // The server's copy of this work, in case another device changed it (no-op offline).
  useEffect(() => refreshEntry(entryId), [refreshEntry, entryId]);

  // The next works' photos, so moving on is instant and survives a Wi-Fi drop.
  useEffect(() => {
    const next = list.items.slice(index + 1, index + 1 + PREFETCH_AHEAD);
    prefetchImages(next.flatMap((w) => w.photos.map((p) => photoUrl(contestId, w.entryId, p.id, 'large'))));
  }, [list, index, contestId]);

  // Full height below the header in landscape: the photo gets every pixel left.
  useLayoutEffect(() => {
    const el = rootRef.current;
    if (!el) return;
    const place = () =>
      el.style.setProperty('--judge-top', `${el.getBoundingClientRect().top + window.scrollY}px`);
    place();
    window.addEventListener('resize', place);
    return () => window.removeEventListener('resize', place);
  }, []);

  const go = (direction: 1 | -1) => {
    const next = list.items[index + direction];
    if (next)
      void navigate(`/judge/${encodeURIComponent(contestId)}/entries/${encodeURIComponent(next.entryId)}`, {
        replace: true,
      });
  };

  const setCriterion = (c: Criterion, v: number | undefined) => {
    if (readOnly) return;
    const next = { ...values };
    if (v === undefined) delete next[c.id];
    else next[c.id] = v;
    if (!sameValues(next, values)) setValues(next);
  };

  const submit = async () => {
    if (readOnly || !sync) return;
    if (missing.length) {
      setMessage({
        tone: 'error',
        text: t('work.missing', {
          names: missing.map((c) => localized(c.name, lng)).join(t('listSeparator')),
        }),
      });
      criteriaRef.current
        ?.querySelector<HTMLElement>(`[data-criterion="${CSS.escape(missing[0]!.id)}"] [role="spinbutton"]`)
        ?.focus();
      return;
    }
    const done = await sync.submit([entryId]);
    if (done.length) setMessage({ tone: 'info', text: t('work.submittedNow') });
  };

  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.defaultPrevented) return;
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      void submit();
      return;
    }
    const target = e.target as HTMLElement | null;
    if (e.altKey || e.ctrlKey || e.metaKey || target?.closest('input, textarea, select, dialog')) return;
    if (e.key === 'ArrowLeft') go(-1);
    else if (e.key === 'ArrowRight') go(1);
    else return;
    e.preventDefault();
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  const shown = item.photos[Math.min(photo, item.photos.length - 1)];
  const position = t('work.position', { n: index + 1, total: list.items.length });

  return (
    <div className="judge-score" ref={rootRef}>
      <div className="score-photo">
        {shown ? (
          <PhotoViewer
            src={photoUrl(contestId, entryId, shown.id, 'large')}
            alt={t('photo.alt', { code: item.code, n: photo + 1, count: item.photos.length })}
            onSwipe={go}
          />
        ) : (
          <p className="photo-none">{t('photo.none')}</p>
        )}
        {item.photos.length > 1 && (
          <div className="photo-pager" role="group" aria-label={t('photo.choose')}>
            {item.photos.map((p, i) => (
              <button
                key={p.id}
                type="button"
                className="icon-button"
                aria-pressed={i === photo}
                aria-label={t('photo.nth', { n: i + 1 })}
                onClick={() => setPhoto(i)}
              >
                {i + 1}
              </button>
            ))}
          </div>
        )}
      </div>

      <section className="score-panel" aria-labelledby="work-title">
        <div className="score-head">
          <Link className="score-back" to={`/judge/${encodeURIComponent(contestId)}`}>
            {t('work.backToList')}
          </Link>
          <span className="score-position">{position}</span>
        </div>
        <div className="score-title">
          <h1 id="work-title">
            <span className="visually-hidden">{t('work.codeLabel')} </span>
            {item.code}
          </h1>
          <WorkStateLabel state={work.state} className="work-state-large" />
        </div>
        {item.title && <p className="score-work-title">{item.title}</p>}
        <SyncStatus />

        {work.score?.conflict && <ConflictPanel score={work.score} criteria={criteria} entryId={entryId} />}
        {work.score?.rejected && work.state === 'rejected' && (
          <p className="notice notice-error" role="alert">
            {work.score.rejected.status === 403 || work.score.rejected.status === 404
              ? t('work.rejectedGone')
              : t('work.rejected', { message: work.score.rejected.message })}
          </p>
        )}
        {locked && <p className="notice notice-info">{t('work.locked')}</p>}
        {!judging && <p className="notice notice-waiting">{t('list.notJudging')}</p>}

        <div className="criteria" ref={criteriaRef} role="group" aria-label={t('work.criteria')}>
          {criteria.map((c) => (
            <CriterionRow
              key={c.id}
              criterion={c}
              value={values[c.id]}
              readOnly={readOnly}
              onChange={(v) => setCriterion(c, v)}
            />
          ))}
        </div>

        <p className="score-total" aria-live="polite">
          <span>{t('work.total')}</span>
          <strong data-testid="live-total">{formatTotal(total)}</strong>
          <span className="muted">/ 100</span>
          {missing.length > 0 && (
            <span className="score-missing">{t('work.missingCount', { count: missing.length })}</span>
          )}
        </p>

        <div className="field comment-field">
          <label htmlFor="judge-comment">{t('work.comment')}</label>
          <textarea
            id="judge-comment"
            rows={3}
            maxLength={2000}
            value={comment}
            readOnly={readOnly}
            placeholder={t('work.commentPlaceholder')}
            onChange={(e) => setComment(e.target.value)}
          />
        </div>

        {message && (
          <p className={`notice notice-${message.tone}`} role={message.tone === 'error' ? 'alert' : 'status'}>
            {message.text}
          </p>
        )}

        <div className="score-actions">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => go(-1)}
            disabled={index === 0}
          >
            {t('work.previous')}
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={() => void submit()}
            disabled={readOnly}
          >
            {locked ? t('state.submitted') : t('work.submit')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => go(1)}
            disabled={index === list.items.length - 1}
          >
            {t('work.next')}
          </button>
        </div>
        <p className="shortcut-hint muted">{t('work.shortcuts')}</p>
      </section>
    </div>
  );
}

/**
 * One criterion: its name (tap for what earns full marks), − and + on the criterion's step up to its
 * maximum, and the value as an ARIA spinbutton: ↑/↓, Home/End, digits and Backspace when focused.
 */
function CriterionRow({
  criterion: c,
  value,
  readOnly,
  onChange,
}: {
  criterion: Criterion;
  value: number | undefined;
  readOnly: boolean;
  onChange: (value: number | undefined) => void;
}) {
  const { t } = useTranslation('judge');
  const lng = useLanguage();
  const [open, setOpen] = useState(false);
  const typed = useRef({ text: '', at: 0 });
  const descId = useId();
  const nameId = useId();
  const name = localized(c.name, lng);
  const description = localized(c.description, lng);

  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>) => {
    if (readOnly || e.altKey || e.ctrlKey || e.metaKey) return;
    if ((e.target as HTMLElement).closest('button') && (e.key === 'Enter' || e.key === ' ')) return;
    let next: number | undefined;
    if (e.key === 'ArrowUp') next = stepValue(c, value, 1);
    else if (e.key === 'ArrowDown') next = stepValue(c, value, -1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = c.maxScore;
    else if (e.key === 'Backspace' || e.key === 'Delete') next = undefined;
    else if (/^[0-9.]$/.test(e.key)) {
      // Keys typed within a second build one number ("1", "0" → 10).
      const fresh = e.timeStamp - typed.current.at > 1000 ? '' : typed.current.text;
      const r = typeDigit(c, fresh, e.key);
      typed.current = { text: r.text, at: e.timeStamp };
      if (r.value === null) {
        e.preventDefault();
        return;
      }
      next = r.value;
    } else return;
    e.preventDefault();
    e.stopPropagation();
    if (next !== value) onChange(next);
  };

  const shownValue = value === undefined ? '—' : String(value);
  return (
    <div
      className={`criterion${value === undefined ? ' is-unset' : ''}`}
      data-criterion={c.id}
      onKeyDown={onKeyDown}
    >
      <div className="criterion-head">
        {description ? (
          <button
            type="button"
            id={nameId}
            className="criterion-name"
            aria-expanded={open}
            aria-controls={descId}
            onClick={() => setOpen((o) => !o)}
          >
            {name}
            <span className="criterion-info" aria-hidden="true">
              ⓘ
            </span>
          </button>
        ) : (
          <span id={nameId} className="criterion-name">
            {name}
          </span>
        )}
        <span className="criterion-meta">
          {t('criterion.meta', { weight: c.weight, max: c.maxScore, step: c.step })}
        </span>
      </div>
      {description && (
        <p id={descId} className="criterion-description-text" hidden={!open}>
          {description}
        </p>
      )}
      <div className="stepper">
        <button
          type="button"
          className="step-button"
          tabIndex={-1}
          aria-label={t('criterion.down', { name })}
          disabled={readOnly || value === 0}
          onClick={() => onChange(stepValue(c, value, -1))}
        >
          −
        </button>
        <div
          role="spinbutton"
          tabIndex={0}
          className="step-value"
          aria-labelledby={nameId}
          aria-valuemin={0}
          aria-valuemax={c.maxScore}
          aria-valuenow={value}
          aria-valuetext={
            value === undefined ? t('criterion.unset') : t('criterion.valueText', { value, max: c.maxScore })
          }
          aria-readonly={readOnly || undefined}
        >
          <span className="step-number">{shownValue}</span>
          <span className="step-max">/ {c.maxScore}</span>
        </div>
        <button
          type="button"
          className="step-button"
          tabIndex={-1}
          aria-label={t('criterion.up', { name })}
          disabled={readOnly || value === c.maxScore}
          onClick={() => onChange(stepValue(c, value, 1))}
        >
          +
        </button>
      </div>
    </div>
  );
}

/** Both copies side by side; the judge keeps one. A submitted server copy is locked and can only be taken. */
function ConflictPanel({
  score,
  criteria,
  entryId,
}: {
  score: LocalScore;
  criteria: readonly Criterion[];
  entryId: string;
}) {
  const { t } = useTranslation('judge');
  const lng = useLanguage();
  const { sync } = useJudging();
  const server = score.conflict!.server;
  const serverLocked = server?.status === 'submitted';
  const cell = (v: number | undefined) => (v === undefined ? '—' : String(v));
  const status = (s: 'draft' | 'submitted') =>
    s === 'submitted' ? t('state.submitted') : t('conflict.draft');
  return (
    <section className="conflict card" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('conflict.title')}</h2>
      <p>{serverLocked ? t('conflict.locked') : t('conflict.explain')}</p>
      <div className="table-wrap">
        <table className="table conflict-table">
          <thead>
            <tr>
              <th scope="col">{t('conflict.criterion')}</th>
              <th scope="col">{t('conflict.device')}</th>
              <th scope="col">{t('conflict.server')}</th>
            </tr>
          </thead>
          <tbody>
            {criteria.map((c) => (
              <tr key={c.id} className={score.values[c.id] !== server?.values[c.id] ? 'differs' : undefined}>
                <th scope="row">{localized(c.name, lng)}</th>
                <td className="num">{cell(score.values[c.id])}</td>
                <td className="num">{cell(server?.values[c.id])}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">{t('work.total')}</th>
              <td className="num">{formatTotal(judgeTotal(criteria, score.values))}</td>
              <td className="num">{server ? formatTotal(judgeTotal(criteria, server.values)) : '—'}</td>
            </tr>
            <tr className={score.comment !== (server?.comment ?? '') ? 'differs' : undefined}>
              <th scope="row">{t('work.comment')}</th>
              <td>{score.comment || '—'}</td>
              <td>{server?.comment || '—'}</td>
            </tr>
            <tr>
              <th scope="row">{t('conflict.status')}</th>
              <td>{status(score.status)}</td>
              <td>{server ? status(server.status) : '—'}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={serverLocked}
          onClick={() => void sync?.resolveConflict(entryId, 'device')}
        >
          {t('conflict.keepDevice')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void sync?.resolveConflict(entryId, 'server')}
        >
          {t('conflict.keepServer')}
        </button>
      </div>
    </section>
  );
}
