import { useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  EntryInputSchema,
  EntryUpdateSchema,
  EntryWithdrawSchema,
  type Entry,
  type EntryList,
} from '@pingxuan/shared';
import { api, asApiError, seg, type ApiError } from '../api';
import { ErrorNotice, Loading } from '../components/Status';
import { useLanguage, type Language } from '../i18n';
import { formatNumber, localized } from '../localized';
import { usePageTitle } from '../usePageTitle';
import { useOrganize } from './context';
import { Dialog } from './Dialog';
import { Problem } from './Problem';
import { useLive } from './useLive';
import { postAndDownload, postFiles } from './setup/files';
import { batches, describePath, splitLines, type FieldErrors } from './setup/forms';
import {
  ErrorSummary,
  Field,
  RefusalNotice,
  focusFirstInvalid,
  useRefusal,
  useCheck,
  type Refusal,
} from './setup/ui';

export const ENTRIES_PAGE_SIZE = 50;
/** The server takes at most this many photos per bulk request. */
const BULK_BATCH = 50;
const PHOTO_TYPES = 'image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp';

type BulkReport = {
  stored: { fileName: string; entryId: string; code: string }[];
  skipped: { fileName: string; code: string; reason: string }[];
  unmatched: string[];
  rejected: { fileName: string; status: number; message: string }[];
};

type Action =
  | { kind: 'add' }
  | { kind: 'edit'; entry: Entry }
  | { kind: 'withdraw'; entry: Entry }
  | { kind: 'restore'; entry: Entry }
  | { kind: 'photos'; entry: Entry }
  | { kind: 'links' };

const photoUrl = (contestId: string, entryId: string, photoId: string, size: 'thumb' | 'large') =>
  `/api/contests/${seg(contestId)}/entries/${seg(entryId)}/photos/${seg(photoId)}?size=${size}`;

/** Entries of the contest a page at a time: search, edit, withdraw or restore, photos, feedback links. */
export function EntriesPage() {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest, school } = useOrganize();
  usePageTitle(t('entries.title'));
  const [q, setQ] = useState('');
  const [typed, setTyped] = useState('');
  const [status, setStatus] = useState<'' | 'active' | 'withdrawn'>('');
  // The `after` cursor of each page seen so far; the first page has none.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const base = `/contests/${seg(contest.id)}`;
  const cursor = cursors[cursors.length - 1] ?? null;
  const params = new URLSearchParams({ limit: String(ENTRIES_PAGE_SIZE) });
  if (q) params.set('q', q);
  if (status) params.set('status', status);
  if (cursor) params.set('after', cursor);
  const live = useLive<EntryList>(`${base}/entries?${params}`, undefined, true);
  const data = live.data;
  const published = contest.status === 'published';
  const searchId = useId();

  const finish = (message: string | null) => {
    setAction(null);
    if (message) setDone(message);
    live.refresh();
  };

  return (
    <section aria-labelledby="entries-title" className="setup">
      <div className="org-page-head">
        <h1 id="entries-title">{t('entries.title')}</h1>
        <div className="setup-head-actions">
          {/* One late registration need not go through a sheet. */}
          {(contest.status === 'draft' || contest.status === 'judging') && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => {
                setDone(null);
                setAction({ kind: 'add' });
              }}
            >
              {t('entries.add')}
            </button>
          )}
          <Link className="button button-secondary" to={`${base}/entries/import`}>
            {t('entries.import')}
          </Link>
          {/* Links are wanted most after publication, when teachers can read their feedback. Teachers'
              private links are the contest organizers' to hand out, not a school organizer's. */}
          {school === null && (
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setDone(null);
                setAction({ kind: 'links' });
              }}
            >
              {t('entries.links')}
            </button>
          )}
        </div>
      </div>
      {data && (
        <p className="setup-counts">
          {t('entries.counts', {
            active: formatNumber(data.counts.active, lng),
            withdrawn: formatNumber(data.counts.withdrawn, lng),
            withoutPhotos: formatNumber(data.counts.withoutPhotos, lng),
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

      {/* Bulk photos match file names across every school's entries: organizers only. */}
      {school === null && <BulkPhotos disabled={published} onDone={() => live.refresh()} />}

      <form
        role="search"
        className="org-filters setup-search"
        aria-label={t('entries.searchLabel')}
        onSubmit={(e) => {
          e.preventDefault();
          setQ(typed.trim());
          setCursors([null]);
        }}
      >
        <div className="org-field setup-grow">
          <label htmlFor={searchId}>{t('entries.search')}</label>
          <input
            id={searchId}
            type="search"
            className="setup-input"
            value={typed}
            maxLength={100}
            placeholder={t('entries.searchPlaceholder')}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
        <div className="org-field">
          <label htmlFor="entries-status">{t('entries.status')}</label>
          <select
            id="entries-status"
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as typeof status);
              setCursors([null]);
            }}
          >
            <option value="">{t('entries.statusAll')}</option>
            <option value="active">{t('entries.statusActive')}</option>
            <option value="withdrawn">{t('entries.statusWithdrawn')}</option>
          </select>
        </div>
        <div className="setup-search-button">
          <button type="submit" className="button button-primary">
            {t('entries.searchButton')}
          </button>
        </div>
      </form>

      {live.error && <ErrorNotice error={live.error} onRetry={live.refresh} />}
      {!data && !live.error && <Loading />}
      {data && (
        <>
          <p className="muted" aria-live="polite">
            {q
              ? t('entries.foundFor', { n: formatNumber(data.total, lng), q })
              : t('entries.found', { n: formatNumber(data.total, lng) })}
          </p>
          {data.entries.length === 0 ? (
            <p className="empty">{q || status ? t('entries.noMatch') : t('entries.none')}</p>
          ) : (
            <div className="card table-wrap" aria-busy={live.stale}>
              <table className="table org-table setup-entries">
                <caption className="visually-hidden">{t('entries.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('entries.photo')}</th>
                    <th scope="col">{t('entries.code')}</th>
                    <th scope="col">{t('entries.entry')}</th>
                    <th scope="col">{t('entries.group')}</th>
                    <th scope="col">{t('entries.state')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('entries.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.entries.map((e) => (
                    <EntryRow
                      key={e.id}
                      entry={e}
                      lng={lng}
                      published={published}
                      onAction={(a) => {
                        setDone(null);
                        setAction(a);
                      }}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
      <nav className="org-pager" aria-label={t('entries.pager')}>
        <button
          type="button"
          className="button button-secondary"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t('entries.prev')}
        </button>
        <p aria-live="polite">{t('entries.page', { page: formatNumber(cursors.length, lng) })}</p>
        <button
          type="button"
          className="button button-secondary"
          disabled={!data?.nextAfter || live.stale}
          onClick={() => data?.nextAfter && setCursors((c) => [...c, data.nextAfter])}
        >
          {t('entries.next')}
        </button>
      </nav>

      {action?.kind === 'add' && (
        <EditEntry
          entry={null}
          onClose={() => setAction(null)}
          onReplace={() => undefined}
          onDone={(e) => finish(t('entries.addedOne', { code: e.code }))}
        />
      )}
      {action?.kind === 'edit' && (
        <EditEntry
          key={`${action.entry.id}:${action.entry.version}`}
          entry={action.entry}
          onClose={() => setAction(null)}
          onReplace={(entry) => setAction({ kind: 'edit', entry })}
          onDone={(e) => finish(t('entries.savedOne', { code: e.code }))}
        />
      )}
      {action?.kind === 'withdraw' && (
        <WithdrawEntry
          entry={action.entry}
          onClose={() => setAction(null)}
          onDone={(e) => finish(t('entries.withdrawnOne', { code: e.code }))}
        />
      )}
      {action?.kind === 'restore' && (
        <RestoreEntry
          entry={action.entry}
          onClose={() => setAction(null)}
          onDone={(e) => finish(t('entries.restoredOne', { code: e.code }))}
        />
      )}
      {action?.kind === 'photos' && (
        <EntryPhotos
          entry={action.entry}
          disabled={published}
          onClose={(changed) => {
            setAction(null);
            if (changed) live.refresh();
          }}
        />
      )}
      {action?.kind === 'links' && (
        <FeedbackLinks
          onClose={() => setAction(null)}
          onDone={(name) => finish(t('links.done', { file: name }))}
        />
      )}
    </section>
  );
}

function EntryRow({
  entry: e,
  lng,
  published,
  onAction,
}: {
  entry: Entry;
  lng: Language;
  published: boolean;
  onAction: (a: Action) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const first = e.photos[0];
  const category = contest.categories.find((c) => c.id === e.category);
  const subject = contest.subjects.find((c) => c.id === e.subject);
  const withdrawn = e.status === 'withdrawn';
  return (
    <tr className={withdrawn ? 'org-row-inactive' : undefined}>
      <td className="setup-thumb-cell">
        {first ? (
          <img
            className="setup-thumb"
            src={photoUrl(contest.id, e.id, first.id, 'thumb')}
            alt={t('entries.thumbAlt', { code: e.code })}
            loading="lazy"
            width={72}
            height={54}
          />
        ) : (
          <span className="setup-thumb setup-thumb-none">{t('entries.noPhoto')}</span>
        )}
      </td>
      <th scope="row" className="org-code">
        {e.code}
      </th>
      <td className="setup-wrap">
        <div className="setup-entry-title">{e.title}</div>
        <div className="muted org-small">
          {e.teacherName} · {e.school}
        </div>
      </td>
      <td className="setup-wrap">
        {category ? localized(category.name, lng) : <span className="muted">—</span>}
        {subject && <div className="muted org-small">{localized(subject.name, lng)}</div>}
      </td>
      <td>
        {withdrawn ? (
          <span className="org-tag setup-tag-withdrawn">{t('entries.withdrawn')}</span>
        ) : (
          <span className="org-tag">{t('entries.active')}</span>
        )}
        <div className="muted org-small">
          {t('entries.photoCount', { n: e.photos.length })}
          {e.missingPhotos.length > 0 && (
            <span className="org-warning"> · {t('entries.missing', { n: e.missingPhotos.length })}</span>
          )}
        </div>
        {withdrawn && e.withdrawnReason && (
          <div className="muted org-small">{t('entries.reason', { reason: e.withdrawnReason })}</div>
        )}
      </td>
      <td>
        <div className="setup-row-actions">
          <button
            type="button"
            className="button button-secondary org-small-button"
            disabled={published}
            aria-label={t('entries.editLabel', { code: e.code })}
            onClick={() => onAction({ kind: 'edit', entry: e })}
          >
            {t('entries.edit')}
          </button>
          <button
            type="button"
            className="button button-secondary org-small-button"
            aria-label={t('entries.photosLabel', { code: e.code })}
            onClick={() => onAction({ kind: 'photos', entry: e })}
          >
            {t('entries.photos')}
          </button>
          {withdrawn ? (
            <button
              type="button"
              className="button button-secondary org-small-button"
              disabled={published}
              aria-label={t('entries.restoreLabel', { code: e.code })}
              onClick={() => onAction({ kind: 'restore', entry: e })}
            >
              {t('entries.restore')}
            </button>
          ) : (
            <button
              type="button"
              className="button button-secondary org-small-button setup-danger-text"
              disabled={published}
              aria-label={t('entries.withdrawLabel', { code: e.code })}
              onClick={() => onAction({ kind: 'withdraw', entry: e })}
            >
              {t('entries.withdraw')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}

/** Edits an entry, or with `entry` null adds one (a school organizer's under their school). */
function EditEntry({
  entry,
  onClose,
  onReplace,
  onDone,
}: {
  entry: Entry | null;
  onClose: () => void;
  onReplace: (e: Entry) => void;
  onDone: (e: Entry) => void;
}) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest, school } = useOrganize();
  const check = useCheck();
  const refusal = useRefusal();
  const [form, setForm] = useState({
    code: entry?.code ?? '',
    title: entry?.title ?? '',
    teacherName: entry?.teacherName ?? '',
    school: entry?.school ?? school ?? '',
    category: entry?.category ?? '',
    subject: entry?.subject ?? '',
    files: entry?.imageFileNames.join('\n') ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const bodyRef = useRef<HTMLDivElement>(null);
  const set = (k: keyof typeof form, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const codeLocked = entry !== null && contest.status !== 'draft';
  const where = (path: string) =>
    describePath(
      path,
      { imageFileNames: (i) => t('entries.fileN', { n: i + 1 }) },
      {
        code: t('entries.code'),
        title: t('entries.titleField'),
        teacherName: t('entries.teacher'),
        school: t('entries.school'),
        category: t('entries.category'),
        subject: t('entries.subject'),
        imageFileNames: t('entries.files'),
      },
    );

  async function save() {
    setRefused(null);
    const imageFileNames = splitLines(form.files.replace(/[,，;；、]/g, '\n'));
    const common = { title: form.title, teacherName: form.teacherName, school: form.school, imageFileNames };
    const checked =
      entry === null
        ? check(EntryInputSchema, {
            ...common,
            code: form.code,
            ...(form.category ? { category: form.category } : {}),
            ...(form.subject ? { subject: form.subject } : {}),
          })
        : check(EntryUpdateSchema, {
            ...common,
            version: entry.version,
            category: form.category || null,
            subject: form.subject || null,
            ...(codeLocked ? {} : { code: form.code }),
          });
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(bodyRef.current);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const entries = `/contests/${seg(contest.id)}/entries`;
      onDone(
        entry === null
          ? await api.post<Entry>(entries, checked.data)
          : await api.patch<Entry>(`${entries}/${seg(entry.id)}`, checked.data),
      );
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
      focusFirstInvalid(bodyRef.current);
    } finally {
      setBusy(false);
    }
  }

  async function reload() {
    if (entry === null) return;
    try {
      onReplace(await api.get<Entry>(`/contests/${seg(contest.id)}/entries/${seg(entry.id)}`));
    } catch (err) {
      setRefused(refusal(err));
    }
  }

  const fileErrors = Object.entries(errors)
    .filter(([k]) => k.startsWith('imageFileNames'))
    .map(([, v]) => v);
  return (
    <Dialog
      title={entry === null ? t('entries.addTitle') : t('entries.editTitle', { code: entry.code })}
      confirmLabel={t('form.save')}
      busyLabel={t('form.saving')}
      busy={busy}
      onConfirm={() => void save()}
      onClose={onClose}
    >
      <div ref={bodyRef} className="setup-dialog-form">
        <ErrorSummary errors={errors} where={where} />
        {refused && (
          <RefusalNotice refused={refused} onReload={entry === null ? undefined : () => void reload()} />
        )}
        <Field
          label={t('entries.code')}
          error={errors.code}
          hint={codeLocked ? t('entries.codeLocked') : undefined}
        >
          {(p) => (
            <input
              {...p}
              className="setup-mono"
              value={form.code}
              disabled={codeLocked}
              autoCapitalize="off"
              spellCheck={false}
              onChange={(e) => set('code', e.target.value)}
            />
          )}
        </Field>
        <Field label={t('entries.titleField')} error={errors.title}>
          {(p) => <input {...p} value={form.title} onChange={(e) => set('title', e.target.value)} />}
        </Field>
        <div className="setup-two">
          <Field label={t('entries.teacher')} error={errors.teacherName}>
            {(p) => (
              <input {...p} value={form.teacherName} onChange={(e) => set('teacherName', e.target.value)} />
            )}
          </Field>
          <Field label={t('entries.school')} error={errors.school}>
            {(p) => (
              // A school organizer's entries stay their school's: the server would refuse another.
              <input
                {...p}
                value={form.school}
                readOnly={school !== null}
                onChange={(e) => set('school', e.target.value)}
              />
            )}
          </Field>
          <Field label={t('entries.category')} error={errors.category}>
            {(p) => (
              <select {...p} value={form.category} onChange={(e) => set('category', e.target.value)}>
                <option value="">{t('entries.noneChosen')}</option>
                {contest.categories.map((c) => (
                  <option key={c.id} value={c.id}>
                    {localized(c.name, lng)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('entries.subject')} error={errors.subject}>
            {(p) => (
              <select {...p} value={form.subject} onChange={(e) => set('subject', e.target.value)}>
                <option value="">{t('entries.noneChosen')}</option>
                {contest.subjects.map((c) => (
                  <option key={c.id} value={c.id}>
                    {localized(c.name, lng)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <Field
          label={t('entries.files')}
          error={fileErrors.length ? fileErrors.join('；') : undefined}
          hint={t('entries.filesHint')}
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              className="setup-mono"
              value={form.files}
              onChange={(e) => set('files', e.target.value)}
            />
          )}
        </Field>
      </div>
    </Dialog>
  );
}

function WithdrawEntry({
  entry,
  onClose,
  onDone,
}: {
  entry: Entry;
  onClose: () => void;
  onDone: (e: Entry) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const check = useCheck();
  const refusal = useRefusal();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const bodyRef = useRef<HTMLDivElement>(null);

  async function confirm() {
    setRefused(null);
    const checked = check(EntryWithdrawSchema, { version: entry.version, reason });
    if (!checked.ok) {
      setErrors(checked.errors);
      focusFirstInvalid(bodyRef.current);
      return;
    }
    setBusy(true);
    try {
      onDone(
        await api.post<Entry>(`/contests/${seg(contest.id)}/entries/${seg(entry.id)}/withdraw`, checked.data),
      );
    } catch (err) {
      const r = refusal(err);
      setRefused(r);
      setErrors(r.fields);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={t('entries.withdrawTitle', { code: entry.code })}
      confirmLabel={t('entries.withdraw')}
      busy={busy}
      danger
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <div ref={bodyRef} className="setup-dialog-form">
        <p>{t('entries.withdrawText', { title: entry.title })}</p>
        {refused && <RefusalNotice refused={refused} />}
        <Field label={t('entries.withdrawReason')} error={errors.reason} hint={t('entries.withdrawHint')}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          )}
        </Field>
      </div>
    </Dialog>
  );
}

function RestoreEntry({
  entry,
  onClose,
  onDone,
}: {
  entry: Entry;
  onClose: () => void;
  onDone: (e: Entry) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [refused, setRefused] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const refusal = useRefusal();
  async function confirm() {
    setBusy(true);
    setRefused(null);
    try {
      onDone(
        await api.post<Entry>(`/contests/${seg(contest.id)}/entries/${seg(entry.id)}/restore`, {
          version: entry.version,
        }),
      );
    } catch (err) {
      setRefused(refusal(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={t('entries.restoreTitle', { code: entry.code })}
      confirmLabel={t('entries.restore')}
      busy={busy}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <p>{t('entries.restoreText', { title: entry.title })}</p>
      {refused && <RefusalNotice refused={refused} />}
    </Dialog>
  );
}

/** One entry's photos: what is there, what the import listed but nobody uploaded yet, and an upload. */
function EntryPhotos({
  entry: initial,
  disabled,
  onClose,
}: {
  entry: Entry;
  disabled: boolean;
  onClose: (changed: boolean) => void;
}) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [entry, setEntry] = useState(initial);
  const [files, setFiles] = useState<File[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [message, setMessage] = useState('');
  const [changed, setChanged] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const base = `/contests/${seg(contest.id)}/entries/${seg(entry.id)}`;

  async function upload() {
    if (!files.length) return;
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      const next = await postFiles<Entry>(`${base}/photos`, 'photos', files);
      setEntry(next);
      setChanged(true);
      setMessage(t('photos.uploaded', { n: files.length }));
      setFiles([]);
      if (inputRef.current) inputRef.current.value = '';
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove(photoId: string, fileName: string) {
    setBusy(true);
    setError(null);
    setMessage('');
    try {
      setEntry(await api.delete<Entry>(`${base}/photos/${seg(photoId)}`));
      setChanged(true);
      setMessage(t('photos.removed', { file: fileName }));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog
      title={t('photos.title', { code: entry.code })}
      onConfirm={() => onClose(changed)}
      onClose={() => onClose(changed)}
    >
      <div className="setup-dialog-form">
        <p className="muted">{entry.title}</p>
        {entry.photos.length === 0 ? (
          <p className="empty">{t('photos.none')}</p>
        ) : (
          <ul className="setup-photo-list">
            {entry.photos.map((p) => (
              <li key={p.id}>
                <a href={photoUrl(contest.id, entry.id, p.id, 'large')} target="_blank" rel="noreferrer">
                  <img
                    src={photoUrl(contest.id, entry.id, p.id, 'thumb')}
                    alt={t('photos.alt', { file: p.fileName })}
                    width={120}
                    height={90}
                  />
                </a>
                <span className="setup-file-name">{p.fileName}</span>
                <button
                  type="button"
                  className="button button-secondary org-small-button setup-danger-text"
                  disabled={busy || disabled}
                  aria-label={t('photos.removeLabel', { file: p.fileName })}
                  onClick={() => void remove(p.id, p.fileName)}
                >
                  {t('photos.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        {entry.missingPhotos.length > 0 && (
          <p className="org-warning">{t('photos.missing', { files: entry.missingPhotos.join('、') })}</p>
        )}
        {!disabled && (
          <>
            <Field label={t('photos.choose')} hint={t('photos.chooseHint')}>
              {(p) => (
                <input
                  {...p}
                  ref={inputRef}
                  type="file"
                  multiple
                  accept={PHOTO_TYPES}
                  className="org-file"
                  disabled={busy}
                  onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
                />
              )}
            </Field>
            <button
              type="button"
              className="button button-primary"
              disabled={busy || files.length === 0}
              onClick={() => void upload()}
            >
              {busy ? t('photos.uploading') : t('photos.upload', { n: files.length })}
            </button>
          </>
        )}
        <div aria-live="polite">{message && <p role="status">{message}</p>}</div>
        {error && <Problem error={error} />}
      </div>
    </Dialog>
  );
}

/** Photos dropped in bulk, matched to entries by the import's file names or by entry code. */
function BulkPhotos({ disabled, onDone }: { disabled: boolean; onDone: () => void }) {
  const { t } = useTranslation('setup');
  const lng = useLanguage();
  const { contest } = useOrganize();
  const [files, setFiles] = useState<File[]>([]);
  const [replace, setReplace] = useState(false);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [report, setReport] = useState<BulkReport | null>(null);
  const [failed, setFailed] = useState<{ files: string[]; error: ApiError }[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);
  const busy = progress !== null;

  async function upload() {
    const all: BulkReport = { stored: [], skipped: [], unmatched: [], rejected: [] };
    const lost: { files: string[]; error: ApiError }[] = [];
    setReport(null);
    setFailed([]);
    setProgress({ sent: 0, total: files.length });
    let sent = 0;
    // Each batch stands alone, like each file in it: a refused batch does not stop the others.
    for (const batch of batches(files, BULK_BATCH)) {
      try {
        const r = await postFiles<BulkReport>(
          `/contests/${seg(contest.id)}/photos?replace=${replace}`,
          'photos',
          batch,
        );
        all.stored.push(...r.stored);
        all.skipped.push(...r.skipped);
        all.unmatched.push(...r.unmatched);
        all.rejected.push(...r.rejected);
      } catch (err) {
        lost.push({ files: batch.map((f) => f.name), error: asApiError(err) });
      }
      sent += batch.length;
      setProgress({ sent, total: files.length });
    }
    setProgress(null);
    setReport(all);
    setFailed(lost);
    setFiles([]);
    if (inputRef.current) inputRef.current.value = '';
    onDone();
  }

  return (
    <details className="card setup-bulk">
      <summary>
        <h2 className="setup-summary-title">{t('bulk.title')}</h2>
      </summary>
      <p className="setup-hint">{t('bulk.intro')}</p>
      <Field label={t('bulk.choose')} hint={t('bulk.chooseHint')}>
        {(p) => (
          <input
            {...p}
            ref={inputRef}
            type="file"
            multiple
            accept={PHOTO_TYPES}
            className="org-file"
            disabled={busy || disabled}
            onChange={(e) => {
              setFiles(Array.from(e.target.files ?? []));
              setReport(null);
            }}
          />
        )}
      </Field>
      <label className="org-check">
        <input
          type="checkbox"
          checked={replace}
          disabled={busy || disabled}
          onChange={(e) => setReplace(e.target.checked)}
        />
        <span>{t('bulk.replace')}</span>
      </label>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy || disabled || files.length === 0}
          onClick={() => void upload()}
        >
          {busy
            ? t('bulk.uploading', {
                sent: formatNumber(progress.sent, lng),
                total: formatNumber(progress.total, lng),
              })
            : t('bulk.upload', { n: formatNumber(files.length, lng) })}
        </button>
      </div>
      {busy && (
        <progress
          className="setup-progress"
          max={progress.total}
          value={progress.sent}
          aria-label={t('bulk.progress')}
        />
      )}
      <div aria-live="polite">
        {report && (
          <div className="notice notice-info setup-report" role="status">
            <p>
              <strong>
                {t('bulk.summary', {
                  stored: formatNumber(report.stored.length, lng),
                  skipped: formatNumber(report.skipped.length, lng),
                  unmatched: formatNumber(report.unmatched.length, lng),
                  rejected: formatNumber(
                    report.rejected.length + failed.reduce((n, f) => n + f.files.length, 0),
                    lng,
                  ),
                })}
              </strong>
            </p>
            {report.stored.length > 0 && (
              <details>
                <summary>{t('bulk.storedList', { n: report.stored.length })}</summary>
                <ul>
                  {report.stored.map((s) => (
                    <li key={s.fileName}>
                      {s.fileName} → <span className="org-code">{s.code}</span>
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {report.skipped.length > 0 && (
              <>
                <p>{t('bulk.skipped')}</p>
                <ul>
                  {report.skipped.map((s) => (
                    <li key={s.fileName}>
                      {s.fileName} → <span className="org-code">{s.code}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
            {report.unmatched.length > 0 && (
              <>
                <p className="org-warning">{t('bulk.unmatched')}</p>
                <ul>
                  {report.unmatched.map((f) => (
                    <li key={f}>{f}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </div>
      {report && (report.rejected.length > 0 || failed.length > 0) && (
        <div className="notice notice-error" role="alert">
          <p>
            <strong>{t('bulk.rejected')}</strong>
          </p>
          <ul>
            {report.rejected.map((r) => (
              <li key={r.fileName}>
                {r.fileName}: <span className="org-server-message">{r.message}</span>
              </li>
            ))}
            {failed.map((f) => (
              <li key={f.files.join('|')}>
                {t('bulk.batchFailed', { files: f.files.join('、') })}:{' '}
                <span className="org-server-message">{f.error.message}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}

/** Issues a fresh link for every active entry and saves them as a CSV (older links stop working). */
function FeedbackLinks({ onClose, onDone }: { onClose: () => void; onDone: (file: string) => void }) {
  const { t } = useTranslation('setup');
  const { contest } = useOrganize();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      onDone(
        await postAndDownload(
          `/contests/${seg(contest.id)}/entries/feedback-links?format=csv`,
          {},
          'feedback-links.csv',
        ),
      );
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      title={t('links.title')}
      confirmLabel={t('links.confirm')}
      busyLabel={t('links.working')}
      busy={busy}
      onConfirm={() => void confirm()}
      onClose={onClose}
    >
      <ul className="org-effects">
        <li>{t('links.effect1')}</li>
        <li>{t('links.effect2')}</li>
        <li>{t('links.effect3')}</li>
      </ul>
      {error && <Problem error={error} />}
    </Dialog>
  );
}
